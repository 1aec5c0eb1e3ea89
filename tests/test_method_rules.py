"""The method's rules: each one's documented examples, their configuration in one place,
silences with reasons, and the completeness score."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from prepbook.build import check
from prepbook.config import Project, Settings
from prepbook.docs.reference import rule_docs
from prepbook.rules import METHOD_RULES, RULES, Severity
from tests.conftest import dated, minimal
from tests.test_site import ENV


def merge(base: object, patch: object) -> object:
    """A workshop excerpt laid over a workshop: the workshop and its roadmap merge key by
    key, lists of records merge record by record (by id), and a record's fields given in
    the excerpt replace the record's own."""
    if isinstance(base, dict) and isinstance(patch, dict):
        if "id" in base and "title" not in patch and "roadmap" not in base:
            return {**base, **patch}  # a record: fields replaced, not merged
        out = dict(base)
        for key, value in patch.items():
            out[key] = merge(base[key], value) if key in base else value
        return out
    if (
        isinstance(base, list)
        and isinstance(patch, list)
        and patch
        and all(isinstance(i, dict) and "id" in i for i in [*base, *patch])
    ):
        out = list(base)
        index = {item["id"]: n for n, item in enumerate(out)}
        for item in patch:
            if item["id"] in index:
                out[index[item["id"]]] = merge(out[index[item["id"]]], item)
            else:
                out.append(item)
        return out
    return patch


def with_excerpt(excerpt: str) -> str:
    return yaml.safe_dump(
        merge(yaml.safe_load(minimal()), yaml.safe_load(excerpt)), sort_keys=False
    )


def rules_found(
    playbook, text: str, settings: Settings | None = None, elsewhere: str = "", export: str = ""
):
    """The check of ``text`` as workshop ``mini``, beside the workshop ``partner`` of
    another organisation that a rule's ``elsewhere`` excerpt describes, if given, and the
    tracker export ``export`` as trackers/work.csv, if given."""
    files = {"mini.yaml": text}
    if elsewhere:
        partner = merge(yaml.safe_load(minimal("partner")), yaml.safe_load(elsewhere))
        files["partner.yaml"] = yaml.safe_dump(partner, sort_keys=False)
    root = playbook(files)
    exported = root / "trackers" / "work.csv"
    if export:
        exported.parent.mkdir(exist_ok=True)
        exported.write_text(export, encoding="utf-8")
    elif exported.exists():
        exported.unlink()
    return check(Project(settings or Settings(), root))


def test_every_method_rule_is_documented() -> None:
    docs = rule_docs()
    assert sorted(docs) == sorted(METHOD_RULES)
    for rule_id, doc in docs.items():
        assert {"rationale", "fix", "failing", "passing"} <= set(doc), rule_id


def test_the_minimal_workshop_keeps_every_rule(playbook) -> None:
    result = rules_found(playbook, minimal())
    assert result.report.findings == ()
    assert result.completeness(Settings())["mini"].score == 100


@pytest.mark.parametrize("rule_id", METHOD_RULES)
def test_documented_examples(playbook, rule_id: str) -> None:
    doc = rule_docs()[rule_id]
    elsewhere = doc.get("elsewhere", "")
    export = doc.get("export", "")
    failing = rules_found(
        playbook, with_excerpt(doc["failing"]), elsewhere=elsewhere, export=export
    )
    assert failing.report.ok, [
        f.message for f in failing.report.findings
    ]  # never an integrity error
    assert rule_id in {f.rule for f in failing.report.findings}, [
        f.message for f in failing.report.findings
    ]
    if RULES[rule_id].subject is not None:  # the page's silence covers the example's subject
        assert doc["covers"] in {f.subject for f in failing.report.findings if f.rule == rule_id}
    passing = rules_found(
        playbook,
        with_excerpt(doc["passing"]),
        elsewhere=elsewhere,
        export=doc.get("passing_export", export),
    )
    assert rule_id not in {f.rule for f in passing.report.findings}, [
        f.message for f in passing.report.findings
    ]


def test_findings_name_the_record_they_are_about(playbook) -> None:
    result = rules_found(playbook, with_excerpt(rule_docs()["PB341"]["failing"]))
    [finding] = [f for f in result.report.findings if f.rule == "PB341"]
    assert finding.record == "offers" and finding.workshop == "mini"
    assert finding.yaml_path == "priorities[0].id"


def test_gap_closed_too_late(playbook) -> None:
    excerpt = """
audit:
  - id: crm
    readiness: missing
roadmap:
  phases:
    - id: later
      title: Later
  steps:
    - id: clean-crm
      title: Clean the CRM
      phase: later
      closes_gap: [crm]
"""
    result = rules_found(playbook, with_excerpt(excerpt))
    [finding] = [f for f in result.report.findings if f.rule == "PB331"]
    assert "do not come before the steps that deliver it" in finding.message


def test_review_date_follows_source_date_epoch(playbook, monkeypatch) -> None:
    text = with_excerpt("review_by: 2027-06-30")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1798761600")  # 2027-01-01
    assert "PB360" not in {f.rule for f in rules_found(playbook, text).report.findings}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1830297600")  # 2028-01-01
    [finding] = [f for f in rules_found(playbook, text).report.findings if f.rule == "PB360"]
    assert finding.message == "'mini' was due for review on 2027-06-30"


def test_thresholds_come_from_the_settings(playbook) -> None:
    three = with_excerpt(rule_docs()["PB350"]["failing"])
    assert "PB350" in {f.rule for f in rules_found(playbook, three).report.findings}
    relaxed = Settings(max_committed_priorities=3)
    assert "PB350" not in {f.rule for f in rules_found(playbook, three, relaxed).report.findings}
    risky = with_excerpt(
        "persofails:\n  - id: creepy\n    inherent: {likelihood: 3, severity: 4}\n"
    )
    assert "PB342" not in {f.rule for f in rules_found(playbook, risky).report.findings}
    strict = Settings(high_risk_score=12)
    assert "PB342" in {f.rule for f in rules_found(playbook, risky, strict).report.findings}


def test_severity_and_off(playbook) -> None:
    text = with_excerpt(rule_docs()["PB310"]["failing"])
    [default] = rules_found(playbook, text).report.findings
    assert default.severity == Severity.WARNING
    [raised] = rules_found(playbook, text, Settings(rules={"PB310": "error"})).report.findings
    assert raised.severity == Severity.ERROR
    by_name = rules_found(playbook, text, Settings(rules={"team-functions": "info"}))
    assert by_name.report.findings[0].severity == Severity.INFO
    assert rules_found(playbook, text, Settings(rules={"PB310": "off"})).report.findings == ()


def test_only_method_rules_are_configurable() -> None:
    with pytest.raises(ValueError, match="integrity rule"):
        Settings(rules={"PB204": "off"})
    with pytest.raises(ValueError, match="unknown"):
        Settings(rules={"PB999": "off"})


def test_a_silence_needs_a_reason_and_a_method_rule(playbook) -> None:
    base = yaml.safe_load(with_excerpt(rule_docs()["PB310"]["failing"]))
    base["silence"] = [{"rule": "PB310", "reason": "ok"}]
    result = rules_found(playbook, yaml.safe_dump(base))
    [short] = [f for f in result.report.findings if f.yaml_path == "silence[0].reason"]
    assert short.message == "the text is shorter than 10 characters"
    base["silence"] = [{"rule": "PB204", "reason": "references are fine, trust me"}]
    result = rules_found(playbook, yaml.safe_dump(base))
    [integrity] = [f for f in result.report.findings if f.yaml_path == "silence[0].rule"]
    assert integrity.rule == "PB103"
    assert integrity.message == "the text 'PB204' is not a method rule"


def test_silenced_findings_are_kept_with_their_reason(playbook) -> None:
    data = yaml.safe_load(with_excerpt(rule_docs()["PB341"]["failing"]))
    data["priorities"][0]["silence"] = [
        {"rule": "PB341", "reason": "A straight port of the paper mailing; no new risk."}
    ]
    result = rules_found(playbook, yaml.safe_dump(data, sort_keys=False))
    assert result.report.findings == ()
    [silenced] = result.report.silenced
    finding, reason = silenced.finding, silenced.reason
    assert finding.rule == "PB341" and reason.startswith("A straight port")
    score = result.completeness(Settings())["mini"]
    assert score.score == 100 and score.silenced
    from prepbook.render.site import render_site

    page = render_site(result.playbook, result.report).pages["workshops/mini.md"]
    assert "A straight port of the paper mailing; no new risk." in page
    # the rule's page is linked in words: its id stays on the findings pages
    assert "([why it matters](../rules/pb341.md))" in page and "PB341" not in page


def test_completeness_is_weighted_by_severity(playbook) -> None:
    text = with_excerpt(rule_docs()["PB310"]["failing"])
    weights = {r: RULES[r].severity.weight for r in METHOD_RULES if r != "PB303"}
    total = sum(weights.values())
    result = rules_found(playbook, text)
    assert result.completeness(Settings())["mini"].score == round(100 * (total - 2) / total)
    assert result.completeness(Settings())["mini"].failed == ["PB310"]
    raised = Settings(rules={"PB310": "error"})
    weights["PB310"] = 3
    result = rules_found(playbook, text, raised)
    expected = round(100 * (sum(weights.values()) - 3) / sum(weights.values()))
    assert result.completeness(raised)["mini"].score == expected


def test_summary_and_severity_in_cli_and_build_agree(playbook, cli) -> None:
    root = playbook({"mini.yaml": with_excerpt(rule_docs()["PB310"]["failing"])})
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Home\n")

    def configure(level: str) -> None:
        (root / "mkdocs.yml").write_text(
            f"site_name: x\nplugins:\n  - prepbook:\n      rules:\n        PB310: {level}\n"
        )

    def build() -> int:
        return subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict"],
            cwd=root,
            capture_output=True,
            text=True,
            env=dated(ENV),
        ).returncode

    configure("warning")
    summary = cli("validate", "--summary", cwd=root)
    assert summary.code == 0 and "mini" in summary.out and "PB310" in summary.out
    assert cli("validate", "--strict", cwd=root).code == 1 and build() == 1
    configure("error")
    assert cli("validate", cwd=root).code == 1 and build() == 1
    configure("info")
    assert cli("validate", "--strict", cwd=root).code == 0 and build() == 0
    configure("off")
    assert cli("validate", "--strict", cwd=root).code == 0 and build() == 0
    page = (root / "site/playbook/workshops/mini/index.html").read_text()
    assert "100% · complete" in page
    configure("loud")
    bad = cli("validate", cwd=root)
    assert bad.code == 2 and "rules.PB310" in bad.err
    assert build() == 1


def test_examples_show_a_silenced_rule(cli) -> None:
    repo = Path(__file__).resolve().parent.parent
    result = cli("validate", "--summary", "--strict", cwd=repo)
    assert result.code == 0, result.out
    assert "(1 silenced)" in result.out


def test_workshop_qualified_references_count_like_plain_ones(playbook) -> None:
    """The rules ask the reference graph, so ``mini/offers`` written inside ``mini`` means
    what ``offers`` means: the site shows "Delivered by" and no rule may say otherwise."""
    text = (
        minimal()
        .replace("delivers: [offers]", "delivers: [mini/offers]")
        .replace("threatens: [offers]", "threatens: [mini/offers]")
        .replace("measured_by: [churn]", "measured_by: [mini/churn]")
    )
    assert text.count("mini/") == 3
    result = rules_found(playbook, text)
    assert result.report.findings == ()
    graph = result.playbook.graph
    assert [n.record.id for n in graph.referrers(("mini", "offers"), "delivers")] == ["build"]


def test_a_gap_closed_from_another_workshop_counts(playbook) -> None:
    """A step of another workshop that closes the gap before the delivering step starts
    keeps PB331 quiet, as the site's "Gap closed by" says."""
    mini = (
        minimal()
        .replace("readiness: ready\n  - id: analysts", "readiness: missing\n  - id: analysts", 1)
        .replace(
            "      delivers: [offers]", "      delivers: [offers]\n      depends_on: [data/fix]"
        )
    )
    other = minimal("data").replace(
        "      delivers: [offers]",
        "      delivers: [offers]\n    - id: fix\n      title: Fix\n      closes_gap: [mini/crm]",
    )
    assert "readiness: missing" in mini and "closes_gap: [mini/crm]" in other
    root = playbook({"mini.yaml": mini, "data.yaml": other})
    rules = {f.rule for f in check(Project(Settings(), root)).report.findings}
    assert "PB331" not in rules and "PB204" not in rules, rules


def test_checks_leave_the_loaded_playbook_as_it_was(playbook) -> None:
    """Checks only read: the playbook is frozen, and checking it twice gives one report."""
    import dataclasses

    from prepbook.checks import run_checks

    result = rules_found(playbook, with_excerpt(rule_docs()["PB341"]["failing"]))
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.playbook.problems = ()  # type: ignore[misc]
    first = run_checks(result.playbook, Settings())
    assert run_checks(result.playbook, Settings()) == first
    assert "PB341" in {f.rule for f in first.findings}
