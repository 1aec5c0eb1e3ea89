"""The playbook as data: files that programs, calendars and spreadsheets read.

Made from the loaded and checked playbook, like the pages, and written beside them: by
the MkDocs plugin into the site, by ``prepbook generate`` into its folder. Nothing here
knows of MkDocs. Every file is a pure function of the playbook, the report and the build
date, so two builds of the same commit give the same bytes.

This module only names the files (paths relative to the generated folder), so the pages
can link to them without importing what makes them: it stands in the render layer, below
the rest of the package (see the Layers table of ARCHITECTURE.md).
"""

from __future__ import annotations

EXPORTS_DIR = "exports"
PLAYBOOK_JSON = f"{EXPORTS_DIR}/playbook.json"
PLAYBOOK_SCHEMA = f"{EXPORTS_DIR}/playbook.schema.json"
ROADMAP_ICS = f"{EXPORTS_DIR}/roadmap.ics"
# The Changes page as an Atom feed, beside the page it follows (made only with the page).
CHANGES_FEED = "changes.xml"

# The record kinds a spreadsheet gets a file of, by kind name (see prepbook.model.kinds);
# each file is named after where the kind's list stands: priorities.csv, roadmap-steps.csv.
TABLE_KINDS = ("priority", "step", "persofail", "asset")


def table_file(where: str) -> str:
    """The CSV file of a kind whose list stands at ``where`` (``roadmap.steps``)."""
    return f"{EXPORTS_DIR}/{where.replace('.', '-')}.csv"
