"""Every kind of change ``prepbook diff`` reports, with its section and its default level.

The levels follow the idea of an API's breaking changes: ``major`` for a change that
weakens a commitment or a safeguard the workshop made (a committed priority parked, a
guardrail no longer measured, a rule silenced), ``minor`` for one a reviewer should weigh
(a slip beyond the tolerated days, an asset less ready, an easier target), ``info`` for the
rest (wording, notes, additions). A playbook overrides a level by the kind's name with the
``diff_levels`` option. This table is the one list: the comparison tags each change with
one of its names, and the reference page is written from it.

It stands apart from the diff package, below the settings: ``Settings`` checks the names
``diff_levels`` gives against it, and the diff reads the settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Level = Literal["major", "minor", "info"]
LEVELS: tuple[Level, ...] = ("major", "minor", "info")  # most severe first


def at_least(level: Level, threshold: Level) -> bool:
    """Whether ``level`` is ``threshold`` or more severe."""
    return LEVELS.index(level) <= LEVELS.index(threshold)


# The sections of a diff, in the order they are shown, with their headings.
SECTIONS: dict[str, str] = {
    "problems": "Files that could not be read",
    "workshops": "Workshops added, removed or renamed",
    "priorities": "Priorities",
    "roadmap": "Roadmap and dates",
    "drift": "What the tracker says",
    "risk": "Persofail risk",
    "readiness": "Readiness",
    "silences": "Silences",
    "metrics": "Metrics and targets",
    "recipes": "Recipes",
    "records": "Records added, removed or renamed",
    "text": "Text edits",
    "other": "Other changes",
    "findings_introduced": "Findings introduced",
    "findings_fixed": "Findings fixed",
}


@dataclass(frozen=True, slots=True)
class ChangeKind:
    name: str
    section: str
    level: Level
    meaning: str


def _table(*kinds: ChangeKind) -> dict[str, ChangeKind]:
    return {kind.name: kind for kind in kinds}


CHANGE_KINDS: dict[str, ChangeKind] = _table(
    # files and workshops
    ChangeKind(
        "unreadable-head",
        "problems",
        "major",
        "A workshop file cannot be read at the head side; that workshop is not compared.",
    ),
    ChangeKind(
        "unreadable-base",
        "problems",
        "info",
        "A workshop file could not be read at the base side; that workshop is not compared.",
    ),
    ChangeKind("workshop-added", "workshops", "info", "A workshop was added."),
    ChangeKind(
        "workshop-removed",
        "workshops",
        "major",
        "A workshop was removed, and its commitments with it.",
    ),
    ChangeKind(
        "workshop-renamed",
        "workshops",
        "info",
        "A workshop's id and file changed, its content (nearly) not.",
    ),
    # priorities
    ChangeKind(
        "priority-uncommitted",
        "priorities",
        "major",
        "A committed priority was parked or put back to candidate.",
    ),
    ChangeKind(
        "committed-priority-removed", "priorities", "major", "A committed priority was removed."
    ),
    ChangeKind("priority-committed", "priorities", "minor", "A priority was committed."),
    ChangeKind(
        "priority-status", "priorities", "info", "A priority moved between candidate and parked."
    ),
    ChangeKind(
        "required-asset-removed",
        "priorities",
        "major",
        "An asset was removed from the requires of a committed priority.",
    ),
    ChangeKind(
        "requirement-removed",
        "priorities",
        "minor",
        "An asset was removed from the requires of a priority that is not committed.",
    ),
    ChangeKind(
        "guardrail-unmeasured",
        "priorities",
        "major",
        "A guardrail metric was removed from a priority's measured_by.",
    ),
    ChangeKind(
        "measure-removed",
        "priorities",
        "minor",
        "A metric that is no guardrail was removed from a priority's measured_by.",
    ),
    ChangeKind(
        "score-changed",
        "priorities",
        "info",
        "An input of a priority's score changed (the computed score's move is shown beside "
        "it, never counted apart). Graded by the share the score moved: by "
        "`score_major_share` percent or more, major; by `score_minor_share` or more, minor; "
        "less, info.",
    ),
    ChangeKind(
        "ship-date-slipped",
        "priorities",
        "minor",
        "A committed priority's ship date (the last end of the steps that deliver it) moved "
        "later: by more than `ship_major_days`, major; by more than `slip_days`, minor; "
        "less, info. The step changes that moved it are listed beside it, as its causes.",
    ),
    ChangeKind(
        "ship-date-pulled-in",
        "priorities",
        "info",
        "A committed priority's ship date moved earlier.",
    ),
    ChangeKind("ship-date-set", "priorities", "info", "A committed priority got a ship date."),
    ChangeKind(
        "ship-date-cleared",
        "priorities",
        "minor",
        "A committed priority no longer has a ship date (no step with dates delivers it).",
    ),
    ChangeKind(
        "delivery-late",
        "priorities",
        "major",
        "A committed priority's delivery status, as of the build date, became late or "
        "blocked. Said on the ship date's change instead when the ship date moved too.",
    ),
    ChangeKind(
        "delivery-at-risk",
        "priorities",
        "minor",
        "A committed priority's delivery status became at risk.",
    ),
    ChangeKind(
        "delivery-reopened",
        "priorities",
        "minor",
        "A committed priority that had shipped has not any more: a step that delivers it "
        "was reopened, in the file or in the tracker.",
    ),
    ChangeKind(
        "delivery-improved",
        "priorities",
        "info",
        "A committed priority's delivery status became better (shipped, on track, or less behind).",
    ),
    # roadmap and dates
    ChangeKind(
        "date-slipped",
        "roadmap",
        "minor",
        "A date moved later by more than `slip_days` (a step, a phase window, the workshop's "
        "dates, a review date).",
    ),
    ChangeKind(
        "date-slipped-slightly", "roadmap", "info", "A date moved later by `slip_days` or less."
    ),
    ChangeKind("date-pulled-in", "roadmap", "info", "A date moved earlier."),
    ChangeKind("date-set", "roadmap", "info", "A date was given where there was none."),
    ChangeKind("date-cleared", "roadmap", "minor", "A date was removed."),
    ChangeKind("step-moved", "roadmap", "info", "A step moved to another phase."),
    ChangeKind("step-blocked", "roadmap", "minor", "A step became blocked."),
    ChangeKind("step-status", "roadmap", "info", "A step's status changed otherwise."),
    ChangeKind(
        "delivery-removed", "roadmap", "minor", "A priority was removed from a step's delivers."
    ),
    ChangeKind(
        "dependency-removed", "roadmap", "minor", "A step was removed from a step's depends_on."
    ),
    ChangeKind(
        "gap-unclosed", "roadmap", "minor", "An asset was removed from a step's closes_gap."
    ),
    # risk
    ChangeKind(
        "risk-raised-high",
        "risk",
        "major",
        "A persofail's residual risk (the inherent one when none is given) rose into high.",
    ),
    ChangeKind(
        "risk-raised", "risk", "minor", "A persofail's residual risk rose, without reaching high."
    ),
    ChangeKind("risk-lowered", "risk", "info", "A persofail's residual risk fell."),
    ChangeKind("inherent-risk-changed", "risk", "info", "A persofail's inherent risk changed."),
    # readiness
    ChangeKind(
        "readiness-dropped",
        "readiness",
        "minor",
        "An audited asset became less ready (ready → partial → missing).",
    ),
    ChangeKind("readiness-raised", "readiness", "info", "An audited asset became more ready."),
    # silences
    ChangeKind("silence-added", "silences", "major", "A method rule was silenced for a record."),
    ChangeKind("silence-removed", "silences", "info", "A silence was lifted."),
    ChangeKind("silence-reason-changed", "silences", "info", "A silence's reason was rewritten."),
    # metrics
    ChangeKind("guardrail-disabled", "metrics", "major", "A metric's guardrail was set to false."),
    ChangeKind("guardrail-metric-removed", "metrics", "major", "A guardrail metric was removed."),
    ChangeKind("guardrail-enabled", "metrics", "info", "A metric became a guardrail."),
    ChangeKind(
        "target-eased",
        "metrics",
        "minor",
        "A target became easier: lowered for a metric to increase, raised for one to "
        "decrease, moved at all for one to hold, or removed.",
    ),
    ChangeKind("target-tightened", "metrics", "info", "A target became more ambitious, or set."),
    ChangeKind(
        "metric-direction-changed", "metrics", "minor", "Which way is better for a metric changed."
    ),
    ChangeKind("baseline-changed", "metrics", "info", "A metric's baseline changed."),
    # recipes
    ChangeKind(
        "recipe-changed",
        "recipes",
        "minor",
        "A part of a priority's recipe (trigger, audience, context, content, measure) changed.",
    ),
    # records
    ChangeKind("record-added", "records", "info", "A record was added."),
    ChangeKind(
        "record-removed", "records", "minor", "A record was removed (other than those above)."
    ),
    ChangeKind(
        "record-renamed", "records", "info", "A record's id changed, its other facts did not."
    ),
    ChangeKind(
        "link-removed",
        "records",
        "minor",
        "An id was removed from another list of references (a persofail's threatens).",
    ),
    ChangeKind("link-added", "records", "info", "An id was added to a list of references."),
    # text and the rest
    ChangeKind(
        "text-edited",
        "text",
        "info",
        "Wording: a title, summary, description, notes, evidence, scenario... (a word diff).",
    ),
    ChangeKind("owner-removed", "other", "minor", "A record lost its owner."),
    ChangeKind("owner-changed", "other", "info", "A record's owner changed, or was given."),
    ChangeKind("field-changed", "other", "info", "Any other field of a record changed."),
    # what the tracker says (the exports of the trackers folder on each side)
    ChangeKind(
        "tracker-done",
        "drift",
        "info",
        "The tracker closed every item of a step, at least one of them done.",
    ),
    ChangeKind(
        "tracker-dropped",
        "drift",
        "major",
        "Every item of a step was dropped in the tracker: the priorities it delivers are blocked.",
    ),
    ChangeKind(
        "tracker-reopened",
        "drift",
        "minor",
        "A step the tracker had closed has an open item again.",
    ),
    ChangeKind(
        "tracker-lost",
        "drift",
        "minor",
        "No export holds a step's items any more, so the tracker says nothing of it.",
    ),
    ChangeKind(
        "tracker-moved",
        "drift",
        "info",
        "What the tracker says of a step changed otherwise: work started, more items closed, "
        "its items found, the day they closed.",
    ),
    ChangeKind(
        "drift-introduced",
        "drift",
        "minor",
        "The file and the tracker came to disagree (a drift rule, PB390 to PB395, finds it).",
    ),
    ChangeKind(
        "drift-fixed",
        "drift",
        "info",
        "The file and the tracker agree again where a drift rule found they did not.",
    ),
    # findings
    ChangeKind(
        "error-introduced", "findings_introduced", "major", "The change introduced an error."
    ),
    ChangeKind(
        "warning-introduced", "findings_introduced", "minor", "The change introduced a warning."
    ),
    ChangeKind("finding-fixed", "findings_fixed", "info", "The change fixed a finding."),
)

# Kinds a playbook's ``diff_levels`` may still name from an earlier release, with why they
# are gone: accepted and ignored, so an upgrade does not refuse a configuration that was
# valid, since the change they graded is no longer reported at all.
RETIRED_CHANGE_KINDS: dict[str, str] = {
    "workshop-readiness-dropped": "a workshop's completeness score is context, never a change",
    "workshop-readiness-raised": "a workshop's completeness score is context, never a change",
}
