"""A change in words for a stakeholder: old and new values said as "from X to Y".

The diff's one-line summary is written for a reviewer at a terminal and keeps a word diff
of edited text (``[-old-] {+new+}``). The Changes page and its feed are read by people who
never saw that markup, so they say each change from its values instead; the summary is
kept where it already reads as words (a ship date, a risk, a silence, a finding).
"""

from __future__ import annotations

from prepbook.diff.document import Change, JsonValue

_QUOTE_LIMIT = 80  # characters of a text quoted before and after its edit
# Kinds whose summary is already plain words, without markup: said as they are.
_AS_SAID = {"recipe-changed", "text-edited", "silence-reason-changed"}


def _label(field: str) -> str:
    """``recipe.trigger`` as "recipe trigger", ``review_by`` as "review by"."""
    return field.replace(".", " ").replace("_", " ")


def _quoted(text: str) -> str:
    words = " ".join(text.split())
    if len(words) > _QUOTE_LIMIT:
        words = words[: _QUOTE_LIMIT - 1].rsplit(" ", 1)[0] + " …"
    return f"“{words}”"


def _value(value: JsonValue) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(value) if value else "none"
    return str(value)


def _text_edit(change: Change) -> str:
    label = _label(change.field) if change.field != "silence" else "silence"
    was, now = change.before, change.after
    if isinstance(was, str) and isinstance(now, str):
        return f"{label} changed from {_quoted(was)} to {_quoted(now)}"
    if isinstance(was, str):
        return f"{label} removed (it said {_quoted(was)})"
    return f"{label} set to {_quoted(str(now))}"


def _date(change: Change) -> str:
    label = _label(change.field)
    if change.before is None:
        return f"{label} set to {change.after}"
    if change.after is None:
        return f"{label} {change.before} removed"
    moved = f"{label} moved from {change.before} to {change.after}"
    if change.days is None:
        return moved
    return f"{moved} ({change.days:+d} {'day' if abs(change.days) == 1 else 'days'})"


def words(change: Change) -> str:
    """The change in words, its old and new values said, never marked up."""
    if change.kind in _AS_SAID:
        return _text_edit(change)
    if change.kind.startswith("date-"):
        return _date(change)
    if change.kind in ("workshop-added", "workshop-removed"):
        return change.kind.replace("-", " ")
    if change.kind == "link-added":
        return f"{_label(change.field)} now also names {change.after}"
    if change.record_kind not in ("workshop", "finding", "file") and change.kind in (
        "delivery-removed",
        "dependency-removed",
        "gap-unclosed",
        "link-removed",
        "required-asset-removed",
        "requirement-removed",
        "guardrail-unmeasured",
        "measure-removed",
    ):
        return f"{_label(change.field)} no longer names {change.before}"
    if change.kind in (
        "field-changed",
        "owner-changed",
        "owner-removed",
        "step-status",
        "step-blocked",
        "step-moved",
        "priority-status",
        "priority-committed",
        "priority-uncommitted",
        "guardrail-disabled",
        "guardrail-enabled",
        "target-eased",
        "target-tightened",
        "metric-direction-changed",
        "baseline-changed",
        "readiness-dropped",
        "readiness-raised",
    ):
        return f"{_label(change.field)} from {_value(change.before)} to {_value(change.after)}"
    return change.summary


def cause_words(cause: Change) -> str:
    """A step change beside the decision it moved: "step 'Build it': end moved from ..."."""
    return f"{cause.record_kind} '{cause.title or cause.record}': {words(cause)}"
