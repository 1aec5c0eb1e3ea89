"""A silence covers exactly what its reason covers: a rule that finds several things on one
record reports each as a finding with a subject, a silence lists the subjects it covers,
and the report, the site and the baseline tell the subjects apart."""

from __future__ import annotations

import json

import yaml

from prepbook.build import check
from prepbook.config import Project, Settings
from prepbook.findings import Finding
from prepbook.model.team import EXPECTED_FUNCTIONS
from prepbook.report.baseline import Baseline
from prepbook.report.formats import Context, fingerprint, format_json, format_sarif
from prepbook.rules import RULES
from tests.conftest import REPO, minimal

OUTSOURCED = "Support is outsourced to a partner; its account manager sat in."
GROUP_DATA = "The group's data team serves every brand."


def workshop(**changes: object) -> dict:
    data = yaml.safe_load(minimal())
    data.update(changes)
    return data


def without(functions: set[str]) -> list[dict]:
    """The minimal team without anyone from ``functions``; the roles stay filled."""
    team = yaml.safe_load(minimal())["team"]
    kept = [m for m in team if m["function"] not in functions or m["id"] in ("fay", "dan")]
    for member in kept:
        if member["function"] in functions:
            member["function"] = "leadership"
    return kept


def run(playbook, data: dict, settings: Settings | None = None):
    root = playbook({"mini.yaml": yaml.safe_dump(data, sort_keys=False)})
    return check(Project(settings or Settings(), root))


def of(result, rule: str) -> list[Finding]:
    return [f for f in result.report.findings if f.rule == rule]


def test_a_silence_for_support_does_not_hide_a_lost_product_and_data_seat(playbook) -> None:
    """The issue's scenario: PB310 silenced because support is outsourced; later the team
    loses its product and data seats. Those two stay open; only support is silenced."""
    silence = [{"rule": "PB310", "reason": OUTSOURCED, "covers": ["customer-support"]}]
    first = run(playbook, workshop(team=without({"customer-support"}), silence=silence))
    assert first.report.findings == ()
    [quiet] = first.report.silenced
    assert (quiet.finding.subject, quiet.reason) == ("customer-support", OUTSOURCED)

    later = run(
        playbook,
        workshop(team=without({"customer-support", "product", "data"}), silence=silence),
    )
    open_ = of(later, "PB310")
    assert sorted(f.subject or "" for f in open_) == ["data", "product"]
    assert sorted(f.message for f in open_) == [
        "the team has no one from data",
        "the team has no one from product",
    ]
    assert all(f.yaml_path == "team" and f.span is not None for f in open_)
    assert [s.finding.subject for s in later.report.silenced] == ["customer-support"]
    assert later.completeness(Settings())["mini"].failed == ["PB310"]


def test_an_unscoped_silence_still_covers_all_and_is_reported_as_too_broad(playbook) -> None:
    silence = [{"rule": "PB310", "reason": OUTSOURCED}]
    result = run(
        playbook,
        workshop(team=without({"customer-support", "product", "data"}), silence=silence),
    )
    assert sorted(s.finding.subject or "" for s in result.report.silenced) == sorted(
        ["customer-support", "product", "data"]
    )
    [broad] = result.report.findings
    assert broad.rule == "PB304" and broad.severity == RULES["PB304"].severity
    assert broad.yaml_path == "silence[0].rule"
    hidden = [f for f in EXPECTED_FUNCTIONS if f in {"customer-support", "product", "data"}]
    assert broad.hint is not None and f"covers: [{', '.join(hidden)}]" in broad.hint
    assert "hides every function" in broad.message
    off = run(
        playbook,
        workshop(team=without({"customer-support"}), silence=silence),
        Settings(rules={"PB304": "off"}),
    )
    assert off.report.findings == ()


def test_each_reason_covers_its_own_subjects(playbook) -> None:
    silence = [
        {"rule": "PB310", "reason": OUTSOURCED, "covers": ["customer-support"]},
        {
            "rule": "PB310",
            "reason": "The group's data team serves every brand.",
            "covers": ["data"],
        },
    ]
    result = run(playbook, workshop(team=without({"customer-support", "data"}), silence=silence))
    assert result.report.findings == ()
    reasons = {s.finding.subject: s.reason for s in result.report.silenced}
    assert reasons == {
        "customer-support": OUTSOURCED,
        "data": GROUP_DATA,
    }


def test_a_subject_that_silences_nothing_is_reported(playbook) -> None:
    silence = [{"rule": "PB310", "reason": OUTSOURCED, "covers": ["customer-support", "marketing"]}]
    result = run(playbook, workshop(team=without({"customer-support"}), silence=silence))
    [unused] = result.report.findings
    assert unused.rule == "PB303" and unused.yaml_path == "silence[0].covers[1]"
    assert "covers 'marketing'" in unused.message
    assert unused.span is not None and unused.source_line is not None
    assert "marketing" in unused.source_line


def test_a_misspelt_subject_silences_nothing_and_the_hint_names_the_right_one(playbook) -> None:
    silence = [{"rule": "PB310", "reason": OUTSOURCED, "covers": ["custmer-support"]}]
    result = run(playbook, workshop(team=without({"customer-support"}), silence=silence))
    assert [f.subject for f in of(result, "PB310")] == ["customer-support"]
    [unused] = of(result, "PB303")
    assert unused.yaml_path == "silence[0].rule"
    assert unused.hint == "did you mean 'customer-support'?"


def test_a_silence_that_finds_nothing_is_still_unneeded(playbook) -> None:
    silence = [{"rule": "PB310", "reason": OUTSOURCED, "covers": ["customer-support"]}]
    result = run(playbook, workshop(silence=silence))
    [unused] = result.report.findings
    assert unused.rule == "PB303" and unused.message.endswith("the rule finds nothing here")


def test_subjects_that_are_records_match_through_the_graph(playbook) -> None:
    """PB331 is about each required asset: ``mini/crm`` and ``crm`` are one subject, and a
    silence of one asset leaves the gap of another open."""
    data = workshop()
    data["audit"][0]["readiness"] = "partial"
    data["audit"].append({"id": "feed", "title": "Feed", "kind": "data", "readiness": "missing"})
    data["priorities"][0]["requires"] = ["crm", "feed"]
    data["priorities"][0]["silence"] = [
        {"rule": "PB331", "reason": "The CRM is good enough for a pilot.", "covers": ["mini/crm"]}
    ]
    result = run(playbook, data)
    [gap] = result.report.findings
    assert (gap.rule, gap.subject, gap.record) == ("PB331", "feed", "offers")
    [quiet] = result.report.silenced
    assert quiet.finding.subject == "crm"


def test_every_method_rule_with_several_findings_a_record_names_its_subjects(playbook) -> None:
    """Each rule that can report several things on one record gives each its subject."""
    data = workshop(team=without({"data", "marketing"}), metrics=[], decider=None)
    data["audit"] = [a for a in data["audit"] if a["kind"] in ("data", "market")]
    data["priorities"][0]["recipe"] = {"trigger": "a renewal is due"}
    data["persofails"] = []
    result = run(playbook, data)
    subjects: dict[str, set[str]] = {}
    for f in result.report.findings:
        if RULES[f.rule].subject is not None:
            subjects.setdefault(f.rule, set()).add(f.subject or "")
    assert subjects == {
        "PB301": {"metrics", "persofails"},
        "PB302": {"decider"},
        "PB310": {"data", "marketing"},
        "PB320": {"talent", "technology"},
        "PB352": {"audience", "context", "content", "measure"},
    }
    assert all(f.subject is None for f in result.report.findings if RULES[f.rule].subject is None)


def test_covers_on_a_rule_with_one_finding_a_record_is_reported(playbook) -> None:
    silence = [{"rule": "PB311", "reason": "A team of two; one runs and decides.", "covers": ["x"]}]
    result = run(playbook, workshop(decider="fay", silence=silence))
    [quiet] = result.report.silenced
    assert quiet.finding.rule == "PB311"
    [unused] = result.report.findings
    assert unused.rule == "PB303" and unused.yaml_path == "silence[0].covers[0]"
    assert unused.hint == "remove covers"


def test_covers_is_checked_by_the_schema(playbook) -> None:
    for covers, message in (([], "at least 1"), (["Customer Support"], "")):
        silence = [{"rule": "PB310", "reason": OUTSOURCED, "covers": covers}]
        result = run(playbook, workshop(silence=silence))
        [error] = [f for f in result.report.findings if f.rule.startswith("PB1")]
        assert error.yaml_path.startswith("silence[0].covers"), error
        assert message in error.message


def test_subjects_show_in_the_json_and_sarif_reports_and_the_site(playbook) -> None:
    silence = [{"rule": "PB310", "reason": OUTSOURCED, "covers": ["customer-support"]}]
    result = run(playbook, workshop(team=without({"customer-support", "data"}), silence=silence))
    context = Context(completeness=result.completeness(Settings()))
    document = json.loads(format_json(result.report, context=context))
    [entry] = document["findings"]
    assert (entry["rule"], entry["subject"]) == ("PB310", "data")
    [quiet] = document["completeness"]["mini"]["silenced"]
    assert (quiet["subject"], quiet["reason"]) == ("customer-support", OUTSOURCED)

    sarif = json.loads(format_sarif(result.report, context=context))
    [sarif_result] = sarif["runs"][0]["results"]
    assert sarif_result["properties"]["subject"] == "data"

    from prepbook.render.site import render_site

    page = render_site(result.playbook, result.report).pages["workshops/mini.md"]
    assert "*Silence covers:* `customer-support`." in page
    assert OUTSOURCED in page


def test_fingerprints_and_the_baseline_tell_subjects_apart(playbook) -> None:
    """A known finding about one function does not make the same rule's finding about
    another function known; a finding without a subject keeps its old fingerprint."""
    data = workshop(team=without({"data", "marketing"}))
    [data_seat, marketing_seat] = of(run(playbook, data), "PB310")
    same_words = Finding(**{**_fields(marketing_seat), "message": data_seat.message})
    assert fingerprint(same_words) != fingerprint(data_seat)
    baseline = Baseline.from_entries([{**data_seat.to_json(), "message": data_seat.message}], "b")
    split = baseline.split([data_seat, same_words])
    assert split.known == (data_seat,) and split.new == (same_words,)
    plain = Finding("PB311", "m", "f.yaml", yaml_path="decider")
    import hashlib

    old = hashlib.sha256("\0".join(("PB311", "f.yaml", "decider", "m")).encode()).hexdigest()
    assert fingerprint(plain) == old


def _fields(finding: Finding) -> dict[str, object]:
    return {name: getattr(finding, name) for name in Finding.__dataclass_fields__}


def test_the_examples_scope_their_silences(cli) -> None:
    result = cli("validate", "--strict", "--format", "json", cwd=REPO)
    assert result.code == 0, result.out
    document = json.loads(result.out)
    silenced = {
        (ws, s["rule"], s["subject"])
        for ws, score in document["completeness"].items()
        for s in score["silenced"]
    }
    assert silenced == {
        ("cadenza-streaming", "PB310", "customer-support"),
        ("harbor-bank", "PB370", "northwind-retail/post-launch-review"),
        # a rule that finds one thing on a record needs no covers
        ("cadenza-streaming", "PB380", None),
        # the drift the example exports show, each step's with its reason
        ("cadenza-streaming", "PB390", None),
        ("harbor-bank", "PB390", None),
        ("harbor-bank", "PB391", None),
        ("northwind-retail", "PB390", None),
    }


def test_the_diff_reads_a_widened_silence_as_a_silence_added(cli, tmp_path) -> None:
    """Dropping ``covers`` (or adding a subject to it) hides more: a major change."""
    scoped = [{"rule": "PB310", "reason": OUTSOURCED, "covers": ["customer-support"]}]
    versions = {
        "old": scoped,
        "wider": [{**scoped[0], "covers": ["customer-support", "data"]}],
        "all": [{"rule": "PB310", "reason": OUTSOURCED}],
    }
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n")
    for name, silence in versions.items():
        (tmp_path / name).mkdir()
        (tmp_path / name / "mini.yaml").write_text(
            yaml.safe_dump(workshop(silence=silence), sort_keys=False), encoding="utf-8"
        )

    def changes(head: str) -> set[tuple[str, str, str]]:
        done = cli("diff", "old", head, "--format", "json", cwd=tmp_path)
        document = json.loads(done.out)
        return {
            (c["kind"], c["level"], c["summary"])
            for c in document["changes"]
            if c["section"] == "silences"
        }

    assert changes("wider") == {
        ("silence-added", "major", f"PB310 for data silenced: {OUTSOURCED}"),
    }
    assert changes("all") == {
        ("silence-added", "major", f"PB310 silenced: {OUTSOURCED}"),
        (
            "silence-removed",
            "info",
            f"PB310 for customer-support no longer silenced (was: {OUTSOURCED})",
        ),
    }


def test_what_is_wrong_with_a_silence_cannot_be_silenced(playbook) -> None:
    silence = [
        {"rule": "PB310", "reason": OUTSOURCED},
        {"rule": "PB304", "reason": "We mean every function, always."},
    ]
    result = run(playbook, workshop(team=without({"customer-support"}), silence=silence))
    by_path = {f.yaml_path: f for f in result.report.findings}
    assert by_path["silence[0].rule"].rule == "PB304"  # still reported
    unused = by_path["silence[1].rule"]
    assert unused.rule == "PB303" and "no silence can hide" in unused.message
    page = (REPO / "content/reference/rules/pb304.md").read_text(encoding="utf-8")
    assert "no silence can hide them" in page and "silence:\n  - rule: PB304" not in page
