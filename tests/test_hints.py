"""The first mistakes people make get a message that names the cause and a hint that leads
to the fix, at the place where the fix goes (and, for a syntax error noticed later, where
parsing failed as well)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import minimal
from tests.test_report_formats import report_schema_errors, sarif_errors


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def edited(old: str, new: str, text: str | None = None) -> str:
    text = minimal() if text is None else text
    assert old in text, old
    return text.replace(old, new, 1)


def validate(playbook, cli, text: str, *args: str) -> tuple[str, list[dict]]:
    """``prepbook validate`` on one workshop file: its text output, and its JSON findings."""
    root: Path = playbook({"mini.yaml": text})
    shown = cli("validate", *args, cwd=root)
    document = json.loads(cli("validate", "--format", "json", cwd=root).out)
    assert report_schema_errors(document) == []
    assert "Traceback" not in shown.out + shown.err
    return shown.out, document["findings"]


def only(findings: list[dict], rule: str) -> dict:
    [finding] = [f for f in findings if f["rule"] == rule]
    return finding


def at(finding: dict) -> tuple[int, int]:
    return finding["span"]["line"], finding["span"]["column"]


def related(finding: dict) -> list[tuple[int, int, str]]:
    return [(r["span"]["line"], r["span"]["column"], r["label"]) for r in finding["related"]]


# --- syntax: indentation, '[]' before items, unclosed quotes and brackets -------------------


def test_over_indented_key_after_a_value_is_an_indentation_problem(playbook, cli) -> None:
    text = edited("organisation: Example Ltd", "   organisation: Example Ltd")
    out, findings = validate(playbook, cli, text)
    finding = only(findings, "PB001")
    assert finding["message"] == (
        "YAML syntax: 'organisation' is indented 3 columns deeper than 'title' above it"
    )
    assert at(finding) == (line_of(text, "organisation:"), 4)
    assert finding["span"]["end_column"] == 4 + len("organisation")
    assert finding["hint"].startswith(
        f"start 'organisation' at column 1, like 'title' on line {line_of(text, 'title:')}"
    )
    assert "quotes" not in finding["hint"] and finding["related"] == []
    assert "   |    ^^^^^^^^^^^^\n" in out  # the caret under the whole key


def test_over_indented_key_after_a_collection_is_an_indentation_problem(playbook, cli) -> None:
    text = edited("      phase: now\n", "      phase: now\n        delivers: [offers]\n")
    text = edited("      delivers: [offers]\n", "", text)
    _, findings = validate(playbook, cli, text)
    finding = only(findings, "PB001")
    assert finding["message"] == (
        "YAML syntax: 'delivers' is indented 2 columns deeper than 'phase' above it"
    )
    assert at(finding) == (line_of(text, "delivers:"), 9)
    assert (
        f"start 'delivers' at column 7, like 'phase' on line {line_of(text, 'phase:')}"
        in (finding["hint"])
    )


def test_under_indented_key_of_a_list_item_is_an_indentation_problem(playbook, cli) -> None:
    text = edited("    readiness: ready", "   readiness: ready")
    _, findings = validate(playbook, cli, text)
    finding = only(findings, "PB001")
    assert finding["message"] == (
        "YAML syntax: 'readiness' is indented 1 column less than 'kind' above it"
    )
    assert at(finding) == (line_of(text, "   readiness: ready"), 4)
    assert finding["hint"] == (
        f"start 'readiness' at column 5, like 'kind' on line {line_of(text, 'kind: data')}"
    )


def test_a_value_with_colon_on_its_own_line_still_asks_for_quotes(playbook, cli) -> None:
    text = edited("title: Minimal workshop", "title: Minimal: workshop")
    _, findings = validate(playbook, cli, text)
    finding = only(findings, "PB001")
    assert at(finding) == (line_of(text, "title:"), 15)
    assert finding["hint"] == "a value that contains ': ' must be put in quotes"


@pytest.mark.parametrize("column", [1, 3])
def test_empty_list_followed_by_items_says_to_remove_the_brackets(
    playbook, cli, column: int
) -> None:
    """The skeleton of `prepbook new` with its example team uncommented, at either indent."""
    pad = " " * (column - 1)
    items = f"{pad}- id: ada\n{pad}  name: Ada Example\n{pad}  function: product\n"
    text = edited("team:\n", "team: []\n" + items)
    out, findings = validate(playbook, cli, text)
    finding = only(findings, "PB001")
    team = line_of(text, "team: []")
    assert finding["message"] == (
        "YAML syntax: 'team: []' makes an empty list, and list items follow it"
    )
    assert at(finding) == (team, 7) and finding["span"]["end_column"] == 9
    assert related(finding) == [(team + 1, column, "the items start here")]
    assert finding["hint"] == "remove the '[]' after 'team:': the '- ' items below are the list"
    assert f" {team} | team: []\n" in out and "   |       ^^\n" in out
    assert "- the items start here\n" in out


def test_skeleton_of_prepbook_new_with_its_team_uncommented(cli, tmp_path) -> None:
    assert cli("new", "demo", cwd=tmp_path).code in (0, 1)
    path = tmp_path / "workshops" / "demo.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("team: []")
    block = text[start : text.index("\n\n", start)]
    uncommented = re.sub(r"(?m)^#(  - |    )", r"\1", block)
    assert uncommented != block
    path.write_text(text.replace(block, uncommented), encoding="utf-8")
    result = cli("validate", "--format", "json", str(path), cwd=tmp_path)
    finding = only(json.loads(result.out)["findings"], "PB001")
    assert at(finding) == (line_of(text, "team: []"), 7)
    assert "remove the '[]' after 'team:'" in finding["hint"]


def test_empty_mapping_followed_by_keys_says_to_remove_the_braces(playbook, cli) -> None:
    text = edited(
        "    inherent: {likelihood: 2, severity: 3}",
        "    inherent: {}\n      likelihood: 2\n      severity: 3",
    )
    _, findings = validate(playbook, cli, text)
    finding = only(findings, "PB001")
    assert at(finding) == (line_of(text, "inherent: {}"), 15)
    assert related(finding) == [(line_of(text, "likelihood: 2"), 7, "the keys start here")]
    assert finding["hint"].startswith("remove the '{}' after 'inherent:'")


@pytest.mark.parametrize("quote", ['"', "'"])
def test_unclosed_quote_points_at_its_opening_and_at_the_end(playbook, cli, quote) -> None:
    text = edited("title: Minimal workshop", f"title: {quote}Loyalty")
    out, findings = validate(playbook, cli, text)
    finding = only(findings, "PB001")
    assert finding["message"] == f"YAML syntax: the quote {quote} opened here is never closed"
    assert at(finding) == (line_of(text, "title:"), 8)
    ends = text.count("\n") + 1
    assert related(finding) == [(ends, 1, "the file ends inside the quoted value")]
    assert finding["hint"].startswith(f"end the value with {quote}")
    assert "   |        ^\n" in out and f" {ends} | \n" in out
    assert "- the file ends inside the quoted value" in out


def test_quote_closed_by_a_later_quote_points_at_its_opening(playbook, cli) -> None:
    text = edited("title: Minimal workshop", 'title: "Loyalty')
    text = edited("organisation: Example Ltd", 'organisation: "Example" Ltd', text)
    _, findings = validate(playbook, cli, text)
    finding = only(findings, "PB001")
    org = line_of(text, "organisation:")
    assert finding["message"] == (
        f"YAML syntax: the quoted value that starts here runs on to line {org}"
    )
    assert at(finding) == (line_of(text, "title:"), 8)
    [(line, _, label)] = related(finding)
    assert line == org and label.startswith("parsing failed here")
    assert finding["hint"].startswith(
        f"close the quote where the value ends on line {line_of(text, 'title:')}"
    )


def test_quote_inside_a_quoted_value_closes_it_early(playbook, cli) -> None:
    text = edited("title: Minimal workshop", "title: 'Ann's workshop'")
    _, findings = validate(playbook, cli, text)
    finding = only(findings, "PB001")
    assert at(finding) == (line_of(text, "title:"), 8)
    assert finding["hint"].endswith("a ' inside '...' is written ''")


@pytest.mark.parametrize(
    ("old", "new", "bracket", "column"),
    [
        ("    threatens: [offers]", "    threatens: [offers", "[", 16),
        (
            "    inherent: {likelihood: 2, severity: 3}",
            "    inherent: {likelihood: 2, severity: 3",
            "{",
            15,
        ),
    ],
)
def test_unclosed_bracket_points_at_its_opening(playbook, cli, old, new, bracket, column) -> None:
    text = edited(old, new)
    out, findings = validate(playbook, cli, text)
    finding = only(findings, "PB001")
    assert finding["message"] == f"YAML syntax: the '{bracket}' opened here is not closed"
    assert at(finding) == (line_of(text, new), column)
    [(line, _, label)] = related(finding)
    assert line > line_of(text, new) and label.startswith("parsing failed here: did not find")
    closing = "]" if bracket == "[" else "}"
    assert finding["hint"].startswith(
        f"end the {'list' if bracket == '[' else 'mapping'} with '{closing}'"
    )
    assert "- parsing failed here" in out


def test_every_format_carries_where_parsing_failed(playbook, cli) -> None:
    text = edited("    threatens: [offers]", "    threatens: [offers")
    root: Path = playbook({"mini.yaml": text})
    opened, failed = line_of(text, "threatens:"), line_of(text, "threatens:") + 1
    sarif = json.loads(cli("validate", "--format", "sarif", cwd=root).out)
    assert sarif_errors(sarif) == []
    [result] = sarif["runs"][0]["results"]
    region = result["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (opened, 16)
    [other] = result["relatedLocations"]
    assert other["physicalLocation"]["region"]["startLine"] == failed
    assert other["message"]["text"].startswith("Parsing failed here")
    github = cli("validate", "--format", "github", cwd=root).out
    assert f"line={opened},col=16" in github
    assert "parsing failed here%3A" not in github  # the body is not a property
    assert f"parsing failed here: did not find expected ',' or ']' (line {failed}, column" in (
        github
    )
