"""What changed between two versions of a playbook, in the method's terms.

Nothing here lists fields: every fact of the workshop and of each record
(:func:`prepbook.model.facts.facts`) is compared, and each difference is tagged with a kind
of change from :data:`prepbook.change_kinds.CHANGE_KINDS`, which gives it its section and
its level. Records are matched by workshop, kind and id, never by position, so reordering a file
changes nothing; references are compared as the records they name, so ``other/id`` and
``id`` naming the same record are equal.

Renames: a workshop that disappeared and one that appeared are the same workshop renamed
when at least ``RENAME_SIMILARITY`` of their facts (the workshop's and every record's,
references read through the new id) are equal. A record of one kind whose id changed while
every other fact stayed equal is a renamed record.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel

from prepbook import clock
from prepbook.change_kinds import CHANGE_KINDS, Level
from prepbook.checks.drift import DRIFT_RULES
from prepbook.config import Settings
from prepbook.diff.decisions import decision_changes, outlooks
from prepbook.diff.document import Change, Computed, Diff, JsonValue, WorkshopReadiness
from prepbook.diff.drift import tracker_changes
from prepbook.diff.prose import cause_words, words
from prepbook.graph import split_ref
from prepbook.history import ChangeLine
from prepbook.load.playbook import LoadedWorkshop, Playbook
from prepbook.model import Asset, Metric, Persofail, Priority, Step, Workshop
from prepbook.model.base import Record, Silence
from prepbook.model.facts import Value, facts, value_text
from prepbook.model.kinds import KINDS, iter_records, reference_fields
from prepbook.model.persofails import RiskRating
from prepbook.model.priorities import Score
from prepbook.report import Report
from prepbook.report.checked import Checked
from prepbook.rules import RULES, Severity

RENAME_SIMILARITY = 0.8  # share of equal facts from which two workshops are one renamed
_MAX_RENAME_PAIRS = 10_000  # more added x removed workshops than this: no rename search
_LINE_NUMBERS = re.compile(r"\s*\(?(?:first )?at line \d+\)?")
_READINESS_ORDER = {"ready": 0, "partial": 1, "missing": 2}
_REFERENCE_LIST_KINDS = {
    ("step", "delivers"): "delivery-removed",
    ("step", "depends_on"): "dependency-removed",
    ("step", "closes_gap"): "gap-unclosed",
}
KindAndId = tuple[str, str]  # (kind, record id)


@dataclass
class _Names:
    """How the base side's ids read at the head side: renamed workshops and records."""

    workshops: dict[str, str] = field(default_factory=dict)  # old id -> new id
    records: dict[tuple[str, str], str] = field(default_factory=dict)  # (new ws, old) -> new

    def ref(self, value: str, written_in: str, home: str) -> str:
        """A reference written in workshop ``written_in``, as written in ``home`` at head."""
        ws, rid = split_ref(value, written_in)
        ws = self.workshops.get(ws, ws)
        rid = self.records.get((ws, rid), rid)
        return rid if ws == home else f"{ws}/{rid}"


def _reference_names(node: BaseModel, prefix: str = "") -> Iterator[str]:
    """The dotted names of the facts of ``node`` that hold references."""
    for name, _ in reference_fields(type(node)):
        yield f"{prefix}{name}"
    for name in type(node).model_fields:
        value = getattr(node, name)
        if isinstance(value, BaseModel) and not isinstance(value, Record):
            yield from _reference_names(value, f"{prefix}{name}.")


def _fact_map(node: BaseModel, mapping: Callable[[str], str]) -> dict[str, Value]:
    """Every fact but the id, references read through ``mapping``."""
    refs = set(_reference_names(node))
    out: dict[str, Value] = {}
    for fact in facts(node):
        if fact.name == "id":
            continue
        value = fact.value
        if fact.name in refs:
            if isinstance(value, tuple):
                value = tuple(sorted(mapping(v) for v in value))
            elif isinstance(value, str):
                value = mapping(value)
        out[fact.name] = value
    return out


def _records(loaded: LoadedWorkshop) -> dict[KindAndId, Record]:
    return {(loc.kind, loc.record.id): loc.record for loc in iter_records(loaded.model)}


def _broken(loaded: LoadedWorkshop) -> set[str]:
    return set(loaded.salvaged.broken_ids) if loaded.salvaged is not None else set()


def _all_facts(
    loaded: LoadedWorkshop, names: _Names, home: str
) -> dict[tuple[str, str, str], Value]:
    """Every fact of a workshop and its records, for telling a rename from a new workshop."""

    def mapping(value: str) -> str:
        return names.ref(value, loaded.id, home)

    found = {("workshop", "", k): v for k, v in _fact_map(loaded.model, mapping).items()}
    for (kind, rid), record in _records(loaded).items():
        for name, value in _fact_map(record, mapping).items():
            found[(kind, rid, name)] = value
    return found


def similarity(old: dict[Any, Value], new: dict[Any, Value]) -> float:
    """The share of facts two workshops have in common (1.0: the same content)."""
    if not old and not new:
        return 1.0
    equal = sum(1 for k, v in old.items() if k in new and new[k] == v)
    return equal / max(len(old), len(new))


def _risk(rating: RiskRating) -> str:
    return f"{rating.score} ({rating.level})"


def _json(value: Value) -> JsonValue:
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def word_diff(before: str, after: str, context: int = 3, limit: int = 240) -> str:
    """What changed in a text, word by word: ``[-removed-]{+added+}``, with a little
    context around each edit and the unchanged rest elided."""
    old, new = before.split(), after.split()
    parts: list[str] = []
    opcodes = difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes()
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            words = old[i1:i2]
            first, last = index == 0, index == len(opcodes) - 1
            if len(words) <= 2 * context or (first and len(words) <= context):
                parts.append(" ".join(words))
            else:
                head = [] if first else words[:context]
                tail = [] if last else words[-context:]
                parts.append(" ".join([*head, "…", *tail]))
            continue
        if i2 > i1:
            parts.append(f"[-{' '.join(old[i1:i2])}-]")
        if j2 > j1:
            parts.append(f"{{+{' '.join(new[j1:j2])}+}}")
    text = " ".join(p for p in parts if p)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Comparison:
    """The changes of one diff, collected as the sides are compared."""

    def __init__(self, settings: Settings, old: Playbook, new: Playbook, names: _Names) -> None:
        self.settings = settings
        self.old, self.new, self.names = old, new, names
        self.changes: list[Change] = []
        self.guardrails = {
            key
            for playbook, mapped in ((old, True), (new, False))
            for key in self._metric_keys(playbook, mapped)
        }
        self.committed = {
            (names.workshops.get(ws, ws), rid)
            for playbook in (old, new)
            for ws, loaded in playbook.workshops.items()
            for (kind, rid), record in _records(loaded).items()
            if isinstance(record, Priority) and record.status == "committed"
        }

    def _metric_keys(self, playbook: Playbook, mapped: bool) -> Iterator[tuple[str, str]]:
        for ws, loaded in playbook.workshops.items():
            for (_, rid), record in _records(loaded).items():
                if isinstance(record, Metric) and record.guardrail:
                    home = self.names.workshops.get(ws, ws) if mapped else ws
                    yield home, (self.names.records.get((home, rid), rid) if mapped else rid)

    def make(
        self,
        kind: str,
        workshop: str,
        record_kind: str,
        record: str,
        title: str,
        summary: str,
        *,
        field: str = "",
        before: Value = None,
        after: Value = None,
        days: int | None = None,
        level: Level | None = None,
        decision: str = "",
        computed: Computed | None = None,
        causes: Sequence[Change] = (),
    ) -> Change:
        """A change of ``kind``: at the level ``diff_levels`` gives it, else at ``level``
        for a kind graded by size, else at the kind's own."""
        table = CHANGE_KINDS[kind]
        return Change(
            kind=kind,
            section=table.section,
            level=self.settings.diff_levels.get(kind, level or table.level),
            workshop=workshop,
            record_kind=record_kind,
            record=record,
            title=title,
            field=field,
            before=_json(before),
            after=_json(after),
            days=days,
            summary=summary,
            decision=decision,
            computed=computed,
            causes=list(causes),
        )

    def add(self, *args: Any, **data: Any) -> None:
        self.changes.append(self.make(*args, **data))

    # workshops ---------------------------------------------------------------------------

    def workshop(self, old: LoadedWorkshop, new: LoadedWorkshop) -> None:
        ws = new.id
        broken = _broken(old) | _broken(new)
        if not (old.partial or new.partial):  # placeholders stand for what failed
            self.record(ws, "workshop", old.model, new.model, old.id)
        before, after = _records(old), _records(new)
        gone = {k for k in set(before) - set(after) if k[1] not in broken}
        came = {k for k in set(after) - set(before) if k[1] not in broken}
        for key in sorted(gone):
            target = self.names.records.get((ws, key[1]))
            if target is not None and (key[0], target) in came:
                came.discard((key[0], target))
                self.add(
                    "record-renamed",
                    ws,
                    key[0],
                    target,
                    after[(key[0], target)].display_name,
                    f"id {key[1]} → {target}",
                    field="id",
                    before=key[1],
                    after=target,
                )
                self.record(ws, key[0], before[key], after[(key[0], target)], old.id)
                continue
            self.removed(ws, key[0], before[key])
        for kind, rid in sorted(came):
            self.add("record-added", ws, kind, rid, after[(kind, rid)].display_name, "added")
        for key in sorted(set(before) & set(after)):
            self.record(ws, key[0], before[key], after[key], old.id)

    def removed(self, ws: str, kind: str, record: Record) -> None:
        change = "record-removed"
        if isinstance(record, Priority) and record.status == "committed":
            change = "committed-priority-removed"
        elif isinstance(record, Metric) and record.guardrail:
            change = "guardrail-metric-removed"
        self.add(change, ws, kind, record.id, record.display_name, "removed")

    # records -----------------------------------------------------------------------------

    def record(self, ws: str, kind: str, old: Record, new: Record, old_home: str) -> None:
        rid = "" if kind == "workshop" else new.id
        title = new.title if isinstance(new, Workshop) else new.display_name

        def add(change: str, summary: str, **data: Any) -> None:
            self.add(change, ws, kind, rid, title, summary, **data)

        before = _fact_map(old, lambda v: self.names.ref(v, old_home, ws))
        after = _fact_map(new, lambda v: self.names.ref(v, ws, ws))
        handled = {"silence"}
        self.silences(old.silence, new.silence, add)
        if isinstance(old, Persofail) and isinstance(new, Persofail):
            handled |= self.risk(old, new, add)
        if isinstance(old, Priority) and isinstance(new, Priority):
            handled.add("score")
            self.score(old.score, new.score, add)
        references = set(_reference_names(old)) | set(_reference_names(new))
        for name in [*after, *(n for n in before if n not in after)]:
            if name in handled or name.split(".")[0] in handled:
                continue
            was, now = before.get(name), after.get(name)
            if was == now:
                continue
            if name in references:
                self.reference(ws, kind, new, name, was, now, add)
            else:
                self.fact(kind, new, name, was, now, add)

    def silences(self, old: list[Silence], new: list[Silence], add: Callable[..., None]) -> None:
        """Silences compared by what they cover: a rule, or one subject of it a silence
        lists under ``covers``; so a silence widened to more subjects, or to all of them,
        reads as a silence added."""
        was, now = _silenced(old), _silenced(new)

        def name(scope: tuple[str, str | None]) -> str:
            rule, subject = scope
            return rule if subject is None else f"{rule} for {subject}"

        for scope in sorted(set(now) - set(was), key=str):
            add(
                "silence-added",
                f"{name(scope)} silenced: {now[scope]}",
                field="silence",
                after=f"{name(scope)}: {now[scope]}",
            )
        for scope in sorted(set(was) - set(now), key=str):
            add(
                "silence-removed",
                f"{name(scope)} no longer silenced (was: {was[scope]})",
                field="silence",
                before=f"{name(scope)}: {was[scope]}",
            )
        for scope in sorted(set(was) & set(now), key=str):
            if was[scope] != now[scope]:
                add(
                    "silence-reason-changed",
                    f"{name(scope)} reason: {word_diff(was[scope], now[scope])}",
                    field="silence",
                    before=f"{name(scope)}: {was[scope]}",
                    after=f"{name(scope)}: {now[scope]}",
                )

    def risk(self, old: Persofail, new: Persofail, add: Callable[..., None]) -> set[str]:
        handled: set[str] = set()
        if (old.inherent.likelihood, old.inherent.severity) != (
            new.inherent.likelihood,
            new.inherent.severity,
        ):
            handled.add("inherent")
            add(
                "inherent-risk-changed",
                f"inherent risk {_risk(old.inherent)} → {_risk(new.inherent)}",
                field="inherent.score",
                before=old.inherent.score,
                after=new.inherent.score,
            )
        was, now = old.effective_residual, new.effective_residual
        if was.score != now.score:
            handled.add("residual")
            if now.score < was.score:
                change = "risk-lowered"
            elif now.level == "high" and was.level != "high":
                change = "risk-raised-high"
            else:
                change = "risk-raised"
            add(
                change,
                f"residual risk {_risk(was)} → {_risk(now)}",
                field="residual.score",
                before=was.score,
                after=now.score,
            )
        return handled

    def score(self, old: Score | None, new: Score | None, add: Callable[..., None]) -> None:
        """A score's inputs as one change, the score they compute beside it, graded by the
        share the score moved: the computed score is never a change of its own."""
        was = old.model_dump() if old is not None else {}
        now = new.model_dump() if new is not None else {}
        if was == now:
            return
        inputs = [n for n in (*now, *(n for n in was if n not in now)) if n != "value"]
        moved = [n for n in inputs if was.get(n) != now.get(n)]
        before, after = was.get("value"), now.get("value")
        share = (
            round(100 * abs(after - before) / abs(before))
            if isinstance(before, int | float) and isinstance(after, int | float) and before
            else None
        )
        computed = Computed(field="score.value", before=before, after=after, share=share)
        if not was:
            words, field = f"score set: {_score_inputs(now)}", "score"
        elif not now:
            words, field = "score removed", "score"
        else:
            words = ", ".join(
                f"{n} {value_text(was.get(n))} → {value_text(now.get(n))}" for n in moved
            )
            field = f"score.{moved[0]}" if len(moved) == 1 else "score"
        shift = ""
        if share is not None and isinstance(before, int | float) and after is not None:
            shift = f" ({'-' if after < before else '+'}{share}%)"
        words += f"; score {value_text(before)} → {value_text(after)}{shift}"
        one = len(moved) == 1 and was and now
        add(
            "score-changed",
            words,
            field=field,
            before=was.get(moved[0]) if one else before,
            after=now.get(moved[0]) if one else after,
            level=_score_grade(share, self.settings),
            computed=computed,
        )

    def reference(
        self,
        ws: str,
        kind: str,
        record: Record,
        name: str,
        was: Value,
        now: Value,
        add: Callable[..., None],
    ) -> None:
        if isinstance(was, tuple) or isinstance(now, tuple):
            old_ids = set(was) if isinstance(was, tuple) else set()
            new_ids = set(now) if isinstance(now, tuple) else set()
            for ref in sorted(old_ids - new_ids):
                change = self._removed_reference(ws, kind, record, name, ref)
                add(change, f"{name} -{ref}", field=name, before=ref)
            for ref in sorted(new_ids - old_ids):
                add("link-added", f"{name} +{ref}", field=name, after=ref)
            return
        if name == "owner" or name in ("facilitator", "decider"):
            change = "owner-removed" if now is None else "owner-changed"
        elif kind == "step" and name == "phase":
            change = "step-moved"
        else:
            change = "field-changed"
        add(change, f"{name} {value_text(was)} → {value_text(now)}", field=name, **_pair(was, now))

    def _removed_reference(self, ws: str, kind: str, record: Record, name: str, ref: str) -> str:
        if kind == "priority" and name == "requires":
            committed = (ws, record.id) in self.committed
            return "required-asset-removed" if committed else "requirement-removed"
        if kind == "priority" and name == "measured_by":
            guardrail = split_ref(ref, ws) in self.guardrails
            return "guardrail-unmeasured" if guardrail else "measure-removed"
        return _REFERENCE_LIST_KINDS.get((kind, name), "link-removed")

    def fact(
        self, kind: str, record: Record, name: str, was: Value, now: Value, add: Callable[..., None]
    ) -> None:
        data = {"field": name, **_pair(was, now)}
        shown = f"{name} {value_text(was)} → {value_text(now)}"
        if isinstance(was, dt.date) or isinstance(now, dt.date):
            self.date(name, was, now, add)
        elif isinstance(record, Priority) and name == "status":
            change = (
                "priority-uncommitted"
                if was == "committed"
                else "priority-committed"
                if now == "committed"
                else "priority-status"
            )
            add(change, shown, **data)
        elif isinstance(record, Priority) and name.startswith("recipe."):
            add("recipe-changed", _text_summary(name, was, now), **data)
        elif isinstance(record, Step) and name == "status":
            add("step-blocked" if now == "blocked" else "step-status", shown, **data)
        elif isinstance(record, Asset) and name == "readiness":
            dropped = _READINESS_ORDER[str(now)] > _READINESS_ORDER[str(was)]
            add("readiness-dropped" if dropped else "readiness-raised", shown, **data)
        elif isinstance(record, Metric) and name in ("guardrail", "target", "direction"):
            add(_metric_change(record, name, was, now), shown, **data)
        elif isinstance(record, Metric) and name == "baseline":
            add("baseline-changed", shown, **data)
        elif _is_free_text(record, name, was, now):
            add("text-edited", _text_summary(name, was, now), **data)
        elif isinstance(was, tuple) or isinstance(now, tuple):
            old_items = set(was) if isinstance(was, tuple) else set()
            new_items = set(now) if isinstance(now, tuple) else set()
            gone, came = sorted(old_items - new_items), sorted(new_items - old_items)
            words = [*(f"-{v}" for v in gone), *(f"+{v}" for v in came)]
            add("field-changed", f"{name} {' '.join(words)}", **data)
        else:
            add("field-changed", shown, **data)

    def date(self, name: str, was: Value, now: Value, add: Callable[..., None]) -> None:
        data = {"field": name, **_pair(was, now)}
        if not isinstance(was, dt.date):
            add("date-set", f"{name} set to {value_text(now)}", **data)
            return
        if not isinstance(now, dt.date):
            add("date-cleared", f"{name} {value_text(was)} removed", **data)
            return
        days = (now - was).days
        if days > self.settings.slip_days:
            change = "date-slipped"
        elif days > 0:
            change = "date-slipped-slightly"
        else:
            change = "date-pulled-in"
        plural = "" if abs(days) == 1 else "s"
        add(change, f"{name} {was} → {now} ({days:+d} day{plural})", days=days, **data)


def _score_inputs(score: dict[str, Any]) -> str:
    return ", ".join(f"{k} {value_text(v)}" for k, v in score.items() if k != "value")


def _score_grade(share: int | None, settings: Settings) -> Level:
    """How much a score's move matters, by its share of the old score."""
    if share is None:
        return "info"
    if share >= settings.score_major_share:
        return "major"
    return "minor" if share >= settings.score_minor_share else "info"


def _pair(was: Value, now: Value) -> dict[str, Value]:
    return {"before": was, "after": now}


def _preview(text: str, limit: int = 80) -> str:
    """The start of a text on one line, cut at a word with an ellipsis when longer."""
    words = " ".join(text.split())
    if len(words) <= limit:
        return words
    return words[: limit - 1].rsplit(" ", 1)[0] + " …"


def _text_summary(name: str, was: Value, now: Value) -> str:
    if isinstance(was, str) and isinstance(now, str):
        return f"{name}: {word_diff(was, now)}"
    if now is None:
        return f"{name} removed (was: {_preview(str(was))})"
    return f"{name} set: {_preview(str(now))}"


def _metric_change(metric: Metric, name: str, was: Value, now: Value) -> str:
    if name == "guardrail":
        return "guardrail-disabled" if was is True and now is not True else "guardrail-enabled"
    if name == "direction":
        return "metric-direction-changed"
    if not isinstance(now, int | float):
        return "target-eased"
    if not isinstance(was, int | float):
        return "target-tightened"
    if metric.direction == "increase":
        return "target-eased" if now < was else "target-tightened"
    if metric.direction == "decrease":
        return "target-eased" if now > was else "target-tightened"
    return "target-eased"  # hold: any move changes the bounds agreed


def _annotation(node: BaseModel, dotted: str) -> Any:
    *parents, leaf = dotted.split(".")
    for part in parents:
        node = getattr(node, part, None)  # type: ignore[assignment]
        if not isinstance(node, BaseModel):
            return None
    found = type(node).model_fields.get(leaf)
    return found.annotation if found is not None else None


def _has_literal(annotation: Any) -> bool:
    if get_origin(annotation) is Literal:
        return True
    return any(_has_literal(arg) for arg in get_args(annotation))


def _is_free_text(record: Record, name: str, was: Value, now: Value) -> bool:
    """Whether a fact is wording (a title, notes...) rather than a value from a list."""
    if not all(isinstance(v, str) or v is None for v in (was, now)):
        return False
    annotation = _annotation(record, name)
    return annotation is not None and not _has_literal(annotation)


def _finding_keys(report: Report, rename: dict[str, str]) -> dict[tuple[str, str, str, str], str]:
    """Findings of a side, keyed without positions (lines move when nothing changed)."""
    keys = {}
    for finding in report.findings:
        if finding.workshop is None or finding.severity == Severity.INFO:
            continue
        message = _LINE_NUMBERS.sub("", finding.message)
        ws = rename.get(finding.workshop, finding.workshop)
        keys[(ws, finding.rule, finding.record or "", message)] = str(finding.severity)
    return keys


def _workshop_renames(old: Playbook, new: Playbook, gone: set[str], came: set[str]) -> _Names:
    """Workshops that disappeared and appeared with (nearly) the same content."""
    names = _Names()
    if not gone or not came or len(gone) * len(came) > _MAX_RENAME_PAIRS:
        return names
    scored = []
    for new_id in sorted(came):
        new_facts = _all_facts(new.workshops[new_id], names, new_id)
        for old_id in sorted(gone):
            old_facts = _all_facts(old.workshops[old_id], _Names({old_id: new_id}), new_id)
            share = similarity(old_facts, new_facts)
            if share >= RENAME_SIMILARITY:
                scored.append((-share, old_id, new_id))
    for _, old_id, new_id in sorted(scored):
        if old_id not in names.workshops and new_id not in names.workshops.values():
            names.workshops[old_id] = new_id
    return names


def _record_renames(old: LoadedWorkshop, new: LoadedWorkshop, names: _Names) -> None:
    """Records of one kind whose id changed while every other fact stayed equal."""
    ws = new.id
    broken = _broken(old) | _broken(new)
    before, after = _records(old), _records(new)
    came = sorted(k for k in set(after) - set(before) if k[1] not in broken)
    if not came:
        return
    new_facts = {k: _fact_map(after[k], lambda v: names.ref(v, ws, ws)) for k in came}
    for key in sorted(set(before) - set(after)):
        if key[1] in broken:
            continue
        old_facts = _fact_map(before[key], lambda v: names.ref(v, old.id, ws))
        for candidate in came:
            if candidate[0] == key[0] and new_facts[candidate] == old_facts:
                names.records[(ws, key[1])] = candidate[1]
                came.remove(candidate)
                break


def compare(
    old_side: Checked,
    new_side: Checked,
    base: str,
    head: str,
    settings: Settings | None = None,
    today: dt.date | None = None,
) -> Diff:
    """What changed between two checked playbooks, ``base`` and ``head`` being their names;
    delivery statuses as of ``today`` (the build's date unless given) on both sides."""
    settings = settings or Settings()
    old, new = old_side.playbook, new_side.playbook
    unreadable = old.broken_ids | new.broken_ids
    gone = set(old.workshops) - set(new.workshops) - unreadable
    came = set(new.workshops) - set(old.workshops) - unreadable
    names = _workshop_renames(old, new, gone, came)
    pairs = [(ws, ws) for ws in sorted(set(old.workshops) & set(new.workshops))]
    pairs += sorted(names.workshops.items())
    for old_id, new_id in pairs:
        _record_renames(old.workshops[old_id], new.workshops[new_id], names)
    run = _Comparison(settings, old, new, names)

    for label, side, change in (
        (base, old_side, "unreadable-base"),
        (head, new_side, "unreadable-head"),
    ):
        for finding in side.report.findings:
            if finding.rule < "PB200" and finding.severity == Severity.ERROR:
                line = f" (line {finding.span.line})" if finding.span else ""
                run.add(
                    change,
                    finding.workshop or finding.file,
                    "file",
                    finding.file,
                    finding.file,
                    f"at {label}: {finding.message}{line}",
                    field=finding.rule,
                )
    for old_id, new_id in sorted(names.workshops.items()):
        share = similarity(
            _all_facts(old.workshops[old_id], _Names({old_id: new_id}), new_id),
            _all_facts(new.workshops[new_id], _Names(), new_id),
        )
        run.add(
            "workshop-renamed",
            new_id,
            "workshop",
            "",
            new.workshops[new_id].model.title,
            f"{old_id} ({old.workshops[old_id].path.as_posix()}) → {new_id} "
            f"({new.workshops[new_id].path.as_posix()}), {round(100 * share)}% of facts equal",
            field="id",
            before=old_id,
            after=new_id,
        )
    for ws in sorted(came - set(names.workshops.values())):
        run.add("workshop-added", ws, "workshop", "", new.workshops[ws].model.title, "added")
    for ws in sorted(gone - set(names.workshops)):
        run.add("workshop-removed", ws, "workshop", "", old.workshops[ws].model.title, "removed")
    for old_id, new_id in pairs:
        run.workshop(old.workshops[old_id], new.workshops[new_id])
    _findings(run, old_side, new_side, names)
    scores = _readiness(old_side, new_side, names, settings)
    day = today if today is not None else clock.today()

    def rename(ws: str, rid: str) -> tuple[str, str]:
        home = names.workshops.get(ws, ws)
        return home, names.records.get((home, rid), rid)

    listed = decision_changes(
        [*run.changes, *tracker_changes(old, new, rename, run.make)],
        outlooks(old, day, rename),
        outlooks(new, day, lambda ws, rid: (ws, rid)),
        new,
        settings,
        run.make,
    )
    changes = sorted(listed, key=lambda c: c.sort_key())
    touched = {c.workshop for c in changes}
    return Diff(
        base=base,
        head=head,
        slip_days=settings.slip_days,
        readiness=[s for s in scores if s.workshop in touched],
        changes=changes,
    )


def _findings(run: _Comparison, old_side: Checked, new_side: Checked, names: _Names) -> None:
    old_findings = _finding_keys(old_side.report, names.workshops)
    new_findings = _finding_keys(new_side.report, {})
    present = set(new_side.playbook.workshops)
    for fixed, ours, others in (
        (False, new_findings, old_findings),
        (True, old_findings, new_findings),
    ):
        for (ws, rule, record, message), severity in ours.items():
            if ws not in present or (ws, rule, record, message) in others:
                continue
            if rule in DRIFT_RULES:  # the tracker's news, shown with what it says
                change = "drift-fixed" if fixed else "drift-introduced"
            elif fixed:
                change = "finding-fixed"
            else:
                change = "error-introduced" if severity == "error" else "warning-introduced"
            run.add(
                change,
                ws,
                "finding",
                record,
                rule,
                f"{severity} {rule} {RULES[rule].name}: {message}",
                field=rule,
                before=message if fixed else None,
                after=None if fixed else message,
            )


def _readiness(
    old_side: Checked, new_side: Checked, names: _Names, settings: Settings
) -> list[WorkshopReadiness]:
    before = {
        names.workshops.get(ws, ws): s.score for ws, s in old_side.completeness(settings).items()
    }
    after = {ws: s.score for ws, s in new_side.completeness(settings).items()}
    scores = []
    for ws in sorted(set(before) | set(after)):
        was, now = before.get(ws), after.get(ws)
        scores.append(WorkshopReadiness(workshop=ws, before=was, after=now))
    return scores


def history_line(change: Change) -> ChangeLine:
    """A change as the site's history shows it: where, how much, and what, in words."""
    kind = change.record_kind if change.record_kind in KINDS else "workshop"
    record = change.record if kind != "workshop" else ""
    return ChangeLine(
        change.workshop,
        kind,
        record,
        change.level,
        words(change),
        decision=change.decision,
        section=change.section,
        causes=tuple(cause_words(c) for c in change.causes),
    )


def _silenced(silences: list[Silence]) -> dict[tuple[str, str | None], str]:
    """What each silence covers, with its reason: (rule, subject), or (rule, None) for a
    silence of everything the rule finds on the record."""
    covered: dict[tuple[str, str | None], str] = {}
    for silence in silences:
        for subject in silence.covers if silence.covers is not None else [None]:
            covered.setdefault((silence.rule, subject), silence.reason)
    return covered
