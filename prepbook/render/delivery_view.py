"""A committed priority's delivery status as a page shows it: a badge in words with a
shape beside it (never a colour alone), the reason with its records linked, the owner.

The status and its reason come from :mod:`prepbook.delivery`; this module only words and
links them, so every page that shows a status shows the same one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from prepbook.delivery import STATUS_WORDS, Delivery, DeliveryStatus, StepTiming, step_timing
from prepbook.graph import Graph, Node
from prepbook.load.playbook import Playbook
from prepbook.observed import tracker_words
from prepbook.render import people
from prepbook.render.links import Linker
from prepbook.render.markdown import Md, escape

# A shape for each status, so that the badge reads without its colour: the word beside it
# says the same, and the shape is hidden from screen readers, which read the word.
STATUS_SHAPES: dict[DeliveryStatus, str] = {
    "shipped": "\u2713",  # check mark
    "on-track": "\u25cf",  # disc
    "at-risk": "\u25b2",  # triangle
    "late": "\u25c6",  # diamond
    "blocked": "\u25a0",  # square
}
# The order a list of priorities is read in when it is sorted by how much each needs
# attention: the worst first.
STATUS_ORDER: dict[DeliveryStatus, int] = {
    "late": 0,
    "blocked": 1,
    "at-risk": 2,
    "on-track": 3,
    "shipped": 4,
}


def badge(status: DeliveryStatus) -> Md:
    """The status as a badge: its shape and its word, in a class a stylesheet colours."""
    shape = STATUS_SHAPES[status]
    return Md(
        f'<span class="prepbook-status prepbook-status--{status}">'
        f'<span aria-hidden="true">{shape}</span> {STATUS_WORDS[status]}</span>'
    )


def reason(linker: Linker, found: Delivery) -> Md:
    """The first reason in words, each record it names a link: "step [Tag every SKU] ended
    2026-11-27 and is not done" (the status word is the badge's)."""
    parts: list[str] = []
    for part in found.reason.parts:
        if isinstance(part, Node):
            parts.append(linker.record(part))
        else:  # escape() trims the spaces that join a word to a link
            lead = " " if part[:1] == " " else ""
            trail = " " if part[-1:] == " " else ""
            parts.append(f"{lead}{escape(part)}{trail}")
    more = len(found.reasons) - 1
    tail = f" (and {more} more reason{'' if more == 1 else 's'})" if more else ""
    return Md("".join(parts) + tail)


def overdue_words(timing: StepTiming) -> str:
    """How a step that is behind reads beside its status: "overdue: ended 2026-11-27", or
    "start missed: 2026-11-02" for a step still planned after its start."""
    if timing.overdue:
        return f"overdue: ended {timing.end}"
    if timing.start_missed:
        return f"start missed: {timing.start}"
    return ""


@dataclass(frozen=True, slots=True)
class StepWords:
    """What a step's row says beside its written status, on the build's day: whether it is
    behind ("overdue: ended 2026-11-27") and what the tracker says (observed beside
    planned); each empty when there is nothing to say."""

    behind: str = ""
    tracker: str = ""


StepNotes = Callable[[Node], StepWords]


def behind(playbook: Playbook, today: dt.date) -> StepNotes:
    """The words for a step on ``today``, as the roadmap's rows and the workshop page's
    phases take them."""

    def words(node: Node) -> StepWords:
        timing = step_timing(playbook, node, today)
        found = timing.observed
        tracker = tracker_words(found) if found is not None and found.tracked else ""
        return StepWords(overdue_words(timing), tracker)

    return words


@dataclass(frozen=True, slots=True)
class StatusCell:
    """What a row about a committed priority shows first: status, reason, owner, ship date."""

    status: DeliveryStatus
    badge: Md
    reason: Md
    owner: Md  # who answers for the priority, linked to their page; empty when nobody
    ships: str


def status_cell(graph: Graph, linker: Linker, found: Delivery, ships: str) -> StatusCell:
    return StatusCell(
        status=found.status,
        badge=badge(found.status),
        reason=reason(linker, found),
        owner=people.owner_links(graph, linker, found.priority),
        ships=ships,
    )
