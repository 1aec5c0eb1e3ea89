"""Control characters from a hostile file never reach a terminal or a log raw.

An ESC sequence can clear the screen or set the window's title, a C1 control (U+009B is
CSI) does the same in many terminals, and a bidirectional override makes a line read
backwards. Each case puts one into a workshop (a key, a valid value, the file's name) and
runs every command that prints: ``show`` (so ``git diff``), ``diff`` in every format,
``validate`` in every format, an error message, and a build's log. None may print a control
character other than a line break or a tab.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from prepbook.diff import DIFF_FORMATS
from prepbook.report.formats import REPORT_FORMATS
from tests.conftest import dated, minimal
from tests.hostile.conftest import ENV, MKDOCS_YML

# What must never be printed: C0 controls but tab and line feed, DEL, C1 controls, and the
# bidirectional embeddings, overrides and isolates.
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
ESC_TITLE = "\x1b]0;pwned\x07"
CLEAR = "\x1b[2J\x1b[H"

GOOD = minimal("attacked")
SHOWN = "\N{REPLACEMENT CHARACTER}"  # what a control character becomes on the way out
# name: (file name, content, what the output holds instead of the hostile character)
CASES = {
    # text a terminal would act on, written with YAML's escapes: refused by the schema, and
    # named by its code point
    "c1-csi-in-a-title": (
        "attacked.yaml",
        GOOD.replace("title: Minimal workshop", 'title: "Mini\\u009b2Jmal"'),
        "U+009B",
    ),
    "esc-in-a-quoted-value": (
        "attacked.yaml",
        GOOD.replace("title: Minimal workshop", 'title: "x\\e]0;pwned\\a"'),
        "control character",
    ),
    # written raw: the source line a finding quotes, or a value shown, holds the mark
    "bidi-override-in-a-name": (
        "attacked.yaml",
        GOOD.replace("name: Fay", "name: Fay\u202eyaF"),
        SHOWN,
    ),
    "line-separator-in-a-scenario": (
        "attacked.yaml",
        GOOD.replace("Too much is known.", '"Too much\\u2028is known."'),
        SHOWN,
    ),
    "esc-title-in-a-key": ("attacked.yaml", GOOD + '"\\e]0;pwned\\a": 1\n', SHOWN),
    "clear-screen-in-a-key": ("attacked.yaml", GOOD + '"\\e[2J\\e[H": 1\n', SHOWN),
    "c1-in-an-unknown-key": ("attacked.yaml", GOOD + '"a\\u009b2Jb": 1\n', SHOWN),
    "esc-in-the-file-name": (f"at{CLEAR}tacked.yaml", GOOD, SHOWN),
}


def _run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        env=dated(ENV),
        errors="surrogateescape",
    )


def _project(tmp_path: Path, name: str, content: str) -> Path:
    root = tmp_path / "playbook"
    (root / "workshops").mkdir(parents=True)
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Home\n")
    (root / "mkdocs.yml").write_text(MKDOCS_YML)
    (root / "before").mkdir()
    (root / "before" / "attacked.yaml").write_text(GOOD)
    (root / "workshops" / name).write_bytes(content.encode("utf-8"))
    return root


def _clean(case: str, what: str, done: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in done.stdout + done.stderr, (case, what, done.stderr[-2000:])
    for stream in (done.stdout, done.stderr):
        raw = RAW_CONTROL.search(stream)
        assert raw is None, f"{case}: {what} printed {raw.group()!r}" if raw else ""


@pytest.mark.parametrize("case", sorted(CASES))
def test_nothing_printed_acts_on_a_terminal(tmp_path: Path, case: str) -> None:
    name, content, evidence = CASES[case]
    root = _project(tmp_path, name, content)
    runs = {
        "show": ("prepbook", "show", f"workshops/{name}"),
        **{
            f"validate --format {f}": ("prepbook", "validate", "--format", f, "--colour", "never")
            for f in REPORT_FORMATS
        },
        "validate --summary": ("prepbook", "validate", "--summary", "--colour", "never"),
        **{
            f"diff --format {f}": ("prepbook", "diff", "before", "--format", f)
            for f in DIFF_FORMATS
        },
        "mkdocs build": ("mkdocs", "build"),
    }
    printed = ""
    for what, args in runs.items():
        done = _run(root, *args)
        assert done.returncode in (0, 1), (case, what, done.stderr[-2000:])
        _clean(case, what, done)
        printed += done.stdout + done.stderr
    # and it was there to be caught: the hostile text reached the output, neutralised, or
    # was refused by name
    assert evidence in printed, case


def test_a_command_line_error_quotes_a_file_name_neutralised(tmp_path: Path) -> None:
    root = _project(tmp_path, "attacked.yaml", GOOD)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    for args in (
        ("prepbook", "validate", f"missing{ESC_TITLE}.yaml"),
        ("prepbook", "show", f"missing{CLEAR}.yaml"),
        ("prepbook", "diff", f"no-such-revision{ESC_TITLE}"),
        ("prepbook", "validate", "--baseline", f"gone{CLEAR}.json"),
    ):
        done = _run(root, *args)
        assert done.returncode == 2, (args, done.stderr)
        assert "\N{REPLACEMENT CHARACTER}" in done.stderr, done.stderr
        _clean("error message", " ".join(args[:2]), done)


def test_the_error_page_under_serve_holds_no_control_character() -> None:
    from prepbook.findings import Finding
    from prepbook.report.error_page import error_page

    finding = Finding.of(
        "PB101", f"unknown key 'a{CLEAR}b\u202e'", f"workshops/x{ESC_TITLE}.yaml", hint="\x9b2J"
    )
    page = error_page([finding], 1, site_name=f"Site{ESC_TITLE}")
    assert RAW_CONTROL.search(page) is None
    assert page.count("\N{REPLACEMENT CHARACTER}") >= 5
