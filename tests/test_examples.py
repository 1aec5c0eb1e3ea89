"""The example workshops validate cleanly, and broken copies of them fail at the right line."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from prepbook.load.playbook import load_files
from tests.conftest import EXAMPLE_IDS, EXAMPLES


def test_examples_are_clean(playbook, cli) -> None:
    root = playbook(examples=True)
    result = cli("validate", "--strict", cwd=root)
    assert result.code == 0, result.out
    assert result.out.strip() == "checked 3 files: 0 errors, 0 warnings, 0 info"


def test_examples_use_every_part_of_the_format() -> None:
    playbook = load_files(sorted(EXAMPLES.glob("*.yaml")))
    models = [w.model for w in playbook.workshops.values()]
    assert len(models) == 3
    assert {a.kind for m in models for a in m.audit} == {"data", "talent", "technology", "market"}
    assert {a.readiness for m in models for a in m.audit} == {"ready", "partial", "missing"}
    assert {p.score.method for m in models for p in m.priorities if p.score} == {"rice", "ice"}
    assert {p.status for m in models for p in m.priorities} == {"candidate", "committed", "parked"}
    assert any(metric.guardrail for m in models for metric in m.metrics)
    assert any(p.residual for m in models for p in m.persofails)
    assert any(b for m in models for b in m.barriers)
    assert any(s.closes_gap and s.depends_on for m in models for s in m.roadmap.steps)
    assert any(s.milestone for m in models for s in m.roadmap.steps)
    refs = [r for m in models for s in m.roadmap.steps for r in s.depends_on]
    assert any("/" in r for r in refs), "one cross-workshop reference at least"


# A mutation returns the broken text and the line (or lines) the finding may point at.
Mutation = Callable[[str], tuple[str | bytes, int | set[int]]]


def _replace_line(pattern: str, repl: str) -> Mutation:
    """Change the first line matching ``pattern``; the finding must be on that line."""

    def mutate(text: str) -> tuple[str, int]:
        lines = text.split("\n")
        index = next(i for i, line in enumerate(lines) if re.search(pattern, line))
        lines[index] = re.sub(pattern, repl, lines[index])
        return "\n".join(lines), index + 1

    return mutate


def _duplicate_title(text: str) -> tuple[str, int]:
    lines = text.split("\n")
    index = next(i for i, line in enumerate(lines) if line.startswith("title: "))
    lines.insert(index + 2, "title: The same key again")
    return "\n".join(lines), index + 3


def _invalid_utf8(text: str) -> tuple[bytes, int]:
    raw = text.encode("utf-8")
    at = raw.index(b"\norganisation: ") + len(b"\norganisation: ")
    return raw[:at] + b"\xff" + raw[at:], raw[:at].count(b"\n") + 1


def _list_for_mapping(text: str) -> tuple[str, int]:
    match = re.search(r"\n(\s+)inherent:\n(\s+)likelihood: (\d)\n(\s+)severity:", text)
    assert match
    indent = match.group(2)
    new = (
        f"\n{match.group(1)}inherent:\n{indent}- likelihood: {match.group(3)}\n{indent}  severity:"
    )
    line = text[: match.start()].count("\n") + 3
    return text[: match.start()] + new + text[match.end() :], line


def _cycle(text: str) -> tuple[str, set[int]]:
    """Make the first dependency of some step depend back on that step."""
    lines = text.split("\n")
    steps_at = lines.index("  steps:")
    ids = {}
    for i in range(steps_at, len(lines)):
        found = re.match(r"    - id: (\S+)$", lines[i])
        if found:
            ids[found.group(1)] = i
    for step, at in ids.items():
        block = lines[at + 1 : next((j for j in sorted(ids.values()) if j > at), len(lines))]
        if "      depends_on:" not in block:
            continue
        first_dep = block[block.index("      depends_on:") + 1].strip().removeprefix("- ")
        if first_dep not in ids:
            continue
        target = ids[first_dep]
        following = lines[
            target + 1 : next((j for j in sorted(ids.values()) if j > target), len(lines))
        ]
        if any(line.startswith("      depends_on:") for line in following):
            continue
        lines.insert(target + 1, f"      depends_on: [{step}]")
        # the cycle is reported at one of its edges: the new one, or the one it closes
        item = at + 2 + block.index("      depends_on:")  # 0-based, before the insertion
        existing = item + 1 + (1 if item >= target + 1 else 0)
        return "\n".join(lines), {target + 2, existing}
    raise AssertionError("no step to make a cycle with")


BROKEN: dict[str, tuple[Mutation | None, str, str]] = {
    # name: (mutation, rule, words in the message)
    "typo-key": (
        _replace_line(r"^(\s+)readiness:", r"\1readyness:"),
        "PB101",
        "'readyness' is not a key; did you mean 'readiness'?",  # the missing key under it
    ),
    "wrong-type": (
        _replace_line(r"^(\s+)likelihood: \d", r"\1likelihood: likely"),
        "PB103",
        "expected a whole number, got the text 'likely'",
    ),
    "dangling-reference": (
        _replace_line(r"^(\s+owner: )(\S+)", r"\1\2x"),
        "PB204",
        "no team member has the id",
    ),
    "duplicate-key": (_duplicate_title, "PB005", "duplicate key 'title'"),
    "cycle": (_cycle, "PB205", "dependency cycle"),
    "unquoted-no": (
        _replace_line(r"guardrail: true", "guardrail: no"),
        "PB103",
        "is not a boolean",
    ),
    "invalid-utf8": (_invalid_utf8, "PB002", "not valid UTF-8"),
    "empty-file": (lambda text: ("", 0), "PB004", "empty"),
    "list-for-mapping": (_list_for_mapping, "PB103", "expected a mapping of keys, got a list"),
    "alias-bomb": (
        lambda text: (text + "\nbomb: &a [x, x]\nmore: [*a, *a, *a]\n", text.count("\n") + 2),
        "PB006",
        "anchor &a",
    ),
    "python-tag": (
        _replace_line(r"^organisation: .*", "organisation: !!python/object/apply:os.system [echo]"),
        "PB007",
        "!!python/object/apply:os.system",
    ),
}


@pytest.mark.parametrize("example", EXAMPLE_IDS)
@pytest.mark.parametrize("breakage", sorted(BROKEN))
def test_broken_copies_fail_at_the_right_line(playbook, cli, example: str, breakage: str) -> None:
    mutate, rule, words = BROKEN[breakage]
    original = (EXAMPLES / f"{example}.yaml").read_text(encoding="utf-8")
    broken, line = mutate(original)
    root: Path = playbook(examples=True)
    target = root / "workshops" / f"{example}.yaml"
    target.write_bytes(broken if isinstance(broken, bytes) else broken.encode("utf-8"))
    result = cli("validate", "--format", "json", cwd=root)
    assert result.code == 1, result.out
    findings = json.loads(result.out)["findings"]
    assert "Traceback" not in result.err
    ours = [f for f in findings if f["file"] == f"workshops/{example}.yaml" and f["rule"] == rule]
    assert ours, findings
    first = ours[0]
    assert words in first["message"], first
    if not line:
        assert first["span"] is None
    else:
        assert first["span"]["line"] in (line if isinstance(line, set) else {line}), first
    # the other examples are unaffected by one file's breakage, apart from references into it
    others = {f["file"] for f in findings} - {f"workshops/{example}.yaml"}
    assert not others, findings
