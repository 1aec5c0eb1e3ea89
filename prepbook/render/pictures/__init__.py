"""Pictures drawn at build time as inline SVG: timelines, the risk heatmap, the priority
matrix, team coverage and a metric's progress. Each comes with its data as a table."""

from prepbook.render.pictures.coverage import team_coverage
from prepbook.render.pictures.heatmap import risk_heatmap
from prepbook.render.pictures.matrix import priority_matrix
from prepbook.render.pictures.progress import progress_chart, progress_words
from prepbook.render.pictures.timeline import (
    Lane,
    gap_names,
    lanes_timeline,
    step_dates,
    workshop_timeline,
)

__all__ = [
    "Lane",
    "gap_names",
    "lanes_timeline",
    "priority_matrix",
    "progress_chart",
    "progress_words",
    "risk_heatmap",
    "step_dates",
    "team_coverage",
    "workshop_timeline",
]
