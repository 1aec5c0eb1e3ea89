"""The workshop day on paper: the facilitation kit and the decision record of a workshop.

Facilitators print what the room works with: an agenda with clock times, a worksheet per
exercise, a card per idea, a sheet to score on; leadership reads one page afterwards. Both
are made from the workshop's file, like its page, so what was prepared, what was decided
and what the roadmap says never disagree. The kit is pre-filled with what the file already
knows (assets rated, persofails named, priorities scored) and leaves blank rows and cards
for what the room adds, each with the id and field names to type it back into the YAML.

The view data here is plain: the templates ``kit.md.j2`` and ``record.md.j2`` lay it out,
and the print stylesheet (:mod:`prepbook.render.assets`) puts each sheet and card on its
own page; ``prepbook print`` makes the same pages into PDF (:mod:`prepbook.export.paper`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from prepbook.graph import Graph
from prepbook.load.playbook import LoadedWorkshop
from prepbook.model import Priority
from prepbook.model.agenda import STEP_TITLES, STEPS, Agenda, AgendaStep
from prepbook.model.audit import AssetKind
from prepbook.model.persofails import category_name
from prepbook.model.priorities import IceScore, RiceScore
from prepbook.render.links import Linker, address, anchor_id, workshop_page
from prepbook.render.markdown import Md, escape
from prepbook.render.summaries import WorkshopDecisions

# What each step of the day produces, said on the agenda beside its time.
STEP_OUTCOMES: dict[AgendaStep, str] = {
    "team": "who is in the room, who facilitates, who decides",
    "audit": "each asset rated ready, partial or missing (audit worksheet)",
    "metrics": "success metrics with baselines and targets, and the guardrails",
    "persofails": "one card per way it could go wrong, rated (persofail cards)",
    "priorities": "one or two committed priorities (prioritisation sheet)",
}
# The audit worksheet's questions, by kind of asset: what the method asks of each.
AUDIT_QUESTIONS: dict[AssetKind, tuple[str, ...]] = {
    "data": (
        "Which sources hold what we know of customers, and how fresh is each?",
        "Did customers consent to this use, and can we honour an opt-out everywhere?",
        "How good is it: complete, deduplicated, joined across channels?",
    ),
    "talent": (
        "Who can build, run and judge personalization: skills and free capacity?",
        "Who writes the content each variant needs?",
        "Whom must we hire or borrow, and by when?",
    ),
    "technology": (
        "Which systems can decide and deliver in real time, and which only in batches?",
        "Can we test (A/B) and switch off a personalization quickly?",
        "What does the stack lack that a priority would need?",
    ),
    "market": (
        "What do customers allow this brand to know and say?",
        "What do competitors already do, and what do customers expect of us?",
        "Which regulations apply in each market?",
    ),
}
KIND_TITLES: dict[AssetKind, str] = {
    "data": "Data",
    "talent": "Talent",
    "technology": "Technology",
    "market": "Market position",
}
BLANK_ROWS = 3  # rows to fill in on each worksheet
BLANK_CARDS = 4  # persofail cards left blank for the room's new ideas
CARD_PROMPT = (
    "Imagine this personalization has failed in public. What did the customer see, and why "
    "did it embarrass us or cost their trust?"
)


@dataclass(frozen=True, slots=True)
class AgendaRow:
    start: str  # "09:30"
    end: str
    title: str
    minutes: int
    outcome: str
    is_break: bool = False


@dataclass(frozen=True, slots=True)
class AssetRow:
    title: Md
    readiness: str
    owner: Md
    evidence: str


@dataclass(frozen=True, slots=True)
class AuditSheet:
    title: str
    questions: tuple[str, ...]
    known: tuple[AssetRow, ...]


@dataclass(frozen=True, slots=True)
class Card:
    """A persofail card: the scenario to rate, its id to type results back under."""

    ident: str  # "" on a blank card
    title: str
    scenario: str
    category: str
    likelihood: int | None  # as the file rates it, for a card already rated
    severity: int | None
    href: Md  # its entry on the workshop page, or the catalogue for a blank card, as the
    # engine serves it: a link in raw HTML is left as written (see links.address)
    where: str  # the words of that link


@dataclass(frozen=True, slots=True)
class CandidateRow:
    ident: str
    title: Md
    status: str
    method: str
    inputs: str  # "reach 12,000 · impact 2 · confidence 80 % · effort 3"
    score: str


@dataclass(frozen=True, slots=True)
class DayHead:
    """What opens the kit and the record alike: which workshop, when, who runs it."""

    title: str
    workshop: Md  # a link to the workshop's page
    when: str  # "2026-11-18" or "not dated yet"
    facilitator: Md
    decider: Md
    status_words: str


@dataclass(frozen=True, slots=True)
class KitView:
    head: DayHead
    agenda: tuple[AgendaRow, ...]
    audit: tuple[AuditSheet, ...]
    cards: tuple[Card, ...]
    candidates: tuple[CandidateRow, ...]
    record: Md  # a link to the decision record
    prompt: str = CARD_PROMPT
    blank_rows: int = BLANK_ROWS


@dataclass(frozen=True, slots=True)
class RecordView:
    head: DayHead
    decided: WorkshopDecisions
    as_of: str
    kit: Md


def _clock(minutes: int) -> str:
    return f"{minutes // 60 % 24:02d}:{minutes % 60:02d}"


def agenda_rows(agenda: Agenda | None) -> tuple[AgendaRow, ...]:
    """The day in clock times: each step in the method's order, each break after its step,
    from the start time; the method's defaults for what the file leaves out."""
    agenda = agenda or Agenda()
    hours, minutes = agenda.start.split(":")
    at = int(hours) * 60 + int(minutes)
    rows: list[AgendaRow] = []
    for step in STEPS:
        length = getattr(agenda.minutes, step)
        rows.append(
            AgendaRow(
                _clock(at), _clock(at + length), STEP_TITLES[step], length, STEP_OUTCOMES[step]
            )
        )
        at += length
        for pause in (b for b in agenda.breaks if b.after == step):
            rows.append(
                AgendaRow(
                    _clock(at), _clock(at + pause.minutes), pause.title, pause.minutes, "", True
                )
            )
            at += pause.minutes
    return tuple(rows)


def _member(loaded: LoadedWorkshop, site: Linker, member: str | None) -> Md:
    if member is None:
        return Md("not named yet")
    if (loaded.id, member) in site.graph.nodes:
        return site.record((loaded.id, member))
    return escape(member)


def _when(loaded: LoadedWorkshop) -> str:
    dates = loaded.model.dates
    if dates is None:
        return "not dated yet"
    return str(dates.start) + (f" to {dates.end}" if dates.end else "")


def _status_words(loaded: LoadedWorkshop, *, record: bool) -> str:
    status = loaded.model.status
    if status == "scheduled":
        return (
            "The workshop is scheduled: this is the kit for the day."
            if not record
            else "The workshop has not been held yet: this record will fill in as it is."
        )
    if status in ("held", "archived"):
        return (
            "The workshop was held: the kit shows what it worked with, for the next one."
            if not record
            else "The workshop was held: this is its record for leadership."
        )
    return "The workshop is a draft: the kit and the record show what it holds so far."


def _head(loaded: LoadedWorkshop, site: Linker, *, record: bool) -> DayHead:
    model = loaded.model
    return DayHead(
        title=model.title,
        workshop=site.workshop(loaded.id, model.title),
        when=_when(loaded),
        facilitator=_member(loaded, site, model.facilitator),
        decider=_member(loaded, site, model.decider),
        status_words=_status_words(loaded, record=record),
    )


def _inputs(priority: Priority) -> tuple[str, str, str]:
    """The scoring method, its inputs in words and the computed score, or blanks."""
    score = priority.score
    if isinstance(score, RiceScore):
        words = (
            f"reach {score.reach:,} · impact {score.impact:g} · confidence "
            f"{score.confidence} % · effort {score.effort:g}"
        )
        return "RICE", words, f"{score.value:,.1f}"
    if isinstance(score, IceScore):
        words = f"impact {score.impact} · confidence {score.confidence} · ease {score.ease}"
        return "ICE", words, f"{score.value:,.0f}"
    return "", "", ""


def kit_view(
    loaded: LoadedWorkshop, graph: Graph, site: Linker, catalogue: str, record_page: str
) -> KitView:
    model = loaded.model
    sheets = []
    for kind, title in KIND_TITLES.items():
        known = tuple(
            AssetRow(
                site.record((loaded.id, a.id)),
                a.readiness,
                _member(loaded, site, a.owner) if a.owner else Md(""),
                a.evidence or "",
            )
            for a in model.audit
            if a.kind == kind
        )
        sheets.append(AuditSheet(title, AUDIT_QUESTIONS[kind], known))
    page, urls = workshop_page(loaded.id), site.directory_urls
    cards = [
        Card(
            p.id,
            p.title,
            p.scenario,
            category_name(p.category),
            p.inherent.likelihood,
            p.inherent.severity,
            Md(address(site.page, page, anchor_id(graph.node((loaded.id, p.id))), urls)),
            f"{model.title}, persofail {p.id}",
        )
        for p in model.persofails
    ]
    cards += [
        Card(
            "",
            "",
            "",
            "",
            None,
            None,
            Md(address(site.page, catalogue, "", urls)),
            "the persofail catalogue",
        )
        for _ in range(BLANK_CARDS)
    ]
    candidates = []
    for priority in model.priorities:
        method, inputs, score = _inputs(priority)
        candidates.append(
            CandidateRow(
                priority.id,
                site.record((loaded.id, priority.id)),
                priority.status,
                method,
                inputs,
                score,
            )
        )
    return KitView(
        head=_head(loaded, site, record=False),
        agenda=agenda_rows(model.agenda),
        audit=tuple(sheets),
        cards=tuple(cards),
        candidates=tuple(candidates),
        record=site.to(record_page, "decision record"),
    )


def record_view(
    loaded: LoadedWorkshop,
    site: Linker,
    decided: WorkshopDecisions,
    day: dt.date,
    kit_page: str,
) -> RecordView:
    return RecordView(
        head=_head(loaded, site, record=True),
        decided=decided,
        as_of=day.isoformat(),
        kit=site.to(kit_page, "facilitation kit"),
    )
