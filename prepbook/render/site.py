"""Render the playbook's pages to Markdown: ``{path: text}``, with no MkDocs involved."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from prepbook import export
from prepbook.clock import today
from prepbook.config import Settings
from prepbook.errors import RenderError
from prepbook.graph import Graph
from prepbook.history import History
from prepbook.load.playbook import Playbook
from prepbook.render import (
    changes,
    decisions,
    delivery_view,
    kit,
    links,
    parallel,
    people,
    sections,
    views,
)
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
from prepbook.report.completeness import CompletenessScore, completeness
from prepbook.trackers.folder import Trackers

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
        text = one_byte(env.get_template(name).render(**context))
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError(f"template {exc.filename or name}:{exc.lineno}: {exc.message}") from None
    except jinja2.TemplateError as exc:
        raise RenderError(f"template {name}: {exc}") from None
    # A line break is no space to a search index, which would join the words on either
    # side of it ("Ann Lee<br>Owner" as "Ann LeeOwner"): each is followed by one. YAML
    # text cannot write "<", so every "<br>" here is prepbook's (or a template's) own.
    return text.replace("<br>", "<br> ") if "<br>" in text else text


People = tuple[tuple[str, ...], frozenset[str]]  # identities on a page, their workshops


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
    # each person's page and each page of the index of people, with whom it shows and the
    # workshops of their team members: what decides whether the next render can keep it
    people: dict[str, People] = field(default_factory=dict)
    # what each workshop's pages show that follows from records beyond its neighbours: its
    # decisions (a delivery status follows steps through any number of dependencies), its
    # completeness (findings of rules that read that far), and its name as other pages
    # give it (which counts the workshops of its organisation)
    derived: dict[str, object] = field(default_factory=dict)


def _templates_signature(templates: Path | None) -> tuple[tuple[str, int], ...]:
    if templates is None or not templates.is_dir():
        return ()
    return tuple(sorted((p.name, p.stat().st_mtime_ns) for p in templates.iterdir()))


@dataclass
class Render:
    """One render of the site: what every section reads, and the pages made so far.

    Each section is a function of its own that takes this and adds its pages to ``pages``;
    what they share (the date, the figures, the sections' plan, what the last render of
    ``mkdocs serve`` left to reuse) is computed once, here, rather than captured by
    closures, so a section can be read, and changed, on its own.
    """

    playbook: Playbook
    env: jinja2.Environment
    settings: Settings
    build_date: dt.date
    rules_root: str
    directory_urls: bool
    format_page: str
    scores: dict[str, CompletenessScore]
    summaries: list[views.WorkshopSummary]
    found: dict[str, list[decisions.Decision]]
    at_a_glance: decisions.Glance
    figures: Figures
    plan: sections.Plan
    layout: tuple[object, ...]  # the plan's signature: which page holds each row
    previous: Rendered | None
    stale: set[str] | None  # workshops whose pages must be made again; None: every page
    feed: bool = False  # whether the Changes page, and its feed, are made
    workers: int = 1  # processes the workshop pages are rendered in (see parallel)
    pages: dict[str, str] = field(default_factory=dict)
    people: dict[str, People] = field(default_factory=dict)  # see Rendered.people

    @property
    def graph(self) -> Graph:
        return self.playbook.graph

    @functools.cached_property
    def decision_of(self) -> dict[links.RowKey, decisions.Decision]:
        """Each committed priority's decision by its key, made once for every page."""
        return {d.priority.key: d for ds in self.found.values() for d in ds}

    def linker(self, path: str, home: str | None = None) -> links.Linker:
        """Links as seen from the page at ``path`` (about the workshop ``home``, if any)."""
        return links.Linker(self.graph, path, home, self.rules_root, self.directory_urls)

    def page(self, template: str, site: links.Linker, **context: Any) -> str:
        # The pictures' rules are in the stylesheet now; ``style`` stays, empty, for
        # overrides of the templates that still name it.
        return _render(self.env, template, pages=views.page_links(site), style=Md(""), **context)

    @functools.cached_property
    def same_layout(self) -> bool:
        """Whether every row is on the page it was on in the last render: compared once,
        not for each of the hundreds of split pages."""
        return self.previous is not None and self.previous.layout == self.layout

    def reused(self, path: str, keys: tuple[links.RowKey, ...]) -> bool:
        """Keep a split page as the last render made it, when every row stays on the page
        it was on (so every link to a row is unchanged) and none of its rows belongs to a
        workshop the edit can change."""
        previous, stale = self.previous, self.stale
        if stale is None or previous is None or not self.same_layout:
            return False
        if path not in previous.pages or any(key[0] in stale for key in keys):
            return False
        self.pages[path] = previous.pages[path]
        return True

    def kept(self, path: str, workshop_id: str) -> bool:
        """Keep a workshop's page as the last render made it, when the edit cannot have
        changed it: neither its file nor any workshop it links to, or is linked from."""
        previous, stale = self.previous, self.stale
        if stale is None or previous is None or workshop_id in stale:
            return False
        if path not in previous.pages:
            return False
        self.pages[path] = previous.pages[path]
        return True

    def kept_people(self, path: str, shown: tuple[str, ...], workshops: frozenset[str]) -> bool:
        """Keep a page of people (a person's, or one of the index) as the last render made
        it, when it shows the same people (``shown``, their identities) from the team members
        of the same workshops as then, none of which the edit can have changed: what a
        person answers for is a reference into their own record, so a change to it is a
        change to their workshop or to one linked to it."""
        previous, stale = self.previous, self.stale
        seen, where = self.people.get(path, ((), frozenset()))
        now = self.people[path] = ((*seen, *shown), where | workshops)
        if stale is None or previous is None or path not in previous.pages:
            return False
        if previous.people.get(path) != now or not stale.isdisjoint(now[1]):
            return False
        self.pages[path] = previous.pages[path]
        return True


def _render_key(
    build_date: dt.date,
    settings: Settings,
    templates: Path | None,
    rules_root: str | None,
    format_page: str,
    directory_urls: bool,
    history: History | None,
    trackers: Trackers,
) -> tuple[object, ...]:
    """What every page depends on besides the workshops: a render with another key reuses
    nothing of the last. The tracker exports are among it: new ones can move a tracked
    step of any workshop, and what depends on it (its priorities, the roadmap, home)."""
    return (
        build_date,
        trackers,
        settings.model_dump_json(),
        str(templates),
        _templates_signature(templates),
        rules_root,
        format_page,
        directory_urls,
        (history.head, history.note) if history is not None else None,
    )


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
    workers: int = 1,
) -> Rendered:
    """Every generated page, by its path relative to the generated folder.

    ``rules_root`` is where the playbook keeps its rule pages, relative to the generated
    folder; without it, links go to ``rules/``, where the build service puts them.
    ``format_page`` is the format reference, relative to the generated folder, which the
    playbook at a glance links to. With
    ``previous`` (the last render of ``mkdocs serve``), the page of every workshop that
    neither changed (``changed``: ids of workshops whose file changed) nor links to or from
    one that did, nor one whose decisions or completeness moved (a delivery status follows
    dependencies through any number of workshops), is reused as it was. With ``history``,
    the Changes page is rendered, and each workshop page lists its own recent changes.
    ``directory_urls`` is how the engine addresses pages (``a/b/`` or ``a/b.html``), for
    the links in pictures, which are HTML that no engine rewrites. With ``home`` (the
    generated folder as the home page links to it), the playbook at a glance is rendered
    for the home page. With ``workers`` above 1, the workshops' pages are rendered in that
    many processes where the system can fork them (the same pages; see
    :mod:`prepbook.render.parallel`).
    """
    env = _environment_for(templates, _templates_signature(templates))
    graph = playbook.graph
    settings = settings or Settings()
    build_date = today()
    key = _render_key(
        build_date,
        settings,
        templates,
        rules_root,
        format_page,
        directory_urls,
        history,
        playbook.trackers,
    )
    now = neighbours(graph)
    summaries = views.summarise(playbook)
    found = {
        ws_id: decisions.decisions(playbook, graph, ws_id, build_date)
        for ws_id in playbook.workshops
    }
    scores = completeness(playbook, report, settings)
    # and how other pages name it: with its title once its organisation ran several
    named = links.Linker(graph, links.PORTFOLIO).workshop_name
    derived: dict[str, object] = {ws: (tuple(found[ws]), scores[ws], named(ws)) for ws in found}
    stale: set[str] | None = None
    if previous is not None and previous.key == key:
        gone = previous.workshops - set(playbook.workshops)
        moved = {ws for ws, facts in derived.items() if previous.derived.get(ws) != facts}
        stale = stale_workshops(set(changed) | gone | moved, previous.links, now)
    plan = sections.plan(playbook, summaries, settings.page_rows)
    render = Render(
        playbook=playbook,
        env=env,
        settings=settings,
        build_date=build_date,
        rules_root=rules_root or links.RULES_DIR,
        directory_urls=directory_urls,
        format_page=format_page,
        scores=scores,
        summaries=summaries,
        found=found,
        at_a_glance=decisions.glance(graph, found, build_date),
        figures=Figures(playbook, today=build_date, directory_urls=directory_urls),
        plan=plan,
        layout=plan.signature(),
        previous=previous if stale is not None else None,
        stale=stale,
        feed=history is not None,
        workers=workers,
    )
    _portfolio(render)
    _audit(render)
    _catalogue(render)
    _roadmap(render)
    if history is not None:
        _changes(render, history)
    _workshops(render, history)
    _people(render)
    glance = _glance(render, home) if home is not None else ""
    pages = dict(sorted(render.pages.items()))
    return Rendered(
        pages, set(playbook.workshops), now, key, glance, render.layout, render.people, derived
    )


# A section's split pages: what each page's template gets besides its pager.
SplitContext = Callable[
    [Render, links.Split, tuple[links.RowKey, ...], links.Linker], dict[str, Any]
]


def _split_pages(
    render: Render,
    splits: Iterable[links.Split],
    template: str,
    up: str,
    up_title: str,
    context: SplitContext,
) -> None:
    """Every page of every split of a section, each with its rows and its pager."""
    for split in splits:
        for number, path, keys in _numbered(split):
            if render.reused(path, keys):
                continue
            site = render.linker(path)
            pager = sections.pager(split, number, site, up, up_title)
            extra = context(render, split, keys, site)
            render.pages[path] = render.page(template, site, pager=pager, **extra)


def _portfolio(render: Render) -> None:
    """The portfolio: the playbook at a glance on its first page, a row per workshop."""
    playbook, plan = render.playbook, render.plan
    summary_of = {s.id: s for s in render.summaries}
    score_of = {k: v.score for k, v in render.scores.items()}
    for number, path, keys in _numbered(plan.portfolio):
        if number > 1 and render.reused(path, keys):  # the first page shows the whole playbook
            continue
        site = render.linker(path)
        rows = [summary_of[k[0]] for k in keys]
        found = render.found
        shipping = {s.id: summaries_view.ship_rows(playbook, site, found[s.id]) for s in rows}
        gaps = {s.id: len(decisions.workshop_gaps(found[s.id])) for s in rows}
        first = number == 1
        render.pages[path] = render.page(
            "portfolio.md.j2",
            site,
            glance=summaries_view.glance_view(
                playbook,
                site,
                render.at_a_glance,
                render.build_date,
                render.format_page,
                feed=render.feed,
                listed=True,
            )
            if first
            else None,
            workshops=views.portfolio_rows(
                rows,
                score_of,
                site,
                shipping,
                gaps,
                {s.id: summaries_view.delivery_score(found[s.id]) for s in rows},
            ),
            timeline=render.figures.roadmap_lanes(render.summaries, portfolio=True, page=path)
            if render.summaries and first
            else None,
            pager=sections.pager(plan.portfolio, number, site, links.PORTFOLIO, "Portfolio"),
        )


def _audit(render: Render) -> None:
    """The audit register: its summary, and the assets of each kind."""
    site = render.linker(links.AUDIT)
    summary = sections.audit_summary(render.plan, render.graph, site)
    render.pages[links.AUDIT] = render.page("audit.md.j2", site, audit=summary)
    _split_pages(
        render, render.plan.audit, "audit_page.md.j2", links.AUDIT, "Audit register", _assets
    )


def _assets(
    render: Render, split: links.Split, keys: tuple[links.RowKey, ...], site: links.Linker
) -> dict[str, Any]:
    nodes = [render.graph.node(k) for k in keys]
    return {"kind": split.title, "assets": views.audit_rows(nodes, site)}


def _catalogue(render: Render) -> None:
    """The persofail catalogue: its summary and heatmap, each category's and each tag's."""
    site = render.linker(links.CATALOGUE)
    persofails = views.catalogue(render.graph)
    render.pages[links.CATALOGUE] = render.page(
        "persofails.md.j2",
        site,
        catalogue=sections.catalogue_summary(render.plan, render.graph, site),
        heatmap=render.figures.catalogue_heatmap(persofails, page=links.CATALOGUE)
        if persofails
        else None,
    )
    title = "Persofail catalogue"
    _split_pages(
        render, render.plan.catalogue, "persofails_page.md.j2", links.CATALOGUE, title, _category
    )
    _split_pages(render, render.plan.tags, "persofails_tag.md.j2", links.CATALOGUE, title, _tag)


def _category(
    render: Render, split: links.Split, keys: tuple[links.RowKey, ...], site: links.Linker
) -> dict[str, Any]:
    nodes = [render.graph.node(k) for k in keys]
    return {"category": split.title, "persofails": views.catalogue_rows(nodes, site)}


def _tag(
    render: Render, split: links.Split, keys: tuple[links.RowKey, ...], site: links.Linker
) -> dict[str, Any]:
    entries = sections.tag_entries(render.graph, keys, render.plan.layout, site)
    return {"tag": split.title, "persofails": entries}


def _roadmap(render: Render) -> None:
    """The roadmap: its summary (the committed priorities' delivery first) and every
    workshop's lanes, then each quarter's steps."""
    site = render.linker(links.ROADMAP)
    render.pages[links.ROADMAP] = render.page(
        "roadmap.md.j2",
        site,
        delivery=summaries_view.ship_rows(render.playbook, site, render.at_a_glance.delivery),
        committed=render.at_a_glance.committed,
        roadmap=sections.roadmap_summary(render.plan, render.playbook, site, render.build_date),
        timeline=render.figures.roadmap_lanes(render.summaries, portfolio=False, page=links.ROADMAP)
        if render.plan.roadmap
        else None,
    )
    _split_pages(
        render, render.plan.roadmap, "roadmap_page.md.j2", links.ROADMAP, "Roadmap", _window
    )


def _window(
    render: Render, split: links.Split, keys: tuple[links.RowKey, ...], site: links.Linker
) -> dict[str, Any]:
    behind = delivery_view.behind(render.playbook, render.build_date)
    return {
        "title": split.title,
        "dated": split.slug != sections.UNDATED,
        "delivery": summaries_view.ship_rows(render.playbook, site, _delivered(render, keys)),
        "groups": sections.roadmap_page(render.plan, render.graph, keys, site, behind),
    }


def _delivered(render: Render, keys: tuple[links.RowKey, ...]) -> list[decisions.Decision]:
    """The committed priorities that the steps of a roadmap page deliver, each once, the
    worst delivery status first."""
    by_key = render.decision_of
    found: dict[links.RowKey, decisions.Decision] = {}
    for key in keys:
        for node in render.graph.targets(key, "delivers"):
            decision = by_key.get(node.key)
            if decision is not None:
                found.setdefault(node.key, decision)
    return sorted(found.values(), key=decisions.attention_order)


def _changes(render: Render, history: History) -> None:
    """The Changes page: what the latest commits changed, by workshop and decision, with
    a link to the same changes as a feed."""
    site = render.linker(links.CHANGES)
    titles = {ws: loaded.model.title for ws, loaded in render.playbook.workshops.items()}
    page = changes.changes_page(history, render.graph, site, titles)
    render.pages[links.CHANGES] = render.page(
        "changes.md.j2", site, page=page, note=history.note, feed=site.url(export.CHANGES_FEED)
    )


def _workshops(render: Render, history: History | None) -> None:
    """A page for each workshop; under ``mkdocs serve``, the last render's page of each
    workshop an edit cannot have changed."""
    latest = changes.latest_by_workshop(history) if history is not None else {}
    made = []
    for summary in render.summaries:
        path = links.workshop_page(summary.id)
        if render.kept(path, summary.id):
            # its kit and record were made with it, from the same facts
            render.kept(links.kit_page(summary.id), summary.id)
            render.kept(links.record_page(summary.id), summary.id)
            continue
        made.append(summary)
    run = functools.partial(_workshop_pages, render, latest)
    for pages in parallel.in_order(run, made, render.workers):
        render.pages.update(pages)


def _workshop_pages(
    render: Render,
    latest: changes.Latest,
    summaries: Sequence[views.WorkshopSummary],
) -> dict[str, str]:
    """The pages of a run of workshops: each one's page, kit and record, on their own (in a
    worker process, or in this one)."""
    render = dataclasses.replace(render, pages={})
    graph = render.graph
    workshop_ids = set(render.playbook.workshops)
    for summary in summaries:
        path = links.workshop_page(summary.id)
        site = render.linker(path, summary.id)
        recent = changes.recent(latest, summary.id, graph, site, workshop_ids)
        score = render.scores[summary.id]
        decided = summaries_view.workshop_decisions(
            render.playbook, graph, site, summary.id, render.found[summary.id], score.band
        )
        view = views.workshop_view(
            summary,
            graph,
            site,
            score,
            render.figures,
            decided,
            recent,
            delivery_view.behind(render.playbook, render.build_date),
        )
        render.pages[path] = render.page("workshop.md.j2", site, w=view)
        _kit(render, summary.id, decided)
    return render.pages


def _kit(render: Render, workshop_id: str, decided: summaries_view.WorkshopDecisions) -> None:
    """A workshop's facilitation kit and its decision record: made with its page, from the
    same view of what it decided, so the record and the page never disagree."""
    loaded = render.playbook.workshops[workshop_id]
    kit_path, record_path = links.kit_page(workshop_id), links.record_page(workshop_id)
    site = render.linker(kit_path, workshop_id)
    view = kit.kit_view(loaded, render.graph, site, links.CATALOGUE, record_path)
    render.pages[kit_path] = render.page("kit.md.j2", site, k=view)
    site = render.linker(record_path, workshop_id)
    again = summaries_view.workshop_decisions(
        render.playbook,
        render.graph,
        site,
        workshop_id,
        render.found[workshop_id],
        render.scores[workshop_id].band,
    )
    record = kit.record_view(loaded, site, again, render.build_date, kit_path)
    render.pages[record_path] = render.page("record.md.j2", site, r=record)


def _people(render: Render) -> None:
    """A page per person, across workshops, and the index of everyone, split into pages.
    Under ``mkdocs serve``, the last render's page of each person (and each page of the
    index) whose workshops the edit cannot have changed: at a thousand workshops there are
    some 8,000 of them, and making them all again was half the time of a rebuild."""
    graph = render.graph
    everyone = people.people(graph)
    by_key = {p.key: p for p in everyone}
    teams = {p.key: frozenset(m.workshop for m in p.members) for p in everyone}
    for person in everyone:
        if render.kept_people(person.page, (person.key,), teams[person.key]):
            continue
        site = render.linker(person.page)
        view = people.person_view(person, graph, site)
        render.pages[person.page] = render.page("person.md.j2", site, p=view)
    index = people.split(everyone, render.settings.page_rows)
    pages = (f"{index.count}", *index.pages)  # what its pager shows: how many, and where
    for number, path, keys in _numbered(index):
        shown = tuple(key for key, _ in keys)
        workshops = frozenset(w for key in shown for w in teams[key])
        if render.kept_people(path, (*pages, *shown), workshops):
            continue
        site = render.linker(path)
        rows = [people.person_row(by_key[key], graph, site) for key, _ in keys]
        pager = sections.pager(index, number, site, links.PEOPLE, "People")
        render.pages[path] = render.page("people.md.j2", site, people=rows, pager=pager)


def _glance(render: Render, home: str) -> str:
    """The playbook at a glance, for the home page, with links from the generated folder
    as the home page sees it (``home``)."""
    site = links.Linker(
        render.graph, links.PORTFOLIO, rules_root=render.rules_root, outside=home or "./"
    )
    at_home = summaries_view.glance_view(
        render.playbook,
        site,
        render.at_a_glance,
        render.build_date,
        render.format_page,
        feed=render.feed,
    )
    return _render(render.env, "glance.md.j2", glance=at_home)


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
    findings of cross-workshop references, and the completeness they feed)."""
    stale = set(changed)
    for workshop in changed:
        stale |= before.get(workshop, set()) | after.get(workshop, set())
    return stale
