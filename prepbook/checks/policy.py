"""The playbook's settings applied to the findings: severities, rules turned off, and
records that silence a rule for themselves with a written reason.

A pure step at the end of the checks: it reads the findings and the playbook and returns the
report, so no check needs to know how a playbook configured its rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

from prepbook.config import Settings
from prepbook.findings import Finding, YamlPath, closest
from prepbook.graph import split_ref
from prepbook.load.playbook import LoadedWorkshop, Playbook
from prepbook.report import Report, Silenced
from prepbook.rules import RULES

WORKSHOP = ""  # the record key of the workshop itself
SilenceKey = tuple[str, str, str]  # (workshop id, record id or WORKSHOP, rule id)


@dataclass(frozen=True, slots=True)
class _Silence:
    """One silence entry as written: whose, which rule, why, where, and what it covers
    (None: everything the rule finds on the record)."""

    workshop: str
    record: str
    rule: str
    reason: str
    path: YamlPath
    covers: tuple[str, ...] | None


def _silences(playbook: Playbook) -> dict[SilenceKey, list[_Silence]]:
    """Every silence written in the playbook, by whose and which rule, in file order: one
    record may silence one rule several times, each entry with its own reason and scope."""
    silences: dict[SilenceKey, list[_Silence]] = {}
    for ws_id, loaded in playbook.workshops.items():
        entries = [((), WORKSHOP, loaded.model.silence)] + [
            (located.path, located.record.id, located.record.silence) for located in loaded.located
        ]
        for path, record_id, silence in entries:
            for k, item in enumerate(silence):
                covers = tuple(item.covers) if item.covers is not None else None
                entry = _Silence(
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
    playbook: Playbook, entries: list[_Silence], finding: Finding, uses: dict[int, _Use]
) -> _Silence | None:
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
            use = uses[id(entry)]
            kept.extend(_about_silence(playbook, settings, entry, use, subjects.get(key, [])))
    return Report(playbook.files, tuple(kept), tuple(silenced))


def _about_silence(
    playbook: Playbook, settings: Settings, entry: _Silence, use: _Use, found: list[str]
) -> Iterator[Finding]:
    """What is wrong with one silence entry: it silences nothing, a subject it lists
    silences nothing (PB303), or it lists none though the rule has subjects (PB304)."""
    loaded = playbook.workshops[entry.workshop]
    if loaded.partial:
        return  # the method's rules judge a file with schema errors once it is whole
    rule = RULES.get(entry.rule)
    whose = f"the silence of {entry.rule} on '{entry.record or entry.workshop}'"
    unneeded = settings.severity_of("PB303")
    judged = [j for j, cover in enumerate(entry.covers or ()) if _judged(playbook, entry, cover)]
    if entry.covers and not judged:
        return  # every record it covers is in a workshop that could not be judged
    if not use.used:
        if unneeded is not None:
            yield replace(_unneeded(loaded, whose, entry, found), severity=unneeded)
        return
    assert rule is not None
    if rule.subject is not None and entry.covers is None:
        broad = settings.severity_of("PB304")
        if broad is not None:
            hidden = ", ".join(dict.fromkeys(use.hidden))
            finding = loaded.finding(
                "PB304",
                f"{whose} names no {rule.subject} it covers, so it hides every {rule.subject} "
                f"the rule finds, now and later; today: {hidden}",
                (*entry.path, "rule"),
                expected=f"covers: the {rule.subject}s the reason is about",
                hint=f"add covers: [{hidden}] and keep only those the reason is about; the "
                "others are open findings, or silences with reasons of their own",
            )
            yield replace(finding, severity=broad)
        return
    if unneeded is None:
        return
    for j, cover in enumerate(entry.covers or ()):
        if j in use.covers or j not in judged:
            continue
        if rule.subject is None:
            message = f"{whose} covers '{cover}', but {entry.rule} finds one thing on a record"
            hint = "remove covers"
        else:
            message = f"{whose} covers '{cover}', but the rule finds no such {rule.subject} here"
            near = closest(cover, [s for s in found if s not in (entry.covers or ())])
            hint = f"did you mean '{near}'?" if near else f"remove '{cover}' from covers"
        finding = loaded.finding("PB303", message, (*entry.path, "covers", j), hint=hint)
        yield replace(finding, severity=unneeded)


def _unneeded(loaded: LoadedWorkshop, whose: str, entry: _Silence, found: list[str]) -> Finding:
    """PB303 for a silence that silences nothing: the rule finds nothing on the record, or
    nothing the silence covers (then with the subjects it does find, for a misspelt one)."""
    rule = RULES.get(entry.rule)
    hint = "remove the silence entry"
    if rule is None:
        why = "there is no such rule"
    elif not rule.silenceable:
        why = f"{entry.rule} is about silences, which no silence can hide"
        hint = f"remove the silence entry; set {entry.rule}'s severity in the settings instead"
    elif entry.covers and found:
        why = f"the rule finds no {rule.subject} it covers here"
        near = next((n for c in entry.covers if (n := closest(c, found))), None)
        listed = ", ".join(dict.fromkeys(found))
        hint = f"did you mean '{near}'?" if near else f"the rule finds: {listed}"
    else:
        why = "the rule finds nothing here"
    return loaded.finding(
        "PB303", f"{whose} is not needed: {why}", (*entry.path, "rule"), hint=hint
    )


def _judged(playbook: Playbook, entry: _Silence, cover: str) -> bool:
    """Whether the rule could find what ``cover`` names: not when it is a record of a
    workshop that did not load, or had schema errors (the rules judge it once it is whole),
    so a silence is not called unneeded because of another file's errors."""
    rule = RULES.get(entry.rule)
    if rule is None or not rule.subject_refers:
        return True
    workshop_id, _ = split_ref(cover, entry.workshop)
    there = playbook.workshops.get(workshop_id)
    return workshop_id not in playbook.broken_ids and not (there is not None and there.partial)
