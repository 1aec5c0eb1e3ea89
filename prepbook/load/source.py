"""A strict, safe YAML loader that remembers where every value came from.

PyYAML's own loaders follow YAML 1.1 (``no`` is false, ``1:30`` is 90), expand aliases
without bound and keep the last of two duplicate keys in silence. This loader lets libyaml
parse and compose the node graph (linear in the file's size, aliases shared), then walks the
nodes itself: YAML 1.2 core meaning for plain scalars, dates left as text for the model to
parse, duplicate keys, aliases, merge keys and non-core tags reported as findings, and the
span of every key and value kept (see :mod:`prepbook.load.positions`) for messages that
point at the right line, however late they are written.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from prepbook.cap import Tally
from prepbook.findings import Finding, Related, Span, YamlPath, format_path
from prepbook.load.positions import Lines, Positions, PositionWriter
from prepbook.load.regular import NotAFile, open_regular
from prepbook.load.syntax import diagnose

DEFAULT_MAX_BYTES = 1024 * 1024
MAX_DEPTH = 32

_CORE = "tag:yaml.org,2002:"
_STR, _MAP, _SEQ = _CORE + "str", _CORE + "map", _CORE + "seq"
_PLAIN = "tag:prepbook,2024:plain"
_SCALAR_TAGS = {_CORE + t for t in ("str", "int", "float", "bool", "null")}

_NULL = re.compile(r"(?:~|null|Null|NULL|)\Z")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"[-+]?[0-9]+\Z")
_OCT = re.compile(r"0o[0-7]+\Z")
_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_INF = re.compile(r"([-+]?)\.(?:inf|Inf|INF)\Z")
_NAN = re.compile(r"\.(?:nan|NaN|NAN)\Z")
_MAX_DIGITS = 4300  # sys.get_int_max_str_digits() by default

try:
    from yaml.cyaml import CParser as _Parser  # type: ignore[attr-defined]

    LIBYAML = True
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    _Parser = yaml.parser.Parser  # type: ignore[assignment, misc]
    LIBYAML = False


def resolve_plain(text: str) -> Any:
    """The value of a plain (unquoted) scalar under the YAML 1.2 core schema."""
    if _NULL.match(text):
        return None
    if text in _BOOL:
        return _BOOL[text]
    if _INT.match(text):
        # Past 4,300 digits Python refuses to read a whole number (the time it takes grows
        # with the square of its length); such a number is read as the float it is close
        # to, infinity, which every field refuses as too large.
        return int(text) if len(text) <= _MAX_DIGITS else float(text)
    if _OCT.match(text):
        return int(text[2:], 8)
    if _HEX.match(text):
        return int(text[2:], 16)
    if _FLOAT.match(text):
        return float(text)
    inf = _INF.match(text)
    if inf:
        return -math.inf if inf.group(1) == "-" else math.inf
    if _NAN.match(text):
        return math.nan
    return text


if LIBYAML:

    class _Composer(_Parser, yaml.resolver.BaseResolver):
        """libyaml's composer with a resolver that only tells plain from quoted."""

        def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
            if kind is ScalarNode:
                return _PLAIN if implicit[0] else _STR
            return _SEQ if kind is SequenceNode else _MAP

else:  # pragma: no cover - exercised only where PyYAML was built without libyaml

    class _Composer(  # type: ignore[no-redef]
        yaml.reader.Reader,
        yaml.scanner.Scanner,
        yaml.parser.Parser,
        yaml.composer.Composer,
        yaml.resolver.BaseResolver,
    ):
        def __init__(self, stream: str) -> None:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            yaml.composer.Composer.__init__(self)
            yaml.resolver.BaseResolver.__init__(self)

        def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
            if kind is ScalarNode:
                return _PLAIN if implicit[0] else _STR
            return _SEQ if kind is SequenceNode else _MAP


@dataclass
class SourceFile:
    """A parsed YAML file: its data, and where each of its keys and values stands.

    The positions are written while the file's one parse is walked, so a finding about the
    file costs no parse of its own, even when a check written long after asks for it; the
    node tree itself is let go as soon as the data is built.
    """

    display: str
    text: str
    data: Any = None
    positions: Positions | None = None
    _lines: Lines | None = None

    @property
    def lines(self) -> Lines:
        """The file's line starts, found when a finding first needs a line."""
        if self._lines is None:
            self._lines = Lines(self.text)
        return self._lines

    def line_text(self, line: int) -> str | None:
        return self.lines.line(line)

    def _record(self, path: YamlPath, key: bool) -> int | None:
        """The record at ``path`` (its key's, with ``key``), or the nearest enclosing one."""
        if self.positions is None:
            return None
        trail, key_record = self.positions.walk(path)
        if key and key_record is not None:
            return key_record
        return trail[-1] if trail else None

    def has(self, path: YamlPath) -> bool:
        positions = self.positions
        return positions is not None and len(positions.walk(path)[0]) == len(path) + 1

    def offset_of(self, path: YamlPath, key: bool = False) -> int:
        """Where :meth:`span_of` starts, in characters: a cheap order of findings."""
        record = self._record(path, key)
        if record is None or self.positions is None:
            return 0
        return self.positions.offsets(record)[0]

    def span_of(self, path: YamlPath, *, key: bool = False) -> Span | None:
        """The span at ``path`` (its key's, with ``key``), or the nearest enclosing one."""
        record = self._record(path, key)
        if record is None or self.positions is None:
            return None
        return self.lines.span(*self.positions.offsets(record))

    def finding(
        self, rule_id: str, message: str, path: YamlPath, *, key: bool = False, **extra: Any
    ) -> Finding:
        """A finding at ``path`` in this file, with its source line."""
        span = self.span_of(path, key=key)
        return self.finding_at(rule_id, message, span, yaml_path=format_path(path), **extra)

    def finding_at(self, rule_id: str, message: str, span: Span | None, **extra: Any) -> Finding:
        source_line = self.line_text(span.line) if span else None
        return Finding.of(
            rule_id, message, self.display, span=span, source_line=source_line, **extra
        )


def _span(node: Node) -> Span:
    start, end = node.start_mark, node.end_mark
    return Span(start.line + 1, start.column + 1, end.line + 1, end.column + 1)


def _point(line: int, column: int) -> Span:
    return Span(line, column, line, column + 1)


# First characters of plain scalars that may be something else than text under the core
# schema; any other plain scalar is text, without trying the patterns.
_MAYBE_NOT_TEXT = frozenset("0123456789+-.~nNtTfF")


class _Builder:
    """Turns composed nodes into plain data, reporting problems on the way, and writes
    down where each key and value the data keeps stands.

    Anchors and aliases never reach it (they are refused from the event stream first), so
    the node graph is a tree and each node is visited once.
    """

    def __init__(self, source: SourceFile) -> None:
        self.source = source
        self.findings: list[Finding] = []
        self.fatal = False
        self.positions = PositionWriter(source.text)
        self.tally = Tally()  # a finding a node at most, in the file's order: capped here
        # the first node of each key, for the mappings that repeat one (by the mapping's id)
        self._first_keys: dict[int, dict[str, ScalarNode]] = {}

    def _place(self, node: Node) -> tuple[Span, str | None]:
        span = _span(node)
        return span, self.source.line_text(span.line)

    def _report(self, rule_id: str, message: str, node: Node, path: YamlPath, **extra: Any) -> None:
        self.fatal = self.fatal or rule_id != "PB005"
        if not self.tally.admit():
            self.tally.leave_out(rule_id, lambda: self._place(node))
            return
        self.findings.append(
            self.source.finding_at(
                rule_id, message, _span(node), yaml_path=format_path(path), **extra
            )
        )

    def build(self, node: Node, path: YamlPath, depth: int = 0) -> Any:
        if node.__class__ is ScalarNode:
            self.positions.leaf(node)
            if node.tag == _PLAIN:
                text = node.value
                return resolve_plain(text) if not text or text[0] in _MAYBE_NOT_TEXT else text
            return self._scalar(node, path)
        if depth > MAX_DEPTH:
            self.positions.leaf(node)
            self._report(
                "PB008",
                f"nesting deeper than {MAX_DEPTH} levels",
                node,
                path,
                hint="a workshop file never needs this depth; check the indentation",
            )
            return None
        if node.tag not in (_MAP, _SEQ):
            self.positions.leaf(node)
            self._bad_tag(node, path)
            return None
        record = self.positions.open(node)
        if isinstance(node, SequenceNode):
            items = [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
            self.positions.close(record, mapping=False)
            return items
        assert isinstance(node, MappingNode)
        mapping = self._mapping(node, path, depth)
        self.positions.close(record, mapping=True)
        return mapping

    def _mapping(self, node: MappingNode, path: YamlPath, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        build, key_position = self.build, self.positions.key
        for key_node, value_node in node.value:
            if key_node.__class__ is not ScalarNode:
                self._report(
                    "PB001",
                    "a key must be plain text, not a list or mapping",
                    key_node,
                    path,
                    hint="write 'key: value'",
                )
                continue
            key = key_node.value
            if key in out:
                self._duplicate(node, key_node, key, path)
                continue
            if key == "<<" and key_node.tag == _PLAIN:
                self._report(
                    "PB006",
                    "merge keys (<<) are not allowed",
                    key_node,
                    path,
                    hint="write the merged keys out in full",
                )
                continue
            key_position(key_node, key)
            out[key] = build(value_node, (*path, key), depth + 1)
        return out

    def _duplicate(self, node: MappingNode, key_node: ScalarNode, key: str, path: YamlPath) -> None:
        firsts = self._first_keys.get(id(node))
        if firsts is None:  # found once a mapping: a search a duplicate was quadratic
            firsts = self._first_keys[id(node)] = {}
            for k, _ in node.value:
                if k.__class__ is ScalarNode:
                    firsts.setdefault(k.value, k)
        first = firsts[key]
        line, again = first.start_mark.line + 1, key_node.start_mark.line + 1
        self._report(
            "PB005",
            f"duplicate key '{key}' (first at line {line})",
            key_node,
            (*path, key),
            expected="each key at most once in a mapping",
            hint=f"merge the two '{key}' entries (lines {line} and {again}); the first one is used",
        )

    def _scalar(self, node: ScalarNode, path: YamlPath) -> Any:
        tag, text = node.tag, node.value
        if tag == _STR or tag == "!":
            return text
        if tag not in _SCALAR_TAGS:
            self._bad_tag(node, path)
            return None
        value = resolve_plain(text)
        wanted = tag.removeprefix(_CORE)
        ok = {
            "null": value is None,
            "bool": isinstance(value, bool),
            "int": isinstance(value, int) and not isinstance(value, bool),
            "float": isinstance(value, int | float) and not isinstance(value, bool),
        }[wanted]
        if not ok:
            self._report(
                "PB007",
                f"'{text}' is not a valid !!{wanted}",
                node,
                path,
                hint=f"remove the !!{wanted} tag or fix the value",
            )
            return None
        return float(value) if wanted == "float" else value

    def _bad_tag(self, node: Node, path: YamlPath) -> None:
        shown = node.tag.replace(_CORE, "!!")
        self._report(
            "PB007",
            f"the tag {shown} is not allowed",
            node,
            path,
            expected="plain YAML: text, numbers, true/false, lists and mappings",
            hint="remove the tag; prepbook reads only the YAML core tags "
            "(!!str, !!int, !!float, !!bool, !!null, !!seq, !!map)",
        )


MAX_ALIAS_FINDINGS = 20


def _anchors_and_aliases(source: SourceFile) -> list[Finding]:
    """Every anchor and alias, found on the event stream where their own positions are known.

    Composed nodes only remember the anchored node, so an alias could not be pointed at
    there. Most files have neither character, and skip this pass.
    """
    if "&" not in source.text and "*" not in source.text:
        return []
    findings: list[Finding] = []
    count = 0
    first_unlisted: Span | None = None
    parser = _Composer(source.text)
    try:
        while parser.check_event():
            event = parser.get_event()
            if not isinstance(event, yaml.NodeEvent):
                continue
            if isinstance(event, yaml.AliasEvent):
                what = f"the alias *{event.anchor}"
            elif event.anchor:
                what = f"the anchor &{event.anchor}"
            else:
                continue
            count += 1
            mark = event.start_mark
            assert mark is not None  # events from the parser always carry their position
            span = _point(mark.line + 1, mark.column + 1)
            if count <= MAX_ALIAS_FINDINGS:
                findings.append(
                    source.finding_at(
                        "PB006",
                        f"{what} is not allowed",
                        span,
                        expected="every value written out where it is used",
                        hint="copy the value instead of anchoring and aliasing it",
                    )
                )
            elif first_unlisted is None:
                first_unlisted = span
    except yaml.YAMLError:
        pass  # the composer reports the syntax error with its position
    finally:
        parser.dispose()
    if count > MAX_ALIAS_FINDINGS:
        findings.append(
            source.finding_at(
                "PB006",
                f"{count - MAX_ALIAS_FINDINGS:,} more anchors and aliases from here on",
                first_unlisted,
                hint="remove every anchor (&) and alias (*) from the file",
            )
        )
    return findings


def _syntax_finding(source: SourceFile, exc: yaml.YAMLError) -> Finding:
    found = diagnose(source.text, exc, source.line_text)
    rule_id = "PB006" if "alias" in found.message else "PB001"
    related = tuple(
        Related(span, label, source.line_text(span.line)) for span, label in found.related
    )
    return source.finding_at(rule_id, found.message, found.span, hint=found.hint, related=related)


def _decode(raw: bytes, display: str) -> str | Finding:
    """The file as text, or a finding that says where decoding failed and why."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        return Finding.of(
            "PB002",
            "the file is UTF-16 or UTF-32 encoded",
            display,
            span=_point(1, 1),
            expected="UTF-8 text",
            hint="save the file as UTF-8",
        )
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Finding.of(
            "PB002",
            f"byte 0x{raw[exc.start]:02x} is not valid UTF-8",
            display,
            span=_point(*_position(raw, exc.start)),
            expected="UTF-8 text",
            hint="save the file as UTF-8 (it may be Latin-1 or Windows-1252)",
        )
    nul = raw.find(b"\x00")
    if nul >= 0:
        return Finding.of(
            "PB002",
            "the file holds a NUL byte",
            display,
            span=_point(*_position(raw, nul)),
            expected="UTF-8 text without NUL bytes",
            hint="a NUL byte in a text file usually means UTF-16: save the file as UTF-8",
        )
    return text


def _position(raw: bytes, offset: int) -> tuple[int, int]:
    """Line and column (from 1, in characters) of a byte offset."""
    head = raw[:offset]
    start = head.rfind(b"\n") + 1
    column = len(head[start:].decode("utf-8", errors="replace")) + 1
    return head.count(b"\n") + 1, column


def parse_source(raw: bytes, display: str) -> tuple[SourceFile | None, list[Finding]]:
    """Parse one workshop file's bytes. Returns no source when nothing could be read."""
    text = _decode(raw, display)
    if isinstance(text, Finding):
        return None, [text]
    source = SourceFile(display, text)
    refused = _anchors_and_aliases(source)
    if refused:
        return None, refused
    composer = _Composer(text)
    try:
        root = composer.get_single_node()
    except yaml.composer.ComposerError as exc:
        if "expected a single document" in str(exc):
            mark = exc.problem_mark
            return None, [
                source.finding_at(
                    "PB004",
                    "the file holds more than one YAML document",
                    _point(mark.line + 1, mark.column + 1) if mark else None,
                    expected="one workshop per file",
                    hint="remove the '---' line and split the workshops into files of their own",
                )
            ]
        return None, [_syntax_finding(source, exc)]
    except yaml.YAMLError as exc:
        return None, [_syntax_finding(source, exc)]
    finally:
        composer.dispose()
    if root is None:
        return None, [
            source.finding_at(
                "PB004",
                "the file is empty",
                None,
                expected="a workshop mapping",
                hint="run 'prepbook new ID' for a commented skeleton",
            )
        ]
    builder = _Builder(source)
    source.data = builder.build(root, ())
    source.positions = builder.positions.done()
    builder.findings.extend(builder.tally.closing(display))
    if not builder.fatal and not isinstance(source.data, dict):
        builder.findings.append(
            source.finding(
                "PB004",
                "the top level of the file is not a mapping",
                (),
                expected="a mapping of keys such as 'id:', 'title:' and 'team:'",
                hint="remove the leading '- ' so the file is one mapping, not a list"
                if isinstance(source.data, list)
                else "start the file with 'id: your-workshop-id'",
            )
        )
        builder.fatal = True
    return (None if builder.fatal else source), builder.findings


def load_source(
    path: Path, display: str, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[SourceFile | None, list[Finding]]:
    """Read and parse one file, refusing it before reading when it is over the size cap,
    and without opening it for reading when it is no regular file (see
    :mod:`prepbook.load.regular`)."""
    try:
        opened = open_regular(path)
        if isinstance(opened, NotAFile):
            return None, [Finding.of("PB009", opened.message, display, hint=opened.hint)]
        descriptor, size = opened
        with os.fdopen(descriptor, "rb") as handle:
            if size > max_bytes:
                return None, [
                    Finding.of(
                        "PB003",
                        f"the file is {size:,} bytes, over the cap of {max_bytes:,}",
                        display,
                        expected=f"at most {max_bytes:,} bytes",
                        hint="split the workshop, or raise max_file_bytes in the prepbook settings",
                    )
                ]
            raw = handle.read(max_bytes + 1)
    except OSError as exc:
        return None, [
            Finding.of(
                "PB009",
                f"cannot read the file: {exc.strerror or exc}",
                display,
                hint="check that the path exists and is a file",
            )
        ]
    if len(raw) > max_bytes:  # grew between stat and read
        return None, [
            Finding.of("PB003", f"the file is over the cap of {max_bytes:,} bytes", display)
        ]
    return parse_source(raw, display)
