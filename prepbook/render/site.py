"""Render the playbook's pages to Markdown: ``{path: text}``, with no MkDocs involved."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from prepbook.clock import today
from prepbook.config import Settings
from prepbook.errors import RenderError
from prepbook.graph import Graph
from prepbook.history import History
from prepbook.load.playbook import Playbook
from prepbook.render import changes, decisions, links, sections, views
from prepbook.render import summaries as summaries_view
from prepbook.render.figures import Figures
from prepbook.render.markdown import (
    Md,
    cell_label,
    escape,
    front_matter,
    inline,
    join,
    one_byte,
    paragraphs,
    unindexed,
)
from prepbook.report import Report
from prepbook.report.readiness import readiness

# A hand-written home page shows the playbook at a glance where it holds this line.
GLANCE_MARKER = "<!-- prepbook: at a glance -->"


def default_home(site_name: str, output: str) -> str:
    """The home page of a site whose docs have none: its name, the playbook at a glance and
    the way to each section (``output``: the generated folder, from the docs' top). Without
    it, a playbook added to a bare ``mkdocs.yml`` had no page at its address."""
    folder = output.strip("/") + "/"
    return (
        f"# {escape(site_name or 'Playbook')}\n\n{GLANCE_MARKER}\n\n"
        "Every workshop, with what it committed to and when that ships, is on the "
        f"[portfolio]({folder}{links.PORTFOLIO}); every step on the "
        f"[roadmap]({folder}{links.ROADMAP}), every persofail in the "
        f"[catalogue]({folder}{links.CATALOGUE}), every audited asset in the "
        f"[audit register]({folder}{links.AUDIT}).\n"
    )


def environment(override: Path | None = None) -> jinja2.Environment:
    """Templates from ``override`` first, then the defaults shipped in the package.

    Every ``{{ expression }}`` goes through :func:`inline`, so text from YAML is escaped
    unless prepbook itself built it as Markdown: an override cannot forget to escape.
    Templates get data only (see :mod:`prepbook.render.views`); the filters format a value
    and nothing else.
    """
    loaders: list[jinja2.BaseLoader] = []
    if override is not None:
        loaders.append(jinja2.FileSystemLoader(str(override)))
    loaders.append(jinja2.PackageLoader("prepbook.render", "templates"))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=False,  # inline() is the escaping: for Markdown and HTML at once
        finalize=inline,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["para"] = paragraphs
    env.filters["esc"] = escape
    env.filters["join"] = join
    env.filters["md"] = Md  # for template authors: text they wrote themselves
    env.filters["front_matter"] = front_matter
    env.filters["label"] = cell_label
    env.filters["unindexed"] = unindexed
    return env


@functools.lru_cache(maxsize=4)
def _environment_for(
    override: Path | None, signature: tuple[tuple[str, int], ...]
) -> jinja2.Environment:
    """The environment, kept while the override folder's files stay the same: under ``mkdocs
    serve`` each rebuild then renders with templates compiled once."""
    return environment(override)


def _render(env: jinja2.Environment, name: str, **context: Any) -> str:
    """The one place a template is rendered, with a page's view data as its context."""
    try:
        return one_byte(env.get_template(name).render(**context))
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError(f"template {exc.filename or name}:{exc.lineno}: {exc.message}") from None
    except jinja2.TemplateError as exc:
        raise RenderError(f"template {name}: {exc}") from None


@dataclass
class Rendered:
    """The pages of a render, and what the next render needs to reuse them (``mkdocs
    serve``): which workshops link to which, and what else the pages depended on."""

    pages: dict[str, str]
    workshops: set[str]
    links: dict[str, set[str]]
    key: tuple[object, ...]
    glance: str = ""  # the playbook at a glance, as the home page shows it (see GLANCE_MARKER)
    layout: tuple[object, ...] = ()  # the sections' splits: which page holds which row


def _templates_signature(templates: Path | None) -> tuple[tuple[str, int], ...]:
    if templates is None or not templates.is_dir():
        return ()
    return tuple(sorted((p.name, p.stat().st_mtime_ns) for p in templates.iterdir()))


def render_site(
    playbook: Playbook,
    report: Report,
    *,
    templates: Path | None = None,
    settings: Settings | None = None,
    rules_root: str | None = None,
    format_page: str = links.FORMAT_REFERENCE,
    previous: Rendered | None = None,
    changed: set[str] | frozenset[str] = frozenset(),
    history: History | None = None,
    directory_urls: bool = True,
    home: str | None = None,
) -> Rendered:
    """Every generated page, by its path relative to the generated folder.

    ``rules_root`` is where the playbook keeps its rule pages, relative to the generated
    folder; without it, links go to ``rules/``, where the build service puts them.
    ``format_page`` is the format reference, relative to the generated folder, which the
    playbook at a glance links to. With
    ``previous`` (the last render of ``mkdocs serve``), the page of every workshop that
    neither changed (``changed``: ids of workshops whose file changed) nor links to or from
    one that did is reused as it was. With ``history``, the Changes page is rendered, and
    each workshop page lists its own recent changes. ``directory_urls`` is how the engine
    addresses pages (``a/b/`` or ``a/b.html``), for the links in pictures, which are HTML
    that no engine rewrites. With ``home`` (the generated folder as the home page links to
    it), the playbook at a glance is rendered for the home page.
    """
    env = _environment_for(templates, _templates_signature(templates))
    graph = playbook.graph
    settings = settings or Settings()
    build_date = today()
    key = (
        build_date,
        settings.model_dump_json(),
        str(templates),
        _templates_signature(templates),
        rules_root,
        format_page,
        directory_urls,
        (history.head, history.note) if history is not None else None,
    )
    now = neighbours(graph)
    stale: set[str] | None = None
    if previous is not None and previous.key == key:
        gone = previous.workshops - set(playbook.workshops)
        stale = stale_workshops(set(changed) | gone, previous.links, now)
    scores = readiness(playbook, report, settings)
    summaries = views.summarise(playbook)
    found = {ws_id: decisions.decisions(playbook, graph, ws_id) for ws_id in playbook.workshops}
    at_a_glance = decisions.glance(graph, found, build_date)
    figures = Figures(playbook, today=build_date, directory_urls=directory_urls)
    # The pictures' rules are in the stylesheet now; ``style`` stays, empty, for overrides
    # of the templates that still name it.
    style = Md("")
    root = rules_root or links.RULES_DIR

    def linker(path: str, home: str | None = None) -> links.Linker:
        return links.Linker(graph, path, home, root, directory_urls)

    def page(template: str, site: links.Linker, **context: Any) -> str:
        return _render(env, template, pages=views.page_links(site), style=style, **context)

    plan = sections.plan(playbook, summaries, settings.page_rows)
    layout = plan.signature()
    pages: dict[str, str] = {}
    # A split page is reused when every row stays on the page it was on (so every link to
    # a row is unchanged) and none of its rows belongs to a workshop the edit can change.
    same_layout = stale is not None and previous is not None and previous.layout == layout

    def reused(path: str, keys: tuple[links.RowKey, ...]) -> bool:
        if not same_layout or previous is None or path not in previous.pages:
            return False
        assert stale is not None
        if any(key[0] in stale for key in keys):
            return False
        pages[path] = previous.pages[path]
        return True

    def split_pages(
        splits: Iterable[links.Split],
        template: str,
        up: str,
        up_title: str,
        context: Callable[[links.Split, tuple[links.RowKey, ...], links.Linker], dict[str, Any]],
    ) -> None:
        """Every page of every split of a section, each with its rows and its pager."""
        for split in splits:
            for number, path, keys in _numbered(split):
                if reused(path, keys):
                    continue
                site = linker(path)
                pager = sections.pager(split, number, site, up, up_title)
                pages[path] = page(template, site, pager=pager, **context(split, keys, site))

    summary_of = {s.id: s for s in summaries}
    score_of = {k: v.score for k, v in scores.items()}
    for number, path, keys in _numbered(plan.portfolio):
        if number > 1 and reused(path, keys):  # the first page shows the whole playbook
            continue
        site = linker(path)
        rows = [summary_of[k[0]] for k in keys]
        shipping = {s.id: summaries_view.ship_rows(playbook, site, found[s.id]) for s in rows}
        pages[path] = page(
            "portfolio.md.j2",
            site,
            glance=summaries_view.glance_view(playbook, site, at_a_glance, build_date, format_page)
            if number == 1
            else None,
            workshops=views.portfolio_rows(rows, score_of, site, shipping),
            timeline=figures.roadmap_lanes(summaries, portfolio=True, page=path)
            if summaries and number == 1
            else None,
            pager=sections.pager(plan.portfolio, number, site, links.PORTFOLIO, "Portfolio"),
        )
    site = linker(links.AUDIT)
    pages[links.AUDIT] = page("audit.md.j2", site, audit=sections.audit_summary(plan, graph, site))
    split_pages(
        plan.audit,
        "audit_page.md.j2",
        links.AUDIT,
        "Audit register",
        lambda split, keys, site: {
            "kind": split.title,
            "assets": views.audit_rows([graph.node(k) for k in keys], site),
        },
    )
    site = linker(links.CATALOGUE)
    persofails = views.catalogue(graph)
    pages[links.CATALOGUE] = page(
        "persofails.md.j2",
        site,
        catalogue=sections.catalogue_summary(plan, graph, site),
        heatmap=figures.catalogue_heatmap(persofails, page=links.CATALOGUE) if persofails else None,
    )
    split_pages(
        plan.catalogue,
        "persofails_page.md.j2",
        links.CATALOGUE,
        "Persofail catalogue",
        lambda split, keys, site: {
            "category": split.title,
            "persofails": views.catalogue_rows([graph.node(k) for k in keys], site),
        },
    )
    split_pages(
        plan.tags,
        "persofails_tag.md.j2",
        links.CATALOGUE,
        "Persofail catalogue",
        lambda split, keys, site: {
            "tag": split.title,
            "persofails": sections.tag_entries(graph, keys, plan.layout, site),
        },
    )
    site = linker(links.ROADMAP)
    pages[links.ROADMAP] = page(
        "roadmap.md.j2",
        site,
        roadmap=sections.roadmap_summary(plan, playbook, site, build_date),
        timeline=figures.roadmap_lanes(summaries, portfolio=False, page=links.ROADMAP)
        if plan.roadmap
        else None,
    )
    split_pages(
        plan.roadmap,
        "roadmap_page.md.j2",
        links.ROADMAP,
        "Roadmap",
        lambda split, keys, site: {
            "title": split.title,
            "dated": split.slug != sections.UNDATED,
            "groups": sections.roadmap_page(plan, graph, keys, site),
        },
    )
    workshop_ids = set(playbook.workshops)
    latest = changes.latest_by_workshop(history) if history is not None else {}
    if history is not None:
        site = linker(links.CHANGES)
        pages[links.CHANGES] = page(
            "changes.md.j2",
            site,
            periods=changes.periods(history, graph, site, workshop_ids),
            note=history.note,
        )
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
        site = linker(path, summary.id)
        recent = changes.recent(latest, summary.id, graph, site, workshop_ids)
        score = scores[summary.id]
        decided = summaries_view.workshop_decisions(
            playbook, graph, site, summary.id, found[summary.id], score.band
        )
        view = views.workshop_view(summary, graph, site, score, figures, decided, recent)
        pages[path] = page("workshop.md.j2", site, w=view)
    glance = ""
    if home is not None:
        site = links.Linker(graph, links.PORTFOLIO, rules_root=root, outside=home or "./")
        at_home = summaries_view.glance_view(playbook, site, at_a_glance, build_date, format_page)
        glance = _render(env, "glance.md.j2", glance=at_home)
    return Rendered(dict(sorted(pages.items())), set(playbook.workshops), now, key, glance, layout)


def _numbered(split: links.Split) -> Iterator[tuple[int, str, tuple[links.RowKey, ...]]]:
    """A split's pages, numbered from 1, each with the keys of its rows."""
    for number, (path, keys) in enumerate(zip(split.pages, split.rows, strict=True), 1):
        yield number, path, keys


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
