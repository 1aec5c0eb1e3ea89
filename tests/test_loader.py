"""The strict YAML loader: YAML 1.2 core meaning, safety, and source positions."""

from __future__ import annotations

import copy
import math
import time
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from prepbook.load.salvage import salvage
from prepbook.load.source import LIBYAML, load_source, parse_source
from prepbook.model import Workshop
from tests.conftest import minimal


def parse(text: str | bytes):
    raw = text.encode("utf-8") if isinstance(text, str) else text
    return parse_source(raw, "w.yaml")


def only_finding(text: str | bytes):
    source, findings = parse(text)
    assert len(findings) == 1, findings
    return source, findings[0]


def test_uses_libyaml_when_available() -> None:
    import yaml

    assert bool(getattr(yaml, "__with_libyaml__", False)) == LIBYAML


@pytest.mark.parametrize(
    ("plain", "expected"),
    [
        ("no", "no"),
        ("yes", "yes"),
        ("on", "on"),
        ("off", "off"),
        ("y", "y"),
        ("true", True),
        ("False", False),
        ("1:30", "1:30"),
        ("10:30:00", "10:30:00"),
        ("010", 10),
        ("0o17", 15),
        ("0x1F", 31),
        ("-3", -3),
        ("2.5", 2.5),
        ("1e3", 1000.0),
        ("~", None),
        ("null", None),
        ("", None),
        ("2024-05-01", "2024-05-01"),
        ("2024-05-01T10:00:00Z", "2024-05-01T10:00:00Z"),
        ("1_000", "1_000"),
        ("0b101", "0b101"),
    ],
)
def test_plain_scalars_follow_the_yaml_12_core_schema(plain: str, expected: object) -> None:
    source, findings = parse(f"value: {plain}\n")
    assert findings == []
    assert source.data["value"] == expected
    assert type(source.data["value"]) is type(expected)


def test_special_floats() -> None:
    source, _ = parse("a: .inf\nb: -.Inf\nc: .nan\n")
    assert source.data["a"] == math.inf and source.data["b"] == -math.inf
    assert math.isnan(source.data["c"])


def test_quoted_scalars_are_always_text() -> None:
    source, findings = parse("a: 'no'\nb: \"3\"\nc: !!str 12\n")
    assert findings == []
    assert source.data == {"a": "no", "b": "3", "c": "12"}


def test_explicit_core_tags_are_checked() -> None:
    source, findings = parse("a: !!int '7'\nb: !!float 2\nc: !!bool true\n")
    assert findings == []
    assert source.data == {"a": 7, "b": 2.0, "c": True}
    _, finding = only_finding("a: !!int seven\n")
    assert finding.rule == "PB007" and "!!int" in finding.message


def test_duplicate_key_names_both_lines() -> None:
    source, finding = only_finding("title: A\nstatus: held\ntitle: B\n")
    assert finding.rule == "PB005"
    assert finding.span.line == 3
    assert "line 1" in finding.message and "lines 1 and 3" in finding.hint
    assert source is not None and source.data["title"] == "A"  # loading goes on


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object:os.system",
        "!!python/object/apply:os.system",
        "!!python/name:os.system",
        "!!binary",
        "!!timestamp",
        "!!set",
        "!custom",
    ],
)
def test_non_core_tags_are_refused_without_constructing(tag: str) -> None:
    source, finding = only_finding(f"a: {tag} [x]\n" if "/" in tag else f"a: {tag} x\n")
    assert source is None
    assert finding.rule == "PB007"
    assert finding.span.line == 1 and finding.span.column == 4


def test_aliases_and_merge_keys_are_refused() -> None:
    _, findings = parse("base: &b {x: 1}\nother: [1, *b]\n")
    assert [(f.rule, f.span.line, f.span.column) for f in findings] == [
        ("PB006", 1, 7),
        ("PB006", 2, 12),
    ]
    assert "&b" in findings[0].message and "*b" in findings[1].message
    _, finding = only_finding("base: {x: 1}\nother:\n  <<: {y: 2}\n")
    assert finding.rule == "PB006" and finding.span.line == 3


def test_alias_bomb_is_refused_fast_and_small() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 12):
        prev, name = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    started = time.perf_counter()
    source, findings = parse("\n".join(lines) + "\n")
    assert time.perf_counter() - started < 5  # a generous bound: expansion would never end
    assert source is None
    assert findings and all(f.rule == "PB006" for f in findings)
    assert len(findings) <= 21  # capped, with a last finding that counts the rest
    assert "more anchors and aliases from here on" in findings[-1].message
    assert findings[1].span.line == 2


def test_undefined_alias_is_a_finding() -> None:
    _, finding = only_finding("a: *nowhere\n")
    assert finding.rule == "PB006"


def test_deep_nesting_is_refused() -> None:
    _, finding = only_finding("a: " + "[" * 100 + "]" * 100 + "\n")
    assert finding.rule == "PB008"
    _, finding = only_finding("a: " + "[" * 10_000 + "]" * 10_000 + "\n")
    assert finding.rule in ("PB001", "PB008")


@pytest.mark.parametrize(
    ("raw", "line", "column"),
    [(b"title: caf\xe9\n", 1, 11), (b"a: 1\nb: \xff\xfe\n", 2, 4)],
)
def test_invalid_utf8_points_at_the_byte(raw: bytes, line: int, column: int) -> None:
    _, finding = only_finding(raw)
    assert finding.rule == "PB002"
    assert (finding.span.line, finding.span.column) == (line, column)
    assert "UTF-8" in finding.hint


def test_utf16_and_nul_bytes_are_refused() -> None:
    _, finding = only_finding("a: 1\n".encode("utf-16"))
    assert finding.rule == "PB002" and "UTF-16" in finding.message
    _, finding = only_finding("a: 1\n".encode("utf-16-le"))  # no BOM: NUL bytes
    assert finding.rule == "PB002" and "NUL" in finding.message
    _, finding = only_finding(b"a: 1\nb: x\x00y\n")
    assert finding.span.line == 2 and finding.span.column == 5


def test_bom_and_crlf_are_accepted_with_right_lines() -> None:
    source, findings = parse(b"\xef\xbb\xbfa: 1\r\nb: x\r\nc: 3\r\n")
    assert findings == []
    assert source.data == {"a": 1, "b": "x", "c": 3}
    assert source.span_of(("c",)).line == 3
    assert source.line_text(2) == "b: x"


@pytest.mark.parametrize(
    ("text", "rule", "words"),
    [
        ("", "PB004", "empty"),
        ("# only a comment\n", "PB004", "empty"),
        ("- a\n- b\n", "PB004", "not a mapping"),
        ("just text\n", "PB004", "not a mapping"),
        ("a: 1\n---\nb: 2\n", "PB004", "more than one"),
    ],
)
def test_document_shape(text: str, rule: str, words: str) -> None:
    source, finding = only_finding(text)
    assert source is None and finding.rule == rule and words in finding.message


def test_tab_indentation_gets_a_hint() -> None:
    _, finding = only_finding("a:\n\tb: 1\n")
    assert finding.rule == "PB001" and finding.span.line == 2 and "tabs" in finding.hint


def test_syntax_error_position() -> None:
    _, finding = only_finding("title: ok\nsummary: a: b\n")
    assert finding.rule == "PB001" and finding.span.line == 2
    assert "quotes" in finding.hint


def test_spans_of_keys_and_values() -> None:
    source, _ = parse("team:\n  - id: ann\n    name: Ann\n")
    assert source.span_of(("team", 0, "name"), key=True).line == 3
    assert source.span_of(("team", 0, "name"), key=True).column == 5
    value = source.span_of(("team", 0, "name"))
    assert (value.line, value.column, value.end_column) == (3, 11, 14)
    assert source.span_of(("team", 0, "missing", 3)) == source.span_of(("team", 0))
    assert source.has(("team", 0, "name")) and not source.has(("team", 0, "missing"))


def test_size_cap_refuses_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: " + b"x" * 2_000_000 + b"\n")
    started = time.perf_counter()
    source, findings = load_source(big, "big.yaml", max_bytes=1024 * 1024)
    assert time.perf_counter() - started < 1
    assert source is None and [f.rule for f in findings] == ["PB003"]
    assert "1,048,576" in findings[0].message


def test_unreadable_path_is_a_finding(tmp_path: Path) -> None:
    source, findings = load_source(tmp_path / "absent.yaml", "absent.yaml")
    assert source is None and findings[0].rule == "PB009"


def test_salvage_leaves_the_parsed_file_as_it_was() -> None:
    """Salvage copies only what it changes: the data the loader parsed, and keeps for the
    positions of its findings, must read the same afterwards."""
    data = yaml.safe_load(minimal())
    data["team"][0]["typo"] = "x"  # an unknown key in a record: dropped from the record
    data["persofails"][0]["inherent"]["likelihood"] = "often"  # a broken record: set aside
    data["stray"] = 1  # an unknown top-level key: dropped
    del data["title"]  # a missing field: a placeholder
    before = copy.deepcopy(data)
    try:
        Workshop.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
    else:
        raise AssertionError("the broken workshop validated")
    kept = salvage(data, errors, "mini")
    assert kept is not None
    assert data == before
    assert kept.model.title == "(invalid)"
    assert kept.broken_ids == {before["persofails"][0]["id"]}
    assert kept.kept[("persofails",)] == list(range(1, len(before["persofails"])))
