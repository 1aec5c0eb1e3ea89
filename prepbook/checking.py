"""Loading and checking a playbook, apart from rendering it: what ``prepbook validate``,
the pre-commit hook and each side of a diff need. Kept out of :mod:`prepbook.build` so that
a validation imports no templates, no Markdown and no exports: at 1,000 workshops that
import is a tenth of a second of a three-second run."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from urllib.parse import quote

from prepbook.cap import cap_per_file
from prepbook.checks import run_checks
from prepbook.checks.causes import fold
from prepbook.config import Project, Settings
from prepbook.findings import Finding
from prepbook.load.files import collect, display_path
from prepbook.load.playbook import LoadCache, bulk_allocation, load_blobs, load_files
from prepbook.load.regular import resolved
from prepbook.report import Report
from prepbook.report.checked import Checked
from prepbook.rules import METHOD_RULES
from prepbook.trackers.folder import Trackers, read_trackers, tracker_files


def check(
    project: Project, paths: Sequence[Path] = (), *, cache: LoadCache | None = None
) -> Checked:
    """Load and check the playbook (files unchanged since the last load come from
    ``cache``).

    With ``paths``, findings are reported for those files only, but every workshop of the
    configured folder is loaded as context, so a reference to another workshop resolves
    when a pre-commit hook passes a single changed file.
    """
    settings = project.settings
    workshops_dir = project.workshops_dir
    context, refused = collect([workshops_dir]) if workshops_dir.is_dir() else ([], [])
    extra: list[Path] = []
    if paths:
        targets, refused = collect(paths)
        wanted = {resolved(p) for p in targets}
        extra = [p for p in context if resolved(p) not in wanted]
    else:
        targets = context  # collected: each path already as display_path gives it
    with bulk_allocation():
        playbook = load_files([*targets, *extra], max_bytes=settings.max_file_bytes, cache=cache)
        trackers = read_trackers(
            project.trackers_dir, settings.max_file_bytes, states=settings.tracker_states
        )
        playbook = dataclasses.replace(playbook, trackers=trackers)
        report = run_checks(playbook, settings)
    shown = {display_path(resolved(p)) for p in targets} if paths else {str(p) for p in targets}
    if not paths:  # the exports are judged with the whole playbook, never one file of it
        shown |= tracker_files(trackers)
    findings = sorted(
        (f for f in [*report.findings, *refused] if f.file in shown or f.rule == "PB009"),
        key=lambda f: f.sort_key,
    )
    capped = tuple(cap_per_file(findings))  # the first of each file, the rest counted
    # what only follows from another finding is listed under it (see checks/causes.py)
    return Checked(playbook, Report(tuple(sorted(shown)), fold(capped), report.silenced))


def check_blobs(
    blobs: Iterable[tuple[Path, bytes]],
    settings: Settings,
    refused: Sequence[Finding] = (),
    trackers: Trackers | None = None,
) -> Checked:
    """The same for files given as bytes (one side of a diff): nothing is read from disk.
    ``refused``: what became of the files that could not be read, reported with the rest;
    ``trackers``: the exports the side's steps are read against (none unless given)."""
    with bulk_allocation():
        playbook = load_blobs(blobs, max_bytes=settings.max_file_bytes)
        if trackers is not None:
            playbook = dataclasses.replace(playbook, trackers=trackers)
        report = run_checks(playbook, settings)
    if refused:
        findings = sorted([*report.findings, *refused], key=lambda f: f.sort_key)
        files = tuple(sorted({*report.files, *(f.file for f in refused)}))
        report = Report(files, tuple(findings), report.silenced)
    return Checked(playbook, report)


def rules_root_for(docs_dir: Path, output: Path) -> str | None:
    """The playbook's own rule pages (``docs_dir/reference/rules``), relative to the
    generated folder, when they exist and both sit in the same site."""
    from prepbook.docs.reference import rule_page_path

    own = docs_dir / rule_page_path(METHOD_RULES[0])
    try:
        output.resolve().relative_to(docs_dir.resolve())
    except ValueError:
        return None
    if not own.is_file():
        return None
    return Path(os.path.relpath(own.parent.resolve(), output.resolve())).as_posix()


def rule_page_urls(project: Project) -> dict[str, str]:
    """The published address of each method rule's page, when the configuration gives the
    site's address (``site_url``): the playbook's own page, or the one the build adds."""
    if not project.site_url:
        return {}
    from prepbook.docs.reference import rule_page_path
    from prepbook.render import links

    docs_dir = project.root / project.docs_dir
    own = rules_root_for(docs_dir, docs_dir / project.settings.output) is not None
    urls = {}
    for rule_id in METHOD_RULES:
        page = (
            rule_page_path(rule_id)
            if own
            else f"{project.settings.output}/{links.rule_page(rule_id)}"
        )
        page = os.path.normpath(page).replace(os.sep, "/").removesuffix(".md")
        address = f"{page}/" if project.use_directory_urls else f"{page}.html"
        urls[rule_id] = project.site_url.rstrip("/") + "/" + quote(address)
    return urls


def rule_explanations() -> dict[str, tuple[str, str]]:
    """Why each method rule exists and how to fix what it finds, for the formats that
    explain the rules they cite (SARIF): read off the rules' own modules."""
    from prepbook.checks.rules import DEFINED

    return {rule_id: (m.doc.rationale, m.doc.fix) for rule_id, m in DEFINED.items()}
