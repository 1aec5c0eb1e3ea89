"""The playbook's settings applied to the findings: severities, rules turned off, and
records that silence a rule for themselves with a written reason.

A pure step at the end of the checks: it reads the findings and the playbook and returns the
report, so no check needs to know how a playbook configured its rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from prepbook.config import Settings
from prepbook.findings import Finding, YamlPath
from prepbook.load.playbook import Playbook
from prepbook.report import Report, Silenced
from prepbook.rules import RULES

WORKSHOP = ""  # the record key of the workshop itself
SilenceKey = tuple[str, str, str]  # (workshop id, record id or WORKSHOP, rule id)


def _silences(playbook: Playbook) -> dict[SilenceKey, tuple[str, YamlPath]]:
    """Every silence written in the playbook: its reason, and where it stands."""
    silences: dict[SilenceKey, tuple[str, YamlPath]] = {}
    for ws_id, loaded in playbook.workshops.items():
        entries = [((), WORKSHOP, loaded.model.silence)] + [
            (located.path, located.record.id, located.record.silence) for located in loaded.located
        ]
        for path, record_id, silence in entries:
            for k, item in enumerate(silence):
                silences[(ws_id, record_id, item.rule)] = (item.reason, (*path, "silence", k))
    return silences


def apply_policy(playbook: Playbook, settings: Settings, findings: Iterable[Finding]) -> Report:
    """The report of ``findings``: configured severities, rules turned off left out, and
    silenced findings set aside with their reasons; silences that silence nothing are
    reported (PB303)."""
    silences = _silences(playbook)
    used: set[SilenceKey] = set()
    kept: list[Finding] = []
    silenced: list[Silenced] = []
    for finding in findings:
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
            silenced.append(Silenced(finding, silences[key][0]))
            continue
        kept.append(finding)
    unneeded = settings.severity_of("PB303")
    for key, (_, path) in silences.items():
        if key in used or unneeded is None:
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
        kept.append(replace(finding, severity=unneeded))
    return Report(playbook.files, tuple(kept), tuple(silenced))
