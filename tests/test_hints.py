"""The first mistakes people make get a message that names the cause and a hint that leads
to the fix, at the place where the fix goes (and, for a syntax error noticed later, where
parsing failed as well)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from prepbook.build import check
from prepbook.checks import references
from prepbook.config import Project, Settings
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
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n")
    assert cli("new", "demo", cwd=tmp_path).code == 0
    [path] = tmp_path.rglob("demo.yaml")
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


# --- values: impossible dates, numbers with units, qualified owners ---------------------------


@pytest.mark.parametrize(
    ("written", "message", "hint"),
    [
        (
            "2027-02-30",
            "the date '2027-02-30' does not exist",
            "February 2027 has 28 days; did you mean 2027-02-28?",
        ),
        (
            "2027-02-29",
            "the date '2027-02-29' does not exist",
            "February 2027 has 28 days; did you mean 2027-02-28?",
        ),
        (
            "2026-04-31",
            "the date '2026-04-31' does not exist",
            "April 2026 has 30 days; did you mean 2026-04-30?",
        ),
        (
            "2026-13-23",
            "the date '2026-13-23' does not exist: there is no month 13",
            "months run from 01 to 12: write the year, then the month, then the day",
        ),
        (
            "2026-31-12",
            "the date '2026-31-12' does not exist: there is no month 31",
            "did you mean 2026-12-31? The month comes before the day",
        ),
        (
            "2026-04-00",
            "the date '2026-04-00' does not exist",
            "days start at 01: did you mean 2026-04-01?",
        ),
        (
            "2026-4-7",
            "the date '2026-4-7' is not written YYYY-MM-DD",
            "write the month and the day with two digits: 2026-04-07",
        ),
        (
            "31.03.2026",
            "the date '31.03.2026' is not written YYYY-MM-DD",
            "write the year first, then the month and the day: 2026-03-31",
        ),
        (  # only one reading exists: month first
            "12/25/2027",
            "the date '12/25/2027' is not written YYYY-MM-DD",
            "write the year first, then the month and the day: 2027-12-25",
        ),
        (  # both readings exist: neither is guessed, both are named
            "06/07/2027",
            "the date '06/07/2027' is 6 July or June 7, 2027? It is not written YYYY-MM-DD",
            "write 2027-07-06 (6 July) or 2027-06-07 (June 7)",
        ),
        (
            "1.2.2027",
            "the date '1.2.2027' is 1 February or January 2, 2027? It is not written YYYY-MM-DD",
            "write 2027-02-01 (1 February) or 2027-01-02 (January 2)",
        ),
        (  # the same day either way: one hint
            "07/07/2027",
            "the date '07/07/2027' is not written YYYY-MM-DD",
            "write the year first, then the month and the day: 2027-07-07",
        ),
        (
            "25/12/2027",
            "the date '25/12/2027' is not written YYYY-MM-DD",
            "write the year first, then the month and the day: 2027-12-25",
        ),
    ],
)
def test_impossible_dates_name_the_day_that_exists(playbook, cli, written, message, hint) -> None:
    text = edited("status: held", f"status: held\nreview_by: {written}")
    out, findings = validate(playbook, cli, text)
    finding = only(findings, "PB103")
    assert finding["message"] == message and finding["hint"] == hint
    assert finding["yaml_path"] == "review_by"
    assert at(finding) == (line_of(text, "review_by:"), 12)
    assert f"= hint: {hint}" in out


def test_leap_day_of_a_leap_year_is_a_date(playbook, cli) -> None:
    text = edited("status: held", "status: held\nreview_by: 2028-02-29")
    _, findings = validate(playbook, cli, text)
    assert not [f for f in findings if f["rule"] == "PB103"]


METRIC = "    direction: decrease\n"


@pytest.mark.parametrize(
    ("lines", "message", "hint"),
    [
        (
            "    baseline: 14%\n",
            "'14%' is a number with a unit; baseline takes the number alone",
            'write baseline: 14, and the unit in the metric\'s unit field: unit: "%"',
        ),
        (
            '    unit: "%"\n    target: 3.5 %\n',
            "'3.5 %' is a number with a unit; target takes the number alone",
            'the metric\'s unit is already "%" (line {unit}): write target: 3.5',
        ),
        (
            "    unit: NPS points\n    target: 12%\n",
            "'12%' is a number with a unit; target takes the number alone",
            'write target: 12; the metric\'s unit is "NPS points" (line {unit}): '
            "if the number is in %, change the unit there",
        ),
        (
            "    baseline: 1,200\n",
            "the text '1,200' is not a number",
            "write baseline: 1200, without the thousands separators",
        ),
        (
            "    baseline: 3,5\n",
            "the text '3,5' is not a number",
            "write baseline: 3.5; a number takes a decimal point, not a comma",
        ),
        (
            "    baseline: EUR 40\n",
            "'EUR 40' is a number with a unit; baseline takes the number alone",
            'write baseline: 40, and the unit in the metric\'s unit field: unit: "EUR"',
        ),
    ],
)
def test_a_number_with_a_unit_is_one_error_that_moves_the_unit(
    playbook, cli, lines, message, hint
) -> None:
    text = edited(METRIC, METRIC + lines)
    _, findings = validate(playbook, cli, text)
    finding = only(findings, "PB103")  # one error, not one a number type
    field = finding["yaml_path"].rpartition(".")[2]
    assert finding["yaml_path"].startswith("metrics[0].")
    assert finding["message"] == message and finding["expected"] == "a number"
    unit = line_of(text, "unit:") if "unit:" in text else 0
    assert finding["hint"] == hint.format(unit=unit)
    assert at(finding) == (line_of(text, f"{field}:"), 7 + len(field))


def test_a_union_of_number_types_is_one_error_for_any_text(playbook, cli) -> None:
    text = edited(METRIC, METRIC + "    target: lots\n")
    _, findings = validate(playbook, cli, text)
    finding = only(findings, "PB103")
    assert finding["message"] == "expected a number, got the text 'lots'"
    assert at(finding) == (line_of(text, "target:"), 13)


def test_a_whole_number_with_a_unit_outside_a_metric(playbook, cli) -> None:
    text = edited("{likelihood: 2, severity: 3}", "{likelihood: 2 points, severity: 3}")
    _, findings = validate(playbook, cli, text)
    finding = only(findings, "PB103")
    assert finding["message"] == (
        "'2 points' is a number with a unit; likelihood takes the number alone"
    )
    assert finding["hint"] == "write likelihood: 2, without 'points'"


def test_a_number_with_a_unit_inside_a_score_is_one_error(playbook, cli) -> None:
    """A field of one method of the score: pydantic's location holds the method's tag."""
    text = edited(
        "    measured_by: [churn]",
        "    measured_by: [churn]\n"
        "    score: {method: rice, reach: 100, impact: 1, confidence: 80, effort: 3 weeks}",
    )
    _, findings = validate(playbook, cli, text)
    finding = only(findings, "PB103")
    assert finding["yaml_path"] == "priorities[0].score.effort"
    assert finding["hint"] == "write effort: 3, without 'weeks'"
    assert at(finding) == (
        line_of(text, "effort: 3 weeks"),
        text.splitlines()[line_of(text, "effort: 3 weeks") - 1].index("3 weeks") + 1,
    )


def test_qualified_owner_suggests_the_local_member(playbook, cli) -> None:
    text = edited("decider: dan", "decider: mini/dan")
    out, findings = validate(playbook, cli, text)
    finding = only(findings, "PB103")
    assert finding["message"] == (
        "'mini/dan' names this workshop, 'mini', before the '/': decider takes the id of "
        "one of its team members alone"
    )
    assert finding["hint"] == (
        f"it means 'dan', this workshop's team member Dan (line {line_of(text, 'id: dan')}): "
        "write decider: dan"
    )
    assert finding["expected"] == "the id of a team member of this workshop (listed under team)"
    assert at(finding) == (line_of(text, "decider:"), 10)
    assert "mini-dan" not in out
    assert [f["rule"] for f in findings] == ["PB103"]


def test_owner_qualified_with_another_workshop_suggests_the_local_member(playbook, cli) -> None:
    text = edited("    direction: decrease\n", "    direction: decrease\n    owner: other/fay\n")
    _, findings = validate(playbook, cli, text)
    finding = only(findings, "PB103")
    assert finding["yaml_path"] == "metrics[0].owner"
    assert finding["message"] == (
        "'other/fay' names the workshop 'other', but owner names a team member of this same "
        "workshop only"
    )
    assert finding["hint"] == (
        f"it means 'fay', this workshop's team member Fay (line {line_of(text, 'id: fay')}): "
        "write owner: fay"
    )


def test_owner_qualified_with_an_organisation_names_the_likely_member(playbook, cli) -> None:
    text = edited("    direction: decrease\n", "    direction: decrease\n    owner: org/fai\n")
    _, findings = validate(playbook, cli, text)
    finding = only(findings, "PB103")
    assert finding["message"].endswith("but owner names a team member of this same workshop only")
    assert finding["hint"] == (
        f"it probably means 'fay', this workshop's team member Fay "
        f"(line {line_of(text, 'id: fay')}): write owner: fay"
    )


def test_qualified_member_missing_here_says_it_must_be_of_this_workshop(playbook, cli) -> None:
    text = edited("decider: dan", "decider: northwind-retail/aisha-khan")
    _, findings = validate(playbook, cli, text)
    finding = only(findings, "PB103")
    assert finding["hint"] == (
        "add 'aisha-khan' under team in this workshop, or name one of its team members: a "
        "team member of another workshop cannot be named here"
    )
    text = edited("decider: dan", "decider: other/dann")
    _, findings = validate(playbook, cli, text)
    assert only(findings, "PB103")["hint"] == (
        f"it probably means 'dan', this workshop's team member Dan "
        f"(line {line_of(text, 'id: dan')}): write decider: dan"
    )


def test_qualified_phase_suggests_the_local_phase(playbook, cli) -> None:
    text = edited("      phase: now", "      phase: mini/now")
    _, findings = validate(playbook, cli, text)
    finding = only(findings, "PB103")
    assert finding["message"] == (
        "'mini/now' names this workshop, 'mini', before the '/': phase takes the id of one "
        "of its roadmap phases alone"
    )
    assert finding["hint"] == (
        f"it means 'now', this workshop's roadmap phase Now (line {line_of(text, 'id: now')}): "
        "write phase: now"
    )


# --- references: "did you mean" across the workshops of the playbook --------------------------


def other_workshop(workshop_id: str, asset: str) -> str:
    return edited(
        "  - id: crm\n    title: CRM data",
        f"  - id: {asset}\n    title: Orders",
        minimal(workshop_id),
    ).replace("requires: [crm]", f"requires: [{asset}]")


def test_unresolved_reference_names_the_record_of_another_workshop(playbook, cli) -> None:
    root: Path = playbook(
        {
            "mini.yaml": edited("requires: [crm]", "requires: [crm, order-history]"),
            "shop.yaml": other_workshop("shop", "order-history"),
        }
    )
    result = cli("validate", "--format", "json", cwd=root)
    finding = only(json.loads(result.out)["findings"], "PB204")
    assert finding["file"].endswith("mini.yaml")
    assert finding["message"] == "no audited asset has the id 'order-history'"
    assert finding["hint"] == "did you mean 'shop/order-history'?"
    assert at(finding) == (line_of(minimal(), "requires: [crm]"), 21)


def test_close_id_in_another_workshop_is_suggested_with_its_workshop(playbook, cli) -> None:
    root: Path = playbook(
        {
            "mini.yaml": edited("requires: [crm]", "requires: [crm, order-histories]"),
            "shop.yaml": other_workshop("shop", "order-history"),
        }
    )
    finding = only(
        json.loads(cli("validate", "--format", "json", cwd=root).out)["findings"], "PB204"
    )
    assert finding["hint"] == "did you mean 'shop/order-history'?"


def test_local_and_other_workshop_matches_are_both_named(playbook, cli) -> None:
    root: Path = playbook(
        {
            "mini.yaml": edited("requires: [crm]", "requires: [crm, cdpx]"),
            "shop.yaml": other_workshop("shop", "cdpx"),
        }
    )
    finding = only(
        json.loads(cli("validate", "--format", "json", cwd=root).out)["findings"], "PB204"
    )
    assert finding["hint"] == "did you mean 'cdp' or 'shop/cdpx'?"


def test_a_match_of_the_same_organisation_comes_first_and_another_is_named_so(
    playbook, cli
) -> None:
    """A suggestion that would point into another company's workshop says so: following it
    silently would trade an error for the cross-organisation warning (PB370)."""
    root: Path = playbook(
        {
            "mini.yaml": edited("requires: [crm]", "requires: [crm, order-history]"),
            "acme.yaml": other_workshop("acme", "order-history").replace(
                "organisation: Example Ltd", "organisation: Acme Group"
            ),
            "shop.yaml": other_workshop("shop", "order-history"),
        }
    )
    finding = only(
        json.loads(cli("validate", "--format", "json", cwd=root).out)["findings"], "PB204"
    )
    assert finding["hint"] == (
        "did you mean 'shop/order-history' or "
        "'acme/order-history' (of Acme Group, another organisation)?"
    )


def test_members_are_never_suggested_from_another_workshop(playbook, cli) -> None:
    root: Path = playbook(
        {
            "mini.yaml": edited("decider: dan", "decider: zed-zulu"),
            "shop.yaml": minimal("shop")
            .replace("id: dan", "id: zed-zulu")
            .replace("decider: dan", "decider: zed-zulu"),
        }
    )
    finding = only(
        json.loads(cli("validate", "--format", "json", cwd=root).out)["findings"], "PB204"
    )
    assert finding["message"] == "no team member has the id 'zed-zulu'"
    assert "shop" not in finding["hint"]


def test_a_large_playbook_names_only_exact_matches_elsewhere(playbook, monkeypatch) -> None:
    """Past the pool a close id is looked for in, an exact id elsewhere is still named."""
    files = {
        "mini.yaml": edited("requires: [crm]", "requires: [crm, order-histories, cdpx]"),
        "shop.yaml": other_workshop("shop", "order-history").replace("id: cdp\n", "id: cdpx\n"),
    }
    root: Path = playbook(files)
    hints = {}
    for pool in (2000, 1):
        monkeypatch.setattr(references, "MAX_FUZZY_POOL", pool)
        report = check(Project(Settings(), root)).report
        hints[pool] = sorted(f.hint for f in report.findings if f.rule == "PB204")
    assert hints[2000] == [
        "did you mean 'cdp' or 'shop/cdpx'?",
        "did you mean 'shop/order-history'?",
    ]
    assert hints[1] == [
        "add an audited asset with id 'order-histories', or fix the id",
        "did you mean 'cdp' or 'shop/cdpx'?",
    ]


def test_where_parsing_failed_on_the_same_line_is_marked_under_it(playbook, cli) -> None:
    text = edited("    threatens: [offers]", "    threatens: [offers}")
    out, findings = validate(playbook, cli, text)
    finding = only(findings, "PB001")
    line = line_of(text, "threatens:")
    assert at(finding) == (line, 16)
    assert related(finding) == [(line, 23, "parsing failed here: did not find expected ',' or ']'")]
    assert out.count("threatens: [offers}") == 1  # the line once, with both marks under it
    assert "\n    |                ^\n    |                       - parsing failed here" in out


def test_unknown_escape_in_double_quotes_explains_the_backslash(playbook, cli) -> None:
    text = edited("title: Minimal workshop", 'title: "C:\\Documents"')
    _, findings = validate(playbook, cli, text)
    finding = only(findings, "PB001")
    assert at(finding) == (line_of(text, "title:"), 11)
    assert finding["hint"] == (
        'a backslash in "..." starts an escape: write \\\\ for a backslash, or use single quotes'
    )


def test_unclosed_quote_before_a_document_marker_says_where_parsing_failed(playbook, cli) -> None:
    text = edited("title: Minimal workshop", 'title: "Loyalty\n---')
    _, findings = validate(playbook, cli, text)
    finding = only(findings, "PB001")
    assert at(finding) == (line_of(text, "title:"), 8)
    assert related(finding) == [
        (line_of(text, "---"), 1, "parsing failed here: found unexpected document indicator")
    ]
