"""Positions: kept from the one parse of each file, the same spans the node tree carried,
and never bought with a second parse, however late a check asks for them."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
import yaml
from yaml.nodes import MappingNode, Node, SequenceNode

from bench.synthetic import workshop
from prepbook import cli
from prepbook.findings import Span, YamlPath
from prepbook.load import source as source_module
from prepbook.load.positions import LINE_BREAK, Lines
from prepbook.load.source import parse_source
from tests.conftest import EXAMPLE_IDS, EXAMPLES, minimal

TRICKY = {
    "crlf and a byte order mark": "\ufeffa: 1\r\nb:\r\n  - x\r\n  - y\r\n",
    "characters beyond ASCII": "t\u00eftle: caf\u00e9 \u20ac \U0001f600\nnext: [\u00fc, \u00df]\n",
    "flow collections": "a: {b: [1, {c: d}], e: []}\nf: [[], {}, [x, [y]]]\n",
    "block scalars": "a: |\n  one\n  two\nb: >-\n  folded\n  text\nc: end\n",
    "quoted keys and values": '\'a b\': "c"\n"<<": merge-looking\n? complex\n: value\n',
    "empty values": "a:\nb: ~\nc: []\nd: {}\ne:\n  - \n  -\n",
    "duplicate keys": "a: 1\nb:\n  c: 2\n  c: 3\na: 4\n",
    "nested lists": "a:\n- - - a\n    - b\n  - c\n- d\n",
    "unicode line breaks": "a: x\x85b: y\u2028c: z\u2029d:\r  - e\n",
    "carriage returns alone": "a: 1\rb:\r  c: 2\r\n  d: [3]\r",
    "no line break at the end": "a: caf\u00e9\nb: [1, 2]",
    "a block list at the end": "a:\n  - b\n  -",
    "a block mapping at the end": "a:\n  b: 'q'\nc:\n- d:",
    "a block scalar at the end": "a: |\n  x\n  y",
    # long enough that a lookup makes the collections an index (positions.SCAN)
    "a long mapping with duplicate keys": "".join(f"k{i % 40}:\n  - {i}\n" for i in range(60)),
    "a long list of mappings": "l:\n" + "".join(f"- {{a: {i}, b: [{i}]}}\n" for i in range(50)),
    "long nested collections": "m:\n"
    + "".join(f"  k{i}: [{', '.join(str(j) for j in range(i))}]\n" for i in range(40)),
}


def _reference_walk(root: Node, path: YamlPath) -> tuple[list[Node], Node | None]:
    """The lookup along the node tree that positions replace: their specification."""
    node: Node = root
    trail, key_node = [node], None
    for part in path:
        key_node = None
        if isinstance(node, MappingNode) and isinstance(part, str):
            pair = next((p for p in node.value if p[0].value == part), None)
            if pair is None:
                return trail, None
            key_node, node = pair
        elif (
            isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value)
        ):
            node = node.value[part]
        else:
            return trail, None
        trail.append(node)
    return trail, key_node


def _span(node: Node) -> Span:
    start, end = node.start_mark, node.end_mark
    return Span(start.line + 1, start.column + 1, end.line + 1, end.column + 1)


def _paths(data: Any, path: YamlPath = ()) -> list[YamlPath]:
    """Every path of the data, and next to each one that does not exist."""
    found = [path, (*path, "absent"), (*path, 7), (*path, -1)]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _paths(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found += _paths(value, (*path, i))
        found.append((*path, len(data)))
    return found


def _random_value(rng: random.Random, depth: int) -> Any:
    roll = rng.random()
    if depth > 3 or roll < 0.4:
        return rng.choice(["x", "caf\u00e9 \u20ac", "", "a: b", "multi\nline", 7, 2.5, True, None])
    if roll < 0.7:
        return [_random_value(rng, depth + 1) for _ in range(rng.randrange(0, 4))]
    return {f"k{i}": _random_value(rng, depth + 1) for i in range(rng.randrange(0, 4))}


def _random_texts(count: int) -> list[str]:
    """Documents of every style libyaml writes: block and flow, quoted and block scalars,
    with LF or CRLF line breaks, with or without one at the end."""
    rng = random.Random(7)
    texts = []
    for _ in range(count):
        data = {f"top{i}": _random_value(rng, 0) for i in range(rng.randrange(1, 5))}
        text = yaml.safe_dump(
            data,
            default_flow_style=rng.choice([False, None]),
            default_style=rng.choice([None, None, "'", '"', "|"]),
            allow_unicode=True,
            width=rng.choice([20, 80]),
        )
        if rng.random() < 0.5:
            text = text.rstrip("\n")
        if rng.random() < 0.3:
            text = text.replace("\n", "\r\n")
        texts.append(text)
    return texts


def _texts() -> dict[str, str]:
    texts = {name: (EXAMPLES / f"{name}.yaml").read_text("utf-8") for name in EXAMPLE_IDS}
    synthetic = workshop(3, random.Random(0))
    texts["synthetic"] = yaml.safe_dump(synthetic, sort_keys=False)
    texts.update({f"random {i}": text for i, text in enumerate(_random_texts(60))})
    return {**texts, **TRICKY}


@pytest.mark.parametrize(("name", "text"), list(_texts().items()))
def test_every_span_is_the_one_the_node_tree_holds(name: str, text: str) -> None:
    source, found = parse_source(text.encode("utf-8"), "w.yaml")
    assert source is not None
    lines = LINE_BREAK.split(source.text)
    for finding in found:  # written while the nodes were walked
        assert finding.span is not None
        assert finding.source_line == lines[finding.span.line - 1]
    composer = source_module._Composer(source.text)
    root = composer.get_single_node()
    composer.dispose()
    for path in _paths(source.data):
        trail, key_node = _reference_walk(root, path)
        assert source.has(path) == (len(trail) == len(path) + 1), path
        assert source.span_of(path) == _span(trail[-1]), path
        expected_key = _span(key_node) if key_node is not None else _span(trail[-1])
        assert source.span_of(path, key=True) == expected_key, path
        for key in (False, True):
            finding = source.finding("PB101", "a message", path, key=key)
            assert finding.span == source.span_of(path, key=key)
            assert finding.source_line == lines[finding.span.line - 1], path


def test_positions_take_three_cells_a_node() -> None:
    source, _ = parse_source(b"a:\n  - b: c\n", "w.yaml")
    assert source is not None and source.positions is not None
    assert source.span_of(("a", 0, "b")) == Span(2, 8, 2, 9)
    assert source.span_of(("a", 0, "b"), key=True) == Span(2, 5, 2, 6)
    assert source.span_of(("a", 0)) == Span(2, 5, 3, 1)
    # the mapping, key a, the list, its item, key b and the value c: six records of 3 x 4 bytes
    assert source.positions.nbytes == 6 * 3 * 4


@pytest.mark.parametrize("text", ["", "a\n", "a\nbc\n\nd", *TRICKY.values()])
def test_lines_are_the_lines_libyaml_counts(text: str) -> None:
    lines = Lines(text)
    expected = LINE_BREAK.split(text)
    assert [lines.line(n) for n in range(len(expected) + 2)] == [None, *expected, None]
    starts = [0, *(m.end() for m in LINE_BREAK.finditer(text))]
    for line, start in enumerate(starts, 1):
        for column, _ in enumerate(expected[line - 1], 1):
            assert lines.locate(start + column - 1) == (line, column)
    assert lines.locate(len(text)) == (len(starts), len(expected[-1]) + 1)
    # past the end: the line libyaml adds when the last line has no line break
    assert lines.locate(len(text) + 1) == (len(starts) + 1, 1)


def _line(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def test_late_findings_cost_no_second_parse(playbook, monkeypatch, tmp_path: Path) -> None:
    """``prepbook validate`` composes each file once, though most findings here come from
    the cross-file checks, long after the files were parsed; their positions are right."""
    base = minimal()
    files = {
        # PB204: a reference to nothing, found once the graph of every file is built
        "mini.yaml": base.replace("requires: [crm]", "requires: [crn]"),
        # PB206: a step that ends before it starts, found by the schedule check (dated after
        # the pinned build date, so that it is not overdue as well)
        "late.yaml": minimal("late").replace(
            "      phase: now\n",
            "      phase: now\n      start: 2027-05-04\n      end: 2027-04-01\n",
        ),
        # PB311: one person is both facilitator and decider, found by the method rules
        "same.yaml": minimal("same").replace("decider: dan", "decider: fay"),
        # PB203: an id that is not the file's name, found when the workshops are gathered
        "renamed.yaml": minimal("renamed").replace("id: renamed", "id: other-name"),
        # PB103: a schema error, found while the file itself is validated
        "kind.yaml": minimal("kind").replace("kind: talent", "kind: talents"),
    }
    root = playbook(files)
    composed: list[str] = []

    class Counting(source_module._Composer):
        def __init__(self, text: str) -> None:
            composed.append(text)
            super().__init__(text)

    monkeypatch.setattr(source_module, "_Composer", Counting)
    monkeypatch.chdir(root)
    report = tmp_path / "report.json"
    assert cli.main(["validate", "--format", "json", "--output", str(report)]) == 1
    assert len(composed) == len(files)  # one parse a file, none for any finding

    found = {
        (f["file"].removeprefix("workshops/"), f["rule"]): f
        for f in json.loads(report.read_text())["findings"]
    }
    assert set(found) == {
        ("mini.yaml", "PB204"),
        ("late.yaml", "PB206"),
        ("same.yaml", "PB311"),
        ("renamed.yaml", "PB203"),
        ("kind.yaml", "PB103"),
    }

    def where(name: str, rule: str) -> tuple[int, int, str]:
        finding = found[(name, rule)]
        return finding["span"]["line"], finding["span"]["column"], finding["source_line"]

    expected = {
        ("mini.yaml", "PB204"): ("requires: [crn]", "crn"),
        ("late.yaml", "PB206"): ("end: 2027-04-01", "2027-04-01"),
        ("same.yaml", "PB311"): ("decider: fay", "fay"),
        ("renamed.yaml", "PB203"): ("id: other-name", "other-name"),
        ("kind.yaml", "PB103"): ("kind: talents", "talents"),
    }
    for (name, rule), (needle, value) in expected.items():
        text = files[name]
        line = _line(text, needle)
        source_line = text.splitlines()[line - 1]
        assert where(name, rule) == (line, source_line.index(value) + 1, source_line)


def test_only_long_collections_get_an_index() -> None:
    """A workshop's own mappings and lists are walked step by step, as before; only a
    collection a lookup had to step far into becomes an index, once."""
    text = (EXAMPLES / "northwind-retail.yaml").read_text("utf-8")
    source, _ = parse_source(text.encode("utf-8"), "w.yaml")
    assert source is not None and source.positions is not None
    for path in _paths(source.data):
        source.span_of(path)
    assert source.positions.indexed == 0
    long = "id: x\n" + "".join(f"k{i:05d}: [{', '.join('1' * 3)}]\n" for i in range(5000))
    source, _ = parse_source(long.encode("utf-8"), "w.yaml")
    assert source is not None and source.positions is not None
    assert source.span_of(("k04999", 2)) == Span(5001, 16, 5001, 17)
    assert source.span_of(("k04999",), key=True) == Span(5001, 1, 5001, 7)
    assert source.positions.indexed == 1  # the top-level mapping; its short lists are not
