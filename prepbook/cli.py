"""The ``prepbook`` command line: validate, diff, show, generate, refresh, schema, docs, new
and init.

Each command imports the stages it needs when it runs: ``prepbook show`` runs once per file
and revision under ``git log -p``, and must not wait for the renderer to load.

One convention for every command (the options shared by all come from one parent parser,
so none can drift): the playbook is the mkdocs.yml found from the working folder upwards
(``find_config``) or named by ``--config``, before or after the command; paths on the
command line are relative to the working folder, the settings' folders to the mkdocs.yml;
``--output`` (alias ``--out``) names where a result is written; ``-q`` leaves only errors
on standard error and ``-v`` adds detail; ``--colour`` where findings or a diff are
printed. Exit codes (EXIT_CODES): 0 clean, 1 findings, 2 a usage or input problem, 3 a bug
in prepbook itself. No input ever produces a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Sequence
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from prepbook.change_kinds import LEVELS, Level
from prepbook.config import Project, Settings
from prepbook.diff import DIFF_FORMATS
from prepbook.diff.output import text as diff_text
from prepbook.diff.revisions import (
    WORKTREE,
    Side,
    at_revision,
    default_base,
    in_folder,
    repository,
)
from prepbook.docs import schema
from prepbook.docs.skeleton import schema_reference, skeleton, write_new
from prepbook.errors import PrepbookError, UsageError
from prepbook.generate import refuse_protected, write_pages
from prepbook.load.files import display_path, source_root
from prepbook.load.playbook import load_blobs
from prepbook.load.regular import NotReadable, read_regular
from prepbook.model.fields import slugify
from prepbook.report.baseline import load_baseline
from prepbook.report.formats import REPORT_FORMATS, Context, format_text
from prepbook.rules import Severity
from prepbook.terminal import COLOUR_CHOICES, printable, use_colour
from prepbook.version import __version__

if TYPE_CHECKING:
    from prepbook.trackers.folder import Trackers

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
# What each exit code means, the same for every command; the top-level --help lists them.
EXIT_CODES = {
    EXIT_OK: "done, and nothing failed",
    EXIT_FINDINGS: "findings: an error (with --strict, a warning too), a committed file that "
    "differs (--check), or a change at the --fail-on level",
    EXIT_USAGE: "a usage or input problem: a bad option, no mkdocs.yml found, a file that "
    "cannot be read or written, a file or folder it will not overwrite",
    EXIT_INTERNAL: "a bug in prepbook (rerun with PREPBOOK_DEBUG=1 for the traceback)",
}
Command = Callable[[argparse.Namespace, Project], int]


def _note(args: argparse.Namespace, message: str) -> None:
    """What a command did or suggests (created, wrote, next), on standard error; nothing
    with --quiet, which leaves only the errors there."""
    if not args.quiet:
        print(message, file=sys.stderr)


def _detail(args: argparse.Namespace, message: str) -> None:
    """More than a person usually wants, for --verbose: which file was read, how long."""
    if args.verbose:
        _say(args.command, message)


def _failed_path(exc: OSError, fallback: Path) -> str:
    return display_path(Path(exc.filename)) if exc.filename else display_path(fallback)


def _emit(text: str, output: str | None) -> None:
    """Write a command's result to stdout, or to a file (atomically, so a reader never
    sees half of it). A file that cannot be written is a usage problem, said in one line."""
    if output is None:
        sys.stdout.write(text)
        return
    target = Path(output)
    if target.is_dir():
        raise UsageError(f"--output {display_path(target)} is a folder; name a file")
    try:
        if target.exists() and not target.is_file():
            # a device, a pipe (/dev/null, /dev/stdout, a FIFO): replacing it with a file
            # would destroy it, and there is no half-written file to hide from a reader
            with target.open("w", encoding="utf-8", newline="\n") as stream:
                stream.write(text)
            return
        if not target.parent.is_dir():
            raise UsageError(
                f"--output {display_path(target)}: the folder {display_path(target.parent)} "
                "does not exist"
            )
        partial = target.with_name(f".{target.name}.partial")
        try:
            partial.write_text(text, encoding="utf-8", newline="\n")
            partial.replace(target)
        finally:
            partial.unlink(missing_ok=True)
    except OSError as exc:
        raise UsageError(
            f"--output: cannot write {_failed_path(exc, target)}: {exc.strerror or exc}"
        ) from None


def cmd_validate(args: argparse.Namespace, project: Project) -> int:
    from prepbook.checking import check, rule_explanations, rule_page_urls

    known = load_baseline(Path(args.baseline)) if args.baseline else None
    checked = check(project, [Path(p) for p in args.paths])
    report = checked.report
    # findings the baseline holds are shown as known and never fail the run
    split = known.split(report.findings) if known is not None else None
    chosen = args.format or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    colour = args.output is None and use_colour(args.colour, sys.stdout)
    context = Context(
        completeness=checked.completeness(project.settings),
        summary=args.summary,
        source_root=source_root(project.root),
        help_uris=rule_page_urls(project),
        explanations=rule_explanations(),
        baseline=split,
        baseline_file=known.source if known is not None else "",
    )
    _emit(REPORT_FORMATS[chosen](report, colour=colour, context=context), args.output)
    failing = (Severity.ERROR, Severity.WARNING) if args.strict else (Severity.ERROR,)
    counted = split.new if split is not None else report.findings
    return EXIT_FINDINGS if any(f.severity in failing for f in counted) else EXIT_OK


def _write_or_check(args: argparse.Namespace, path: Path, text: str, regenerate: str) -> int:
    """Write a generated file, or with ``--check`` report whether the committed copy drifted
    (or was never written), naming the command that writes it."""
    if args.check:
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if current is None:
            print(
                f"{display_path(path)} is missing: run '{regenerate}' to write it", file=sys.stderr
            )
            return EXIT_FINDINGS
        if current != text:
            print(
                f"{display_path(path)} is out of date: run '{regenerate}' to regenerate it",
                file=sys.stderr,
            )
            return EXIT_FINDINGS
        return EXIT_OK
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    except OSError as exc:
        raise UsageError(f"cannot write {_failed_path(exc, path)}: {exc.strerror or exc}") from None
    _note(args, f"wrote {display_path(path)}")
    return EXIT_OK


def cmd_schema(args: argparse.Namespace, project: Project) -> int:
    path = next(p for p in schema.SCHEMAS if schema.schema_name(p) == args.name)
    text = schema.schema_text(path)
    if args.output is None and not args.check:
        _emit(text, None)
        return EXIT_OK
    target = Path(args.output) if args.output else project.root / project.docs_dir / path
    # --check alone also checks the copy the package ships, so it never drifts either
    shipped = schema.packaged_copies(path) if args.check and not args.output else ()
    status = EXIT_OK
    for copy in (target, *shipped):
        command = f"prepbook schema {args.name} --output {display_path(copy)}"
        status = max(status, _write_or_check(args, copy, text, command))
    return status


def cmd_docs(args: argparse.Namespace, project: Project) -> int:
    from prepbook.docs import reference as format_reference

    base = Path(args.output) if args.output else project.root / project.docs_dir
    status = EXIT_OK
    for page, render in format_reference.PAGES.items():
        command = "prepbook docs" + (f" --output {args.output}" if args.output else "")
        status = max(status, _write_or_check(args, base / page, render(), command))
    return status


def cmd_refresh(args: argparse.Namespace, project: Project) -> int:
    """Write every generated file of the project that is missing or out of date, or with
    ``--check`` name each one; what could not be read is said too, and exits with 2."""
    from prepbook.docs.cli_table import options_table
    from prepbook.docs.generated import generated_files, write
    from prepbook.docs.rule_declarations import DECLARATIONS_FILE

    found = generated_files(project, lambda: options_table(build_parser()))
    for problem in found.problems:
        _say(args.command, problem)
    failed = EXIT_USAGE if found.problems else EXIT_OK
    again = (
        "prepbook refresh" if args.config is None else f"prepbook --config {args.config} refresh"
    )
    stale = []
    for generated in found.files:
        if generated.state is None:
            _detail(args, f"{display_path(generated.path)} is up to date ({generated.what})")
        else:
            stale.append(generated)
    if args.check:
        for generated in stale:
            fix = "write it" if generated.state == "missing" else "regenerate it"
            print(
                f"{display_path(generated.path)} is {generated.state}: run '{again}' to {fix}",
                file=sys.stderr,
            )
        return failed or (EXIT_FINDINGS if stale else EXIT_OK)
    for generated in stale:
        try:
            write(generated)
        except OSError as exc:
            where = _failed_path(exc, generated.path)
            raise UsageError(f"cannot write {where}: {exc.strerror or exc}") from None
        _note(args, f"wrote {display_path(generated.path)}")
        if generated.path == DECLARATIONS_FILE:
            # The model, the findings and the settings read the declaration of the method
            # rules when they are imported (a schema's text follows from it): the rest is
            # written by a process that reads the new one.
            return max(failed, _refresh_again(args, project))
    if not stale and not found.problems:
        count = len(found.files)
        _note(args, f"every generated file is up to date ({count} file{'s' * (count != 1)})")
    return failed


def _refresh_again(args: argparse.Namespace, project: Project) -> int:
    command = [sys.executable, "-m", "prepbook", "refresh"]
    if project.config_file is not None:
        command += ["--config", str(project.config_file)]
    command += ["-q"] if args.quiet else ["-v"] if args.verbose else []
    return subprocess.run(command, check=False).returncode


def cmd_generate(args: argparse.Namespace, project: Project) -> int:
    from prepbook.build import build
    from prepbook.render import stylesheet

    out = Path(args.output)
    refuse_protected(
        out,
        {
            "the project's folder": project.root,
            "the docs folder": project.root / project.docs_dir,
            "the workshops folder": project.workshops_dir,
        },
    )
    built = build(project, out)
    # the findings explain a failure; with --quiet, warnings alone are not worth a word
    if built.report.findings and not (args.quiet and built.report.ok):
        sys.stderr.write(format_text(built.report, colour=use_colour(args.colour, sys.stderr)))
    if not built.report.ok:
        print("prepbook generate: the workshops have errors; nothing was written", file=sys.stderr)
        return EXIT_FINDINGS
    if built.render_error is not None:
        print(f"prepbook generate: {printable(built.render_error)}", file=sys.stderr)
        return EXIT_FINDINGS
    try:
        write_pages(
            {**built.pages, **built.exports, stylesheet.PATH: stylesheet.text()},
            out,
            force=args.force,
        )
    except OSError as exc:
        raise UsageError(f"cannot write {_failed_path(exc, out)}: {exc.strerror or exc}") from None
    _note(
        args,
        f"wrote {len(built.pages)} pages, {len(built.exports)} data files "
        f"and the stylesheet {stylesheet.PATH} "
        f"to {display_path(out)}",
    )
    return EXIT_OK


def cmd_index(args: argparse.Namespace, project: Project) -> int:
    """The search index of any built site, for the pages another engine built from
    ``prepbook generate``: what those pages mark ``data-search-exclude`` is skipped, as the
    plugin's build skips it."""
    from prepbook.render import pagefind

    site = Path(args.site)
    if not site.is_dir() or not any(site.rglob("*.html")):
        raise UsageError(
            f"{display_path(site)} is not a folder of HTML pages. Hint: build the site "
            "first, then give its output folder (site/ for MkDocs and Zensical)."
        )
    pagefind.index_site(site)
    _note(
        args,
        f"wrote the search index to {display_path(site / pagefind.FOLDER)}; a page loads "
        f"it with {pagefind.FOLDER}/pagefind-ui.js, or Material's search box asks "
        f"{pagefind.WORKER}",
    )
    return EXIT_OK


def cmd_print(args: argparse.Namespace, project: Project) -> int:
    from prepbook.build import build
    from prepbook.export import paper
    from prepbook.folder_swap import write_atomically

    papers: list[paper.Paper] = ["a4", "letter"] if args.paper == "both" else [args.paper]
    write_pdf = paper.pdf_writer()  # a missing extra is said before anything is built
    out = Path(args.output)
    built = build(project, out, make_exports=False)
    if built.report.findings and not (args.quiet and built.report.ok):
        sys.stderr.write(format_text(built.report, colour=use_colour(args.colour, sys.stderr)))
    if not built.report.ok or built.render_error is not None:
        print("prepbook print: the workshops have errors; nothing was written", file=sys.stderr)
        return EXIT_FINDINGS
    known = sorted(built.playbook.workshops)
    unknown = [ws for ws in args.workshops if ws not in built.playbook.workshops]
    if unknown:
        raise UsageError(
            f"no workshop {', '.join(map(repr, unknown))}; the workshops are: {', '.join(known)}"
        )
    written = 0
    for sheet in paper.sheets(args.workshops or known):
        for size in papers:
            document = paper.html_document(
                built.pages[sheet.page],
                sheet,
                size,
                output=project.settings.output,
                site_url=project.site_url,
                directory_urls=project.use_directory_urls,
            )
            target = out / sheet.file_name(size)
            try:
                out.mkdir(parents=True, exist_ok=True)
                write_atomically(target, write_pdf(document))
            except OSError as exc:
                shown = display_path(target)
                raise UsageError(f"cannot write {shown}: {exc.strerror or exc}") from None
            written += 1
            _detail(args, f"wrote {display_path(target)}")
    _note(args, f"wrote {written} PDF files to {display_path(out)}")
    return EXIT_OK


def cmd_diff(args: argparse.Namespace, project: Project) -> int:
    from prepbook.build import check_blobs
    from prepbook.diff.compare import compare

    def git() -> tuple[Path, PurePosixPath]:
        root = repository(project.root)
        folder = PurePosixPath(Path(os.path.relpath(project.workshops_dir, root)).as_posix())
        return root, folder

    cap = project.settings.max_file_bytes

    def side(arg: str) -> Side:
        """A folder when ``arg`` names one, else a revision of the repository."""
        if Path(arg).is_dir():
            return in_folder(Path(arg), max_bytes=cap)
        root, folder = git()
        return at_revision(root, arg, folder, max_bytes=cap)

    old_side = side(args.base) if args.base else side(default_base(git()[0]))
    new_side = (
        side(args.head) if args.head else in_folder(project.workshops_dir, WORKTREE, max_bytes=cap)
    )
    _detail(args, f"compared {old_side.label} with {new_side.label}")
    old, new = (
        check_blobs(s.blobs, project.settings, s.refused, _side_trackers(project, s))
        for s in (old_side, new_side)
    )
    diff = compare(old, new, old_side.label, new_side.label, project.settings)
    # colour in the text format only, and only on its way to a terminal (or when forced)
    painted = args.format == "text" and args.output is None and use_colour(args.colour, sys.stdout)
    _emit(diff_text(diff, colour=True) if painted else DIFF_FORMATS[args.format](diff), args.output)
    threshold: Level | None = args.fail_on or ("info" if args.exit_code else None)
    return EXIT_FINDINGS if threshold and diff.at_or_above(threshold) else EXIT_OK


def _side_trackers(project: Project, side: Side) -> Trackers:
    """The exports a side of the diff is read against: its revision's trackers folder, so
    the diff says what the tracker's news changed; the folder on disk for the working tree
    and for a plain folder (which has no trackers folder of its own), and for a revision
    when the trackers folder lies outside the repository."""
    from prepbook.git import in_repository
    from prepbook.trackers.folder import read_trackers
    from prepbook.trackers.revision import trackers_at

    settings = project.settings
    if side.commit is not None:
        root = repository(project.root)
        folder = project.trackers_dir
        inside = in_repository(folder, root)
        if inside is not None:
            return trackers_at(
                root,
                side.commit,
                inside,
                settings.max_file_bytes,
                states=settings.tracker_states,
                shown=lambda relative: display_path(folder / relative),
            )
    return read_trackers(
        project.trackers_dir, settings.max_file_bytes, states=settings.tracker_states
    )


def cmd_show(args: argparse.Namespace, project: Project) -> int:
    from prepbook.diff.textconv import textconv

    path = Path(args.file)
    try:  # git hands the driver a temporary copy; a user may hand it anything
        raw = read_regular(path, project.settings.max_file_bytes)
    except NotReadable as exc:
        raise UsageError(f"cannot read {args.file}: {exc}") from None
    playbook = load_blobs([(path, raw)], max_bytes=project.settings.max_file_bytes)
    _emit(textconv(playbook), args.output)
    return EXIT_OK


def cmd_new(args: argparse.Namespace, project: Project) -> int:
    from prepbook.build import format_reference_address

    workshop_id: str = args.id
    if slugify(workshop_id) != workshop_id:
        print(
            f"prepbook new: '{workshop_id}' is not a valid id; ids are lowercase letters, "
            f"digits and single hyphens, for example '{slugify(workshop_id)}'",
            file=sys.stderr,
        )
        return EXIT_USAGE
    folder = Path(args.dir) if args.dir else project.workshops_dir
    target = folder / f"{workshop_id}.yaml"
    schema_file = project.root / project.docs_dir / schema.SCHEMA_FILE
    try:
        reference = format_reference_address(project)
        write_new(target, skeleton(workshop_id, schema_reference(folder, schema_file), reference))
    except FileExistsError:  # refusing to overwrite is a usage problem, as in init and generate
        raise UsageError(f"{display_path(target)} already exists; not overwriting it") from None
    except OSError as exc:  # a folder that cannot be made or written
        raise UsageError(
            f"cannot write {_failed_path(exc, target)}: {exc.strerror or exc}"
        ) from None
    _note(args, f"created {display_path(target)}")
    if not schema_file.is_file():  # the modeline is right, but editors find nothing there yet
        shown = display_path(schema_file)
        _note(
            args,
            f"note: its first line names the schema {shown}, which does not exist; "
            f"write it with 'prepbook schema --output {shown}' for completion in editors",
        )
    from prepbook.checking import check

    report = check(project, [target]).report
    sys.stdout.write(format_text(report, colour=use_colour(args.colour, sys.stdout)))
    return EXIT_OK if report.ok else EXIT_FINDINGS


def cmd_fetch(args: argparse.Namespace, project: Project) -> int:
    """Take every configured tracker export again (the only command that uses the
    network), print what the tracker says now, and with ``--pr`` open a pull request."""
    from prepbook.clock import today
    from prepbook.fetch import changes, fetch, open_pull_request, read_folder, written_files

    if not project.settings.tracker_sources:
        raise UsageError(
            "no tracker_sources in the plugin's options: name each export and where it is "
            "taken from, such as tracker_sources: {issues.json: github:org/repo}"
        )
    before = read_folder(project)
    fetched = fetch(project)
    for outcome in fetched:
        shown = f"{project.settings.trackers}/{outcome.source.file}"
        if outcome.written:
            _note(args, f"wrote {shown}: {outcome.message}")
        else:
            _say(args.command, f"{shown}: {outcome.message}; the file is left as it was")
    news = changes(before, read_folder(project))
    for line in news:
        print(printable(line))
    if not news:
        _note(args, "no item changed")
    failed = EXIT_FINDINGS if any(not f.written for f in fetched) else EXIT_OK
    if args.pr and any(f.written for f in fetched):
        address = open_pull_request(project, written_files(project, fetched), news, today())
        _note(args, f"opened {address}" if address else "nothing changed: no pull request")
    return failed


def cmd_init(args: argparse.Namespace, project: Project) -> int:
    from prepbook.mkdocs_options import site_name_problem
    from prepbook.scaffold import scaffold, site_name_for
    from prepbook.scaffold.requirement import RequirementError, pin_from

    folder = Path(args.dir)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{display_path(folder)} exists and is not a folder")
    name = args.name if args.name is not None else site_name_for(folder)
    problem = "expected a site name, not empty" if not name.strip() else site_name_problem(name)
    if problem is not None:
        raise UsageError(f"--name: {problem}")
    try:
        pin = pin_from(args.requirement)
    except RequirementError as exc:
        raise UsageError(f"--requirement: {exc}") from None
    made = scaffold(name.strip(), requirement=pin.requirement)
    taken = made.conflicts(folder)
    if taken:
        raise UsageError(
            f"{display_path(folder)} already has {', '.join(taken)}; nothing was written"
        )
    try:
        made.write(folder)
    except OSError as exc:  # a folder that cannot be written, a file created meanwhile
        where = display_path(Path(exc.filename)) if exc.filename else display_path(folder)
        raise UsageError(f"cannot write {where}: {exc.strerror or exc}") from None
    for path in made.files:
        _note(args, f"created {display_path(folder / path)}")
    _note(args, f"\nprepbook is installed by: {pin.requirement}")
    if pin.note:
        _note(args, f"note: {pin.note}")
    where = display_path(folder)
    _note(args, f"\nNext: cd {where} && mkdocs serve   (then open http://127.0.0.1:8000/)")
    return EXIT_OK


CONFIG_HELP = (
    "the playbook's mkdocs.yml (default: the first mkdocs.yml, mkdocs.yaml, properdocs.yml "
    "or properdocs.yaml in the working folder or the nearest folder above it, up to the top "
    "of its git repository)"
)
COLOUR_HELP = (
    "auto (the default): colour on a terminal, none if NO_COLOR is set, colour anywhere if "
    "FORCE_COLOR is; always; or never. Never in a file written by --output"
)


def _shared_options(parser: argparse.ArgumentParser, *, top: bool) -> None:
    """The options every command takes, before or after its name. After it, they default
    to SUPPRESS, so a value given before the name is not overwritten by the default."""

    def default(value: object) -> object:
        return value if top else argparse.SUPPRESS

    parser.add_argument("--config", metavar="FILE", default=default(None), help=CONFIG_HELP)
    loudness = parser.add_mutually_exclusive_group()
    loudness.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        default=default(False),
        help="only errors on standard error; the result still goes to standard output or --output",
    )
    loudness.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        default=default(False),
        help="more detail on standard error: which mkdocs.yml was read, what was compared, "
        "how long it took",
    )


def _epilog() -> str:
    """Where the playbook is found, and the exit codes, wrapped as argparse would wrap them
    (the raw formatter keeps the list's lines apart, and wraps nothing itself)."""
    where = textwrap.fill(
        "The playbook is the mkdocs.yml found in the working folder or the nearest folder "
        "above it (up to the top of the git repository), or the one --config names. Paths "
        "given on the command line are relative to the working folder; the folders in the "
        "settings are relative to the mkdocs.yml.",
        width=79,
    )
    codes = [
        textwrap.fill(meaning, width=79, initial_indent=f"  {code}  ", subsequent_indent="     ")
        for code, meaning in EXIT_CODES.items()
    ]
    return where + "\n\nexit codes, the same for every command:\n" + "\n".join(codes)


def _schema_help() -> str:
    """Each published schema by the name ``prepbook schema`` knows it by, and what it
    describes: read off SCHEMAS, so a new schema is listed where it is added."""
    names = [
        f"{schema.schema_name(path)}{' (the default)' if path == schema.SCHEMA_FILE else ''}: "
        f"{published.title}"
        for path, published in schema.SCHEMAS.items()
    ]
    return "the schema to print or write: " + "; ".join(names)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="prepbook",
        description="Validate and publish prepersonalization workshop playbooks.",
        epilog=_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"prepbook {__version__}")
    _shared_options(parser, top=True)
    shared = argparse.ArgumentParser(add_help=False)
    _shared_options(shared, top=False)
    commands = parser.add_subparsers(
        dest="command",
        required=True,
        metavar="COMMAND",
        help="what to do; 'prepbook COMMAND --help' lists its options",
    )

    def command(name: str, run: Command, summary: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=summary, description=summary, parents=[shared])
        sub.set_defaults(run=run)
        return sub

    def flag(sub: argparse.ArgumentParser, name: str, meaning: str) -> None:
        sub.add_argument(name, action="store_true", help=meaning)

    def colour(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--colour", "--color", choices=COLOUR_CHOICES, default="auto", help=COLOUR_HELP
        )

    def output(
        sub: argparse.ArgumentParser, metavar: str, meaning: str, *, required: bool = False
    ) -> None:
        sub.add_argument(
            "--output", "--out", dest="output", metavar=metavar, help=meaning, required=required
        )

    check = command("validate", cmd_validate, "check workshop files and report every problem")
    check.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="files or folders (default: the configured workshops folder)",
    )
    check.add_argument(
        "--format",
        choices=tuple(REPORT_FORMATS),
        help="text (default), json (schema/report.schema.json), github (workflow "
        "annotations; the default inside GitHub Actions) or sarif (SARIF 2.1.0 for code "
        "scanning)",
    )
    output(check, "FILE", "write the report to FILE instead of standard output")
    flag(check, "--strict", "warnings fail too (exit 1)")
    check.add_argument(
        "--baseline",
        metavar="FILE",
        help="a JSON report written earlier by 'validate --format json --output FILE': the "
        "findings it holds are shown as known and never fail the run; only new ones do",
    )
    flag(
        check,
        "--summary",
        "text and github: print each workshop's completeness score after the findings "
        "(json and sarif always hold the scores)",
    )
    colour(check)

    refresh = command(
        "refresh",
        cmd_refresh,
        "bring every file prepbook generates in the project up to date: the JSON Schemas, "
        "the reference pages the docs keep, the tables of README.md",
    )
    flag(
        refresh,
        "--check",
        "write nothing: name each generated file that is missing or out of date, and exit 1 "
        "if there is one",
    )

    schema_cmd = command("schema", cmd_schema, "print or write a JSON Schema")
    schema_cmd.add_argument(
        "name",
        nargs="?",
        default="workshop",
        choices=[schema.schema_name(p) for p in schema.SCHEMAS],
        help=_schema_help(),
    )
    output(schema_cmd, "FILE", "write the schema to FILE instead of standard output")
    flag(schema_cmd, "--check", "exit 1 if the committed schema differs from the models")

    docs = command("docs", cmd_docs, "write the format and findings reference pages")
    output(docs, "DIR", "folder to write the pages into (default: docs_dir)")
    flag(docs, "--check", "exit 1 if the committed pages differ from the models")

    generate = command(
        "generate", cmd_generate, "write the site's generated pages as Markdown, for any engine"
    )
    output(generate, "DIR", "folder to write; replaced as a whole", required=True)
    flag(generate, "--force", "replace the folder even if it holds files prepbook did not write")
    colour(generate)

    index = command(
        "index",
        cmd_index,
        "write the search index (Pagefind) of a site another engine built from the generated pages",
    )
    index.add_argument("site", metavar="SITE_DIR", help="the built site's folder of HTML")

    paper = command(
        "print",
        cmd_print,
        "write each workshop's facilitation kit and decision record as PDF (needs the pdf "
        "extra: pip install 'prepbook[pdf]')",
    )
    paper.add_argument(
        "workshops", nargs="*", metavar="ID", help="workshops to print (default: every one)"
    )
    paper.add_argument(
        "--paper",
        choices=("a4", "letter", "both"),
        default="a4",
        help="paper size (default: a4); both writes each document on A4 and on Letter",
    )
    output(paper, "DIR", "folder to write the PDF files into", required=True)
    colour(paper)

    diff = command(
        "diff", cmd_diff, "what changed in the playbook between two git revisions or folders"
    )
    diff.add_argument(
        "base",
        nargs="?",
        help="git revision or folder (default: the merge base with the main branch); a "
        "folder alone is compared with the workshops folder of the working tree",
    )
    diff.add_argument("head", nargs="?", help="git revision or folder (default: the working tree)")
    diff.add_argument(
        "--format",
        choices=tuple(DIFF_FORMATS),
        default="text",
        help="text (default), markdown (a pull-request comment, capped to fit one), "
        "markdown-full (the same, uncapped) or json",
    )
    output(diff, "FILE", "write the diff to FILE instead of standard output")
    diff.add_argument(
        "--fail-on",
        choices=LEVELS,
        help="exit with 1 when a change of this level or a more severe one exists "
        "(major > minor > info)",
    )
    flag(diff, "--exit-code", "exit with 1 when anything changed: the same as --fail-on info")
    colour(diff)

    show_cmd = command(
        "show",
        cmd_show,
        "one workshop, a line for each field of each record: the git diff driver's textconv",
    )
    show_cmd.add_argument("file", metavar="FILE", help="a workshop file")
    output(show_cmd, "FILE", "write the view to FILE instead of standard output")

    new = command("new", cmd_new, "write a commented skeleton for a new workshop")
    new.add_argument("id", metavar="ID", help="id of the workshop, also its file name")
    new.add_argument("--dir", metavar="DIR", help="folder (default: the workshops folder)")
    colour(new)

    fetch = command(
        "fetch",
        cmd_fetch,
        "take the tracker exports again from the sources in tracker_sources (the one command "
        "that uses the network; it writes only those files, never to a tracker)",
    )
    flag(
        fetch,
        "--pr",
        "commit the new exports on a new branch, push it and open a pull request (gh pr create)",
    )

    init = command(
        "init", cmd_init, "write a new playbook repository: site, starter workshop, CI, hooks"
    )
    init.add_argument("dir", metavar="DIR", help="folder to write into; created if missing")
    init.add_argument(
        "--name",
        metavar="NAME",
        help="the site's name (default: made from the folder's name, 'My playbook')",
    )
    init.add_argument(
        "--requirement",
        metavar="REQ",
        help="how the playbook's hook and workflows install prepbook: a version (0.1.0), a "
        "requirement (prepbook==0.1.0), a URL (git+https://…@v0.1.0) or a path (default: "
        "the way this prepbook was installed)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.quiet and args.verbose:  # one before the command's name, one after it
        _say(args.command, "-q/--quiet and -v/--verbose cannot be used together")
        return EXIT_USAGE
    run: Command = args.run
    started = time.perf_counter()
    try:
        if run is cmd_init:  # a new playbook: no configuration of its own to read yet
            if args.config is not None:
                raise UsageError(
                    "--config names an existing playbook's mkdocs.yml; init writes a new "
                    "one into DIR"
                )
            status = run(args, Project(Settings(), Path(args.dir)))
        else:
            from prepbook.mkdocs_options import load_project  # MkDocs, once it is needed

            project = load_project(Path(args.config) if args.config else None)
            if project.config_file is not None:
                _detail(args, f"read the settings from {display_path(project.config_file)}")
            if run is not cmd_new:  # new creates the workshops folder it writes into
                project.require_folders()
            status = run(args, project)
        sys.stdout.flush()  # a full disk behind stdout says so here, not at exit
        _detail(args, f"done in {time.perf_counter() - started:.2f} s (exit {status})")
        return status
    except PrepbookError as exc:  # what prepbook refuses, from any stage: said in one line
        _say(args.command, str(exc))
        return EXIT_USAGE
    except BrokenPipeError:
        _quiet_stdout()
        return EXIT_OK  # the reader went away (| head); nothing left to say
    except OSError as exc:  # stdout itself cannot be written (a full disk, a closed file)
        _quiet_stdout()
        _say(args.command, f"cannot write the output: {exc.strerror or exc}")
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug in prepbook: say so in one line, not a traceback
        if os.environ.get("PREPBOOK_DEBUG"):
            raise
        _say(
            args.command,
            f"internal error ({type(exc).__name__}: {exc}); this is a bug in prepbook; rerun "
            "with PREPBOOK_DEBUG=1 for details",
        )
        return EXIT_INTERNAL


def _say(command: str, message: str) -> None:
    """One line on standard error; a message may quote a file's name or a value from
    mkdocs.yml, which must not act on the terminal."""
    with contextlib.suppress(OSError):  # else nowhere is left to say it
        print(f"prepbook {command}: {printable(message)}", file=sys.stderr)


def _quiet_stdout() -> None:
    """Point stdout at nothing, so the interpreter's own flush at exit has nothing left to
    fail on (it would print a second error, and exit with 120)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


if __name__ == "__main__":
    sys.exit(main())
