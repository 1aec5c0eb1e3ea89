"""PB370: a reference into the workshop of another organisation is a warning, of every kind
of reference that can cross workshops, silenceable for exactly that reference."""

from __future__ import annotations

import json
import re

import yaml

from prepbook.build import check
from prepbook.checks.organisations import organisation_key
from prepbook.config import Project, Settings
from prepbook.docs.reference import PAGES
from prepbook.model.kinds import KINDS, reference_fields
from prepbook.rules import RULES
from tests.conftest import REPO, minimal

SHARED = "Northwind agreed to share this asset with us through the playbook."


def workshop(ws_id: str, organisation: str) -> dict:
    data = yaml.safe_load(minimal(ws_id))
    data["organisation"] = organisation
    return data


def write(playbook, *workshops: dict):
    return playbook({f"{w['id']}.yaml": yaml.safe_dump(w, sort_keys=False) for w in workshops})


def requiring_theirs(organisation: str = "Example Ltd") -> tuple[dict, dict]:
    """``mini`` of ``organisation`` whose committed priority requires an asset of
    ``northwind``, a workshop of Northwind Retail."""
    mini = workshop("mini", organisation)
    mini["priorities"][0]["requires"] = ["crm", "northwind/crm"]
    return mini, workshop("northwind", "Northwind Retail")


def found(playbook, *workshops: dict, settings: Settings | None = None):
    return check(Project(settings or Settings(), write(playbook, *workshops)))


def test_requiring_another_organisations_asset_warns(playbook, cli) -> None:
    root = write(playbook, *requiring_theirs())
    result = check(Project(Settings(), root))
    [finding] = [f for f in result.report.findings if f.rule == "PB370"]
    assert finding.severity == RULES["PB370"].severity == "warning"
    assert finding.message == (
        "'northwind/crm' is an audited asset of Northwind Retail, not of Example Ltd"
    )
    assert finding.yaml_path == "priorities[0].requires[1]"
    assert finding.file.endswith("mini.yaml") and finding.span is not None
    assert finding.source_line is not None and "northwind/crm" in finding.source_line
    assert (finding.workshop, finding.record, finding.subject) == (
        "mini",
        "offers",
        "northwind/crm",
    )
    assert finding.hint is not None and "covers: [northwind/crm]" in finding.hint
    assert [f.rule for f in result.report.findings] == ["PB370"]  # nothing else to say
    assert cli("validate", cwd=root).code == 0
    strict = cli("validate", "--strict", cwd=root)
    assert strict.code == 1 and "warning[PB370]" in strict.out
    assert "mini.yaml:" in strict.out and "(priorities[0].requires[1])" in strict.out


def test_every_kind_of_reference_across_workshops_is_covered(playbook) -> None:
    """Each field whose references may name another workshop's record is checked: the
    fields come from the models, not from a list kept here."""
    mini = workshop("mini", "Example Ltd")
    mini["priorities"][0]["requires"] = ["crm", "northwind/crm"]
    mini["priorities"][0]["measured_by"] = ["churn", "northwind/churn"]
    mini["persofails"][0]["threatens"] = ["offers", "northwind/offers"]
    step = mini["roadmap"]["steps"][0]
    step.update(
        delivers=["offers", "northwind/offers"],
        depends_on=["northwind/build"],
        closes_gap=["northwind/crm"],
    )
    result = found(playbook, mini, workshop("northwind", "Northwind Retail"))
    warned = {
        (f.record, re.sub(r"\[\d+\]$", "", f.yaml_path).rsplit(".", 1)[-1])
        for f in result.report.findings
        if f.rule == "PB370"
    }
    crossing = {
        name for kind in KINDS.values() for name, t in reference_fields(kind.model) if t.qualified
    }
    assert {name for _, name in warned} == crossing
    assert warned == {
        ("offers", "requires"),
        ("offers", "measured_by"),
        ("creepy", "threatens"),
        ("build", "delivers"),
        ("build", "depends_on"),
        ("build", "closes_gap"),
    }
    assert {f.rule for f in result.report.findings} == {"PB370"}


def test_a_workshop_of_the_same_organisation_does_not_warn(playbook) -> None:
    """Organisations are compared normalised: case, spacing and Unicode form aside."""
    mini, other = requiring_theirs("Northwind Retail")
    assert found(playbook, mini, other).report.findings == ()
    other["organisation"] = "NORTHWIND\u00a0 retail"
    assert found(playbook, mini, other).report.findings == ()
    assert organisation_key("Northwind  Retail") == organisation_key("northwind retail")
    assert organisation_key("Northwind Retail Ltd") != organisation_key("Northwind Retail")


def test_references_inside_one_workshop_never_warn(playbook) -> None:
    mini = workshop("mini", "Example Ltd")
    mini["priorities"][0]["requires"] = ["mini/crm"]
    other = workshop("other", "Another Company")
    assert found(playbook, mini, other).report.findings == ()


def test_it_is_silenced_with_a_reason_for_exactly_that_reference(playbook) -> None:
    mini, northwind = requiring_theirs()
    northwind["audit"].append({"id": "feed", "title": "Feed", "kind": "data", "readiness": "ready"})
    mini["priorities"][0]["requires"] = ["crm", "northwind/crm", "northwind/feed"]
    mini["priorities"][0]["silence"] = [
        {"rule": "PB370", "reason": SHARED, "covers": ["northwind/crm"]}
    ]
    result = found(playbook, mini, northwind)
    [open_] = result.report.findings
    assert (open_.rule, open_.subject) == ("PB370", "northwind/feed")
    [quiet] = result.report.silenced
    assert (quiet.finding.subject, quiet.reason) == ("northwind/crm", SHARED)
    assert result.completeness(Settings())["mini"].silenced == [(quiet.finding, SHARED)]

    mini["priorities"][0]["silence"][0]["covers"] = ["northwind/crm", "northwind/feed"]
    assert found(playbook, mini, northwind).report.findings == ()

    del mini["priorities"][0]["silence"][0]["covers"]  # a silence of every such reference
    [broad] = found(playbook, mini, northwind).report.findings
    assert broad.rule == "PB304" and broad.yaml_path == "priorities[0].silence[0].rule"
    assert broad.hint is not None and "covers: [northwind/crm, northwind/feed]" in broad.hint


def test_its_severity_is_configurable(playbook) -> None:
    both = requiring_theirs()
    [error] = found(playbook, *both, settings=Settings(rules={"PB370": "error"})).report.findings
    assert error.severity == "error"
    off = Settings(rules={"cross-organisation-reference": "off"})
    assert found(playbook, *both, settings=off).report.findings == ()


def test_the_rule_has_a_page_linked_from_the_reference_and_the_site(playbook) -> None:
    page = (REPO / "content/reference/rules/pb370.md").read_text(encoding="utf-8")
    assert page == PAGES["reference/rules/pb370.md"]()
    assert page.startswith("# PB370 cross-organisation-reference")
    assert "## Why" in page and "covers: [partner/recommendations]" in page
    index = (REPO / "content/reference/rules.md").read_text(encoding="utf-8")
    assert "[cross-organisation-reference](rules/pb370.md)" in index

    result = found(playbook, *requiring_theirs())
    from prepbook.render.site import render_site

    site = render_site(result.playbook, result.report).pages
    # the workshop page links the rule's page in words; the rule's id stays on that page
    page = site["workshops/mini.md"]
    assert "[why it matters](../rules/pb370.md)" in page
    assert "PB370" not in page and "cross-organisation-reference" not in page


def test_the_json_report_names_the_reference(playbook, cli) -> None:
    root = write(playbook, *requiring_theirs())
    document = json.loads(cli("validate", "--format", "json", cwd=root).out)
    [entry] = document["findings"]
    assert (entry["rule_name"], entry["record"], entry["subject"]) == (
        "cross-organisation-reference",
        "offers",
        "northwind/crm",
    )
    assert document["rules"]["PB370"]["summary"] == RULES["PB370"].summary


def test_a_workshop_with_schema_errors_is_judged_once_it_is_whole(playbook) -> None:
    """A file that does not validate keeps its own errors; whether its references cross
    organisations is asked once it is whole (its organisation may be a placeholder)."""
    mini, northwind = requiring_theirs()
    northwind["organisation"] = 42
    result = found(playbook, mini, northwind)
    rules = {f.rule for f in result.report.findings}
    assert "PB103" in rules and "PB370" not in rules
    mini["status"] = "someday"
    northwind["organisation"] = "Northwind Retail"
    rules = {f.rule for f in found(playbook, mini, northwind).report.findings}
    assert "PB103" in rules and "PB370" not in rules


def test_a_silence_is_not_called_unneeded_because_the_other_workshop_is_broken(
    playbook,
) -> None:
    mini, northwind = requiring_theirs()
    mini["priorities"][0]["silence"] = [
        {"rule": "PB370", "reason": SHARED, "covers": ["northwind/crm"]}
    ]
    root = write(playbook, mini, northwind)
    assert check(Project(Settings(), root)).report.findings == ()
    (root / "workshops" / "northwind.yaml").write_text("id: [northwind\n", encoding="utf-8")
    broken = check(Project(Settings(), root)).report.findings
    assert {f.rule for f in broken} == {"PB001"}, broken
    northwind["organisation"] = 42  # loads, with a schema error: partial
    partial = found(playbook, mini, northwind).report.findings
    assert {f.rule for f in partial} == {"PB103"}, partial
    assert all(f.file.endswith("northwind.yaml") for f in partial)
