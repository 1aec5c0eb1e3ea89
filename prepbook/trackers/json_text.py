"""JSON read with the place of every value, and what comes before a syntax error kept.

``gh`` writes its JSON on one line when it writes to a file, so a problem with the
fortieth issue must say its column as well as its line: Python's ``json`` says neither for
a value it read. So an export is read in two ways:

* First, quickly: the array of items (at the top, or under a key of the top object) is cut
  into its items by ``json``'s own decoder, one item at a time, which says where each one
  starts and ends. Where a value inside an item stands is found only when a problem asks
  (:meth:`JsonText.start`), by walking that one item again.
* Where that cannot be trusted (a syntax error, a repeated key, NaN, an escaped surrogate,
  nesting the decoder refuses), the text is walked by this module itself, which notes where
  each value starts and, once it is whole, where it ends. A syntax error stops it, but
  every value completed before the error stays, so the issues before a broken one are
  still read.

The walk is stricter than ``json`` where leniency would hurt: a repeated key is reported
(the first is kept), NaN and Infinity are not numbers, an escaped lone surrogate
(``\\ud800``) is not text, and nesting deeper than :data:`MAX_DEPTH` stops the reading
rather than the interpreter.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from prepbook.errors import LoadError

JsonPath = tuple[str | int, ...]
# An export nests four levels (the items, an item, its content, a milestone); far more is
# no export. (Each level of the walk is two frames of the interpreter's stack.)
MAX_DEPTH = 64
MAX_NUMBER_TEXT = 100  # characters: Python refuses longer whole numbers as a slow parse

_SPACE = re.compile(r"[ \t\n\r]*")
_SPACE_CHARACTERS = (" ", "\t", "\n", "\r")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
_SURROGATE = re.compile("[\ud800-\udfff]")
# json's own scanner of a string (its C one where there is one), strict: no control
# character in a string.
_scan_string: Callable[[str, int, bool], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]
_LITERALS = {"true": True, "false": False, "null": None}


class JsonSyntaxError(LoadError):
    """Where an export stops being JSON; caught by the reader, which makes it a problem at
    the export's line, and a LoadError like every refusal of the load layer."""

    def __init__(self, offset: int, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.offset, self.message, self.hint = offset, message, hint


@dataclass
class JsonText:
    """The value of a JSON text, where its parts stand, and what stopped the reading."""

    value: Any
    starts: dict[JsonPath, int] = field(default_factory=dict)
    ends: dict[JsonPath, int] = field(default_factory=dict)
    error: JsonSyntaxError | None = None
    repeated: list[tuple[JsonPath, int]] = field(default_factory=list)  # key, its offset

    # the items read whole by the quick reading, whose insides are walked when asked
    unwalked: set[JsonPath] = field(default_factory=set)
    text: str = ""

    def start(self, path: JsonPath) -> int | None:
        """Where the value at ``path`` starts (None where there is none)."""
        found = self.starts.get(path)
        if found is not None or not self.unwalked:
            return found
        for size in range(len(path) - 1, -1, -1):
            item = path[:size]
            if item in self.unwalked:
                self.unwalked.discard(item)
                walker = _Parser(self.text, self)
                # read whole once, it can fail only by a deeper nesting than the walk's
                with suppress(JsonSyntaxError):
                    walker.value(self.starts[item], item, len(item), _ignore)
                return self.starts.get(path)
        return None

    def whole(self, path: JsonPath) -> bool:
        """Whether the value at ``path`` was read to its end (a syntax error cut short the
        ones it stands in)."""
        return path in self.ends


def read_json(text: str) -> JsonText:
    """The JSON of ``text``, with the places of its values; see the module's docstring."""
    quick = _read_quickly(text)
    return quick if quick is not None else walk_json(text)


def walk_json(text: str) -> JsonText:
    """The JSON of ``text`` walked value by value: every place noted as it is read, every
    problem reported, and what precedes a syntax error kept."""
    parser = _Parser(text, JsonText(None, text=text))
    holder: list[Any] = []
    try:
        end = parser.value(0, (), 0, holder.append)
        end = _skip(text, end)
        if end < len(text):
            raise JsonSyntaxError(end, "more text after the JSON value ends")
    except JsonSyntaxError as exc:
        parser.result.error = exc
    parser.result.value = holder[0] if holder else None
    return parser.result


class _Untrusted(LoadError):
    """The quick reading met something only the walk reports well (caught inside this
    module; a LoadError like every exception of the load layer)."""


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    mapping = dict(pairs)
    if len(mapping) != len(pairs):
        raise _Untrusted("a repeated key")
    return mapping


def _no_constant(word: str) -> Any:
    raise _Untrusted(word)


def _ignore(_: object) -> None:
    return None


_QUICK = json.JSONDecoder(object_pairs_hook=_pairs, parse_constant=_no_constant)
# An escaped surrogate, which may stand alone: the walk tells.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def _read_quickly(text: str) -> JsonText | None:
    """The JSON of ``text`` read by ``json``'s decoder, an item of its lists at a time, or
    None where only the walk can say what is wrong."""
    if _SURROGATE_ESCAPE.search(text) is not None:
        return None
    result = JsonText(None, text=text)
    try:
        at = _skip(text, 0)
        if text.startswith("[", at):
            result.value, at = _quick_items(text, at, (), result)
        elif text.startswith("{", at):
            result.value, at = _quick_object(text, at, result)
        else:
            return None
    except (ValueError, RecursionError, _Untrusted, IndexError):
        return None  # json's errors are ValueErrors
    if _skip(text, at) < len(text):
        return None
    return result


def _quick_items(text: str, at: int, path: JsonPath, result: JsonText) -> tuple[list[Any], int]:
    """The list at ``at``, its items decoded one by one, each one's span kept."""
    result.starts[path] = at
    items: list[Any] = []
    at = _skip(text, at + 1)
    if text.startswith("]", at):
        result.ends[path] = at + 1
        return items, at + 1
    while True:
        inner = (*path, len(items))
        result.starts[inner] = at
        value, at = _QUICK.raw_decode(text, at)
        result.ends[inner] = at
        if isinstance(value, dict | list):
            result.unwalked.add(inner)
        items.append(value)
        at = _skip(text, at)
        if text.startswith(",", at):
            at = _skip(text, at + 1)
            continue
        if not text.startswith("]", at):
            raise _Untrusted("no ',' or ']'")
        result.ends[path] = at + 1
        return items, at + 1


def _quick_object(text: str, at: int, result: JsonText) -> tuple[dict[str, Any], int]:
    """The top object at ``at``: its lists read item by item, its other values whole."""
    result.starts[()] = at
    mapping: dict[str, Any] = {}
    at = _skip(text, at + 1)
    if text.startswith("}", at):
        result.ends[()] = at + 1
        return mapping, at + 1
    while True:
        if not text.startswith('"', at):
            raise _Untrusted("no key")
        key, at = _scan_string(text, at + 1, True)
        if key in mapping:
            raise _Untrusted("a repeated key")
        at = _skip(text, at)
        if not text.startswith(":", at):
            raise _Untrusted("no ':'")
        at = _skip(text, at + 1)
        if text.startswith("[", at):
            mapping[key], at = _quick_items(text, at, (key,), result)
        else:
            result.starts[(key,)] = at
            mapping[key], at = _QUICK.raw_decode(text, at)
            result.ends[(key,)] = at
            if isinstance(mapping[key], dict):
                result.unwalked.add((key,))
        at = _skip(text, at)
        if text.startswith(",", at):
            at = _skip(text, at + 1)
            continue
        if not text.startswith("}", at):
            raise _Untrusted("no ',' or '}'")
        result.ends[()] = at + 1
        return mapping, at + 1


class _Parser:
    def __init__(self, text: str, result: JsonText) -> None:
        self.text = text
        self.result = result

    def value(self, at: int, path: JsonPath, depth: int, put: Callable[[Any], object]) -> int:
        """Read the value at ``at``, hand it to ``put`` before its parts are read (so a
        syntax error within it leaves what was read), and return where it ends."""
        text = self.text
        at = _skip(text, at)
        self.result.starts[path] = at
        first = text[at : at + 1]
        if first in ("{", "["):
            if depth >= MAX_DEPTH:
                raise JsonSyntaxError(at, f"nesting deeper than {MAX_DEPTH} levels")
            end = (
                self._object(at, path, depth, put)
                if first == "{"
                else self._array(at, path, depth, put)
            )
        else:
            scalar, end = self._scalar(at)
            put(scalar)
        self.result.ends[path] = end
        return end

    def _scalar(self, at: int) -> tuple[Any, int]:
        text = self.text
        first = text[at : at + 1]
        if first == '"':
            return self._string(at)
        number = _NUMBER.match(text, at)
        if number is not None and number.end() > at:
            token = number.group()
            if len(token) > MAX_NUMBER_TEXT:
                raise JsonSyntaxError(at, f"a number of more than {MAX_NUMBER_TEXT} digits")
            parsed = json.loads(token)
            if isinstance(parsed, float) and parsed in (float("inf"), float("-inf")):
                raise JsonSyntaxError(at, "a number too large to be one")
            return parsed, number.end()
        for word, meaning in _LITERALS.items():
            if text.startswith(word, at):
                return meaning, at + len(word)
        if not first:
            raise JsonSyntaxError(at, "the text ends where a value was expected")
        hint = None
        if text.startswith(("NaN", "Infinity", "-Infinity"), at):
            hint = "JSON has no NaN or Infinity; write null"
        elif first == "'":
            hint = "JSON strings are in double quotes"
        elif first in "]}":
            hint = "remove the comma before it"
        raise JsonSyntaxError(at, f"unexpected {first!r} where a value was expected", hint)

    def _string(self, at: int) -> tuple[str, int]:
        try:
            value, end = _scan_string(self.text, at + 1, True)
        except json.JSONDecodeError as exc:
            if not self.text[exc.pos :].strip() or exc.msg.startswith("Unterminated"):
                raise JsonSyntaxError(
                    at,
                    "the file ends inside this string",
                    "the file may have been cut short: export it again",
                ) from None
            words = exc.msg.removesuffix(" at").removesuffix(" starting").lower()
            hint = "write it as an escape: \\n, \\t or \\u0000" if "control" in words else None
            raise JsonSyntaxError(exc.pos, words, hint) from None
        if _SURROGATE.search(value) is not None:
            raise JsonSyntaxError(at, "the string holds an escaped lone surrogate, no character")
        return value, end

    def _object(self, at: int, path: JsonPath, depth: int, put: Callable[[Any], object]) -> int:
        text = self.text
        mapping: dict[str, Any] = {}
        put(mapping)
        at = _skip(text, at + 1)
        if text.startswith("}", at):
            return at + 1
        while True:
            if not text.startswith('"', at):
                what = "the text ends" if at >= len(text) else f"{text[at]!r}"
                raise JsonSyntaxError(at, f"{what} where a key in double quotes was expected")
            key_at = at
            key, at = self._string(at)
            at = _skip(text, at)
            if not text.startswith(":", at):
                raise JsonSyntaxError(at, f"a ':' was expected after the key {key!r}")
            inner = (*path, key)
            if key in mapping:
                self.result.repeated.append((inner, key_at))
                at = self.value(at + 1, (*path, key, "\x00repeated"), depth + 1, _ignore)
            else:
                at = self.value(at + 1, inner, depth + 1, partial(mapping.__setitem__, key))
            at = _skip(text, at)
            if text.startswith(",", at):
                at = _skip(text, at + 1)
                continue
            if text.startswith("}", at):
                return at + 1
            raise JsonSyntaxError(at, "a ',' or '}' was expected", _comma_hint(text, at))

    def _array(self, at: int, path: JsonPath, depth: int, put: Callable[[Any], object]) -> int:
        text = self.text
        items: list[Any] = []
        put(items)
        at = _skip(text, at + 1)
        if text.startswith("]", at):
            return at + 1
        while True:
            at = self.value(at, (*path, len(items)), depth + 1, items.append)
            at = _skip(text, at)
            if text.startswith(",", at):
                at += 1
                continue
            if text.startswith("]", at):
                return at + 1
            raise JsonSyntaxError(at, "a ',' or ']' was expected", _comma_hint(text, at))


def _skip(text: str, at: int) -> int:
    """Where the whitespace at ``at`` ends (gh writes none: that case costs no search)."""
    if text[at : at + 1] not in _SPACE_CHARACTERS:
        return at
    space = _SPACE.match(text, at)
    return space.end() if space is not None else at


def _comma_hint(text: str, at: int) -> str | None:
    if at >= len(text):
        return "the file ends before the JSON does: it may have been cut short"
    return "a comma may be missing between two values" if text[at] in '"{[0123456789tfn' else None
