"""The published JSON Schemas: the workshop format, that editors use to complete and check
workshop files, and the documents prepbook writes for programs. Each is generated from
the models that also validate or write the data, and committed under ``schema/`` in the
docs folder; ``prepbook schema NAME`` prints or writes one, and the tests check that
every committed copy matches its models.

The workshop schema also travels inside the package (PACKAGED_SCHEMA): ``prepbook init``
copies it into a new playbook, with no access to this repository or the network, and
``prepbook schema --check`` checks it like the docs folder's copy, so it never drifts.

Each schema's ``$id`` is a URN that names it and its format version (the version is read
off the model): an absolute identifier that never changes with where the file is served
from, and that no program will try to fetch.

A new published schema is one entry in SCHEMAS.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import BaseModel

from prepbook.diff.document import Diff
from prepbook.export.document import PlaybookDocument
from prepbook.model import Workshop
from prepbook.report.json_document import ReportDocument

DRAFT_07 = "http://json-schema.org/draft-07/schema#"


@dataclass(frozen=True)
class Published:
    """A schema as published: the model it is read off, its title, and whether the model
    is read (validation: what prepbook accepts) or written (serialization: what it writes)."""

    model: type[BaseModel]
    title: str
    version_field: str  # the model's field that holds its format version, a Literal
    mode: Literal["validation", "serialization"] = "validation"


SCHEMA_FILE = "schema/workshop.schema.json"
REPORT_SCHEMA_FILE = "schema/report.schema.json"
DIFF_SCHEMA_FILE = "schema/diff.schema.json"
PLAYBOOK_SCHEMA_FILE = "schema/playbook.schema.json"

# path under the docs folder: the schema published there
SCHEMAS: dict[str, Published] = {
    SCHEMA_FILE: Published(Workshop, "prepbook workshop", "format"),
    REPORT_SCHEMA_FILE: Published(
        ReportDocument, "prepbook validate --format json", "version", mode="serialization"
    ),
    DIFF_SCHEMA_FILE: Published(
        Diff, "prepbook diff --format json", "version", mode="serialization"
    ),
    PLAYBOOK_SCHEMA_FILE: Published(
        PlaybookDocument, "prepbook playbook.json", "version", mode="serialization"
    ),
}

# The copy of the workshop schema shipped inside the package, next to this module.
PACKAGED_SCHEMA = Path(__file__).parent / "workshop.schema.json"


def schema_name(path: str) -> str:
    """The short name ``prepbook schema`` knows a schema by: ``report`` for
    ``schema/report.schema.json``."""
    return path.rsplit("/", 1)[-1].removesuffix(".schema.json")


def schema_id(path: str) -> str:
    """The stable ``$id`` of a published schema: ``urn:prepbook:schema:workshop:1``."""
    published = SCHEMAS[path]
    annotation = published.model.model_fields[published.version_field].annotation
    version = max(get_args(annotation))
    return f"urn:prepbook:schema:{schema_name(path)}:{version}"


def packaged_copies(path: str) -> tuple[Path, ...]:
    """The copies of a published schema that the package itself ships."""
    return (PACKAGED_SCHEMA,) if path == SCHEMA_FILE else ()


def schema_of(path: str) -> dict[str, Any]:
    """A published schema as draft-07 (``definitions`` instead of ``$defs``)."""
    published = SCHEMAS[path]
    schema = published.model.model_json_schema(
        ref_template="#/definitions/{model}", mode=published.mode
    )
    definitions = schema.pop("$defs", {})
    schema.pop("title", None)  # the model's class name; the published title says more
    return {
        "$schema": DRAFT_07,
        "$id": schema_id(path),
        "title": published.title,
        **schema,
        "definitions": definitions,
    }


def workshop_schema() -> dict[str, Any]:
    """The workshop format as a draft-07 schema."""
    return schema_of(SCHEMA_FILE)


def schema_text(path: str = SCHEMA_FILE) -> str:
    """A schema as committed and published: stable key order, one trailing newline."""
    return json.dumps(schema_of(path), indent=2, ensure_ascii=False) + "\n"
