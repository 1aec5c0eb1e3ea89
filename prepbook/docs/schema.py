"""The JSON Schema that editors use to complete and check workshop files."""

from __future__ import annotations

import json
from typing import Any

from prepbook.model import Workshop

SCHEMA_FILE = "schema/workshop.schema.json"
DRAFT_07 = "http://json-schema.org/draft-07/schema#"


def workshop_schema() -> dict[str, Any]:
    """The workshop format as a draft-07 schema (``definitions`` instead of ``$defs``)."""
    schema = Workshop.model_json_schema(ref_template="#/definitions/{model}")
    definitions = schema.pop("$defs", {})
    return {
        "$schema": DRAFT_07,
        "title": "prepbook workshop",
        **schema,
        "definitions": definitions,
    }


def schema_text() -> str:
    """The schema as committed and published: stable key order, one trailing newline."""
    return json.dumps(workshop_schema(), indent=2, ensure_ascii=False) + "\n"
