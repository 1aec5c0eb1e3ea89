"""Validation as one call: find the files, load them, run every check."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from prepbook.checks import run_checks
from prepbook.config import Settings
from prepbook.findings import Finding
from prepbook.load.playbook import LoadCache, Playbook, discover, display_path, load_files


class UsageError(Exception):
    """The user asked for something that cannot be done (a path that does not exist)."""


def collect(paths: Sequence[Path]) -> tuple[list[Path], list[Finding]]:
    """The workshop files named by ``paths``: files as given, folders searched."""
    files: list[Path] = []
    findings: list[Finding] = []
    for path in paths:
        if path.is_dir():
            found, refused = discover(path)
            files.extend(found)
            findings.extend(refused)
        elif path.is_file():
            files.append(path)
        else:
            raise UsageError(f"no such file or folder: {display_path(path)}")
    unique = list(dict.fromkeys(p.resolve() for p in files))
    return [Path(display_path(p)) for p in unique], findings


def validate(
    settings: Settings,
    root: Path,
    paths: Sequence[Path] = (),
    *,
    cache: LoadCache | None = None,
) -> Playbook:
    """Load and check the playbook (files unchanged since the last load come from
    ``cache``).

    With ``paths``, findings are reported for those files only, but every workshop of the
    configured folder is loaded as context, so a reference to another workshop resolves
    when a pre-commit hook passes a single changed file.
    """
    workshops_dir = root / settings.workshops
    context, refused = collect([workshops_dir]) if workshops_dir.is_dir() else ([], [])
    if paths:
        targets, target_refusals = collect(paths)
        refused = target_refusals
    else:
        targets = context
    wanted = {p.resolve() for p in targets}
    extra = [p for p in context if p.resolve() not in wanted]
    playbook = load_files([*targets, *extra], max_bytes=settings.max_file_bytes, cache=cache)
    run_checks(playbook, settings)
    shown = {display_path(p.resolve()) for p in targets}
    playbook.files = sorted(shown)
    playbook.findings = sorted(
        (f for f in [*playbook.findings, *refused] if f.file in shown or f.rule == "PB009"),
        key=lambda f: f.sort_key,
    )
    return playbook
