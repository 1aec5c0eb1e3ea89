"""Warnings for parts of a workshop that are still empty.

A new workshop starts empty and must still validate, so these are warnings, not errors:
they are the to-do list of a workshop in progress.
"""

from __future__ import annotations

from collections.abc import Iterator

from prepbook.config import Settings
from prepbook.findings import Finding
from prepbook.load.playbook import Playbook
from prepbook.model.kinds import TOP_LEVEL, records_in


def check_completeness(playbook: Playbook, settings: Settings) -> Iterator[Finding]:
    for loaded in playbook.workshops.values():
        if loaded.partial:
            continue  # sections may look empty only because their records were set aside
        model = loaded.model
        for kind in TOP_LEVEL:
            if kind.empty_note and not records_in(model, kind):
                yield (
                    loaded.finding(
                        "PB301",
                        kind.empty_note,
                        kind.home,
                        key=True,
                        hint=f"fill in '{kind.where}'",
                        subject=str(kind.home[-1]),
                    )
                )
        for role in ("facilitator", "decider"):
            if getattr(model, role) is None:
                yield (
                    loaded.finding(
                        "PB302",
                        f"the workshop names no {role}",
                        (role,),
                        key=True,
                        hint=f"add '{role}:' with the id of a team member",
                        subject=role,
                    )
                )
