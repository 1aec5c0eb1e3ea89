"""A report in each output format: text for a terminal (rustc-style, with the source line
and a caret), JSON, GitHub workflow annotations and SARIF. Each takes the report and what
the caller knows beside it (a Context), so a new format is one function and one entry in
REPORT_FORMATS.

No format passes a control character of a hostile file through: text and github replace
it with a visible mark, json and sarif escape it, so the document holds the same text."""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Protocol
from urllib.parse import quote

from prepbook.cap import MAX_FINDINGS_PER_FILE, counted
from prepbook.findings import Finding, Span, follow_count
from prepbook.report import Report
from prepbook.report.baseline import Split
from prepbook.report.completeness import CompletenessScore
from prepbook.report.json_document import CompletenessEntry, ReportDocument
from prepbook.rules import RULES, Severity
from prepbook.terminal import SEVERITY_SGR, json_text, printable
from prepbook.version import __version__

_MAX_SHOWN = 160
_COLOURS = {severity: SEVERITY_SGR[severity.value] for severity in Severity}


@dataclass(frozen=True)
class Context:
    """What a format may add to the findings, when the caller knows it."""

    completeness: Mapping[str, CompletenessScore] = field(default_factory=dict)
    summary: bool = False  # asked for the completeness table (the human formats add it)
    source_root: Path | None = None  # SARIF: file URIs relative to it, as %SRCROOT%
    help_uris: Mapping[str, str] = field(default_factory=dict)  # rule id: its published page
    # rule id: why the rule exists and how to fix what it finds (the method rules' docs,
    # which live with the checks, above this layer: the caller hands them down)
    explanations: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    # With --baseline: the findings parted into new and known, and the baseline's file. The
    # formats for people list the known ones apart; the documents mark each finding.
    baseline: Split | None = None
    baseline_file: str = ""


NO_CONTEXT = Context()


def _excerpt(line: str, start: int, end: int) -> tuple[str, int, int]:
    """Cut a long line to a window around the columns [start, end)."""
    line = line.replace("\t", " ")
    if len(line) <= _MAX_SHOWN:
        return line, start, end
    offset = max(0, start - _MAX_SHOWN // 2)
    window = line[offset : offset + _MAX_SHOWN]
    prefix = "…" if offset else ""
    shift = offset - len(prefix)
    return (
        prefix + window + ("…" if offset + _MAX_SHOWN < len(line) else ""),
        start - shift,
        min(end - shift, len(prefix) + len(window) + 1),
    )


def _snippet(
    source_line: str,
    span: Span,
    gutter: int,
    marker: str,
    label: str,
    paint: Callable[[str], str],
) -> list[str]:
    """The source line of ``span`` with ``marker`` under its columns, and a label after."""
    number = str(span.line).rjust(gutter)
    pad = " " * gutter
    start = span.column
    one_line = span.end_line == span.line and span.end_column > start
    text, start, end = _excerpt(source_line, start, span.end_column if one_line else start + 1)
    width = max(1, min(end, len(text) + 1) - start)
    under = paint(marker * width) + (f" {printable(label)}" if label else "")
    return [f" {number} | {printable(text)}", f" {pad} | {' ' * (start - 1)}{under}"]


def _at(span: Span) -> str:
    return f"line {span.line}, column {span.column}"


def finding_text(finding: Finding, *, colour: bool = False) -> str:
    def paint(code: str, text: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if colour else text

    head = paint(_COLOURS[finding.severity] + ";1", str(finding.severity))
    lines = [f"{head}[{finding.rule}]: {printable(finding.message)}"]
    where = finding.file
    if finding.span:
        where += f":{finding.span.line}:{finding.span.column}"
    if finding.yaml_path:
        where += f"  ({printable(finding.yaml_path)})"
    lines.append(f"  --> {printable(where)}")
    shown = [r for r in finding.related if r.source_line is not None]
    if finding.span and finding.source_line is not None:
        gutter = len(str(max([finding.span.line, *(r.span.line for r in shown)])))
        colour_of = _COLOURS[finding.severity]
        lines.append(f" {' ' * gutter} |")
        lines += _snippet(
            finding.source_line,
            finding.span,
            gutter,
            "^",
            "",
            lambda text: paint(colour_of, text),
        )
        for related in shown:  # a second snippet a place, in the order given
            assert related.source_line is not None
            same_line = related.span.line == finding.span.line
            if not same_line:
                lines.append(f" {' ' * gutter} |")
            snippet = _snippet(
                related.source_line,
                related.span,
                gutter,
                "-",
                related.label,
                lambda text: paint("34", text),
            )
            lines += snippet[1:] if same_line else snippet  # a line already shown: its marks
    for related in finding.related:
        if related.source_line is None or not (finding.span and finding.source_line is not None):
            lines.append(f"   = {printable(related.label)}: {_at(related.span)}")
    if finding.expected:
        lines.append(f"   = expected: {printable(finding.expected)}")
    if finding.hint:
        lines.append(f"   = hint: {printable(finding.hint)}")
    if finding.follows:
        lines.append(f"   = {printable(follow_count(finding))}:")
        lines += [f"       {printable(follow_line(f))}" for f in finding.follows]
    return "\n".join(lines)


def place(finding: Finding) -> str:
    """Where a finding stands, in one line: file:line:column (yaml path)."""
    at = finding.file + (f":{finding.span.line}:{finding.span.column}" if finding.span else "")
    return at + (f" ({finding.yaml_path})" if finding.yaml_path else "")


def follow_line(finding: Finding) -> str:
    """A finding folded under its cause, in one line: its severity, rule, place, message."""
    return f"{finding.severity}[{finding.rule}] {place(finding)}: {finding.message}"


def summary(findings: Sequence[Finding], files: int) -> str:
    """The counts of each severity, those past a file's cap included, and how many of
    them are not listed. Findings folded under their cause are counted apart, after their
    causes' severity: "2 errors (4 more that follow from them: 2 errors, 2 warnings)"."""
    tops = [dataclasses.replace(f, follows=()) for f in findings]
    counts = {s: counted(tops, s) for s in Severity}
    noun = "file" if files == 1 else "files"
    left_out = sum(f.left_out.count for f in findings if f.left_out is not None)

    def plural(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    def folded(severity: Severity) -> str:
        held = [g for f in findings if f.severity == severity for g in f.follows]
        if not held:
            return ""
        kinds = [
            plural(n, str(s)) if s != Severity.INFO else f"{n} info"
            for s in Severity
            if (n := sum(g.severity == s for g in held))
        ]
        them = "them" if counts[severity] != 1 else "it"
        follow = "follow" if len(held) != 1 else "follows"
        return f" ({len(held)} more that {follow} from {them}: {', '.join(kinds)})"

    unlisted = (
        f" ({left_out} not listed: past the first {MAX_FINDINGS_PER_FILE} of a file)"
        if left_out
        else ""
    )
    return (
        f"checked {files} {noun}: {plural(counts[Severity.ERROR], 'error')}"
        f"{folded(Severity.ERROR)}, {plural(counts[Severity.WARNING], 'warning')}"
        f"{folded(Severity.WARNING)}, {counts[Severity.INFO]} info{folded(Severity.INFO)}"
        f"{unlisted}"
    )


def completeness_table(scores: Mapping[str, CompletenessScore]) -> str:
    """One line a valid workshop: its completeness score (how complete its write-up
    is) and the method rules it breaks."""
    if not scores:
        return "no valid workshop to score\n"
    width = max(len(ws) for ws in scores)
    lines = [f"\n{'workshop':<{width}}  completeness  rules broken"]
    for ws_id in sorted(scores):
        score = scores[ws_id]
        broken = ", ".join(score.failed) or "none"
        silenced = f" ({len(score.silenced)} silenced)" if score.silenced else ""
        lines.append(f"{printable(ws_id):<{width}}  {score.score:>11}%  {broken}{silenced}")
    return "\n".join(lines) + "\n"


def _known_apart(report: Report, context: Context) -> tuple[str, Report]:
    """For the formats people read: the known findings as plain lines (never annotations),
    and the report of the new ones."""
    if context.baseline is None:
        return "", report
    known = context.baseline.known
    fresh = dataclasses.replace(report, findings=context.baseline.new)
    if not known:
        return "", fresh
    noun = "finding" if len(known) == 1 else "findings"
    where = printable(context.baseline_file)
    lines = [f"{len(known)} known {noun}, in the baseline {where} (not failing):"]
    for f in known:
        at = f.file + (f":{f.span.line}:{f.span.column}" if f.span else "")
        lines.append(f"  known {f.severity}[{f.rule}]: {printable(f.message)}  --> {printable(at)}")
    return "\n".join(lines) + "\n\n", fresh


def format_text(report: Report, *, colour: bool = False, context: Context = NO_CONTEXT) -> str:
    """For people: each finding with its source line and a caret, then a summary line, and
    with ``--summary`` the completeness table."""
    known, report = _known_apart(report, context)
    blocks = [finding_text(f, colour=colour) for f in report.findings]
    text = "\n\n".join([*blocks, summary(report.findings, len(report.files))]) + "\n"
    return known + (text + completeness_table(context.completeness) if context.summary else text)


def format_json(report: Report, *, colour: bool = False, context: Context = NO_CONTEXT) -> str:
    """For programs: a ReportDocument (schema/report.schema.json). The completeness scores are
    always in it; ``--summary`` changes nothing."""
    document = ReportDocument.of(
        report, context.completeness, context.baseline, context.baseline_file
    )
    return json_text(document.model_dump(mode="json"))


def _github_escape(text: str, *, property_value: bool = False) -> str:
    """Workflow-command escaping: % and line breaks always, : and , in properties; any
    other control character is replaced, so the log never receives one."""
    text = printable(text, keep="\r\n")
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def format_github(report: Report, *, colour: bool = False, context: Context = NO_CONTEXT) -> str:
    """GitHub Actions annotations, one a finding, then the usual summary line. With
    ``--summary``, the completeness table follows as plain log lines: no workflow command, so
    it does not count against the annotations a step may show."""
    known, report = _known_apart(report, context)
    findings = report.findings
    level = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
    lines = []
    for f in findings:
        props = [f"file={_github_escape(f.file, property_value=True)}"]
        if f.span:
            props += [f"line={f.span.line}", f"col={f.span.column}"]
            if f.span.end_line == f.span.line:
                props.append(f"endColumn={f.span.end_column}")
        props.append(
            f"title={_github_escape(f'{f.rule} {RULES[f.rule].name}', property_value=True)}"
        )
        body = f.message + "".join(f"; {r.label} ({_at(r.span)})" for r in f.related)
        body += f" (hint: {f.hint})" if f.hint else ""
        if f.follows:
            body += f"; {follow_count(f)}: " + "; ".join(follow_line(g) for g in f.follows)
        lines.append(f"::{level[f.severity]} {','.join(props)}::{_github_escape(body)}")
    text = "\n".join([*lines, summary(findings, len(report.files))]) + "\n"
    text = known + text
    return text + completeness_table(context.completeness) if context.summary else text


SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
FINGERPRINT = "prepbookFinding/v1"
_SARIF_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _sentence(text: str, label: str = "") -> str:
    """``text`` as one sentence: a capital first letter, one full stop at the end."""
    text = " ".join(text.split())
    if label:
        text = f"{label}: {text}"
    elif text[:1].islower():
        text = text[0].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else text + "."


def sarif_message(finding: Finding) -> str:
    """The message, what was expected and the hint, each a sentence of its own."""
    parts = [_sentence(finding.message)]
    if finding.expected:
        parts.append(_sentence(finding.expected, "Expected"))
    if finding.hint:
        parts.append(_sentence(finding.hint[:1].upper() + finding.hint[1:]))
    return " ".join(parts)


def _relative_path(file: str, root: Path | None) -> PurePath | None:
    """The finding's file relative to ``root``; None when it lies outside (or no root)."""
    if root is None:
        return None
    absolute = Path(os.path.abspath(file))  # display paths are relative to the working folder
    try:
        return absolute.relative_to(root)
    except ValueError:
        return None


def _artifact_location(file: str, root: Path | None) -> dict[str, str]:
    """A percent-encoded URI: relative to %SRCROOT% when the file is inside it, else an
    absolute file URI (or, without a root, the path as given)."""
    relative = _relative_path(file, root)
    if relative is not None:
        return {"uri": quote(relative.as_posix()), "uriBaseId": SRCROOT}
    path = Path(file)
    if path.is_absolute() or root is not None:
        return {"uri": Path(os.path.abspath(path)).as_uri()}
    return {"uri": quote(path.as_posix())}


def fingerprint(finding: Finding, root: Path | None = None) -> str:
    """What stays the same while a finding is not fixed: rule, file, YAML path, message and
    subject (when the rule has them), no line or column, so an edit above it does not make
    it a new finding. A finding without a subject keeps the fingerprint it always had."""
    relative = _relative_path(finding.file, root)
    file = relative.as_posix() if relative is not None else PurePath(finding.file).as_posix()
    parts = (finding.rule, file, finding.yaml_path, finding.message)
    key = "\0".join((*parts, finding.subject) if finding.subject is not None else parts)
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def _sarif_rule(rule_id: str, context: Context) -> dict[str, object]:
    rule = RULES[rule_id]
    descriptor: dict[str, object] = {
        "id": rule_id,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "defaultConfiguration": {"level": _SARIF_LEVELS[rule.severity]},
    }
    explained = context.explanations.get(rule_id)
    if explained is not None:
        why, fix = (" ".join(text.split()) for text in explained)
        descriptor["fullDescription"] = {"text": why}
        descriptor["help"] = {
            "text": f"{rule.summary} {why} How to fix it: {fix}",
            "markdown": f"{rule.summary}\n\n{why}\n\n**How to fix it:** {fix}",
        }
    else:
        descriptor["help"] = {"text": rule.summary}
    help_uri = context.help_uris.get(rule_id)
    if help_uri:
        descriptor["helpUri"] = help_uri
    return descriptor


def _region(span: Span) -> dict[str, int]:
    return {
        "startLine": span.line,
        "startColumn": span.column,
        "endLine": span.end_line,
        "endColumn": span.end_column,
    }


def _sarif_result(finding: Finding, index: int, root: Path | None) -> dict[str, object]:
    location: dict[str, object] = {"artifactLocation": _artifact_location(finding.file, root)}
    if finding.span:  # else the finding is about the whole file: no region
        location["region"] = _region(finding.span)
    result: dict[str, object] = {
        "ruleId": finding.rule,
        "ruleIndex": index,
        "level": _SARIF_LEVELS[finding.severity],
        "message": {"text": sarif_message(finding)},
        "locations": [{"physicalLocation": location}],
        "partialFingerprints": {FINGERPRINT: fingerprint(finding, root)},
    }
    related_locations: list[dict[str, object]] = [
        {  # where the parser gave up, when the finding stands where it began
            "id": number,
            "physicalLocation": {
                "artifactLocation": _artifact_location(finding.file, root),
                "region": _region(related.span),
            },
            "message": {"text": _sentence(related.label)},
        }
        for number, related in enumerate(finding.related, 1)
    ]
    for number, held in enumerate(finding.follows, len(finding.related) + 1):
        physical: dict[str, object] = {"artifactLocation": _artifact_location(held.file, root)}
        if held.span:
            physical["region"] = _region(held.span)
        related_locations.append(
            {
                "id": number,
                "physicalLocation": physical,
                "message": {
                    "text": _sentence(
                        f"follows from this: {held.severity}[{held.rule}] {held.message}"
                    )
                },
            }
        )
    if related_locations:
        result["relatedLocations"] = related_locations
    properties = {
        "yamlPath": finding.yaml_path,
        "workshop": finding.workshop,
        "record": finding.record,
        "subject": finding.subject,
    }
    shown: dict[str, object] = {k: v for k, v in properties.items() if v}
    if finding.left_out is not None:  # the closing finding of a file over the cap
        shown["leftOut"] = finding.left_out.count
    if finding.follows:  # the findings folded under it, each also a related location
        shown["follows"] = [
            {
                "ruleId": held.rule,
                "level": _SARIF_LEVELS[held.severity],
                "message": held.message,
                "uri": _artifact_location(held.file, root)["uri"],
                **(
                    {"startLine": held.span.line, "startColumn": held.span.column}
                    if held.span
                    else {}
                ),
                **({"yamlPath": held.yaml_path} if held.yaml_path else {}),
                "fingerprint": fingerprint(held, root),
            }
            for held in finding.follows
        ]
    if shown:
        result["properties"] = shown
    return result


def format_sarif(report: Report, *, colour: bool = False, context: Context = NO_CONTEXT) -> str:
    """SARIF 2.1.0, for code scanning: one run, the rules it used, a result a finding. URIs
    are relative to %SRCROOT% (the repository root) when the caller gives it; the completeness
    scores are in the run's properties, always."""
    root = context.source_root
    used = sorted({f.rule for f in report.findings})
    index = {rule_id: i for i, rule_id in enumerate(used)}
    run: dict[str, object] = {
        "tool": {
            "driver": {
                "name": "prepbook",
                "version": __version__,
                "rules": [_sarif_rule(r, context) for r in used],
            }
        },
    }
    if root is not None:
        base = root.as_uri()
        run["originalUriBaseIds"] = {SRCROOT: {"uri": base if base.endswith("/") else base + "/"}}
    run["columnKind"] = "unicodeCodePoints"
    results = [_sarif_result(f, index[f.rule], root) for f in report.findings]
    if context.baseline is not None:  # SARIF's own words: new, or unchanged since the baseline
        known = {id(f) for f in context.baseline.known}
        for result, finding in zip(results, report.findings, strict=True):
            result["baselineState"] = "unchanged" if id(finding) in known else "new"
    run["results"] = results
    scores = {
        ws: CompletenessEntry.of(context.completeness[ws]).model_dump(mode="json")
        for ws in sorted(context.completeness)
    }
    run["properties"] = {
        "completeness": scores,
        "readiness": scores,  # the old key, kept for one release: see ReportDocument
    }
    document = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return json_text(document)


class Formatter(Protocol):
    """Every output format has this one shape; ``colour`` matters to text only."""

    def __call__(
        self, report: Report, *, colour: bool = False, context: Context = NO_CONTEXT
    ) -> str: ...


REPORT_FORMATS: dict[str, Formatter] = {
    "text": format_text,
    "json": format_json,
    "github": format_github,
    "sarif": format_sarif,
}
