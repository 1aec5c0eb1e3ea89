"""The findings that stopped a build, as one self-contained HTML page.

Under ``mkdocs serve`` this page stands in for the site while the workshops have errors, so
the person editing reads what to fix where they were looking, not only in a terminal. It
knows nothing of MkDocs: the serving side decides where the page goes and how it reloads.

Every value comes from workshop files, which are untrusted: all of it is escaped, and
control characters are replaced as in the terminal. The page loads nothing (no script, no
font, no stylesheet of its own beyond the inline one), reads at a phone's width, and is
the same for the same findings.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from prepbook.findings import Finding, Related, Span, follow_count
from prepbook.report.formats import place, summary
from prepbook.rules import RULES
from prepbook.terminal import printable

_WINDOW = 120  # characters of a long source line shown on each side of the finding

_STYLE = """
:root { color-scheme: light dark; --fg: #1f2329; --muted: #5c6370; --bg: #fff;
  --panel: #f5f6f8; --line: #dfe2e7; --head: #4051b5; --error: #c62828; --mark: #ffe0e0; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e3e5e8; --muted: #a4abb6; --bg: #1e2129; --panel: #272b35;
    --line: #3a3f4b; --head: #2e3a87; --error: #ff8a80; --mark: #5c2b2b; } }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); line-height: 1.5;
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
header { background: var(--head); color: #fff; padding: 0.8rem 1rem; font-weight: 600; }
main { max-width: 60rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.5rem; line-height: 1.25; margin: 0.5rem 0; }
.lead { color: var(--muted); margin: 0 0 1rem; }
ol { list-style: none; margin: 0; padding: 0; }
li { border: 1px solid var(--line); border-left: 4px solid var(--error); border-radius: 4px;
  padding: 0.75rem 1rem; margin: 0 0 1rem; background: var(--bg); }
h2 { font-size: 1.05rem; margin: 0 0 0.25rem; overflow-wrap: anywhere; }
.rule { color: var(--error); font-weight: 700; white-space: nowrap; }
.where { margin: 0 0 0.5rem; overflow-wrap: anywhere; }
.where code { font-weight: 600; }
.path { color: var(--muted); }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  font-size: 0.875rem; }
pre { background: var(--panel); padding: 0.5rem 0.75rem; margin: 0 0 0.5rem;
  overflow-x: auto; border-radius: 4px; }
.number { color: var(--muted); user-select: none; }
mark { background: var(--mark); color: inherit; text-decoration: underline wavy var(--error); }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 0.75rem; margin: 0; }
dt { color: var(--muted); }
dd { margin: 0; overflow-wrap: anywhere; }
@media (max-width: 30rem) { dl { grid-template-columns: 1fr; } dd { margin-bottom: 0.25rem; } }
.follows { margin: 0.5rem 0 0; }
ul.follows { padding-left: 1.25rem; }
ul.follows li { border: 0; padding: 0; margin: 0.25rem 0; list-style: disc;
  overflow-wrap: anywhere; }
"""


def _text(value: str) -> str:
    """A value from a workshop file, safe inside an element or an attribute."""
    return escape(printable(value), quote=True)


def _where(finding: Finding) -> str:
    place = finding.file
    if finding.span:
        place += f":{finding.span.line}:{finding.span.column}"
    path = f' <span class="path">({_text(finding.yaml_path)})</span>' if finding.yaml_path else ""
    return f'<p class="where"><code>{_text(place)}</code>{path}</p>'


def _source(span: Span | None, line: str | None) -> str:
    """The source line with the span's columns marked, cut around them when long."""
    if span is None or line is None:
        return ""
    line = line.replace("\t", " ")
    start = max(0, min(span.column - 1, len(line)))
    end = span.end_column - 1 if span.end_line == span.line else len(line)
    end = max(start, min(end, len(line)))
    cut_from = max(0, start - _WINDOW)
    cut_to = min(len(line), max(end, start + 1) + _WINDOW)
    before = ("…" if cut_from else "") + line[cut_from:start]
    after = line[end:cut_to] + ("…" if cut_to < len(line) else "")
    marked = f"<mark>{_text(line[start:end])}</mark>" if end > start else ""
    return (
        # focusable: on a phone a long line scrolls, and a keyboard must reach it
        f'<pre tabindex="0"><span class="number">{span.line} | </span>'
        f"{_text(before)}{marked}{_text(after)}</pre>"
    )


def _related(file: str, related: Related) -> str:
    """Another place the finding points at (where parsing failed, for a quote opened much
    earlier), labelled, with its own line."""
    place = f"{file}:{related.span.line}:{related.span.column}"
    return f'<p class="where"><code>{_text(place)}</code> {_text(related.label)}</p>' + _source(
        related.span, related.source_line
    )


def _finding(finding: Finding) -> str:
    rule = RULES.get(finding.rule)
    name = f" {rule.name}" if rule is not None else ""
    details = [
        f"<dt>{label}</dt><dd>{_text(value)}</dd>"
        for label, value in (("expected", finding.expected), ("hint", finding.hint))
        if value
    ]
    return "".join(
        [
            "<li>",
            f'<h2><span class="rule">{_text(str(finding.severity))}[{_text(finding.rule)}]'
            f"{_text(name)}</span> {_text(finding.message)}</h2>",
            _where(finding),
            _source(finding.span, finding.source_line),
            *(_related(finding.file, related) for related in finding.related),
            f"<dl>{''.join(details)}</dl>" if details else "",
            _follows(finding),
            "</li>\n",
        ]
    )


def _follows(finding: Finding) -> str:
    """What follows from a finding, listed under it: fixing it fixes them."""
    if not finding.follows:
        return ""
    items = "".join(
        f'<li><span class="rule">{_text(str(f.severity))}[{_text(f.rule)}]</span> '
        f"<code>{_text(place(f))}</code>: {_text(f.message)}</li>"
        for f in finding.follows
    )
    return f'<p class="follows">{_text(follow_count(finding))}:</p><ul class="follows">{items}</ul>'


def error_page(findings: Sequence[Finding], files: int, *, site_name: str = "") -> str:
    """The page: a heading that says nothing was built, then each finding with its file,
    line and column, rule, message, source line, what was expected and a hint."""
    count = sum(f.left_out.count if f.left_out is not None else 1 for f in findings)
    noun = "error" if count == 1 else "errors"
    heading = f"The workshops have {count:,} {noun}; the site was not built"
    title = f"{count:,} {noun} · {site_name}" if site_name else f"{count:,} {noun}"
    return "".join(
        [
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n',
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
            f"<title>{_text(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n",
            f"<header>{_text(site_name or 'prepbook')}</header>\n<main>\n",
            f"<h1>{_text(heading)}</h1>\n",
            f'<p class="lead">Save the fix and this page turns back into the site. '
            f"({_text(summary(findings, files))})</p>\n",
            "<ol>\n",
            *(_finding(f) for f in findings),
            "</ol>\n</main>\n</body>\n</html>\n",
        ]
    )
