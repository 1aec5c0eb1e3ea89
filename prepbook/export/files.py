"""Every export of a checked playbook, by its path relative to the generated folder."""

from __future__ import annotations

from prepbook.docs.schema import PLAYBOOK_SCHEMA_FILE, schema_text
from prepbook.export import PLAYBOOK_JSON, PLAYBOOK_SCHEMA, ROADMAP_ICS
from prepbook.export.context import ExportContext
from prepbook.export.document import playbook_json
from prepbook.export.ics import roadmap_ics
from prepbook.export.tables import tables


def export_files(context: ExportContext) -> dict[str, bytes]:
    """The JSON document with its schema beside it, the calendar and the CSV files, as the
    bytes to write (UTF-8; the calendar's and the tables' CRLF line ends kept as they are
    on every system)."""
    texts = {
        PLAYBOOK_SCHEMA: schema_text(PLAYBOOK_SCHEMA_FILE),
        ROADMAP_ICS: roadmap_ics(context),
        **tables(context),
    }
    files = {path: text.encode("utf-8") for path, text in texts.items()}
    files[PLAYBOOK_JSON] = playbook_json(context)
    return dict(sorted(files.items()))
