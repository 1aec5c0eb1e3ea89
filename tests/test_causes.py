"""Causes first: one mistake is reported once, at its cause, with what follows from it
counted and listed under it, in every output, still counted for exit codes, severities,
the completeness score and the baseline; and no finding that only a confusion of records made.
"""

from __future__ import annotations

import json
from pathlib import Path

from prepbook.build import check
from prepbook.checks.causes import TIES, fold
from prepbook.config import Project, Settings
from prepbook.findings import Fact, Finding
from prepbook.render.site import render_site
from prepbook.report import Report
from prepbook.report.error_page import error_page
from prepbook.rules import Severity
from prepbook.scaffold import scaffold
from tests.conftest import minimal
from tests.test_report_formats import report_schema_errors, sarif_errors


def line_of(text: str, needle: str, after: int = 0) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line and i > after)


def where(entry: dict) -> tuple[str, int, str]:
    return entry["rule"], entry["span"]["line"], entry["yaml_path"]


def run(playbook, cli, text: str, *args: str, name: str = "mini.yaml") -> tuple[Path, dict]:
    root: Path = playbook({name: text})
    done = cli("validate", "--format", "json", *args, cwd=root)
    document = json.loads(done.out)
    assert report_schema_errors(document) == []
    return root, document


# --- a metric given the id of a priority -----------------------------------------------------

SHARED = minimal().replace("  - id: churn\n", "  - id: offers\n", 1)


def test_a_duplicate_id_holds_the_references_and_rules_it_confuses(playbook, cli) -> None:
    text = SHARED
    _, document = run(playbook, cli, text)
    findings = document["findings"]
    priority = line_of(text, "  - id: offers", line_of(text, "priorities:"))
    assert [where(f) for f in findings] == [
        ("PB201", priority, "priorities[0].id"),
        ("PB204", line_of(text, "measured_by:"), "priorities[0].measured_by[0]"),
    ]
    duplicate, missing = findings
    assert duplicate["message"] == "the id 'offers' is already used by the metric at line 41"
    assert [where(f) for f in duplicate["follows"]] == [
        ("PB204", line_of(text, "threatens:"), "persofails[0].threatens[0]"),
        ("PB341", priority, "priorities[0].id"),
        ("PB351", priority, "priorities[0].id"),
        ("PB204", line_of(text, "delivers:"), "roadmap.steps[0].delivers[0]"),
    ]
    # the metric that lost its id: PB340 follows from the reference that now names nothing
    assert missing["message"] == "no metric has the id 'churn'"
    assert [where(f) for f in missing["follows"]] == [
        ("PB340", line_of(text, "measured_by:"), "priorities[0].measured_by")
    ]
    assert document["summary"] == {"error": 4, "warning": 3, "info": 0, "follows": 5}
    assert {"PB201", "PB204", "PB340", "PB341", "PB351"} <= set(document["rules"])


def test_the_text_lists_what_follows_under_its_cause(playbook, cli) -> None:
    root: Path = playbook({"mini.yaml": SHARED})
    done = cli("validate", cwd=root)
    assert done.code == 1
    assert done.out.count("\nerror[") + done.out.startswith("error[") == 2
    assert "warning[" not in done.out.replace("       warning[", "")
    assert (
        "   = and 4 findings that follow from this:\n"
        "       error[PB204] workshops/mini.yaml:51:17 (persofails[0].threatens[0]): 'offers' is "
        "a metric, not a priority\n"
        "       warning[PB341] workshops/mini.yaml:53:9 (priorities[0].id): no persofail "
        "threatens the committed priority 'offers'\n"
    ) in done.out
    assert done.out.endswith(
        "checked 1 file: 2 errors (5 more that follow from them: 2 errors, 3 warnings), "
        "0 warnings, 0 info\n"
    )


def test_no_false_warning_about_a_priority_whose_id_a_metric_took(tmp_path: Path) -> None:
    """The starter workshop's priority is measured by a guardrail: once a metric takes its
    id, it still is, and nothing says otherwise (PB340 judged the metric's id before)."""
    files = scaffold("Example").files
    (tmp_path / "workshops").mkdir()
    starter = files["workshops/first-workshop.yaml"].replace(
        "  - id: repeat-purchase-rate\n", "  - id: reorder-reminders\n", 1
    )
    (tmp_path / "workshops/first-workshop.yaml").write_text(starter, encoding="utf-8")
    checked = check(Project(Settings(), tmp_path))
    every = [g for f in checked.report.findings for g in f.every()]
    assert "PB340" not in {f.rule for f in every}
    assert sorted(f.rule for f in every) == ["PB201", "PB204", "PB204", "PB204", "PB341", "PB351"]
    assert [f.rule for f in checked.report.findings] == ["PB201", "PB204"]
    # the completeness score still sees the rules broken under the cause
    assert checked.completeness(Settings())["first-workshop"].failed == ["PB341", "PB351"]


def test_two_priorities_of_one_id_are_each_judged_on_their_own_references(playbook) -> None:
    """A committed priority whose id an earlier one holds is judged by what it wrote: the
    graph's edges of that id are the first one's, with their paths."""
    second = (
        "  - id: offers\n    title: Offers again\n    status: committed\n"
        "    requires: [crm, analysts, cdp, partial-asset]\n    measured_by: [churn]\n"
    )
    text = minimal().replace("roadmap:\n", second + "roadmap:\n", 1)
    text = text.replace(
        "metrics:\n",
        "  - id: partial-asset\n    title: P\n    kind: data\n    readiness: partial\nmetrics:\n",
        1,
    )
    root = playbook({"mini.yaml": text})
    checked = check(Project(Settings(), root))
    gaps = [g for f in checked.report.findings for g in f.every() if g.rule == "PB331"]
    assert [(g.yaml_path, g.subject) for g in gaps] == [
        ("priorities[1].requires[3]", "partial-asset")
    ]


# --- a misspelt required key -------------------------------------------------------------------


def test_a_misspelt_required_key_is_one_finding(playbook, cli) -> None:
    text = minimal().replace("  - id: crm\n    title: CRM data", "  - id: crm\n    titel: CRM data")
    root, document = run(playbook, cli, text)
    [finding] = document["findings"]
    assert where(finding) == ("PB101", line_of(text, "titel:"), "audit[0].titel")
    assert finding["message"] == "'titel' is not a key; did you mean 'title'?"
    assert finding["hint"] == "rename 'titel' to 'title': 'title' is required here, and missing"
    assert [where(f) for f in finding["follows"]] == [
        ("PB102", line_of(text, "  - id: crm"), "audit[0]")
    ]
    assert finding["follows"][0]["message"] == "missing required key 'title'"
    assert document["summary"] == {"error": 2, "warning": 0, "info": 0, "follows": 1}
    done = cli("validate", cwd=root)
    assert done.code == 1
    assert done.out.endswith(
        "checked 1 file: 1 error (1 more that follows from it: 1 error), 0 warnings, 0 info\n"
    )


def test_an_unknown_key_that_is_no_misspelling_stands_alone(playbook, cli) -> None:
    text = minimal().replace("  - id: crm\n    title: CRM data", "  - id: crm\n    colour: red")
    _, document = run(playbook, cli, text)
    assert sorted(f["rule"] for f in document["findings"]) == ["PB101", "PB102"]
    assert all(f["follows"] == [] for f in document["findings"])


# --- every output, the baseline, the error page, the site --------------------------------------


def test_sarif_names_what_follows_as_related_locations(playbook, cli) -> None:
    root: Path = playbook({"mini.yaml": SHARED})
    document = json.loads(cli("validate", "--format", "sarif", cwd=root).out)
    assert sarif_errors(document) == []
    results = document["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["PB201", "PB204"]
    related = results[0]["relatedLocations"]
    assert [r["physicalLocation"]["region"]["startLine"] for r in related] == [51, 53, 53, 72]
    assert related[0]["message"]["text"] == (
        "Follows from this: error[PB204] 'offers' is a metric, not a priority."
    )
    follows = results[0]["properties"]["follows"]
    assert [(f["ruleId"], f["level"], f["startLine"]) for f in follows] == [
        ("PB204", "error", 51),
        ("PB341", "warning", 53),
        ("PB351", "warning", 53),
        ("PB204", "error", 72),
    ]


def test_github_gives_one_annotation_a_cause(playbook, cli) -> None:
    root: Path = playbook({"mini.yaml": SHARED})
    done = cli("validate", "--format", "github", cwd=root)
    annotations = [line for line in done.out.splitlines() if line.startswith("::")]
    assert len(annotations) == 2
    assert (
        "; and 4 findings that follow from this: error[PB204] workshops/mini.yaml:51:17"
        in (annotations[0])
    )


def test_the_baseline_matches_a_cause_with_what_follows_across_runs(playbook, cli) -> None:
    root: Path = playbook({"mini.yaml": SHARED})
    assert cli("validate", "--format", "json", "--output", "base.json", cwd=root).code == 1
    file = root / "workshops/mini.yaml"
    file.write_text("# moved down\n" + SHARED, encoding="utf-8")
    done = cli("validate", "--strict", "--baseline", "base.json", cwd=root)
    assert done.code == 0, done.out
    assert done.out.startswith("2 known findings, in the baseline base.json (not failing):")
    # a report that listed each finding on its own (an earlier prepbook's) matches too
    document = json.loads((root / "base.json").read_text())
    flat = [g for f in document["findings"] for g in (f, *f.pop("follows"))]
    (root / "flat.json").write_text(json.dumps({**document, "findings": flat}))
    assert cli("validate", "--strict", "--baseline", "flat.json", cwd=root).code == 0
    # one more finding that follows from a known cause makes the cause new
    more = SHARED.replace("    threatens: [offers]\n", "    threatens: [offers, offers]\n", 1)
    file.write_text(more, encoding="utf-8")
    done = cli("validate", "--baseline", "base.json", cwd=root)
    assert done.code == 1
    assert "1 known finding" in done.out and "error[PB201]" in done.out


def test_the_error_page_lists_what_follows_under_its_cause(playbook) -> None:
    root = playbook({"mini.yaml": SHARED})
    report = check(Project(Settings(), root)).report
    errors = [f for f in report.findings if f.severity == Severity.ERROR]
    page = error_page(errors, 1, site_name="x")
    assert "The workshops have 2 errors" in page
    assert (
        '<p class="follows">and 4 findings that follow from this:</p><ul class="follows">' in page
    )
    assert (
        '<li><span class="rule">warning[PB341]</span> <code>' in page
        and "mini.yaml:53:9 (priorities[0].id)</code>: no persofail threatens the committed "
        "priority &#x27;offers&#x27;</li>"
        in page
    )


def test_the_site_lists_what_follows_under_its_cause(playbook) -> None:
    root = playbook({"mini.yaml": minimal()})
    checked = check(Project(Settings(), root))
    assert checked.report.findings == ()
    held = Finding.of("PB351", "no roadmap step delivers the committed priority 'offers'", "f")
    cause = Finding.of(
        "PB341",
        "no persofail threatens the committed priority 'offers'",
        "f",
        workshop="mini",
        record="offers",
        follows=(held,),
    )
    pages = render_site(checked.playbook, Report(checked.report.files, (cause,))).pages
    page = pages["workshops/mini.md"]
    assert (
        "threatens the committed priority &#39;offers&#39;</span> (<span data-search-exclude>"
        "[Offers](#priority-offers)</span>) ([why it matters](../rules/pb341.md)); and 1 finding "
        "that follows from this:\n"
        "    - Warning: <span "
        "data-search-exclude>no roadmap step delivers the committed priority &#39;offers&#39;"
        "</span> ([why it matters](../rules/pb351.md))\n"
    ) in page
    assert "PB351" not in page and "unscheduled-priority" not in page


# --- the table --------------------------------------------------------------------------------


def test_each_tie_folds_to_the_first_cause_with_the_highest_severity() -> None:
    def finding(rule: str, *facts: Fact, severity: Severity = Severity.ERROR) -> Finding:
        return Finding(rule, rule, "f", severity=severity, facts=facts)

    cause = finding("PB201", Fact("shadowed-id", ("w", "x", "priority")))
    reference = finding(
        "PB204",
        Fact("names-id", ("w", "x", "priority")),
        Fact("meant-link", ("threatens", "w", "x")),
    )
    rule = finding("PB341", Fact("lacks-link", ("threatens", "w", "x")), severity=Severity.INFO)
    alone = finding("PB204", Fact("names-id", ("w", "y", "priority")))
    folded = fold([rule, cause, alone, reference])
    assert [f.rule for f in folded] == ["PB201", "PB204"]
    assert [f.rule for f in folded[0].follows] == ["PB341", "PB204"]
    assert folded[1] is alone
    warned = fold(
        [
            finding("PB101", Fact("unknown-key", ("f", "", "k")), severity=Severity.INFO),
            finding("PB102", Fact("misspelt-key", ("f", "", "k"), "key")),
        ]
    )
    assert [f.severity for f in warned] == [Severity.ERROR]  # the highest it holds
    assert {tie.follows for tie in TIES} == {"misspelt-key", "names-id", "lacks-link", "lacks-own"}
