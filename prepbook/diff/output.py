"""A diff for a terminal, for a pull-request comment (Markdown), or for machines (JSON)."""

from __future__ import annotations

from collections.abc import Callable
from itertools import groupby

from prepbook.change_kinds import LEVELS, SECTIONS
from prepbook.diff.document import Change, Diff
from prepbook.render.markdown import escape
from prepbook.terminal import SEVERITY_SGR, json_text, paint, printable_lines

MARKER = "<!-- prepbook-roadmap-diff -->"  # finds the sticky comment to update
FOLD_AFTER = 8  # rows a section shows before the rest is folded away
# GitHub refuses a comment over 65,536 characters; the rest of the report goes in the
# artifact the workflow keeps.
COMMENT_LIMIT = 60_000


def _name(change: Change) -> str:
    if change.record_kind == "workshop":
        return change.workshop
    if change.record_kind == "file":
        return change.record
    if change.record_kind == "finding":
        return f"{change.workshop}/{change.record}" if change.record else change.workshop
    return f"{change.workshop}/{change.record}"


def _score(value: int | None) -> str:
    return "—" if value is None else f"{value}%"


def _readiness_line(diff: Diff) -> str:
    items = []
    for score in diff.readiness:
        if score.before == score.after:
            items.append(f"{score.workshop} {_score(score.after)}")
        else:
            items.append(f"{score.workshop} {_score(score.before)} → {_score(score.after)}")
    return "; ".join(items)


# Each level painted as the severity it stands for: major as an error, minor as a warning.
_LEVEL_SGR = {
    "major": SEVERITY_SGR["error"] + ";1",
    "minor": SEVERITY_SGR["warning"] + ";1",
    "info": SEVERITY_SGR["info"] + ";1",
}


def text(diff: Diff, *, colour: bool = False) -> str:
    """The diff for a terminal. Each line is neutralised as it is made; with ``colour``,
    each change's level is painted after that, so the only ESC sequences are ours."""
    lines = [f"prepbook diff {diff.base} .. {diff.head}: {diff.summary}"]
    if diff.readiness:
        lines += ["", f"Readiness: {_readiness_line(diff)}"]
    lines = [printable_lines(line) for line in lines]
    for section, changes in groupby(diff.changes, key=lambda c: c.section):
        lines += ["", SECTIONS[section]]
        for change in changes:
            what = (
                "" if change.record_kind in ("workshop", "finding", "file") else change.record_kind
            )
            title = (
                f"  {change.title!r}"
                if change.title and change.record_kind not in ("finding", "file")
                else ""
            )
            level = f"{change.level:<5}"
            if colour:  # the padding stays outside the colour, so columns line up the same
                level = paint(change.level, _LEVEL_SGR[change.level]) + level[len(change.level) :]
            rest = f"{what + ' ' if what else ''}{_name(change)}{title}  {change.summary}"
            lines.append(f"  {level}  {printable_lines(rest)}")
            lines += [f"         {printable_lines(_cause(cause))}" for cause in change.causes]
    return "\n".join(lines) + "\n"


def _cause(cause: Change) -> str:
    """A change listed beside the decision it moved: "because: step s1 end ... → ..."."""
    return f"because: {cause.record_kind} {_name(cause)} {cause.summary}"


def _md_row(change: Change) -> str:
    what = "" if change.record_kind in ("workshop", "finding", "file") else change.record_kind
    title = "" if change.record_kind in ("finding", "file") else change.title
    said = "<br>".join([str(escape(change.summary)), *(escape(_cause(c)) for c in change.causes)])
    return f"| {change.level} | {escape(_name(change))} | {what} | {escape(title)} | {said} |"


def _markdown(diff: Diff, changes: list[Change], left_out: int) -> str:
    out = [
        MARKER,
        f"### Roadmap changes: {escape(diff.base)} → {escape(diff.head)}",
        "",
        f"**{escape(diff.summary)}**",
        "",
    ]
    if diff.readiness:
        out += ["| workshop | readiness before | after |", "| --- | --- | --- |"]
        out += [
            f"| {escape(s.workshop)} | {_score(s.before)} | {_score(s.after)} |"
            for s in diff.readiness
        ]
        out.append("")
    for section, group in groupby(changes, key=lambda c: c.section):
        rows = list(group)
        out += [f"#### {SECTIONS[section]} ({len(rows)})", ""]
        header = ["| level | record | kind | title | change |", "| --- | --- | --- | --- | --- |"]
        shown, folded = rows[:FOLD_AFTER], rows[FOLD_AFTER:]
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
    if left_out:
        out += [
            f"> {left_out} more changes are left out to fit a comment; the full report is in "
            "the JSON or Markdown artifact (`prepbook diff --format json`).",
            "",
        ]
    return printable_lines("\n".join(out) + "\n")


def markdown(diff: Diff, limit: int | None = COMMENT_LIMIT) -> str:
    """The pull-request comment; over ``limit`` characters, the most severe changes are
    kept and a note says how many were left out."""
    full = _markdown(diff, diff.changes, 0)
    if limit is None or len(full) <= limit:
        return full
    ranked = sorted(range(len(diff.changes)), key=lambda i: LEVELS.index(diff.changes[i].level))
    low, high = 0, len(ranked)
    while low < high:  # the largest number of changes that still fits
        middle = (low + high + 1) // 2
        kept = sorted(ranked[:middle])
        size = len(_markdown(diff, [diff.changes[i] for i in kept], len(ranked) - middle))
        low, high = (middle, high) if size <= limit else (low, middle - 1)
    kept = sorted(ranked[:low])
    return _markdown(diff, [diff.changes[i] for i in kept], len(ranked) - low)


def full_markdown(diff: Diff) -> str:
    """The Markdown report without the size cap of a comment."""
    return markdown(diff, None)


def as_json(diff: Diff) -> str:
    return json_text(diff.model_dump(mode="json"))


DIFF_FORMATS: dict[str, Callable[[Diff], str]] = {
    "text": text,
    "markdown": markdown,
    "markdown-full": full_markdown,
    "json": as_json,
}
