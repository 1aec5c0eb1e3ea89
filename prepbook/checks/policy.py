"""The playbook's settings applied to the findings: severities, rules turned off, and
records that silence a rule for themselves with a written reason."""

from __future__ import annotations

from dataclasses import replace

from prepbook.config import Settings
from prepbook.load.playbook import Playbook
from prepbook.model.kinds import iter_records
from prepbook.rules import RULES

WORKSHOP = ""  # the record key of the workshop itself


def apply_policy(playbook: Playbook, settings: Settings) -> None:
    silences: dict[tuple[str, str, str], tuple[str, tuple[str | int, ...]]] = {}
    for ws_id, loaded in playbook.workshops.items():
        entries = [((), WORKSHOP, loaded.model.silence)] + [
            (located.path, located.record.id, located.record.silence)
            for located in iter_records(loaded.model)
        ]
        for path, record_id, silence in entries:
            for k, item in enumerate(silence):
                silences[(ws_id, record_id, item.rule)] = (item.reason, (*path, "silence", k))
    used: set[tuple[str, str, str]] = set()
    kept = []
    for finding in playbook.findings:
        if not RULES[finding.rule].configurable:
            kept.append(finding)
            continue
        severity = settings.severity_of(finding.rule)
        if severity is None:
            continue
        finding = replace(finding, severity=severity)
        key = (finding.workshop or "", finding.record or WORKSHOP, finding.rule)
        if key in silences:
            used.add(key)
            playbook.silenced.append((finding, silences[key][0]))
            continue
        kept.append(finding)
    for key, (_, path) in silences.items():
        if key in used or settings.severity_of("PB303") is None:
            continue
        ws_id, record_id, rule_id = key
        unknown = rule_id not in RULES
        finding = playbook.workshops[ws_id].finding(
            "PB303",
            f"the silence of {rule_id} on '{record_id or ws_id}' is not needed"
            + (": there is no such rule" if unknown else ": the rule finds nothing here"),
            (*path, "rule"),
            hint="remove the silence entry",
        )
        kept.append(replace(finding, severity=settings.severity_of("PB303")))
    playbook.findings = kept
