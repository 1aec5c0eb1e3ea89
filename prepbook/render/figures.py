"""The pictures each page shows, with the anchors their marks link to on that page.

Every link in a picture is a fragment of the page it is on, so the pictures work the same
in any engine, whatever its URL style.
"""

from __future__ import annotations

import datetime as dt

from prepbook.graph import Node
from prepbook.load.playbook import Playbook
from prepbook.model import Persofail, Step, Workshop
from prepbook.render import pictures
from prepbook.render.links import ROADMAP_ANCHOR, TEAM_ANCHOR, Layout, Linker, anchor_id
from prepbook.render.markdown import Md
from prepbook.render.pictures.svg import esc
from prepbook.render.views import WorkshopSummary


def _link(anchor: str, text: str) -> str:
    return _href(f"#{anchor}", text)


def _href(url: str, text: str) -> str:
    return f'<a href="{esc(url)}">{esc(text)}</a>'


class Figures:
    """Picture factories for the page views; each returns trusted Markdown (HTML)."""

    def __init__(self, playbook: Playbook) -> None:
        self._playbook = playbook

    @staticmethod
    def style() -> Md:
        """The pictures' style sheet: once per page, before the first picture."""
        return Md(pictures.svg.STYLE)

    @staticmethod
    def coverage(workshop: Workshop) -> Md:
        return Md(pictures.team_coverage(workshop, TEAM_ANCHOR))

    @staticmethod
    def timeline(workshop: Workshop) -> Md:
        return Md(pictures.workshop_timeline(workshop, anchor_id, tables=ROADMAP_ANCHOR))

    @staticmethod
    def workshop_heatmap(workshop: Workshop) -> Md:
        items = [(p, anchor_id(p), p.title) for p in workshop.persofails]
        return Md(pictures.risk_heatmap(f"pb-risk-{workshop.id}", workshop.title, items, _link))

    @staticmethod
    def matrix(workshop: Workshop) -> Md:
        return Md(
            pictures.priority_matrix(
                f"pb-matrix-{workshop.id}",
                workshop.title,
                workshop.priorities,
                anchor_id,
            )
        )

    @staticmethod
    def catalogue_heatmap(nodes: list[Node], layout: Layout, linker: Linker) -> Md:
        """The whole playbook's heatmap; each persofail links to its row in the catalogue,
        wherever the catalogue's pages put it."""
        items: list[tuple[Persofail, str, str]] = []
        for node in nodes:
            assert isinstance(node.record, Persofail)
            items.append(
                (
                    node.record,
                    linker.address(layout.place(node.key)),
                    f"{node.record.title} ({node.workshop})",
                )
            )
        return Md(pictures.risk_heatmap("pb-risk-all", "the whole playbook", items, _href))

    def roadmap_lanes(
        self, summaries: list[WorkshopSummary], layout: Layout, linker: Linker, *, portfolio: bool
    ) -> Md:
        """All roadmaps, a lane a workshop: bars link to the step's row on the roadmap's
        pages, or to the workshop's row on the portfolio's."""
        lanes = []
        for summary in summaries:
            workshop = self._playbook.workshops[summary.id].model
            steps: list[tuple[Step, tuple[dt.date, dt.date] | None, str]] = []
            for step in workshop.roadmap.steps:
                anchor = linker.address(
                    layout.place((summary.id, "") if portfolio else (summary.id, step.id))
                )
                steps.append((step, pictures.step_dates(step, workshop), anchor))
            if not steps:
                continue
            lane_anchor = (
                linker.address(layout.place((summary.id, ""))) if portfolio else steps[0][2]
            )
            lanes.append(pictures.Lane(workshop.title, lane_anchor, steps))
        pid = "pb-portfolio-timeline" if portfolio else "pb-roadmap-timeline"
        return Md(
            pictures.lanes_timeline(
                pid,
                "Roadmaps of all workshops",
                lanes,
                "Every workshop's roadmap on one time axis.",
            )
        )
