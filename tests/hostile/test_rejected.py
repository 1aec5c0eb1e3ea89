"""Input that must be refused: each case is named after what it attacks. Everywhere the
same outcome: a finding that names the file (and line, where there is one), exit code 1,
no traceback, no file written outside the output folder, and the last good site intact."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import minimal

GOOD = minimal("attacked")


def replace(old: str, new: str, text: str = GOOD) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def alias_bomb() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 12):
        prev, name = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "id: attacked\n" + "\n".join(lines) + "\n"


# name: (file name, content, rule expected, line expected or None for the file alone)
CASES: dict[str, tuple[str, bytes | str, str, int | None]] = {
    # ids and file names
    "id-path-traversal": (
        "attacked.yaml",
        replace("id: attacked", "id: ../../etc/passwd"),
        "PB103",
        1,
    ),
    "id-absolute-path": ("attacked.yaml", replace("id: attacked", "id: /etc/passwd"), "PB103", 1),
    "id-percent-encoded-dots": (
        "attacked.yaml",
        replace("id: attacked", 'id: "%2e%2e"'),
        "PB103",
        1,
    ),
    "id-windows-separator": ("attacked.yaml", replace("id: attacked", 'id: "..\\\\x"'), "PB103", 1),
    "id-nul-escape": ("attacked.yaml", replace("id: attacked", 'id: "at\\0tacked"'), "PB103", 1),
    "id-very-long": ("attacked.yaml", replace("id: attacked", "id: " + "a" * 5000), "PB103", 1),
    "id-unicode-look-alike": (
        "attacked.yaml",
        replace("id: attacked", "id: \u0430ttacked"),
        "PB103",
        1,
    ),
    "record-id-traversal": (
        "attacked.yaml",
        replace("  - id: build", "  - id: ../../build"),
        "PB103",
        line_of(GOOD, "  - id: build"),
    ),
    "file-name-percent-dots": ("%2e%2e.yaml", GOOD, "PB203", 1),
    "file-name-windows-separators": ("x\\..\\..\\evil.yaml", GOOD, "PB203", 1),
    "file-name-very-long": ("a" * 240 + ".yaml", GOOD, "PB203", 1),
    "file-name-look-alike": ("\u0430ttacked.yaml", GOOD, "PB203", 1),
    "file-name-case-collision": ("Attacked.yaml", GOOD, "PB203", 1),
    # resources
    "alias-bomb": ("attacked.yaml", alias_bomb(), "PB006", 2),
    "nesting-10000-levels": (
        "attacked.yaml",
        "id: " + "[" * 10_000 + "]" * 10_000 + "\n",
        "PB001",
        1,
    ),
    "file-of-50-mb": ("attacked.yaml", b"id: attacked\nnotes: " + b"x" * 50_000_000, "PB003", None),
    "million-item-list": (
        "attacked.yaml",
        "id: attacked\nteam:\n" + "- a\n" * 1_000_000,
        "PB003",
        None,
    ),
    "line-of-10-mb": (
        "attacked.yaml",
        "id: attacked\ntitle: " + "x" * 10_000_000 + "\n",
        "PB003",
        None,
    ),
    # encoding
    "invalid-utf8": (
        "attacked.yaml",
        replace("title: Minimal workshop", "title: Caf\udcff").encode("utf-8", "surrogateescape"),
        "PB002",
        line_of(GOOD, "title: Minimal"),
    ),
    "utf16-with-bom": ("attacked.yaml", GOOD.encode("utf-16"), "PB002", 1),
    "utf16-without-bom": ("attacked.yaml", GOOD.encode("utf-16-le"), "PB002", 1),
    "nul-byte": (
        "attacked.yaml",
        replace("title: Minimal workshop", "title: Mini\0mal"),
        "PB002",
        line_of(GOOD, "title: Minimal"),
    ),
    "control-characters-in-text": (
        "attacked.yaml",
        replace("title: Minimal workshop", 'title: "bell\\a escape\\e[31m red"'),
        "PB103",
        line_of(GOOD, "title: Minimal"),
    ),
    "tab-indentation": (
        "attacked.yaml",
        replace("    name: Fay", "\tname: Fay"),
        "PB001",
        line_of(GOOD, "name: Fay"),
    ),
    # YAML traps
    "duplicate-key": (
        "attacked.yaml",
        replace("status: held", "status: held\nstatus: draft"),
        "PB005",
        line_of(GOOD, "status: held") + 1,
    ),
    "unquoted-no-as-boolean": (
        "attacked.yaml",
        replace("    direction: decrease", "    direction: decrease\n    guardrail: no"),
        "PB103",
        line_of(GOOD, "direction: decrease") + 1,
    ),
    "unquoted-on-as-boolean": (
        "attacked.yaml",
        replace("    direction: decrease", "    direction: decrease\n    guardrail: on"),
        "PB103",
        line_of(GOOD, "direction: decrease") + 1,
    ),
    "unquoted-yes-as-enum": (
        "attacked.yaml",
        replace("readiness: ready", "readiness: yes"),
        "PB103",
        line_of(GOOD, "readiness: ready"),
    ),
    "leading-zero-010-as-text": (
        "attacked.yaml",
        replace("title: Minimal workshop", "title: 010"),
        "PB103",
        line_of(GOOD, "title: Minimal"),
    ),
    "sexagesimal-as-number": (
        "attacked.yaml",
        replace("{likelihood: 2, severity: 3}", "{likelihood: 1:30, severity: 3}"),
        "PB103",
        line_of(GOOD, "likelihood: 2"),
    ),
    "infinity": (
        "attacked.yaml",
        replace("    direction: decrease", "    direction: decrease\n    baseline: .inf"),
        "PB103",
        line_of(GOOD, "direction: decrease") + 1,
    ),
    "tilde-for-required": (
        "attacked.yaml",
        replace("title: Minimal workshop", "title: ~"),
        "PB103",
        line_of(GOOD, "title: Minimal"),
    ),
    "multi-document": ("attacked.yaml", GOOD + "---\nid: second\n", "PB004", GOOD.count("\n") + 1),
    "python-object-apply-tag": (
        "attacked.yaml",
        replace(
            "organisation: Example Ltd",
            "organisation: !!python/object/apply:os.system [touch pwned]",
        ),
        "PB007",
        line_of(GOOD, "organisation:"),
    ),
    "python-name-tag": (
        "attacked.yaml",
        replace("organisation: Example Ltd", "organisation: !!python/name:os.system"),
        "PB007",
        line_of(GOOD, "organisation:"),
    ),
    "custom-tag": (
        "attacked.yaml",
        replace("organisation: Example Ltd", "organisation: !include /etc/passwd"),
        "PB007",
        line_of(GOOD, "organisation:"),
    ),
    "empty-file": ("attacked.yaml", "", "PB004", None),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_rejected(attack, case: str) -> None:
    name, content, rule, line = CASES[case]
    result = attack(case, {name: content})
    for run in (result.validate, result.build):
        assert run.code == 1, (case, run.out[-2000:], run.err[-2000:])
        assert "Traceback" not in run.out + run.err
        assert run.peak_mb < 1024
    report = result.validate.out
    assert f"[{rule}]" in report, report[-3000:]
    expected = f"workshops/{name}" + (f":{line}:" if line else "")
    block = next(b for b in report.split("\n\n") if f"[{rule}]" in b)
    assert expected in block, (expected, block[:1000])
    assert f"[{rule}]" in result.build.err and "nothing was built" in result.build.err
    assert result.site_after == result.site_before
    assert not (result.root / "pwned").exists()


def test_symlink_out_of_the_folder(attack, tmp_path: Path) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text(minimal("secret"))
    result = attack("symlink-outside", {"secret.yaml": secret})
    assert result.validate.code == 1 and result.build.code == 1
    assert "error[PB009]" in result.validate.out
    assert "workshops/secret.yaml" in result.validate.out
    assert result.site_after == result.site_before


def test_resource_attacks_are_refused_before_reading() -> None:
    """A file over the cap is refused by its size, before a byte is parsed."""
    for case in ("file-of-50-mb", "million-item-list", "line-of-10-mb"):
        _, content, rule, _ = CASES[case]
        assert rule == "PB003" and len(content) > 1024 * 1024


def test_case_list_covers_the_issue() -> None:
    wanted = [
        "path-traversal",
        "absolute",
        "percent",
        "windows",
        "nul",
        "long",
        "look-alike",
        "case-collision",
        "alias-bomb",
        "10000",
        "50-mb",
        "million",
        "10-mb",
        "utf8",
        "utf16",
        "tab",
        "duplicate-key",
        "no",
        "on",
        "010",
        "sexagesimal",
        "infinity",
        "tilde",
        "multi-document",
        "python-object-apply",
    ]
    names = " ".join(CASES)
    assert all(re.search(re.escape(w), names) for w in wanted)
