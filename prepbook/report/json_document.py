"""The document that ``prepbook validate --format json`` writes, as models: the output is
dumped from them, its JSON Schema (``schema/report.schema.json``) and its reference page
are generated from them, so the three cannot disagree.

``version`` changes only when a key is removed or changes meaning; keys may be added
without a new version.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, cast

from pydantic import BaseModel, ConfigDict, Field

from prepbook.cap import CLOSING_RULE, MAX_FINDINGS_PER_FILE
from prepbook.findings import Finding, LeftOut, Span
from prepbook.report import Report
from prepbook.report.baseline import Split
from prepbook.report.completeness import Band, CompletenessScore
from prepbook.rules import RULES, Severity

REPORT_VERSION: Literal[1] = 1

SeverityName = Literal["error", "warning", "info"]


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SpanEntry(_Entry):
    """Where a finding stands in its file; lines and columns count from 1, columns in
    Unicode code points, and the end column is just past the last character."""

    line: int = Field(ge=1, description="Line of the first character.")
    column: int = Field(ge=1, description="Column of the first character.")
    end_line: int = Field(ge=1, description="Line of the last character.")
    end_column: int = Field(ge=1, description="Column just past the last character.")


class RelatedEntry(_Entry):
    """Another place in the finding's file that explains it: for a syntax error that
    stands where the problem starts, where the parser gave up."""

    span: SpanEntry = Field(description="Where in the finding's file.")
    label: str = Field(description="What happens there, such as `parsing failed here`.")
    source_line: str | None = Field(description="The line of the file the span starts on.")


def _span_entry(span: Span) -> SpanEntry:
    return SpanEntry(
        line=span.line, column=span.column, end_line=span.end_line, end_column=span.end_column
    )


class LeftOutEntry(_Entry):
    """On the closing finding (rule `PB010`) of a file over the cap: the findings of the
    file it stands for, counted but not listed."""

    count: int = Field(ge=1, description="How many findings are not listed.")
    error: int = Field(ge=0, description="Of them, findings of severity error.")
    warning: int = Field(ge=0, description="Of them, findings of severity warning.")
    info: int = Field(ge=0, description="Of them, findings of severity info.")
    rules: list[str] = Field(description="The rules they are of, sorted.")

    @classmethod
    def of(cls, left_out: LeftOut) -> LeftOutEntry:
        return cls(
            count=left_out.count,
            error=left_out.errors,
            warning=left_out.warnings,
            info=left_out.infos,
            rules=list(left_out.rules),
        )


class FollowingEntry(_Entry):
    """A finding that only follows from the one it is listed under, and is fixed with it:
    a reference to an id used twice, a misspelt key's missing one, a method rule broken
    only because a reference is."""

    rule: str = Field(description="Rule id, such as `PB204`.")
    rule_name: str = Field(description="Rule name.")
    severity: SeverityName = Field(description="Severity in this playbook.")
    message: str = Field(description="What is wrong.")
    file: str = Field(description="The file it stands in.")
    span: SpanEntry | None = Field(description="Where in the file, or null for the whole file.")
    yaml_path: str = Field(description="Keys and list indices from the top of the file.")
    expected: str | None = Field(description="What the format expects there, if it says.")
    hint: str | None = Field(description="How to fix it, if there is a likely fix.")
    source_line: str | None = Field(description="The line of the file the span starts on.")
    workshop: str | None = Field(description="Id of the workshop it is about.")
    record: str | None = Field(description="Id of the record it is about.")
    subject: str | None = Field(default=None, description="What on the record it is about.")

    @classmethod
    def of(cls, finding: Finding) -> FollowingEntry:
        span = finding.span
        return cls(
            rule=finding.rule,
            rule_name=RULES[finding.rule].name,
            severity=cast(SeverityName, str(finding.severity)),
            message=finding.message,
            file=finding.file,
            span=_span_entry(span) if span else None,
            yaml_path=finding.yaml_path,
            expected=finding.expected,
            hint=finding.hint,
            source_line=finding.source_line,
            workshop=finding.workshop,
            record=finding.record,
            subject=finding.subject,
        )


class FindingEntry(_Entry):
    """One problem found, after the playbook's policy set its severity."""

    rule: str = Field(description="Rule id, such as `PB204`; ids never change meaning.")
    rule_name: str = Field(description="Rule name, such as `unresolved-reference`.")
    severity: SeverityName = Field(description="Severity in this playbook.")
    message: str = Field(description="What is wrong.")
    file: str = Field(description="The file, as given on the command line or found.")
    span: SpanEntry | None = Field(
        description="Where in the file, or null when the finding is about the whole file."
    )
    yaml_path: str = Field(
        description="Keys and list indices from the top of the file, such as "
        "`priorities[0].requires[1]`; empty for the whole file."
    )
    expected: str | None = Field(description="What the format expects there, if it says.")
    hint: str | None = Field(description="How to fix it, if there is a likely fix.")
    source_line: str | None = Field(description="The line of the file the span starts on.")
    workshop: str | None = Field(description="Id of the workshop the finding is about.")
    record: str | None = Field(description="Id of the record the finding is about.")
    subject: str | None = Field(
        default=None,
        description="For a rule that can find several things on one record, the one this "
        "finding is about (a function, a section, a referenced record); what a silence "
        "names under `covers`. Null for the other rules.",
    )
    related: list[RelatedEntry] = Field(
        default_factory=list,
        description="Other places in the same file that explain the finding, in order; "
        "empty for most findings.",
    )
    baseline_state: Literal["new", "known"] | None = Field(
        default=None,
        description="With `--baseline`: `known` when the baseline holds the finding (it does "
        "not fail the run), else `new`; absent without a baseline.",
    )
    left_out: LeftOutEntry | None = Field(
        default=None,
        description=f"Only on the closing finding of a file that has more than "
        f"{MAX_FINDINGS_PER_FILE} findings (rule `{CLOSING_RULE}`, after the file's first "
        f"{MAX_FINDINGS_PER_FILE}, where the first one not listed stands): the findings it "
        "stands for. Null on every other finding.",
    )
    follows: list[FollowingEntry] = Field(
        default_factory=list,
        description="The findings that only follow from this one, listed under it rather "
        "than beside it, in order; fixing this one fixes them. This finding's severity is "
        "the highest among them. Empty for most findings.",
    )

    @classmethod
    def of(cls, finding: Finding, state: Literal["new", "known"] | None = None) -> FindingEntry:
        span = finding.span
        return cls(
            baseline_state=state,
            rule=finding.rule,
            rule_name=RULES[finding.rule].name,
            severity=cast(SeverityName, str(finding.severity)),
            message=finding.message,
            file=finding.file,
            span=_span_entry(span) if span else None,
            yaml_path=finding.yaml_path,
            expected=finding.expected,
            hint=finding.hint,
            source_line=finding.source_line,
            workshop=finding.workshop,
            record=finding.record,
            subject=finding.subject,
            related=[
                RelatedEntry(span=_span_entry(r.span), label=r.label, source_line=r.source_line)
                for r in finding.related
            ],
            left_out=LeftOutEntry.of(finding.left_out) if finding.left_out else None,
            follows=[FollowingEntry.of(f) for f in finding.follows],
        )


class RuleEntry(_Entry):
    """A rule that some finding names."""

    name: str = Field(description="Rule name.")
    summary: str = Field(description="What the rule checks, in one sentence.")


class Counts(_Entry):
    """How many findings of each severity, those a file's closing finding stands for and
    those listed under the finding they follow from included (the closing finding itself
    is not counted)."""

    error: int = Field(ge=0, description="Findings of severity error.")
    warning: int = Field(ge=0, description="Findings of severity warning.")
    info: int = Field(ge=0, description="Findings of severity info.")
    follows: int = Field(
        default=0,
        ge=0,
        description="Of them, findings listed under the one they follow from (in its `follows`).",
    )


class SilencedEntry(_Entry):
    """A method finding that a record silenced, with the reason it wrote."""

    rule: str = Field(description="Rule id.")
    record: str | None = Field(description="Id of the record that silenced it.")
    subject: str | None = Field(
        default=None,
        description="What on the record the finding is about, which the silence covers; "
        "null for a rule that finds one thing a record.",
    )
    message: str = Field(description="What the finding would have said.")
    reason: str = Field(description="Why the record says the rule does not apply.")


class CompletenessEntry(_Entry):
    """A workshop's completeness score: how complete its write-up is, as the share of the
    method's rules it keeps, weighted by their severity in this playbook."""

    score: int = Field(ge=0, le=100, description="Score from 0 to 100.")
    band: Band = Field(description="`high` from 80, `medium` from 50, else `low`.")
    failed: list[str] = Field(description="Ids of the method rules the workshop breaks.")
    silenced: list[SilencedEntry] = Field(
        description="Findings that records of the workshop silenced; they do not lower the score."
    )

    @classmethod
    def of(cls, score: CompletenessScore) -> CompletenessEntry:
        return cls(
            score=score.score,
            band=score.band,
            failed=list(score.failed),
            silenced=[
                SilencedEntry(
                    rule=f.rule,
                    record=f.record,
                    subject=f.subject,
                    message=f.message,
                    reason=reason,
                )
                for f, reason in score.silenced
            ],
        )


class BaselineEntry(_Entry):
    """What a run compared with a baseline found: how many findings are new, how many known."""

    file: str = Field(description="The baseline: an earlier JSON report.")
    new: int = Field(ge=0, description="Findings the baseline does not hold: they count.")
    known: int = Field(ge=0, description="Findings the baseline holds: they never fail.")


class ReportDocument(_Entry):
    """What `prepbook validate --format json` writes: one JSON object."""

    version: Literal[1] = Field(
        description="Version of this document's shape; it changes only when a key is "
        "removed or changes meaning."
    )
    files: list[str] = Field(description="The files checked.")
    summary: Counts = Field(
        description="How many findings of each severity, those past the cap of their file included."
    )
    findings: list[FindingEntry] = Field(
        description=f"Every finding, by file, line, column and rule; of a file with more "
        f"than {MAX_FINDINGS_PER_FILE}, the first {MAX_FINDINGS_PER_FILE}, then one closing "
        f"finding (`{CLOSING_RULE}`) whose `left_out` counts the rest."
    )
    rules: dict[str, RuleEntry] = Field(description="The rules the findings name, by id.")
    completeness: dict[str, CompletenessEntry] = Field(
        description="The completeness score of each workshop that loaded (how complete its "
        "write-up is, not whether anything shipped), by workshop id; always present, whether "
        "or not `--summary` is given."
    )
    readiness: dict[str, CompletenessEntry] = Field(
        description="Deprecated: the same as `completeness`, under the score's old name; "
        "kept for one release, then removed."
    )

    baseline: BaselineEntry | None = Field(
        default=None, description="With `--baseline`: the file, and the new and known counts."
    )

    @classmethod
    def of(
        cls,
        report: Report,
        completeness: Mapping[str, CompletenessScore],
        baseline: Split | None = None,
        baseline_file: str = "",
    ) -> ReportDocument:
        scores = {ws: CompletenessEntry.of(completeness[ws]) for ws in sorted(completeness)}
        known = {id(f) for f in baseline.known} if baseline is not None else set()

        def state(finding: Finding) -> Literal["new", "known"] | None:
            if baseline is None:
                return None
            return "known" if id(finding) in known else "new"

        return cls(
            version=REPORT_VERSION,
            files=list(report.files),
            summary=Counts(
                error=report.count(Severity.ERROR),
                warning=report.count(Severity.WARNING),
                info=report.count(Severity.INFO),
                follows=sum(len(f.follows) for f in report.findings),
            ),
            findings=[FindingEntry.of(f, state(f)) for f in report.findings],
            rules={
                r: RuleEntry(name=RULES[r].name, summary=RULES[r].summary)
                for r in sorted({g.rule for f in report.findings for g in f.every()})
            },
            completeness=scores,
            readiness=scores,
            baseline=BaselineEntry(
                file=baseline_file, new=len(baseline.new), known=len(baseline.known)
            )
            if baseline is not None
            else None,
        )
