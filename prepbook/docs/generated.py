"""Every file of a project that prepbook generates, with the text it should hold.

``prepbook refresh`` writes the stale ones and ``prepbook refresh --check`` names them. The
list is read off the project, so a playbook made by ``prepbook init`` gets its own files,
never this repository's:

- the workshop format's JSON Schema in the docs folder, which every workshop file names in
  its first line: always;
- the reference pages (format, findings, a page a rule, report, diff) and the other
  published schemas, when the docs folder keeps any of them (``prepbook docs`` wrote them
  once; the build then shows the playbook's own pages rather than generating them);
- the tables of README.md, where it has their markers (:mod:`prepbook.docs.markers`);
- the files of prepbook's own package (the copy of the workshop schema it ships, the
  declaration of the method rules), only when the package lies inside the project, as in
  prepbook's own repository: a playbook never writes into the prepbook it runs.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Literal

from prepbook.config import Project
from prepbook.docs import reference, schema
from prepbook.docs.cli_table import REGION as CLI_REGION
from prepbook.docs.markers import Region
from prepbook.docs.rule_declarations import DECLARATIONS_FILE, declarations_text
from prepbook.docs.rules_table import REGION as RULES_REGION
from prepbook.docs.rules_table import rules_table
from prepbook.load.files import display_path

README = "README.md"
State = Literal["missing", "out of date"]


@dataclass(frozen=True, slots=True)
class Generated:
    """One generated file: where it is, what it is (for ``--verbose``), the text it should
    hold, and the text it holds (None: there is no such file)."""

    path: Path
    what: str
    expected: str
    current: str | None

    @property
    def state(self) -> State | None:
        """Why it needs writing; None when it is up to date."""
        if self.current is None:
            return "missing"
        return "out of date" if self.current != self.expected else None


@dataclass
class GeneratedFiles:
    """A project's generated files, and what kept others from being read (a file that
    cannot be read, a README whose markers are broken), in words."""

    files: list[Generated] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def add(self, path: Path, what: str, expected: Callable[[str | None], str | None]) -> None:
        """Add ``path`` with the text ``expected`` makes of what the file holds now; a file
        for which it makes nothing is not one this project generates."""
        current = self._read(path)
        if current is False:
            return
        text = expected(current)
        if text is not None:
            self.files.append(Generated(path, what, text, current))

    def _read(self, path: Path) -> str | Literal[False] | None:
        if not path.exists():
            return None
        try:
            if not path.is_file():
                raise IsADirectoryError(0, "not a file")
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
            self.problems.append(f"{display_path(path)}: cannot read it ({reason or exc})")
            return False


def _inside(path: Path, root: Path) -> bool:
    return path.resolve().is_relative_to(root.resolve())


def _posix(path: Path, start: Path) -> str:
    return Path(os.path.relpath(path.resolve(), start.resolve())).as_posix()


def generated_files(project: Project, cli_table: Callable[[], str]) -> GeneratedFiles:
    """The generated files of ``project``, in the order they are written: the declaration
    of the method rules first, which the others may follow from. ``cli_table``: the table
    of commands and options (the command line's own parser, which this layer cannot read)."""
    found = GeneratedFiles()
    root, docs = project.root, project.root / project.docs_dir
    if _inside(DECLARATIONS_FILE, root):
        found.add(
            DECLARATIONS_FILE, "the declaration of the method rules", _always(declarations_text)
        )
    workshop_schema = docs / schema.SCHEMA_FILE
    found.add(workshop_schema, "the workshop format's JSON Schema", _always(schema.schema_text))
    if _inside(schema.PACKAGED_SCHEMA, root):
        found.add(
            schema.PACKAGED_SCHEMA,
            "the workshop schema the package ships",
            _always(schema.schema_text),
        )
    pages = _reference(project, workshop_schema)
    keeps_reference = any(path.is_file() for path in pages)
    if keeps_reference:
        for path, (what, text) in pages.items():
            found.add(path, what, _always(text))

    def page_of(rule_id: str) -> str | None:
        if not keeps_reference:
            return None
        return _posix(docs / reference.rule_page_path(rule_id), root)

    tables = {CLI_REGION: cli_table, RULES_REGION: lambda: rules_table(page_of)}
    found.add(root / README, "the tables of README.md", lambda text: _tables(found, text, tables))
    return found


def _always(text: Callable[[], str]) -> Callable[[str | None], str]:
    """A whole file the project always generates: its text, whatever the file holds."""
    return lambda current: text()


def _reference(
    project: Project, workshop_schema: Path
) -> dict[Path, tuple[str, Callable[[], str]]]:
    """The reference pages and the schemas they link to, by where the docs keep them. The
    format reference names the schema as this project's workshop files and pages reach it."""
    docs = project.root / project.docs_dir
    format_page = docs / reference.FORMAT_PAGE
    link = _posix(workshop_schema, format_page.parent)
    line = _posix(workshop_schema, project.workshops_dir)
    pages: dict[Path, tuple[str, Callable[[], str]]] = {}
    for page, render in reference.PAGES.items():
        if page == reference.FORMAT_PAGE:
            render = partial(reference.format_page, link, line)
        pages[docs / page] = (f"the reference page {page}", render)
    for path in schema.SCHEMAS:
        if path != schema.SCHEMA_FILE:
            pages[docs / path] = (f"the JSON Schema {path}", partial(schema.schema_text, path))
    return pages


def _tables(
    found: GeneratedFiles, text: str | None, tables: dict[Region, Callable[[], str]]
) -> str | None:
    """README.md with each table it has markers for rewritten; None when it has none (or
    no README at all): then it is not a generated file of this project."""
    wanted = [region for region in tables if text is not None and region.present(text)]
    if text is None or not wanted:
        return None
    for region in wanted:
        problem = region.problem(text)
        if problem is not None:
            found.problems.append(f"{README}: {problem}")
            return None
        text = region.replaced(text, tables[region]())
    return text


def write(generated: Generated) -> None:
    """Write ``generated`` as a whole, so a reader never sees half of it."""
    partial = generated.path.with_name(f".{generated.path.name}.partial")
    generated.path.parent.mkdir(parents=True, exist_ok=True)
    try:
        partial.write_text(generated.expected, encoding="utf-8", newline="\n")
        partial.replace(generated.path)
    finally:
        partial.unlink(missing_ok=True)
