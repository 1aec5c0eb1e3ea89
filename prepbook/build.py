"""The build service: load → check → report → render, as one call with one result.

Every entry point (the MkDocs plugin, ``prepbook validate``, ``prepbook generate``,
``prepbook diff``) calls these functions and only adapts their result to its own world:
log lines and a PluginError, an exit code, files in a folder. None of them runs a stage
of its own, so they cannot disagree about what a playbook holds or whether it is valid.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from prepbook.checking import check as check
from prepbook.checking import check_blobs as check_blobs
from prepbook.checking import rule_explanations as rule_explanations
from prepbook.checking import rule_page_urls as rule_page_urls
from prepbook.checking import rules_root_for
from prepbook.clock import today
from prepbook.config import Project
from prepbook.diff.compare import compare, history_line
from prepbook.diff.revisions import repository, tracked_at
from prepbook.docs.reference import FORMAT_PAGE, format_page, rule_page_text
from prepbook.docs.schema import PLAYBOOK_SCHEMA_FILE, SCHEMA_FILE, schema_text
from prepbook.errors import GitError, RenderError
from prepbook.export import CHANGES_FEED, PLAYBOOK_JSON, PLAYBOOK_SCHEMA, ROADMAP_ICS
from prepbook.export.context import ExportContext
from prepbook.export.document import playbook_json
from prepbook.export.feed import changes_feed
from prepbook.export.ics import roadmap_ics
from prepbook.export.tables import tables
from prepbook.git import git, in_repository
from prepbook.history import ChangeLine, Commit, History, HistoryCache, read_history
from prepbook.load.playbook import LoadCache, Playbook, bulk_allocation, load_blobs
from prepbook.render import links
from prepbook.render.site import Rendered, render_site
from prepbook.report import Report
from prepbook.report.checked import Checked
from prepbook.rules import METHOD_RULES
from prepbook.trackers.folder import Trackers
from prepbook.trackers.revision import trackers_at


def home_prefix(docs_dir: Path, out: Path) -> str | None:
    """The generated folder as the home page (``index.md`` of the docs) links to it, or
    None when the pages are generated outside the docs."""
    try:
        relative = out.resolve().relative_to(docs_dir.resolve())
    except ValueError:
        return None
    return "" if relative == Path() else relative.as_posix() + "/"


@dataclass(frozen=True)
class Built(Checked):
    """A checked playbook and its pages. ``rendered`` is None when errors in the workshops
    stopped the render, or when a template has a mistake (``render_error`` says which)."""

    rendered: Rendered | None = None
    render_error: str | None = None
    rules_root: str | None = None  # where the playbook keeps its own rule pages, if it does
    # the format reference: generated (its text), unless the playbook keeps its own
    format_text: str | None = None
    exports: dict[str, bytes] = field(default_factory=dict)  # the playbook as data (see export)
    # what the exports are made from, for a caller that makes them later (mkdocs serve)
    export_context: ExportContext | None = None

    @property
    def pages(self) -> dict[str, str]:
        """Every generated page; the rule pages and the format reference too when the
        playbook has none of its own."""
        if self.rendered is None:
            return {}
        if self.rules_root is not None and self.format_text is None:
            return self.rendered.pages
        pages = dict(self.rendered.pages)
        if self.rules_root is None:
            pages.update(rule_pages())
        if self.format_text is not None:
            pages[links.FORMAT_REFERENCE] = self.format_text
        return dict(sorted(pages.items()))


def rule_pages() -> dict[str, str]:
    """A page for each method rule, where the generated pages link to them by default."""
    return {links.rule_page(rule_id): rule_page_text(rule_id) for rule_id in METHOD_RULES}


def _inside(docs_dir: Path, output: Path) -> bool:
    try:
        output.resolve().relative_to(docs_dir.resolve())
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class FormatReference:
    """Where a site's format reference is: ``page``, relative to the generated folder; and
    ``text`` when the build generates it (None: the playbook keeps its own page)."""

    page: str
    text: str | None


def format_reference(project: Project, output: Path) -> FormatReference:
    """The playbook's own format reference (``docs_dir/reference/format.md``) when it has
    one in the same site; else the page the build generates into the generated folder, its
    links and the schema line it shows made for this playbook: a workshop file names the
    schema of the docs (``docs/schema/workshop.schema.json`` in a playbook made by
    ``prepbook init``) relative to the workshops folder, and the page links to it where
    the site publishes it."""
    docs_dir = project.root / project.docs_dir
    own = docs_dir / FORMAT_PAGE
    inside = _inside(docs_dir, output)
    if inside and own.is_file():
        relative = os.path.relpath(own.resolve(), output.resolve())
        return FormatReference(Path(relative).as_posix(), None)
    schema = docs_dir / SCHEMA_FILE
    page = output / links.FORMAT_REFERENCE
    link = (
        Path(os.path.relpath(schema.resolve(), page.parent.resolve())).as_posix()
        if inside and schema.is_file()
        else None
    )
    line = Path(os.path.relpath(schema.resolve(), project.workshops_dir.resolve())).as_posix()
    return FormatReference(links.FORMAT_REFERENCE, format_page(link, line))


def format_reference_address(project: Project) -> str:
    """Where the format reference is on the site, from the site's top (``playbook/reference/
    format/``): what a workshop's comments point a writer to."""
    out = project.root / project.docs_dir / project.settings.output
    where = format_reference(project, out).page
    page = os.path.normpath(os.path.join(project.settings.output, where)).replace(os.sep, "/")
    return links.served(page, project.use_directory_urls)


def playbook_history(project: Project, cache: HistoryCache | None = None) -> History | None:
    """The recent history of the workshops folder, each commit compared by the diff engine
    on the files it changed (None when the playbook turned the Changes page off)."""
    settings = project.settings
    if settings.history == 0:
        return None

    def changes_of(
        before: list[tuple[Path, bytes]],
        after: list[tuple[Path, bytes]],
        commit: Commit,
        exports: bool,
    ) -> tuple[ChangeLine, ...]:
        # Only the files the commit changed are loaded, so the checks' findings about
        # references to other workshops would be noise here: the history shows what was
        # edited, and which files could not be read.
        sides = [
            load_blobs(before, max_bytes=settings.max_file_bytes),
            load_blobs(after, max_bytes=settings.max_file_bytes),
        ]
        if exports:  # new exports: what the tracker's news says of the steps it tracks
            sides = tracker_news(project, commit.sha, before, after)
        old, new = (Checked(p, Report(p.files, p.problems)) for p in sides)
        # a decision's delivery status as the commit left it, on the day it was made: what
        # the commit changed, which the passing of time since then does not rewrite
        diff = compare(old, new, "before", commit.short, settings, today=commit.date)
        return tuple(history_line(change) for change in diff.changes)

    return read_history(
        project.root,
        project.workshops_dir,
        limit=settings.history,
        since=settings.history_since,
        compare=changes_of,
        cache=cache,
        trackers=project.trackers_dir,
    )


def tracker_news(
    project: Project,
    commit: str,
    before: list[tuple[Path, bytes]],
    after: list[tuple[Path, bytes]],
) -> list[Playbook]:
    """Both sides of a commit that changed the trackers folder's exports, for the Changes
    page: the workshop files it changed and every file whose steps track items (the
    exports can change what the tracker says of any of them), each side with the exports
    of its own revision. A commit with no parent compares with no exports at all."""
    settings = project.settings
    cap = settings.max_file_bytes
    sides = [dict(before), dict(after)]
    exports = [Trackers(), Trackers()]
    try:
        root = repository(project.root)
        workshops = in_repository(project.workshops_dir, root)
        trackers = in_repository(project.trackers_dir, root)
        parent = git(root, "rev-list", "--parents", "-n", "1", commit).split()[1:2]
        if workshops is not None and trackers is not None:
            for side, revision in enumerate((parent[0] if parent else None, commit)):
                if revision is None:
                    continue
                sides[side] = {**dict(tracked_at(root, revision, workshops, cap)), **sides[side]}
                exports[side] = trackers_at(
                    root, revision, trackers, cap, states=settings.tracker_states
                )
    except GitError:  # the history is optional: the commit's own files are still compared
        sides, exports = [dict(before), dict(after)], [Trackers(), Trackers()]
    return [
        dataclasses.replace(load_blobs(sorted(files.items()), max_bytes=cap), trackers=found)
        for files, found in zip(sides, exports, strict=True)
    ]


def build(
    project: Project,
    out: Path,
    *,
    cache: LoadCache | None = None,
    previous: Rendered | None = None,
    history: HistoryCache | None = None,
    export_sink: Callable[[str, bytes], None] | None = None,
    make_exports: bool = True,
    workers: int = 1,
) -> Built:
    """Check the playbook and, when it has no error, render its pages for the folder
    ``out``.

    ``cache`` and ``previous`` carry a load and a render over to the next build (``mkdocs
    serve``): only the files that changed are parsed again, and only the pages they can
    change are rendered again; ``history`` keeps what each commit changed.

    The exports are made before the pages. Given ``export_sink``, each is handed to it and
    not kept, so the exports and the pages are never in memory at once: at 1,000 workshops
    that is some 90 MB off the build's peak. Without ``make_exports`` they are not made at
    all, and ``Built.export_context`` is what makes them when they are asked for: a rebuild
    of ``mkdocs serve`` must not wait for them (1.6 s at 1,000 workshops). With ``workers``
    above 1 the workshops' pages are rendered in that many processes (the same pages).
    """
    checked = check(project, cache=cache)
    if not checked.report.ok:
        return Built(checked.playbook, checked.report)
    changed = (
        {
            ws_id
            for ws_id, loaded in checked.playbook.workshops.items()
            if os.path.abspath(loaded.path) in cache.changed  # the cache's own key
        }
        if cache is not None
        else set()
    )
    rules_root = rules_root_for(project.root / project.docs_dir, out)
    reference = format_reference(project, out)
    past = playbook_history(project, history)  # the Changes page's and its feed's
    context = exports_context(project, checked, out, past)
    exports = export_files(context) if make_exports else {}
    if export_sink is not None:
        for path, data in exports.items():
            export_sink(path, data)
        exports = {}
    try:
        with bulk_allocation():  # pages are trees of strings too
            rendered = render_site(
                checked.playbook,
                checked.report,
                templates=project.templates_dir,
                settings=project.settings,
                rules_root=rules_root,
                format_page=reference.page,
                previous=previous,
                changed=changed,
                history=past,
                home=home_prefix(project.root / project.docs_dir, out),
                directory_urls=project.use_directory_urls,
                workers=workers,
            )
    except RenderError as exc:
        return Built(checked.playbook, checked.report, render_error=str(exc))
    return Built(
        checked.playbook,
        checked.report,
        rendered,
        rules_root=rules_root,
        format_text=reference.text,
        exports=exports,
        export_context=context,
    )


def export_files(context: ExportContext) -> dict[str, bytes]:
    """The JSON document with its schema beside it, the calendar and the CSV files, as the
    bytes to write (UTF-8; the calendar's and the tables' CRLF line ends kept as they are
    on every system). Made here, above the export stage, because the schema beside the
    document is the one the docs publish (``prepbook.docs.schema``), which reads the
    export's models."""
    texts = {
        PLAYBOOK_SCHEMA: schema_text(PLAYBOOK_SCHEMA_FILE),
        ROADMAP_ICS: roadmap_ics(context),
        **tables(context),
    }
    files = {path: text.encode("utf-8") for path, text in texts.items()}
    files[PLAYBOOK_JSON] = playbook_json(context)
    if context.history is not None:
        files[CHANGES_FEED] = changes_feed(context)
    return dict(sorted(files.items()))


def exports_context(
    project: Project, checked: Checked, out: Path, history: History | None = None
) -> ExportContext:
    """What the exports of a checked playbook are made from, for the generated folder
    ``out``: its absolute address is known when the configuration gives the site's and the
    folder is part of the site."""
    prefix = home_prefix(project.root / project.docs_dir, out)
    base_url = (
        f"{project.site_url.rstrip('/')}/{quote(prefix)}"
        if project.site_url and prefix is not None
        else None
    )
    return ExportContext(
        checked.playbook,
        checked.report,
        checked.completeness(project.settings),
        today(),
        project.root,
        base_url=base_url,
        directory_urls=project.use_directory_urls,
        history=history,
    )
