"""The audit of existing assets (step 2): data, talent, technology and market position."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from prepbook.model.base import TitledRecord
from prepbook.model.fields import LongText, MemberRef
from prepbook.model.shown import Shown

AssetKind = Literal["data", "talent", "technology", "market"]
Readiness = Literal["ready", "partial", "missing"]


class Asset(TitledRecord):
    """One audited asset. Partial and missing assets are the playbook's open gaps."""

    KIND = "asset"
    LABEL = "audited asset"
    EMPTY_NOTE = "no audited assets yet (step 2: audit data, talent and technology)"

    kind: Annotated[AssetKind, Shown.column("Kind, readiness")] = Field(
        description="What sort of asset: data (sources, consent, quality), talent (skills, "
        "capacity), technology (stack, tooling) or market (position, brand permission)."
    )
    readiness: Annotated[Readiness, Shown.column("Kind, readiness")] = Field(
        description="ready: usable today; partial: usable with work; missing: must be added "
        "before a priority that requires it can ship."
    )
    description: Annotated[LongText | None, Shown.paragraph(search=True)] = Field(
        default=None, description="What the asset is."
    )
    owner: Annotated[MemberRef | None, Shown.column("Owner", backlink="Owns")] = Field(
        default=None, description="Id of the team member accountable for this asset."
    )
    evidence: Annotated[LongText | None, Shown.column("Evidence", search=True)] = Field(
        default=None,
        description="Why the readiness is what it is: a measurement, a link, a finding.",
    )
