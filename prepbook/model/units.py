"""The bounds a metric's unit sets on the values written in it.

A unit is free text in the format (``"%"``, ``"NPS points"``, ``"cases per month"``), and
most units bound nothing a tool could know. A few are common enough, and their bounds sure
enough, to check a reading against: a share in percent lies from 0 to 100 whatever is
measured, and a rating out of 5 never reaches 6. Only those are recognised; any other unit
bounds nothing, so a check never guesses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from prepbook.model.fields import bound_text


@dataclass(frozen=True, slots=True)
class UnitBounds:
    """The least and the greatest value a unit allows, and what the unit is, in words."""

    low: float
    high: float
    what: str

    def holds(self, value: float) -> bool:
        return self.low <= value <= self.high

    @property
    def text(self) -> str:
        """The range as a reader writes it: "0 to 100"."""
        return f"{bound_text(self.low)} to {bound_text(self.high)}"


_PERCENT = UnitBounds(0, 100, "a percentage")
_POINTS = UnitBounds(-100, 100, "a difference of percentages")
_NPS = UnitBounds(-100, 100, "a Net Promoter Score")
_NAMED: dict[str, UnitBounds] = {
    "%": _PERCENT,
    "percent": _PERCENT,
    "per cent": _PERCENT,
    "percentage": _PERCENT,
    "percentage points": _POINTS,
    "percentage point": _POINTS,
    "% points": _POINTS,
    "pp": _POINTS,
    "nps": _NPS,
    "nps points": _NPS,
    "net promoter score": _NPS,
}
# "out of 5", "points out of 5", "stars out of 10": a rating from 0 to its top
_OUT_OF = re.compile(r"(?:[a-z]+ )?out of (\d{1,15}(?:\.\d{1,6})?)")

# What the format reference and the rule page say of the units known.
KNOWN_UNITS = (
    '"%" (0 to 100), "percentage points" (-100 to 100), "NPS" (-100 to 100) and '
    '"out of N", such as "points out of 5" (0 to N)'
)


def unit_bounds(unit: str | None) -> UnitBounds | None:
    """The bounds of ``unit``, or None for a unit that bounds nothing prepbook knows of.

    Case and spacing do not matter: "Percent", " % " and "NPS  points" are recognised.
    """
    if unit is None:
        return None
    words = " ".join(unit.casefold().split())
    named = _NAMED.get(words)
    if named is not None:
        return named
    match = _OUT_OF.fullmatch(words)
    if match is None:
        return None
    top = float(match.group(1))
    return UnitBounds(0, int(top) if top.is_integer() else top, f"a rating {words}")
