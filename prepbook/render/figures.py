"""The pictures each page shows, with the links their marks carry.

A mark links to its record: a fragment of the page when the record is on it, else the
record's page. A picture is raw HTML, and engines treat links in it differently: MkDocs
leaves them as written, Zensical rewrites them as if relative to the page's Markdown file.
Only from an index page (published at ``folder/``, the folder of its file) does one link
mean the same in both, given as the target's published address (``workshops/a/``). From
any other page a mark links to the row of its record on that page, whose link leads on.
"""

from __future__ import annotations

import datetime as dt
import functools
import posixpath

from prepbook.clock import today as build_date
from prepbook.graph import Node
from prepbook.load.playbook import Playbook
from prepbook.model import Persofail, Workshop
from prepbook.model.base import Record
from prepbook.render import pictures
from prepbook.render.links import (
    CATALOGUE,
    PORTFOLIO,
    ROADMAP,
    ROADMAP_ANCHOR,
    anchor_id,
    catalogue_anchor,
    roadmap_anchor,
    served,
    workshop_page,
)
from prepbook.render.markdown import Md
from prepbook.render.pictures.heatmap import CellHref, HeatItem
from prepbook.render.views import WorkshopSummary


def _here(record: Record) -> str:
    return f"#{anchor_id(record)}"


class Figures:
    """Picture factories for the page views; each returns trusted Markdown (HTML).

    ``today`` is the date the timelines mark: the build's, reproducible through
    SOURCE_DATE_EPOCH.
    """

    def __init__(
        self, playbook: Playbook, *, today: dt.date | None = None, directory_urls: bool = True
    ) -> None:
        self._playbook = playbook
        self.today = today if today is not None else build_date()
        self.directory_urls = directory_urls  # how the engine publishes pages (links.served)

    def _href(self, from_page: str, to_page: str, fragment: str = "") -> str | None:
        return self.href(from_page, to_page, fragment, directory_urls=self.directory_urls)

    @staticmethod
    def href(
        from_page: str, to_page: str, fragment: str = "", *, directory_urls: bool = True
    ) -> str | None:
        """The link, in a picture on ``from_page``, to ``to_page`` (and a fragment of it),
        as the engine publishes the pages; None when no link in raw HTML leads there in
        every engine (see above)."""
        if to_page == from_page:
            return f"#{fragment}"
        target = _page_href(from_page, to_page, directory_urls)
        if target is None:
            return None
        return f"{target}#{fragment}" if fragment else target

    @staticmethod
    def coverage(workshop: Workshop, silenced: bool = False) -> Md:
        return Md(pictures.team_coverage(workshop, _here, silenced=silenced))

    def timeline(self, workshop: Workshop) -> Md:
        return Md(
            pictures.workshop_timeline(
                workshop, _here, today=self.today, tables=f"#{ROADMAP_ANCHOR}"
            )
        )

    @staticmethod
    def workshop_heatmap(workshop: Workshop) -> Md:
        items = [HeatItem(p, p.title, _here(p)) for p in workshop.persofails]
        return Md(pictures.risk_heatmap(f"pb-risk-{workshop.id}", workshop.title, items))

    @staticmethod
    def matrix(workshop: Workshop) -> Md:
        return Md(
            pictures.priority_matrix(
                f"pb-matrix-{workshop.id}", workshop.title, workshop.priorities, _here
            )
        )

    def catalogue_heatmap(
        self, nodes: list[Node], *, page: str = CATALOGUE, cell_href: CellHref | None = None
    ) -> Md:
        """Every persofail of the playbook, named by a link to its record on its workshop's
        page, or else (see above) to its row on the page; ``cell_href`` is where the caller
        lists all of a cell's persofails (by default, the picture's own table, which names
        the first few of each cell)."""
        items = []
        for node in nodes:
            assert isinstance(node.record, Persofail)
            items.append(
                HeatItem(
                    node.record,
                    node.record.title,
                    self._href(page, workshop_page(node.workshop), anchor_id(node))
                    or f"#{catalogue_anchor(node.workshop, node.record.id)}",
                    self._playbook.workshops[node.workshop].model.organisation,
                )
            )
        return Md(
            pictures.risk_heatmap("pb-risk-all", "the whole playbook", items, cell_href=cell_href)
        )

    def roadmap_lanes(
        self, summaries: list[WorkshopSummary], *, portfolio: bool, page: str | None = None
    ) -> Md:
        """All roadmaps, a lane a workshop named by its organisation, on the portfolio or
        the roadmap page (or ``page``): bars link to their steps on the workshops' pages,
        lane names to the workshops' pages; where that cannot be (see above), to the
        steps' rows on the page."""
        here = page or (PORTFOLIO if portfolio else ROADMAP)
        lanes = []
        for summary in summaries:
            workshop = self._playbook.workshops[summary.id].model
            target = workshop_page(summary.id)
            steps = [
                (
                    step,
                    pictures.step_dates(step, workshop),
                    self._href(here, target, anchor_id(step))
                    or f"#{roadmap_anchor(summary.id, step.id)}",
                )
                for step in workshop.roadmap.steps
            ]
            if steps:
                lanes.append(
                    pictures.Lane(
                        workshop.organisation,
                        workshop.title,
                        self._href(here, target) or steps[0][2],
                        steps,
                        pictures.gap_names(workshop),
                    )
                )
        pid = "pb-portfolio-timeline" if portfolio else "pb-roadmap-timeline"
        return Md(
            pictures.lanes_timeline(
                pid,
                "Roadmaps of all workshops",
                lanes,
                "Every workshop's roadmap on one time axis, a lane an organisation.",
                today=self.today,
                steps_href=self._href(here, ROADMAP) if here != ROADMAP else None,
            )
        )


@functools.lru_cache(maxsize=8192)
def _page_href(from_page: str, to_page: str, directory_urls: bool) -> str | None:
    """The relative address of one page from another: a picture of the whole playbook links
    to thousands of steps on a few hundred pages, so each pair is worked out once."""
    if posixpath.basename(from_page) != "index.md":
        return None
    here = served(from_page, directory_urls)
    there = served(to_page, directory_urls)
    target = posixpath.relpath(there or ".", posixpath.dirname(here) or ".")
    if there.endswith("/") or not there:
        target = "./" if target == "." else f"{target}/"
    return target
