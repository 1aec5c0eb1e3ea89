"""The playbook's settings applied to the findings: severities, rules turned off, and
records that silence a rule for themselves with a written reason.

A pure step at the end of the checks: it reads the findings and the playbook and returns the
report, so no check needs to know how a playbook configured its rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from prepbook.checks.drift import READ_EXPORTS
from prepbook.checks.rules import judge_silence
from prepbook.checks.silences import Silence, SilenceOutcome
from prepbook.config import Settings
from prepbook.findings import Finding
from prepbook.graph import split_ref
from prepbook.load.playbook import Playbook
from prepbook.report import Report, Silenced
from prepbook.rules import RULES

WORKSHOP = ""  # the record key of the workshop itself
SilenceKey = tuple[str, str, str]  # (workshop id, record id or WORKSHOP, rule id)


def _silences(playbook: Playbook) -> dict[SilenceKey, list[Silence]]:
    """Every silence written in the playbook, by whose and which rule, in file order: one
    record may silence one rule several times, each entry with its own reason and scope."""
    silences: dict[SilenceKey, list[Silence]] = {}
    for ws_id, loaded in playbook.workshops.items():
        entries = [((), WORKSHOP, loaded.model.silence)] + [
            (located.path, located.record.id, located.record.silence) for located in loaded.located
        ]
        for path, record_id, silence in entries:
            for k, item in enumerate(silence):
                covers = tuple(item.covers) if item.covers is not None else None
                entry = Silence(
                    ws_id, record_id, item.rule, item.reason, (*path, "silence", k), covers
                )
                silences.setdefault((ws_id, record_id, item.rule), []).append(entry)
    return silences


def _same_subject(playbook: Playbook, finding: Finding, cover: str) -> bool:
    """Whether ``cover``, written in a silence, names the finding's subject: for a rule
    about records, the record the graph resolves both to; else the same word."""
    if not RULES[finding.rule].subject_refers:
        return finding.subject == cover
    home = finding.workshop or ""
    assert finding.subject is not None
    named, found = (
        playbook.graph.resolve(home, cover),
        playbook.graph.resolve(home, finding.subject),
    )
    return named is not None and found is not None and named.key == found.key


@dataclass
class _Use:
    """What each silence entry silenced: whether anything, which of its covers, and the
    subjects an unscoped one hid."""

    used: bool = False
    covers: set[int] = field(default_factory=set)
    hidden: list[str] = field(default_factory=list)


def _match(
    playbook: Playbook, entries: list[Silence], finding: Finding, uses: dict[int, _Use]
) -> Silence | None:
    """The entry that silences ``finding``: one whose covers name its subject, else an
    unscoped one; for a finding without a subject, the first entry."""
    if finding.subject is not None:
        for entry in entries:
            for j, cover in enumerate(entry.covers or ()):
                if _same_subject(playbook, finding, cover):
                    uses[id(entry)].covers.add(j)
                    return entry
    for entry in entries:
        if entry.covers is None or finding.subject is None:
            if finding.subject is not None:
                uses[id(entry)].hidden.append(finding.subject)
            return entry
    return None


def apply_policy(playbook: Playbook, settings: Settings, findings: Iterable[Finding]) -> Report:
    """The report of ``findings``: configured severities, rules turned off left out, and
    silenced findings set aside with their reasons. A silence of a rule that finds several
    things on a record covers only the subjects it lists; one that lists none covers all
    and is reported as too broad (PB304); a silence, or a subject it lists, that silences
    nothing is reported (PB303)."""
    silences = _silences(playbook)
    uses = {id(entry): _Use() for entries in silences.values() for entry in entries}
    kept: list[Finding] = []
    silenced: list[Silenced] = []
    subjects: dict[SilenceKey, list[str]] = {}  # what each rule found on each record
    for finding in findings:
        if not RULES[finding.rule].configurable:
            kept.append(finding)
            continue
        severity = settings.severity_of(finding.rule)
        if severity is None:
            continue
        finding = replace(finding, severity=severity)
        key = (finding.workshop or "", finding.record or WORKSHOP, finding.rule)
        if finding.subject is not None:
            subjects.setdefault(key, []).append(finding.subject)
        entry = _match(playbook, silences.get(key, []), finding, uses)
        if entry is not None:
            uses[id(entry)].used = True
            silenced.append(Silenced(finding, entry.reason))
            continue
        kept.append(finding)
    for key, entries in silences.items():
        for entry in entries:
            outcome = _outcome(playbook, entry, uses[id(entry)], subjects.get(key, []))
            if outcome is not None:
                kept.extend(judge_silence(playbook, outcome, settings))
    return Report(playbook.files, tuple(kept), tuple(silenced))


def _outcome(
    playbook: Playbook, entry: Silence, use: _Use, found: list[str]
) -> SilenceOutcome | None:
    """What one silence entry did, for the rules about silences; None when it cannot be
    judged: its workshop has schema errors, or every record it covers is in a workshop that
    could not be judged (the method's rules judge a file once it is whole), or its rule
    compares the file with the tracker exports and none was read."""
    loaded = playbook.workshops[entry.workshop]
    if loaded.partial:
        return None
    if entry.rule in READ_EXPORTS and not playbook.trackers.exports:
        return None  # no export was read (a side of a diff, a copy without trackers/)
    judged = tuple(
        j for j, cover in enumerate(entry.covers or ()) if _judged(playbook, entry, cover)
    )
    if entry.covers and not judged:
        return None
    return SilenceOutcome(
        entry,
        loaded,
        use.used,
        frozenset(use.covers),
        tuple(use.hidden),
        tuple(found),
        judged,
    )


def _judged(playbook: Playbook, entry: Silence, cover: str) -> bool:
    """Whether the rule could find what ``cover`` names: not when it is a record of a
    workshop that did not load, or had schema errors (the rules judge it once it is whole),
    so a silence is not called unneeded because of another file's errors."""
    rule = RULES.get(entry.rule)
    if rule is None or not rule.subject_refers:
        return True
    workshop_id, _ = split_ref(cover, entry.workshop)
    there = playbook.workshops.get(workshop_id)
    return workshop_id not in playbook.broken_ids and not (there is not None and there.partial)
