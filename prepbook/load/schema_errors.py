"""Validation against the models, with pydantic's errors turned into findings for people.

pydantic says *what* failed at a location; a reviewer needs the line, the allowed values,
and a nudge towards the fix. The location is mapped back onto the YAML, and the allowed keys
and field descriptions are read off the models so the messages never disagree with them.
"""

from __future__ import annotations

import math
import re
import typing
from functools import cache
from itertools import islice
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError

from prepbook.cap import closing_finding, first_by_place
from prepbook.findings import Fact, Finding, LeftOut, YamlPath, closest, format_path
from prepbook.load.source import SourceFile
from prepbook.load.value_hints import (
    date_problem,
    date_range_problem,
    local_reference_problem,
    number_problem,
    text_problem,
)
from prepbook.model import Workshop
from prepbook.model.base import METHOD_RULE_PATTERN
from prepbook.model.fields import (
    QUALIFIED_REF_PATTERN,
    SLUG_PATTERN,
    TEXT_PATTERN,
    bound_text,
    number_bounds,
    slugify,
)
from prepbook.model.kinds import KINDS, RecordKind, models_in, reference_fields
from prepbook.model.tracks import TRACK_PATTERN, track_problem

_YAML11_BOOLEANS = {"yes", "no", "on", "off", "y", "n", "Yes", "No", "On", "Off", "YES", "NO"}
_TYPE_WORDS = {
    "string_type": "text",
    "int_type": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "model_type": "a mapping of keys",
    "dict_type": "a mapping of keys",
    "list_type": "a list",
    "date_type": "a date (YYYY-MM-DD)",
    "literal_error": "one of the listed values",
}


def validate_workshop(
    source: SourceFile,
) -> tuple[Workshop | None, list[Finding], list[Any]]:
    """The workshop model of a parsed file, or the findings (and raw errors) that prevent it."""
    try:
        return Workshop.model_validate(source.data), [], []
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        return None, _findings(source, errors), errors


# Unknown keys of a mapping searched for the misspelling of a missing one: a mapping of
# thousands of unknown keys is not a workshop, and a search of all of them a missing key
# took longer than the rest of its file.
_TYPO_POOL = 500
_NUMBER_KINDS = frozenset({"int_type", "float_type"})
_DATE_KINDS = frozenset({"date_parsing", "date_from_datetime_parsing"})
_BOUND_KINDS = frozenset({"greater_than_equal", "less_than_equal", "greater_than", "less_than"})


def _findings(source: SourceFile, errors: list[Any]) -> list[Finding]:
    """One finding a place: the alternatives of a union (a whole number, or a number)
    each fail at the same value, and are said once, as one expectation.

    pydantic lists a file's errors field by field, not line by line: the first of them
    in the file are made findings, up to the cap, and the rest only counted (see
    :mod:`prepbook.cap`); explaining one costs far more than placing it."""
    groups: dict[object, tuple[YamlPath, list[Any]]] = {}
    for number, error in enumerate(errors):
        path, rest = _data_path(source.data, tuple(error["loc"]))
        # an infinite number fails the number branch of a union as it fails the whole one
        union = bool(rest) and (error["type"].endswith("_type") or error["type"] == "finite_number")
        key = ("union", path, rest[:-1]) if union else number
        groups.setdefault(key, (path, []))[1].append(error)
    listed, left = first_by_place(
        list(groups.values()), lambda group: source.offset_of(*_anchor(source, *group))
    )
    findings = [
        _finding(source, group[0]) if len(group) == 1 else _union_finding(source, group)
        for _, group in listed
    ]
    if left:
        first_path, key = _anchor(source, *left[0])
        span = source.span_of(first_path, key=key)
        rules = sorted({_rule_of(group[0]["type"]) for _, group in left})
        findings.append(
            closing_finding(
                source.display,
                LeftOut(errors=len(left), rules=tuple(rules)),
                span,
                source.line_text(span.line) if span else None,
            )
        )
    return findings


def _rule_of(kind: str) -> str:
    return {"missing": "PB102", "extra_forbidden": "PB101"}.get(kind, "PB103")


def _anchor(source: SourceFile, path: YamlPath, group: list[Any]) -> tuple[YamlPath, bool]:
    """Where the finding of an error stands, as :func:`_finding` places it: the path, and
    whether at its key."""
    kind = group[0]["type"]
    if kind == "extra_forbidden":
        return path, True
    if kind in ("union_tag_invalid", "union_tag_not_found") and source.has((*path, "method")):
        return (*path, "method"), False
    return path, False


def _union_finding(source: SourceFile, group: list[Any]) -> Finding:
    kinds = [error["type"] for error in group]
    if "finite_number" in kinds and set(kinds) <= {*_NUMBER_KINDS, "finite_number"}:
        return _finding(source, group[kinds.index("finite_number")])
    if set(kinds) <= _NUMBER_KINDS:  # any number will do: said as the wider one
        return _finding(
            source, group[kinds.index("float_type")] if "float_type" in kinds else group[0]
        )
    words = list(dict.fromkeys(_TYPE_WORDS.get(kind, kind) for kind in kinds))
    expected = " or ".join(words)
    path, _ = _data_path(source.data, tuple(group[0]["loc"]))
    got = describe(group[0].get("input"))
    return source.finding("PB103", f"expected {expected}, got {got}", path, expected=expected)


def _owner_loc(loc: tuple[str | int, ...], path: YamlPath) -> tuple[str | int, ...]:
    """The part of ``loc`` that leads to the model holding the erroneous field."""
    if not path:
        return ()
    last = max(i for i, part in enumerate(loc) if part == path[-1])
    return loc[:last]


def _unit_of(
    source: SourceFile, model: type[BaseModel] | None, path: YamlPath
) -> tuple[str, Any, int | None] | None:
    """The label, ``unit`` value and its line of the record at ``path``, if it has a unit."""
    if model is None or "unit" not in model.model_fields:
        return None
    unit_path = (*path, "unit")
    span = source.span_of(unit_path) if source.has(unit_path) else None
    line = span.line if span is not None else None
    label = str(getattr(model, "LABEL", "") or "record")
    return label, _mapping_at(source.data, path).get("unit"), line


def _local_ids(source: SourceFile, kind: RecordKind) -> dict[str, tuple[int | None, str | None]]:
    """The ids of this file's records of ``kind`` (a top-level kind), with their lines and
    their names (a member's name, a phase's title), when written as text."""
    items: Any = source.data
    for part in kind.home:
        items = items.get(part) if isinstance(items, dict) else None
    ids: dict[str, tuple[int | None, str | None]] = {}
    for index, item in enumerate(items if isinstance(items, list) else []):
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            span = source.span_of((*kind.home, index, "id"))
            name = item.get("name", item.get("title"))
            shown = name if isinstance(name, str) and len(name) <= 80 else None
            ids.setdefault(item["id"], (span.line if span else None, shown))
    return ids


def _specific_problem(
    source: SourceFile,
    loc: tuple[str | int, ...],
    path: YamlPath,
    kind: str,
    value: Any,
    ctx: dict[str, Any],
) -> tuple[str, str | None, str | None] | None:
    """The explanation of a value that looks almost right, read with its record."""
    if kind in _DATE_KINDS:
        return date_problem(value)
    if kind == "string_pattern_mismatch" and ctx.get("pattern") == TEXT_PATTERN:
        return text_problem(value)
    if kind == "string_pattern_mismatch" and ctx.get("pattern") == TRACK_PATTERN:
        return track_problem(str(value))
    field = str(path[-1]) if path and isinstance(path[-1], str) else "the value"
    if kind in _NUMBER_KINDS and isinstance(value, int | float) and not isinstance(value, bool):
        # a number, but not of the kind the field takes (1.5 votes), or infinite
        return _range_problem(_model_at(_owner_loc(loc, path)), field, kind, value)
    if kind in _NUMBER_KINDS:
        model = _model_at(_owner_loc(loc, path))
        return number_problem(value, field, _unit_of(source, model, path[:-1]))
    if kind in _BOUND_KINDS and isinstance(value, str):  # a date: only they are given as text
        return date_range_problem(value, early=kind.startswith("greater"))
    if kind in _BOUND_KINDS or kind == "finite_number":
        return _range_problem(_model_at(_owner_loc(loc, path)), field, kind, value)
    if (
        kind == "string_pattern_mismatch"
        and ctx.get("pattern") == SLUG_PATTERN
        and isinstance(value, str)
    ):
        model = _model_at(_owner_loc(loc, path))
        target = dict(reference_fields(model)).get(field) if model else None
        if target is not None and not target.qualified and KINDS[target.kind].parent is None:
            record_kind = KINDS[target.kind]
            home = source.data.get("id") if isinstance(source.data, dict) else None
            return local_reference_problem(
                value,
                field,
                record_kind.label,
                record_kind.where,
                home if isinstance(home, str) else None,
                _local_ids(source, record_kind),
            )
    return None


def _range_problem(
    model: type[BaseModel] | None, field: str, kind: str, value: Any
) -> tuple[str, str | None, str | None] | None:
    """A number past the bounds of its field, said with the whole range it may take."""
    info = model.model_fields.get(field) if model is not None else None
    if model is None or info is None:
        return None
    low, high, whole = number_bounds(typing.get_type_hints(model, include_extras=True)[field])
    noun = "a whole number" if whole else "a number"
    if low is not None and high is not None:
        expected = f"{noun} from {bound_text(low)} to {bound_text(high)}"
    elif low is not None:
        expected = f"{noun} of at least {bound_text(low)}"
    elif high is not None:
        expected = f"{noun} of at most {bound_text(high)}"
    else:
        expected = noun
    if isinstance(value, float) and math.isnan(value):
        message = "the value is not a number (nan)"
    elif isinstance(value, float) and math.isinf(value):
        message = "the number is infinite, or too large to hold"
    elif kind in _NUMBER_KINDS:
        message = f"expected {noun}, got {describe(value)}"
    else:
        message = f"{describe(value)} is out of range"
    hint = info.description
    # a measurement too large for its unit can be written in a larger one
    measured = "unit" in model.model_fields and isinstance(value, int | float)
    if measured and high is not None and abs(value) > high:
        label = str(getattr(model, "LABEL", "") or "record")
        hint = f"write it in a larger unit (thousands, millions) and name it in the {label}'s unit"
    return message, expected, hint


def describe(value: Any) -> str:
    """A short, quoted rendering of an input value for a message."""
    if value is None:  # `key:` with nothing after it, `~` or `null`: the format says empty
        return "an empty key"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int) and abs(value) >= 10**21:
        try:
            return f"a number of {len(str(abs(value))):,} digits"
        except ValueError:  # past what Python turns into text (4,300 digits)
            return "a number of thousands of digits"
    if isinstance(value, float) and math.isinf(value):
        return f"{'minus ' if value < 0 else ''}infinity"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the text {shown!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _data_path(data: Any, loc: tuple[str | int, ...]) -> tuple[YamlPath, tuple[str | int, ...]]:
    """Split pydantic's loc into the part that exists in the data and the rest.

    pydantic adds segments that are not in the YAML (a union's tag); they are skipped.
    """
    path: list[str | int] = []
    rest: list[str | int] = []
    node = data
    for part in loc:
        in_dict = isinstance(node, dict) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if in_dict or in_list:
            node = node[part]
            path.append(part)
        else:
            rest.append(part)
    return tuple(path), tuple(rest)


def _mapping_at(data: Any, path: YamlPath) -> dict[str, Any]:
    for part in path:
        data = data[part]
    return data if isinstance(data, dict) else {}


def _model_at(loc: tuple[str | int, ...]) -> type[BaseModel] | None:
    """The model class whose field ``loc`` ends at: the parent of the erroneous key."""
    candidates: list[type[BaseModel]] = [Workshop]
    for part in loc:
        if isinstance(part, int):
            continue
        tagged = [m for m in candidates if _tag_of(m) == part]
        if tagged:
            candidates = tagged
            continue
        owner = next((m for m in candidates if part in m.model_fields), None)
        if owner is None:
            return None
        candidates = models_in(_hints(owner)[part])
        if not candidates:
            return None
    return candidates[0] if len(candidates) == 1 else None


@cache
def _hints(model: type[BaseModel]) -> dict[str, Any]:
    """The model's annotations, resolved once: resolving them took a millisecond an error."""
    return typing.get_type_hints(model, include_extras=True)


def _tag_of(model: type[BaseModel]) -> str | None:
    field = model.model_fields.get("method")
    if field is not None and get_origin(field.annotation) is typing.Literal:
        return str(get_args(field.annotation)[0])
    return None


def _finding(source: SourceFile, error: Any) -> Finding:
    loc: tuple[str | int, ...] = tuple(error["loc"])
    kind: str = error["type"]
    value = error.get("input")
    ctx: dict[str, Any] = error.get("ctx") or {}
    path, rest = _data_path(source.data, loc)

    if kind == "missing":
        name = str(loc[-1])
        model = _model_at(loc[:-1])
        field = model.model_fields.get(name) if model else None
        where = f"'{path[-1]}'" if path and isinstance(path[-1], str) else "this mapping"
        if not path:
            where = "the top level"
        advice = f"add '{name}:' to {where}"
        present = _mapping_at(source.data, path)
        fields = model.model_fields if model else {}
        unknown = list(islice((k for k in present if k not in fields), _TYPO_POOL))
        typo = closest(name, unknown)
        facts: tuple[Fact, ...] = ()
        if typo is not None:
            line = source.span_of((*path, typo), key=True).line  # type: ignore[union-attr]
            advice = f"'{typo}' at line {line} looks like a misspelling of '{name}'"
            facts = (Fact("misspelt-key", (source.display, format_path(path), typo), name),)
        return source.finding(
            "PB102",
            f"missing required key '{name}'",
            path,
            expected=field.description if field else None,
            hint=advice,
            facts=facts,
        )

    if kind == "extra_forbidden":
        name = str(loc[-1])
        model = _model_at(loc[:-1])
        allowed = list(model.model_fields) if model else []
        near = closest(name, allowed)
        return source.finding(
            "PB101",
            f"unknown key '{name}'",
            path,
            key=True,
            expected="one of: " + ", ".join(allowed) if allowed else None,
            hint=f"did you mean '{near}'?" if near else "remove it, or check its indentation",
            facts=(Fact("unknown-key", (source.display, format_path(path[:-1]), name)),),
        )

    if kind == "union_tag_invalid" or kind == "union_tag_not_found":
        tags = ctx.get("expected_tags", "")
        found = ctx.get("tag")
        message = (
            f"unknown scoring method {found!r}"
            if kind == "union_tag_invalid"
            else "the score names no method"
        )
        near = closest(str(found), [t.strip(" '") for t in tags.split(",")]) if found else None
        return source.finding(
            "PB103",
            message,
            (*path, "method") if source.has((*path, "method")) else path,
            expected=f"method: one of {tags}",
            hint=f"did you mean {near!r}?" if near else "add 'method: rice' or 'method: ice'",
        )

    specific = _specific_problem(source, loc, path, kind, value, ctx)
    if specific is not None:
        message, expected, hint = specific
        return source.finding("PB103", message, path, expected=expected, hint=hint)
    message, expected, hint = _value_problem(kind, value, ctx, error.get("msg", ""))
    if rest and kind.endswith("_type") and not path:
        message = f"{'.'.join(map(str, rest))}: {message}"
    return source.finding("PB103", message, path, expected=expected, hint=hint)


def _value_problem(
    kind: str, value: Any, ctx: dict[str, Any], fallback: str
) -> tuple[str, str | None, str | None]:
    """Message, expectation and hint for an error about a value."""
    got = describe(value)
    if kind == "literal_error":
        options = [o.strip(" '") for o in re.split(r",| or ", ctx.get("expected", "")) if o.strip()]
        near = closest(str(value), options) if isinstance(value, str) else None
        hint = f"did you mean '{near}'?" if near else "use one of the listed values"
        return f"{got} is not allowed here", f"one of: {ctx.get('expected')}", hint
    if kind == "string_pattern_mismatch":
        if ctx.get("pattern") in (SLUG_PATTERN, QUALIFIED_REF_PATTERN):
            qualified = ctx.get("pattern") == QUALIFIED_REF_PATTERN
            expected = (
                "an id, or workshop-id/record-id for another workshop"
                if qualified
                else "an id: lowercase letters, digits and single hyphens"
            )
            return (f"{got} is not a valid id", expected, f"for example '{slugify(str(value))}'")
        if ctx.get("pattern") == METHOD_RULE_PATTERN:
            return (
                f"{got} is not a method rule",
                "the id of a method rule (PB3xx)",
                "only method rules can be silenced; other findings must be fixed",
            )
        return f"{got} does not match the expected form", ctx.get("pattern"), None
    if kind == "bool_type" and isinstance(value, str) and value in _YAML11_BOOLEANS:
        return (
            f"{got} is not a boolean",
            "true or false",
            f"YAML 1.2 reads an unquoted {value} as text: write "
            f"{'true' if value.lower() in {'yes', 'on', 'y'} else 'false'}",
        )
    if kind in ("int_type", "float_type") and isinstance(value, str):
        try:
            float(value)
            return f"{got} is text, not a number", _TYPE_WORDS[kind], "remove the quotes"
        except ValueError:
            pass
    if kind == "string_type" and isinstance(value, bool | int | float):
        shown = str(value).lower() if isinstance(value, bool) else value
        return f"expected text, got {got}", "text", f'put the value in quotes: "{shown}"'
    if kind in ("model_type", "dict_type") and isinstance(value, list):
        return (
            f"expected a mapping of keys, got {got}",
            "a mapping",
            "remove the leading '- ': this is one record, not a list",
        )
    if kind == "list_type":
        return (
            f"expected a list, got {got}",
            "a list",
            "write each item on its own line starting with '- ', or as [a, b]",
        )
    if kind in _TYPE_WORDS:
        return f"expected {_TYPE_WORDS[kind]}, got {got}", _TYPE_WORDS[kind], None
    if kind in ("date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact"):
        return f"{got} is not a date", "a date written YYYY-MM-DD", "for example 2026-03-31"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        bounds = {
            "greater_than_equal": "at least",
            "less_than_equal": "at most",
            "greater_than": "more than",
            "less_than": "less than",
        }
        limit = next(iter(ctx.values()), "")
        return f"{got} is out of range", f"a number {bounds[kind]} {limit}", None
    if kind == "string_too_short":
        least = ctx.get("min_length", 1)
        if least > 1:
            return (
                f"the text is shorter than {least} characters",
                f"at least {least} characters",
                "say more: this text is shown to readers of the site",
            )
        return "the text is empty", "some text", "write something, or remove the key"
    if kind == "string_too_long":
        limit = ctx.get("max_length")
        return (
            f"the text is longer than {limit} characters",
            f"at most {limit} characters",
            "shorten it, or move the detail into notes",
        )
    if kind == "too_long":
        limit = ctx.get("max_length")
        return f"the list has more than {limit} items", f"at most {limit} items", None
    if kind == "too_short":
        least = ctx.get("min_length", 1)
        items = "item" if least == 1 else "items"
        return (
            f"the list {'is empty' if least == 1 else 'is too short'}: it takes at least "
            f"{least} {items}",
            f"at least {least} {items}",
            "list what it is about, or leave the key out",
        )
    if kind == "finite_number":
        return f"{got} is not a finite number", "a finite number", None
    return fallback, None, None
