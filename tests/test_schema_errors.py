"""Schema problems become findings that point at the right key and say how to fix it."""

from __future__ import annotations

import pytest

from prepbook.load.schema_errors import validate_workshop
from prepbook.load.source import parse_source
from tests.conftest import minimal


def findings_for(text: str):
    source, findings = parse_source(text.encode(), "w.yaml")
    assert findings == [] and source is not None
    model, findings, _ = validate_workshop(source)
    return model, findings


def edited(old: str, new: str) -> str:
    text = minimal()
    assert old in text
    return text.replace(old, new, 1)


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_minimal_workshop_is_valid() -> None:
    model, findings = findings_for(minimal())
    assert findings == [] and model is not None and model.id == "mini"


def test_typo_key_is_reported_at_the_key_with_a_suggestion() -> None:
    text = edited("    readiness: ready", "    readyness: ready")
    _, findings = findings_for(text)
    unknown = next(f for f in findings if f.rule == "PB101")
    assert unknown.message == "unknown key 'readyness'"
    assert unknown.span.line == line_of(text, "readyness")
    assert unknown.yaml_path == "audit[0].readyness"
    assert unknown.hint == "did you mean 'readiness'?"
    assert "readiness" in unknown.expected and "evidence" in unknown.expected
    missing = next(f for f in findings if f.rule == "PB102")
    assert missing.message == "missing required key 'readiness'"
    assert missing.yaml_path == "audit[0]"
    assert "ready: usable today" in missing.expected  # the field's own description
    assert missing.hint == (
        f"'readyness' at line {unknown.span.line} looks like a misspelling of 'readiness'"
    )


def test_wrong_type_names_what_was_found() -> None:
    text = edited("organisation: Example Ltd", "organisation: 2024")
    _, [finding] = findings_for(text)
    assert finding.rule == "PB103" and finding.yaml_path == "organisation"
    assert finding.message == "expected text, got the number 2024"
    assert finding.hint == 'put the value in quotes: "2024"'
    assert (finding.span.line, finding.span.column) == (line_of(text, "organisation"), 15)


def test_unquoted_no_is_not_a_boolean() -> None:
    text = edited("    direction: decrease", "    direction: decrease\n    guardrail: no")
    _, [finding] = findings_for(text)
    assert finding.yaml_path == "metrics[0].guardrail"
    assert finding.span.line == line_of(text, "guardrail")
    assert "write false" in finding.hint


def test_unquoted_no_where_an_enum_is_expected() -> None:
    text = edited("readiness: ready", "readiness: no")
    _, [finding] = findings_for(text)
    assert finding.message == "the text 'no' is not allowed here"
    assert "'ready', 'partial' or 'missing'" in finding.expected


def test_enum_typo_gets_a_suggestion() -> None:
    text = edited("function: product", "function: prodct")
    _, [finding] = findings_for(text)
    assert finding.hint == "did you mean 'product'?"


def test_quoted_number_is_text() -> None:
    text = edited("{likelihood: 2, severity: 3}", "{likelihood: '2', severity: 3}")
    _, [finding] = findings_for(text)
    assert finding.yaml_path == "persofails[0].inherent.likelihood"
    assert finding.hint == "remove the quotes"


def test_out_of_range() -> None:
    _, [finding] = findings_for(edited("likelihood: 2", "likelihood: 7"))
    assert finding.message == "the number 7 is out of range"
    assert finding.expected == "a whole number from 1 to 5"  # the whole range, not one end
    assert finding.hint == "How likely it is to happen: 1 (rare) to 5 (almost certain)."


@pytest.mark.parametrize(("bad", "suggestion"), [("Bad Id", "bad-id"), ("crm_data", "crm-data")])
def test_invalid_id_suggests_a_slug(bad: str, suggestion: str) -> None:
    _, [finding] = findings_for(
        edited("  - id: crm", f"  - id: {bad}").replace(
            "requires: [crm]", f"requires: [{suggestion}]"
        )
    )
    assert finding.message.endswith("is not a valid id")
    assert suggestion in finding.hint


def test_bad_date() -> None:
    _, [finding] = findings_for(edited("status: held", "status: held\ndates: {start: 2026-02-30}"))
    assert finding.yaml_path == "dates.start"
    assert finding.expected == "a date written YYYY-MM-DD"


def test_list_where_a_mapping_is_expected() -> None:
    _, [finding] = findings_for(
        edited("inherent: {likelihood: 2, severity: 3}", "inherent: [2, 3]")
    )
    assert finding.message == "expected a mapping of keys, got a list"


def test_score_method_is_checked_with_a_suggestion() -> None:
    text = edited("    measured_by: [churn]", "    measured_by: [churn]\n    score: {method: rce}")
    _, [finding] = findings_for(text)
    assert finding.message == "unknown scoring method 'rce'"
    assert finding.hint == "did you mean 'rice'?"


def test_rice_inputs_are_validated() -> None:
    text = edited(
        "    measured_by: [churn]",
        "    measured_by: [churn]\n"
        "    score: {method: rice, reach: 100, impact: 4, confidence: 70, effort: 0}",
    )
    _, findings = findings_for(text)
    assert [f.yaml_path for f in findings] == [
        "priorities[0].score.impact",
        "priorities[0].score.confidence",
        "priorities[0].score.effort",
    ]


def test_scores_are_computed() -> None:
    text = edited(
        "    measured_by: [churn]",
        "    measured_by: [churn]\n"
        "    score: {method: rice, reach: 1000, impact: 2, confidence: 80, effort: 4}",
    )
    model, _ = findings_for(text)
    assert model.priorities[0].score.value == 400.0
    assert model.persofails[0].inherent.score == 6
    assert model.persofails[0].inherent.level == "medium"
    assert model.persofails[0].effective_residual == model.persofails[0].inherent


def test_every_error_in_one_run() -> None:
    text = (
        edited("function: product", "function: prodct")
        .replace("title: Churn", "titl: Churn")
        .replace("status: held", "status: hold")
    )
    _, findings = findings_for(text)
    assert len(findings) == 4  # enum, unknown key, the missing title it displaced, enum
