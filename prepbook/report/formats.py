"""A report in each output format: text for a terminal (rustc-style, with the source line
and a caret), JSON, GitHub workflow annotations and SARIF. Each takes the report and nothing
else, so a new format is one function and one entry in REPORT_FORMATS."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Protocol

from prepbook import __version__
from prepbook.findings import Finding
from prepbook.report import Report
from prepbook.rules import RULES, Severity

_MAX_SHOWN = 160
_COLOURS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}


def printable(text: str) -> str:
    """Text safe to print: control characters from a hostile file cannot reach the terminal."""
    return "".join(ch if ch.isprintable() else "\N{REPLACEMENT CHARACTER}" for ch in text)


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
    if finding.span and finding.source_line is not None:
        span = finding.span
        number = str(span.line)
        pad = " " * len(number)
        start = span.column
        one_line = span.end_line == span.line and span.end_column > start
        text, start, end = _excerpt(
            finding.source_line, start, span.end_column if one_line else start + 1
        )
        width = max(1, min(end, len(text) + 1) - start)
        lines += [
            f" {pad} |",
            f" {number} | {printable(text)}",
            f" {pad} | {' ' * (start - 1)}{paint(_COLOURS[finding.severity], '^' * width)}",
        ]
    if finding.expected:
        lines.append(f"   = expected: {printable(finding.expected)}")
    if finding.hint:
        lines.append(f"   = hint: {printable(finding.hint)}")
    return "\n".join(lines)


def summary(findings: Sequence[Finding], files: int) -> str:
    counts = {s: sum(1 for f in findings if f.severity == s) for s in Severity}
    noun = "file" if files == 1 else "files"

    def plural(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    return (
        f"checked {files} {noun}: {plural(counts[Severity.ERROR], 'error')}, "
        f"{plural(counts[Severity.WARNING], 'warning')}, {counts[Severity.INFO]} info"
    )


def format_text(report: Report, *, colour: bool = False) -> str:
    """For people: each finding with its source line and a caret, then a summary line."""
    blocks = [finding_text(f, colour=colour) for f in report.findings]
    return "\n\n".join([*blocks, summary(report.findings, len(report.files))]) + "\n"


def format_json(report: Report, *, colour: bool = False) -> str:
    """For programs: the findings, the files and the rules they name (no colour)."""
    findings, files = report.findings, report.files
    counts = {str(s): sum(1 for f in findings if f.severity == s) for s in Severity}
    document = {
        "version": 1,
        "files": list(files),
        "summary": counts,
        "findings": [f.to_json() for f in findings],
        "rules": {
            r: {"name": RULES[r].name, "summary": RULES[r].summary}
            for r in sorted({f.rule for f in findings})
        },
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _github_escape(text: str, *, property_value: bool = False) -> str:
    """Workflow-command escaping: % and line breaks always, : and , in properties."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def format_github(report: Report, *, colour: bool = False) -> str:
    """GitHub Actions annotations, one a finding, then the usual summary line."""
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
        body = f.message + (f" (hint: {f.hint})" if f.hint else "")
        lines.append(f"::{level[f.severity]} {','.join(props)}::{_github_escape(body)}")
    return "\n".join([*lines, summary(findings, len(report.files))]) + "\n"


SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def format_sarif(report: Report, *, colour: bool = False) -> str:
    """SARIF 2.1.0, for code scanning: one run, the rules it used, a result a finding."""
    findings = report.findings
    level = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
    used = sorted({f.rule for f in findings})
    index = {rule_id: i for i, rule_id in enumerate(used)}
    rules = [
        {
            "id": rule_id,
            "name": RULES[rule_id].name,
            "shortDescription": {"text": RULES[rule_id].summary},
            "defaultConfiguration": {"level": level[RULES[rule_id].severity]},
        }
        for rule_id in used
    ]
    results = []
    for f in findings:
        location: dict[str, object] = {"artifactLocation": {"uri": f.file.replace("\\", "/")}}
        if f.span:
            location["region"] = {
                "startLine": f.span.line,
                "startColumn": f.span.column,
                "endLine": f.span.end_line,
                "endColumn": f.span.end_column,
            }
        text = (
            f.message
            + (f" Expected: {f.expected}." if f.expected else "")
            + (f" Hint: {f.hint}." if f.hint else "")
        )
        result: dict[str, object] = {
            "ruleId": f.rule,
            "ruleIndex": index[f.rule],
            "level": level[f.severity],
            "message": {"text": text},
            "locations": [{"physicalLocation": location}],
        }
        if f.yaml_path:
            result["properties"] = {"yamlPath": f.yaml_path}
        results.append(result)
    document = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "prepbook", "version": __version__, "rules": rules}},
                "results": results,
            }
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


class Formatter(Protocol):
    """Every output format has this one shape; ``colour`` matters to text only."""

    def __call__(self, report: Report, *, colour: bool = False) -> str: ...


REPORT_FORMATS: dict[str, Formatter] = {
    "text": format_text,
    "json": format_json,
    "github": format_github,
    "sarif": format_sarif,
}
