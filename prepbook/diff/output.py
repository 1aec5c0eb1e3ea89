"""A diff for a terminal, for a pull-request comment (Markdown), or for machines (JSON)."""

from __future__ import annotations

import json
from dataclasses import asdict
from itertools import groupby

from prepbook.diff.compare import SECTIONS, Change, Diff
from prepbook.render.markdown import escape

MARKER = "<!-- prepbook-roadmap-diff -->"  # finds the sticky comment to update
FOLD_AFTER = 8  # rows a section shows before the rest is folded away
_SIGNS = {
    "added": "+",
    "removed": "-",
    "workshops": "*",
    "findings_introduced": "!",
    "findings_fixed": "✓",
    "problems": "?",
}


def _name(change: Change) -> str:
    if change.kind == "workshop":
        return change.workshop
    if change.kind in ("finding", "file"):
        return change.record or change.workshop
    return f"{change.workshop}/{change.record}"


def text(diff: Diff) -> str:
    lines = [f"prepbook diff {diff.base} .. {diff.head}: {diff.summary()}"]
    for section, changes in groupby(diff.changes, key=lambda c: c.section):
        lines += ["", SECTIONS[section]]
        for change in changes:
            sign = _SIGNS.get(section, "~")
            what = "" if change.kind in ("workshop", "finding", "file") else f"{change.kind} "
            detail = change.detail
            quiet = change.kind in ("finding", "file") or section == "renamed"  # in the detail
            title = "" if quiet else f"  {change.title!r}"
            lines.append(
                f"  {sign} {what}{_name(change)}{title}" + (f"  {detail}" if detail else "")
            )
    return "\n".join(lines) + "\n"


def _md_row(change: Change) -> str:
    what = change.kind if change.kind not in ("finding", "file") else ""
    return (
        f"| {escape(_name(change))} | {what} | "
        f"{'' if change.kind in ('finding', 'file') else escape(change.title)} | "
        f"{escape(change.detail)} |"
    )


def markdown(diff: Diff) -> str:
    out = [
        MARKER,
        f"### Roadmap changes: {escape(diff.base)} → {escape(diff.head)}",
        "",
        f"**{escape(diff.summary())}**",
        "",
    ]
    for section, group in groupby(diff.changes, key=lambda c: c.section):
        changes = list(group)
        out += [f"#### {SECTIONS[section]} ({len(changes)})", ""]
        header = ["| record | kind | title | change |", "| --- | --- | --- | --- |"]
        shown, folded = changes[:FOLD_AFTER], changes[FOLD_AFTER:]
        out += [*header, *(_md_row(c) for c in shown), ""]
        if folded:
            out += [
                f"<details><summary>{len(folded)} more</summary>",
                "",
                *header,
                *(_md_row(c) for c in folded),
                "",
                "</details>",
                "",
            ]
    return "\n".join(out) + "\n"


def as_json(diff: Diff) -> str:
    counts = {section: diff.count(section) for section in SECTIONS}
    document = {
        "base": diff.base,
        "head": diff.head,
        "summary": diff.summary(),
        "counts": counts,
        "max_slip_days": diff.max_days("slipped"),
        "max_pull_in_days": diff.max_days("pulled_in"),
        "changes": [asdict(change) for change in diff.changes],
    }
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


DIFF_FORMATS = {"text": text, "markdown": markdown, "json": as_json}
