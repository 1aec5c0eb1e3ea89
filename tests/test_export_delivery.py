"""Delivery status in the playbook as data: each committed priority's status, reason and
ship date in ``playbook.json`` and in ``priorities.csv``, the same words the pages show."""

from __future__ import annotations

import json
from typing import Any

import jsonschema

from prepbook import export
from tests.test_exports import rows_of
from tests.test_site_delivery import LATE_STEPS, _workshop

REASON = "late: step 'Tag every SKU' ended 2026-11-27 and is not done"


def _generated(playbook: Any, cli: Any) -> Any:
    parked = _workshop(LATE_STEPS).replace(
        "priorities:\n",
        "priorities:\n  - id: later\n    title: Later\n    status: parked\n",
    )
    root = playbook({"mini.yaml": parked})
    done = cli("generate", "--out", "generated", cwd=root)
    assert done.code == 0, done.err
    return root / "generated"


class TestDeliveryInTheExports:
    def test_json_has_the_status_reason_and_ship_date(self, playbook: Any, cli: Any) -> None:
        folder = _generated(playbook, cli)
        data = json.loads((folder / export.PLAYBOOK_JSON).read_text("utf-8"))
        schema = json.loads((folder / export.PLAYBOOK_SCHEMA).read_text("utf-8"))
        jsonschema.validate(data, schema)
        (workshop,) = data["workshops"]
        assert workshop["delivery"] == [
            {
                "priority": "offers",
                "status": "late",
                "reason": REASON,
                "reasons": [REASON],
                "ship_date": "2026-11-27",
                "open_gaps": [],
                "overdue_steps": ["mini/build"],
            }
        ]  # the parked priority has no delivery status

    def test_csv_rows_carry_the_status_of_committed_priorities(
        self, playbook: Any, cli: Any
    ) -> None:
        folder = _generated(playbook, cli)
        rows = rows_of(folder / export.table_file("priorities"))
        header = rows[0]
        by_id = {row[header.index("id")]: dict(zip(header, row, strict=True)) for row in rows[1:]}
        offers, later = by_id["offers"], by_id["later"]
        assert offers["delivery.status"] == "late"
        assert offers["delivery.reason"] == REASON
        assert offers["delivery.ship_date"] == "2026-11-27"
        assert later["delivery.status"] == later["delivery.reason"] == ""
