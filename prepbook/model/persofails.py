"""Persofail scenarios (step 4): a pre-mortem of how personalization could embarrass us."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, computed_field

from prepbook.model.base import Record, StrictModel, TitledRecord
from prepbook.model.fields import LongText, MemberRef, PriorityRef, Slug, many
from prepbook.model.shown import Shown

PersofailCategory = Literal[
    "repetition",
    "creepiness",
    "stale-data",
    "wrong-context",
    "bias",
    "privacy",
    "tone",
    "other",
]
# --- names of the categories (issue 28: names, not ids, wherever a reader looks) ---------
# A category is written as a slug in the file; pages name it in words.
CATEGORY_NAMES: dict[str, str] = {
    "repetition": "Repetition",
    "creepiness": "Creepiness",
    "stale-data": "Stale data",
    "wrong-context": "Wrong context",
    "bias": "Bias",
    "privacy": "Privacy",
    "tone": "Tone",
    "other": "Other",
}


def category_name(category: str) -> str:
    """A category as a reader names it: "Stale data" for ``stale-data``."""
    return CATEGORY_NAMES.get(category) or category.replace("-", " ").capitalize()


# --- end of names of the categories ----------------------------------------------------
MitigationStatus = Literal["planned", "in-progress", "done"]
RiskLevel = Literal["low", "medium", "high"]
OneToFive = Annotated[int, Field(ge=1, le=5)]

# The bands of the 5x5 risk matrix, lowest first: each level with its first and last score.
# Every page, picture and rule that names a level reads it from here.
RISK_BANDS: tuple[tuple[RiskLevel, int, int], ...] = (
    ("low", 1, 5),
    ("medium", 6, 14),
    ("high", 15, 25),
)


def risk_level(score: int) -> RiskLevel:
    """The band of a likelihood x severity score on the 5x5 risk matrix."""
    return next(level for level, _, last in RISK_BANDS if score <= last)


def risk_bands_text(separator: str = "-") -> str:
    """The bands in words, "low 1-5, medium 6-14, high 15-25", for pages and pictures."""
    return ", ".join(f"{level} {first}{separator}{last}" for level, first, last in RISK_BANDS)


class RiskRating(StrictModel):
    """A point on the 5x5 risk matrix. The score is computed, never typed."""

    likelihood: OneToFive = Field(
        description="How likely it is to happen: 1 (rare) to 5 (almost certain)."
    )
    severity: OneToFive = Field(
        description="How bad it is when it happens: 1 (shrug) to 5 (headline)."
    )

    @computed_field(description="likelihood x severity, 1 to 25.")  # type: ignore[prop-decorator]
    @property
    def score(self) -> int:
        return self.likelihood * self.severity

    @computed_field(description="low (1-5), medium (6-14) or high (15-25).")  # type: ignore[prop-decorator]
    @property
    def level(self) -> RiskLevel:
        return risk_level(self.score)


class Mitigation(Record):
    """What the team will do to make a persofail less likely or less bad."""

    KIND = "mitigation"
    LABEL = "mitigation"

    action: Annotated[LongText, Shown.title()] = Field(description="The concrete action.")
    owner: Annotated[MemberRef | None, Shown.header(rank=1, backlink="Owns")] = Field(
        default=None, description="Id of the team member who owns the action."
    )
    status: Annotated[MitigationStatus, Shown.header()] = Field(
        default="planned", description="planned, in-progress or done."
    )

    @property
    def display_name(self) -> str:
        return self.action


class Persofail(TitledRecord):
    """A personalization failure the team can imagine, with its inherent and residual risk."""

    KIND = "persofail"
    LABEL = "persofail"
    EMPTY_NOTE = "no persofails yet (step 4: brainstorm what could go wrong)"

    scenario: Annotated[LongText, Shown.paragraph(search=True)] = Field(
        description="What goes wrong, told from the customer's side "
        '("a customer who just bought a toilet seat is shown toilet seats for weeks").'
    )
    category: Annotated[PersofailCategory, Shown.header(render="category")] = Field(
        description="Kind of failure, for browsing the catalogue: repetition, creepiness, "
        "stale-data, wrong-context, bias, privacy, tone or other."
    )
    inherent: Annotated[RiskRating, Shown.header(render="risk", rank=-1)] = Field(
        description="Risk before any mitigation."
    )
    residual: Annotated[RiskRating | None, Shown.beside("inherent")] = Field(
        default=None,
        description="Risk expected once the mitigations are in place; "
        "left out, it equals the inherent risk. Neither value may exceed the inherent one.",
    )
    threatens: Annotated[
        list[PriorityRef],
        Shown.header("threatens {}", empty="no priority named", rank=1, backlink="Threatened by"),
    ] = many("Ids of the priorities this failure could hit.")
    mitigations: list[Mitigation] = many("Actions that lower the risk.")
    tags: Annotated[list[Slug], Shown.header("(tags: {})", glued=True)] = many(
        "Extra slugs for browsing the catalogue."
    )

    @property
    def effective_residual(self) -> RiskRating:
        """The residual rating, defaulting to the inherent one when none is given."""
        return self.residual or self.inherent

    @property
    def planned_residual(self) -> RiskRating:
        """The risk once every mitigation is done: the residual written in the file (which
        the team rates for the mitigations in place), or the inherent risk without one."""
        return self.effective_residual

    @property
    def residual_now(self) -> RiskRating:
        """The risk as the mitigations leave it today. A residual is written by hand for
        the mitigations all in place, and a mitigation's part in it is not rated on its
        own, so the written residual holds only once there is a mitigation and every one
        is done; until then the risk is still the inherent one. A risk therefore comes down
        when its last mitigation is done, never when one is planned."""
        done = bool(self.mitigations) and all(m.status == "done" for m in self.mitigations)
        return self.planned_residual if done else self.inherent

    @property
    def residual_pending(self) -> bool:
        """Whether the planned residual is lower than the risk now: mitigations not done
        yet that are expected to bring it down."""
        return self.planned_residual.score < self.residual_now.score
