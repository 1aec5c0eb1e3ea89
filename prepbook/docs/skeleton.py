"""``prepbook new``: a commented workshop skeleton that validates from the first save."""

from __future__ import annotations

import json
import os
import posixpath
from importlib import resources
from pathlib import Path

from prepbook.config import Settings
from prepbook.render.links import FORMAT_REFERENCE, served

# Where the format reference is on a site with the plugin's default options and no page of
# its own (prepbook.build.format_reference_address says it for a given playbook).
DEFAULT_REFERENCE = served(posixpath.join(Settings().output, FORMAT_REFERENCE))


def skeleton(workshop_id: str, schema_ref: str, reference: str = DEFAULT_REFERENCE) -> str:
    """The text of a new workshop file; the title is made from the id. ``reference``: the
    format reference's address on the site, from its top, which the comments name."""
    template = resources.files("prepbook.docs").joinpath("new_workshop.yaml").read_text("utf-8")
    title = workshop_id.replace("-", " ").capitalize()
    return (
        template.replace("__SCHEMA__", schema_ref)
        .replace("__REFERENCE__", reference)
        .replace("__ID__", workshop_id)
        .replace("__TITLE__", json.dumps(title))
    )


def schema_reference(target_dir: Path, schema_file: Path) -> str:
    """The schema path as the editor resolves it: relative to the new file, with slashes."""
    relative = os.path.relpath(schema_file.resolve(), target_dir.resolve())
    return Path(relative).as_posix()


def write_new(target: Path, text: str) -> None:
    """Create the file, never replacing one that exists (even if created a moment ago)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
