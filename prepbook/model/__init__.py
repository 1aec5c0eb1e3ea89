"""The workshop format as pydantic models: the single source of truth for validation, the
JSON Schema, the format reference and the templates."""

from prepbook.model.audit import Asset
from prepbook.model.metrics import Metric, Reading
from prepbook.model.persofails import Mitigation, Persofail, RiskRating
from prepbook.model.priorities import IceScore, Priority, Recipe, RiceScore
from prepbook.model.roadmap import Phase, Roadmap, Step
from prepbook.model.team import TeamMember
from prepbook.model.workshop import Barrier, DateRange, Workshop

__all__ = [
    "Asset",
    "Barrier",
    "DateRange",
    "IceScore",
    "Metric",
    "Mitigation",
    "Persofail",
    "Phase",
    "Priority",
    "Reading",
    "Recipe",
    "RiceScore",
    "RiskRating",
    "Roadmap",
    "Step",
    "TeamMember",
    "Workshop",
]
