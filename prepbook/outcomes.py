"""Whether it worked: a metric's readings read against its baseline and target.

A workshop names what success looks like before anything ships (step 3: a baseline and a
target); readings, written as they are measured or exported by the analytics tool into the
trackers folder (:mod:`prepbook.trackers.readings_csv`), say how far a metric has come. Progress is
computed here, once, so the pages, the exports and any later chart say the same number.

Progress is the share of the way from baseline to target that the newest reading has
come: ``(reading - baseline) / (target - baseline)``. 0 is the baseline, 1 the target met;
it goes past 1 when the target is beaten and below 0 when the metric moved the wrong way,
and is left unclamped so that neither is hidden. The formula holds whichever way is better:
for a metric to decrease (churn from 4.2 to 3.8), a reading of 4.0 is half way, 0.5. It is
None when it cannot be computed: no reading, no baseline or no target, or a target equal to
the baseline (a metric to hold, such as a guardrail, has no way to go), or a way so short
that the share overflows.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from prepbook.load.playbook import Playbook
from prepbook.model import Metric, Reading


def merged_readings(metric: Metric, exported: Sequence[Reading] = ()) -> tuple[Reading, ...]:
    """The metric's readings: the file's own, then those of the exports (in the trackers
    folder's CSVs of metric readings) on the days the file has none. The file wins a day
    both give: it is reviewed, and a correction typed there must not be undone by the
    next export. Of two exported readings of one day, the one read last counts."""
    own = {r.date for r in metric.readings}
    by_day = {r.date: r for r in exported if r.date not in own}
    return (*metric.readings, *(by_day[day] for day in sorted(by_day)))


def exported_readings(playbook: Playbook, workshop: str, metric: str) -> tuple[Reading, ...]:
    """The readings the playbook's exports give the metric ``workshop/metric``."""
    return tuple(r.reading for r in playbook.trackers.readings_of(workshop, metric))


def latest_reading(metric: Metric, exported: Sequence[Reading] = ()) -> Reading | None:
    """The newest reading, by date; of two on one day, the one written last."""
    latest: Reading | None = None
    for reading in merged_readings(metric, exported):
        if latest is None or reading.date >= latest.date:
            latest = reading
    return latest


def progress_of(value: float, baseline: float | None, target: float | None) -> float | None:
    """The share of the way from ``baseline`` to ``target`` that ``value`` has come, or
    None when the way has no length (no baseline, no target, or both equal)."""
    if baseline is None or target is None or target == baseline:
        return None
    share = (float(value) - float(baseline)) / (float(target) - float(baseline))
    # a way of a few billionths of a billionth (the format takes 5e-324) overflows a float:
    # no share of it can be shown
    return share if math.isfinite(share) else None


@dataclass(frozen=True, slots=True)
class Progress:
    """Where a metric stands: its newest reading, and how far that is towards the target."""

    metric: Metric
    latest: Reading | None
    fraction: float | None  # see the module's docstring; None when not computable
    # every reading, the file's and the exports' (merged_readings), in the file's order
    readings: tuple[Reading, ...] = ()

    @property
    def met(self) -> bool:
        """Whether the newest reading reaches the target (or beats it)."""
        return self.fraction is not None and self.fraction >= 1


def progress(metric: Metric, exported: Sequence[Reading] = ()) -> Progress:
    """How far ``metric`` has come from its baseline towards its target, its readings
    merged with ``exported`` (:func:`exported_readings`)."""
    latest = latest_reading(metric, exported)
    fraction = (
        progress_of(latest.value, metric.baseline, metric.target) if latest is not None else None
    )
    return Progress(metric, latest, fraction, merged_readings(metric, exported))
