"""Property-based tests: whatever the bytes, the loader and the validator answer with
findings, never an exception; whatever validates also renders and builds."""

from __future__ import annotations

import tempfile
from pathlib import Path

import markdown
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prepbook.build import check_blobs
from prepbook.config import Settings
from prepbook.load.source import parse_source
from prepbook.render.site import render_site
from prepbook.report.checked import Checked
from prepbook.rules import RULES
from tests.conftest import EXAMPLE_IDS, EXAMPLES

EXAMPLE_TEXT = {
    name: (EXAMPLES / f"{name}.yaml").read_text(encoding="utf-8") for name in EXAMPLE_IDS
}
TOKENS = [
    "~",
    "no",
    "on",
    "yes",
    "[",
    "]",
    "{",
    "}",
    "&a ",
    "*a",
    "!!str ",
    "!!python/none",
    "'",
    '"',
    ": ",
    "- ",
    "\t",
    "1:30",
    ".inf",
    "010",
    "",
    "\n",
    "#",
    "|",
    ">",
    "%",
    "@",
    "`",
    "\ufeff",
    "\x00",
    "\x85",
    "\u2028",
    "é",
    "💥",
    "null",
    "true",
    "-1",
    "2026-02-30",
    "9" * 30,
    "<<: ",
    "? ",
    "---",
    "...",
]


def check(blobs: list[tuple[Path, bytes]]) -> Checked:
    checked = check_blobs(blobs, Settings())
    for finding in checked.report.findings:
        assert finding.rule in RULES and finding.message
    return checked


@given(st.binary(max_size=2000))
@settings(max_examples=300, deadline=None)
def test_any_bytes_give_findings_not_exceptions(raw: bytes) -> None:
    source, findings = parse_source(raw, "x.yaml")
    assert source is not None or findings
    check([(Path("x.yaml"), raw)])


@given(st.text(max_size=2000))
@settings(max_examples=300, deadline=None)
def test_any_text_gives_findings_not_exceptions(text: str) -> None:
    check([(Path("x.yaml"), text.encode("utf-8", "surrogatepass"))])


@st.composite
def mutated_example(draw: st.DrawFn) -> tuple[str, str]:
    name = draw(st.sampled_from(EXAMPLE_IDS))
    lines = EXAMPLE_TEXT[name].split("\n")
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "replace"]))
        i = draw(st.integers(0, len(lines) - 1))
        if op == "delete" and len(lines) > 1:
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "insert":
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + draw(st.sampled_from(TOKENS)) + lines[i][at:]
        else:
            words = lines[i].split(" ")
            k = draw(st.integers(0, len(words) - 1))
            words[k] = draw(st.sampled_from(TOKENS))
            lines[i] = " ".join(words)
    return name, "\n".join(lines)


@given(mutated_example())
@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
def test_mutated_examples_give_findings_and_valid_ones_render(case: tuple[str, str]) -> None:
    name, text = case
    blobs = [
        (
            Path(f"workshops/{n}.yaml"),
            (text if n == name else EXAMPLE_TEXT[n]).encode("utf-8", "surrogatepass"),
        )
        for n in EXAMPLE_IDS
    ]
    checked = check(blobs)
    if checked.report.ok:
        pages = render_site(checked.playbook, checked.report).pages
        for page in pages.values():
            markdown.markdown(page, extensions=["tables", "attr_list", "md_in_html"])


@given(mutated_example())
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
def test_what_validates_builds(case: tuple[str, str]) -> None:
    """The full MkDocs build, in this process, for mutations that still validate."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    name, text = case
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "workshops").mkdir()
        for n in EXAMPLE_IDS:
            (root / "workshops" / f"{n}.yaml").write_text(text if n == name else EXAMPLE_TEXT[n])
        checked = check_blobs(
            [(p, p.read_bytes()) for p in (root / "workshops").iterdir()], Settings()
        )
        if not checked.report.ok:
            return
        (root / "docs").mkdir()
        (root / "docs" / "index.md").write_text("# Home\n")
        (root / "mkdocs.yml").write_text("site_name: x\nplugins:\n  - prepbook\n")
        config = load_config(str(root / "mkdocs.yml"))
        build(config)
        assert (root / "site" / "playbook" / "workshops" / f"{name}" / "index.html").exists()
