"""Warnings for parts of a workshop that are still empty.

A new workshop starts empty and must still validate, so these are warnings, not errors:
they are the to-do list of a workshop in progress.
"""

from __future__ import annotations

from prepbook.playbook import Playbook

_SECTIONS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("team",), "no team members yet (step 1: assemble a cross-functional team)"),
    (("audit",), "no audited assets yet (step 2: audit data, talent and technology)"),
    (("metrics",), "no metrics yet (step 3: define success beyond clicks)"),
    (("persofails",), "no persofails yet (step 4: brainstorm what could go wrong)"),
    (("priorities",), "no priorities yet (step 5: choose one or two features)"),
    (("roadmap", "steps"), "no roadmap steps yet"),
)


def check_completeness(playbook: Playbook) -> None:
    for loaded in playbook.workshops.values():
        if loaded.partial:
            continue  # sections may look empty only because their records were set aside
        model = loaded.model
        for path, message in _SECTIONS:
            value = model
            for part in path:
                value = getattr(value, part)
            if not value:
                playbook.findings.append(
                    loaded.finding(
                        "PB301", message, path, key=True, hint=f"fill in '{'.'.join(path)}'"
                    )
                )
        for role in ("facilitator", "decider"):
            if getattr(model, role) is None:
                playbook.findings.append(
                    loaded.finding(
                        "PB302",
                        f"the workshop names no {role}",
                        (role,),
                        key=True,
                        hint=f"add '{role}:' with the id of a team member",
                    )
                )
