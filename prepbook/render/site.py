"""Render the playbook's pages to Markdown: ``{path: text}``, with no MkDocs involved."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from prepbook.config import Settings
from prepbook.docs import reference as format_reference
from prepbook.graph import Graph
from prepbook.load.playbook import Playbook
from prepbook.model.team import EXPECTED_FUNCTIONS
from prepbook.render import figures, links, views
from prepbook.render.figures import Figures
from prepbook.render.markdown import (
    Md,
    dates,
    escape,
    front_matter,
    join,
    paragraphs,
    risk,
    score,
    show,
)
from prepbook.report import Report
from prepbook.report.readiness import readiness
from prepbook.rules import METHOD_RULES, RULES


class RenderError(Exception):
    """A template could not be rendered: a playbook's override has a mistake."""


def environment(override: Path | None = None) -> jinja2.Environment:
    """Templates from ``override`` first, then the defaults shipped in the package.

    Every ``{{ expression }}`` goes through :func:`show`, so text from YAML is escaped
    unless prepbook itself built it as Markdown: an override cannot forget to escape.
    """
    loaders: list[jinja2.BaseLoader] = []
    if override is not None:
        loaders.append(jinja2.FileSystemLoader(str(override)))
    loaders.append(jinja2.PackageLoader("prepbook.render", "templates"))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=False,  # show() is the escaping: for Markdown and HTML at once
        finalize=show,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["para"] = paragraphs
    env.filters["esc"] = escape
    env.filters["join"] = join
    env.filters["md"] = Md  # for template authors: text they wrote themselves
    env.globals.update(front_matter=front_matter, risk=risk, score=score, dates=dates)
    return env


def rules_root_for(docs_dir: Path, output: Path) -> str | None:
    """The playbook's own rule pages (``docs_dir/reference/rules``), relative to the
    generated folder, when they exist and both sit in the same site."""
    own = docs_dir / format_reference.rule_page_path(METHOD_RULES[0])
    try:
        output.resolve().relative_to(docs_dir.resolve())
    except ValueError:
        return None
    if not own.is_file():
        return None
    return Path(os.path.relpath(own.parent.resolve(), output.resolve())).as_posix()


def _render(env: jinja2.Environment, name: str, **context: Any) -> str:
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError(f"template {exc.filename or name}:{exc.lineno}: {exc.message}") from None
    except jinja2.TemplateError as exc:
        raise RenderError(f"template {name}: {exc}") from None


@dataclass
class RenderMemo:
    """A render kept for the next one (``mkdocs serve``): its pages, which workshops link
    to which, and what else the pages depended on."""

    pages: dict[str, str]
    workshops: set[str]
    links: dict[str, set[str]]
    key: tuple[object, ...]


def render_site(
    playbook: Playbook,
    report: Report,
    *,
    templates: Path | None = None,
    settings: Settings | None = None,
    rules_root: str | None = None,
) -> dict[str, str]:
    """Every generated page, by its path relative to the generated folder.

    ``rules_root`` is where the playbook keeps its rule pages, relative to the generated
    folder; without it, the rule pages are generated too, in ``rules/``.
    """
    return render_again(
        playbook, report, templates=templates, settings=settings, rules_root=rules_root
    ).pages


def _templates_signature(templates: Path | None) -> tuple[tuple[str, int], ...]:
    if templates is None or not templates.is_dir():
        return ()
    return tuple(sorted((p.name, p.stat().st_mtime_ns) for p in templates.iterdir()))


def render_again(
    playbook: Playbook,
    report: Report,
    *,
    templates: Path | None = None,
    settings: Settings | None = None,
    rules_root: str | None = None,
    previous: RenderMemo | None = None,
    changed: set[str] | frozenset[str] = frozenset(),
) -> RenderMemo:
    """Render, reusing from ``previous`` the page of every workshop that neither changed
    (``changed``: ids of workshops whose file changed) nor links to or from one that did."""
    env = environment(templates)
    graph = playbook.graph
    settings = settings or Settings()
    key = (settings.model_dump_json(), str(templates), _templates_signature(templates), rules_root)
    now = neighbours(graph)
    stale: set[str] | None = None
    if previous is not None and previous.key == key:
        gone = previous.workshops - set(playbook.workshops)
        stale = stale_workshops(set(changed) | gone, previous.links, now)
    scores = readiness(playbook, report, settings)
    summaries = views.summarise(playbook)
    catalogue = views.catalogue(graph)
    common: dict[str, Any] = {
        "graph": graph,
        "expected_functions": EXPECTED_FUNCTIONS,
        "figures": Figures(playbook),
        "anchors": figures,
        "readiness": scores,
        "rules": RULES,
    }
    root = rules_root or links.RULES_DIR

    def page(path: str, template: str, home: str | None = None, **context: Any) -> str:
        site = links.Linker(graph, path, home, root)
        return _render(env, template, site=site, pages=_Pages(site), **common, **context)

    pages: dict[str, str] = {
        links.PORTFOLIO: page(links.PORTFOLIO, "portfolio.md.j2", workshops=summaries),
        links.AUDIT: page(links.AUDIT, "audit.md.j2", assets=views.audit_register(graph)),
        links.CATALOGUE: page(
            links.CATALOGUE,
            "persofails.md.j2",
            persofails=catalogue,
            categories=views.by_category(catalogue),
            mitigations=views.mitigation_summary,
        ),
        links.ROADMAP: page(
            links.ROADMAP,
            "roadmap.md.j2",
            workshops=summaries,
            groups=views.roadmap_groups(playbook, graph),
        ),
    }
    for summary in summaries:
        path = links.workshop_page(summary.id)
        if (
            stale is not None
            and previous is not None
            and summary.id not in stale
            and path in previous.pages
        ):
            pages[path] = previous.pages[path]
            continue
        pages[path] = page(
            path, "workshop.md.j2", home=summary.id, w=summary, nodes=_Nodes(graph, summary.id)
        )
    if rules_root is None:
        for rule_id in METHOD_RULES:
            pages[links.rule_page(rule_id)] = format_reference.rule_page(rule_id)
    return RenderMemo(dict(sorted(pages.items())), set(playbook.workshops), now, key)


def neighbours(graph: Graph) -> dict[str, set[str]]:
    """For each workshop, the workshops it refers to or is referred to by."""
    out: dict[str, set[str]] = {}
    for source, edges in graph.outgoing.items():
        for edge in edges:
            if source is not None and source[0] != edge.target[0]:
                out.setdefault(source[0], set()).add(edge.target[0])
                out.setdefault(edge.target[0], set()).add(source[0])
    return out


def stale_workshops(
    changed: set[str], before: dict[str, set[str]], after: dict[str, set[str]]
) -> set[str]:
    """The workshops whose page may differ after ``changed`` workshops changed: those, and
    every workshop linked to one of them before or after the change (backlinks, the
    findings of cross-workshop references, and the readiness they feed)."""
    stale = set(changed)
    for workshop in changed:
        stale |= before.get(workshop, set()) | after.get(workshop, set())
    return stale


class _Pages:
    """Links to the generated pages, from the page being rendered."""

    def __init__(self, site: links.Linker) -> None:
        self._site = site

    def __getattr__(self, name: str) -> Callable[[str], Md]:
        targets = {
            "portfolio": links.PORTFOLIO,
            "audit": links.AUDIT,
            "catalogue": links.CATALOGUE,
            "roadmap": links.ROADMAP,
        }
        if name not in targets:
            raise AttributeError(name)
        target = targets[name]
        return lambda text, fragment="": self._site.to(target, text, fragment)


class _Nodes:
    """A workshop's records as graph nodes, in file order, for the workshop template."""

    def __init__(self, graph: Graph, workshop: str) -> None:
        self._graph = graph
        self._workshop = workshop

    def __call__(self, records: list[Any]) -> list[Any]:
        return views.nodes_of(self._graph, self._workshop, records)
