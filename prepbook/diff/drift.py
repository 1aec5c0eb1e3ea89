"""What the tracker says, compared between two sides: each tracked step's observed status.

Each side of a diff carries the exports of its own trackers folder (at its revision, or on
disk), and :mod:`prepbook.observed` reads every tracked step against them. A step whose
observed status, closed day or count of closed items differs between the sides is one
change, said in the words the pages use beside the written status ("tracker: done, closed
2026-12-10", was "tracker: doing, 1 of 2 items closed"). A step on one side only is the
roadmap's change, not the tracker's, and so is a step that begins or stops tracking items
(its ``tracks:`` edit is the change): both are left to the record comparison.

These changes are causes like a step's dates: where one moves a committed priority's ship
date or delivery status, it is listed under that decision (:mod:`prepbook.diff.decisions`),
and a decision moved by the tracker alone is shown in this section too.
"""

from __future__ import annotations

from collections.abc import Callable

from prepbook.diff.document import Change
from prepbook.graph import RecordKey
from prepbook.load.playbook import Playbook
from prepbook.observed import CLOSED, observed_steps, tracker_words
from prepbook.trackers.states import Status

# Makes a change, as decisions.Make does.
Make = Callable[..., Change]
Rename = Callable[[str, str], RecordKey]

FIELD = "tracker"  # the field name a tracker change has: what decisions treat as a cause


def _kind(was: Status | None, now: Status | None) -> str:
    if now is None:
        return "tracker-lost"
    if now == "dropped":
        return "tracker-dropped"
    if now == "done" and was != "done":
        return "tracker-done"
    if was in CLOSED and now not in CLOSED:
        return "tracker-reopened"
    return "tracker-moved"


def tracker_changes(old: Playbook, new: Playbook, rename: Rename, make: Make) -> list[Change]:
    """A change for each step tracked on both sides whose tracker says something else
    now; ``rename`` gives an old side's step its name at the new side."""
    before = {rename(*key): found for key, found in observed_steps(old).items()}
    after = observed_steps(new)
    changes = []
    for key in sorted(set(before) & set(after)):
        was, now = before[key], after[key]
        said_was, said_now = tracker_words(was), tracker_words(now)
        if said_was == said_now:
            continue
        summary = f"{said_now} (was {said_was.removeprefix('tracker: ')})"
        node = new.graph.nodes[key]
        changes.append(
            make(
                _kind(was.status, now.status),
                key[0],
                "step",
                key[1],
                node.record.display_name,
                summary,
                field=FIELD,
                before=was.status,
                after=now.status,
            )
        )
    return changes
