"""The layers ARCHITECTURE.md draws are the layers the code has: every import runs
downwards or stays in its layer, no modules import each other round a cycle, and only the
adapters import MkDocs.

The layer of each module is read from the table under "Layers" in ARCHITECTURE.md, bottom
row first, so the document and the code cannot drift apart: a new module needs a row (or a
package a row names), and an import that the table does not allow fails here with the
file and line that makes it. Imports are read with ``ast``, those inside functions too
(a lazy import is still a dependency) and those under ``TYPE_CHECKING`` too (none is
exempt). Importing ``a.b.c`` runs the ``__init__`` of ``a.b`` first, so it counts as an
import of that package as well, unless the importer lives inside it.
"""

from __future__ import annotations

import ast
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import REPO

PACKAGE = "prepbook"
# The lowest layer that may import MkDocs, and the MkDocs packages themselves.
ADAPTERS = "adapters"
MKDOCS = ("mkdocs",)


@dataclass(frozen=True)
class Import:
    importer: str
    target: str  # a module of the package, or a top-level name of another one
    line: int


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules_of(root: Path) -> dict[str, Path]:
    """Every module of the package under ``root``, by dotted name."""
    return {module_name(root, p): p for p in sorted((root / PACKAGE).rglob("*.py"))}


@dataclass(frozen=True)
class Entry:
    """A module (``prepbook/graph.py``: ``prepbook.graph``) or a package
    (``prepbook/model/``: ``prepbook.model`` and every module in it) a row names."""

    name: str
    package: bool


def layer_table(architecture: str) -> list[tuple[str, list[Entry]]]:
    """The rows of the table under the "Layers" heading, bottom first: (layer, entries)."""
    section = re.search(r"^## Layers\n(.*?)(?=^## |\Z)", architecture, re.M | re.S)
    assert section, "ARCHITECTURE.md has no '## Layers' section"
    rows: list[tuple[str, list[Entry]]] = []
    for line in section.group(1).splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.startswith("|") or len(cells) < 2 or cells[0] == "layer":
            continue
        if set(cells[0]) <= {"-", " "}:  # the header's rule
            continue
        rows.append((cells[0], [_entry(p) for p in re.findall(r"`([^`]+)`", cells[1])]))
    assert rows, "the Layers section has no table"
    return rows


def _entry(path: str) -> Entry:
    if path.endswith("/"):
        return Entry(path.removesuffix("/").replace("/", "."), package=True)
    name = path.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
    return Entry(name, package=False)


def layers_of(rows: list[tuple[str, list[Entry]]], modules: dict[str, Path]) -> dict[str, int]:
    """Each module's layer (its row's index, from the bottom): the row that names the
    module, else the row that names the nearest package holding it."""
    exact = {e.name: i for i, (_, entries) in enumerate(rows) for e in entries if not e.package}
    packages = {e.name: i for i, (_, entries) in enumerate(rows) for e in entries if e.package}
    found: dict[str, int] = {}
    for name in modules:
        if name in exact:
            found[name] = exact[name]
            continue
        parts = name.split(".")
        for end in range(len(parts), 0, -1):
            prefix = ".".join(parts[:end])
            if prefix in packages:
                found[name] = packages[prefix]
                break
    return found


def _resolve(importer: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = importer.split(".")
    if not is_package:
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> list[Import]:
    """What a module imports, at any depth of its code: modules of the package (a name
    imported from a package counts as its submodule when it is one), and the top-level
    name of any other package."""
    is_package = path.name == "__init__.py"
    found: list[Import] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(name, is_package, node)
            if base == "__future__":
                continue
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                targets.append(sub if sub in modules else base)
        for target in targets:
            if target.split(".")[0] != PACKAGE:
                found.append(Import(name, target.split(".")[0], node.lineno))
                continue
            # the module, else the nearest package of the path that exists
            while target not in modules and "." in target:
                target = target.rsplit(".", 1)[0]
            found.append(Import(name, target, node.lineno))
            # importing a.b.c runs a/__init__ and a/b/__init__ first, unless already running
            parts = target.split(".")
            for end in range(1, len(parts)):
                package = ".".join(parts[:end])
                if package != name and not name.startswith(package + "."):
                    found.append(Import(name, package, node.lineno))
    return [i for i in found if i.target != name]


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm,
    iterative), each sorted: every cycle of imports lies within one."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges.get(start, ()))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return sorted(found)


@dataclass(frozen=True)
class Verdict:
    unplaced: list[str]  # modules no row names
    stale: list[str]  # rows' entries that name no module or package
    upwards: list[str]  # imports against the table, as "file:line: ..."
    cycles: list[list[str]]
    mkdocs: list[str]  # MkDocs imported below the adapters


def judge(root: Path) -> Verdict:
    """The package under ``root`` against the table of ``root/ARCHITECTURE.md``."""
    modules = modules_of(root)
    rows = layer_table((root / "ARCHITECTURE.md").read_text(encoding="utf-8"))
    names = [layer for layer, _ in rows]
    layer = layers_of(rows, modules)
    adapters = names.index(ADAPTERS)
    stale = [
        e.name
        for _, entries in rows
        for e in entries
        if (e.package and not any(m.startswith(e.name + ".") for m in modules))
        or (not e.package and e.name not in modules)
    ]
    upwards, mkdocs = [], []
    edges: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        where = path.relative_to(root).as_posix()
        for found in imports_of(name, path, modules):
            if found.target.split(".")[0] != PACKAGE:
                if found.target in MKDOCS and layer.get(name, adapters) < adapters:
                    mkdocs.append(f"{where}:{found.line}: {name} ({names[layer[name]]})")
                continue
            edges[name].add(found.target)
            if name not in layer or found.target not in layer:
                continue
            if layer[found.target] > layer[name]:
                upwards.append(
                    f"{where}:{found.line}: {name} ({names[layer[name]]}) imports "
                    f"{found.target} ({names[layer[found.target]]})"
                )
    return Verdict(
        unplaced=sorted(set(modules) - set(layer)),
        stale=stale,
        upwards=sorted(set(upwards)),
        cycles=cycles(edges),
        mkdocs=sorted(set(mkdocs)),
    )


@pytest.fixture(scope="module")
def verdict() -> Verdict:
    return judge(REPO)


def test_every_module_has_a_layer(verdict: Verdict) -> None:
    assert not verdict.unplaced, (
        "add these modules (or their package) to the Layers table of ARCHITECTURE.md: "
        + ", ".join(verdict.unplaced)
    )
    assert not verdict.stale, "the Layers table names what does not exist: " + ", ".join(
        verdict.stale
    )


def test_imports_run_downwards_only(verdict: Verdict) -> None:
    assert not verdict.upwards, "imports against the layers:\n" + "\n".join(verdict.upwards)


def test_no_import_cycle(verdict: Verdict) -> None:
    assert not verdict.cycles, "modules that import each other:\n" + "\n".join(
        " ↔ ".join(c) for c in verdict.cycles
    )


def test_only_the_adapters_import_mkdocs(verdict: Verdict) -> None:
    assert not verdict.mkdocs, "MkDocs imported below the adapters:\n" + "\n".join(verdict.mkdocs)


def test_the_table_runs_from_the_core_to_the_adapters() -> None:
    """The stages the issue names as the core sit below the adapters, in the order data
    flows through them; the public surface is the top."""
    rows = layer_table((REPO / "ARCHITECTURE.md").read_text(encoding="utf-8"))
    names = [layer for layer, _ in rows]
    core = ["model", "load", "checks", "render", "export", "diff"]
    assert [names.index(n) for n in core] == sorted(names.index(n) for n in core)
    assert names.index("diff") < names.index(ADAPTERS) == len(names) - 2
    assert rows[-1][1] == [Entry(PACKAGE, package=False)]


# The judge itself, on a made-up package: it must see each kind of fault, or the tests
# above could pass on a tree full of them.

FAKE_ARCHITECTURE = """\
# Architecture

## Layers

| layer | modules | what |
| --- | --- | --- |
| base | `prepbook/base.py`, `prepbook/gone.py` | the bottom |
| core | `prepbook/core/` | the middle |
| adapters | `prepbook/cli.py`, `prepbook/tool.py`, `prepbook/core/edge.py` | the top |
| surface | `prepbook/__init__.py` | names |
"""

FAKE_MODULES = {
    "__init__.py": "",
    "base.py": """\
        def later():
            from prepbook.core import thing  # upwards, inside a function
        """,
    "core/__init__.py": "from prepbook.core.a import A\n",
    "core/a.py": """\
        from typing import TYPE_CHECKING
        import mkdocs.config
        if TYPE_CHECKING:
            from prepbook.core.b import B  # a cycle, if only for the types
        A = 1
        """,
    "core/b.py": "from . import a\nfrom prepbook.tool import helper\n",
    "core/edge.py": "import mkdocs\nfrom prepbook.base import later\n",
    "cli.py": "from prepbook.core.edge import later\n",
    "tool.py": "def helper():\n    pass\n",
    "stray.py": "",
}


@pytest.fixture
def fake(tmp_path: Path) -> Path:
    (tmp_path / "ARCHITECTURE.md").write_text(FAKE_ARCHITECTURE, encoding="utf-8")
    for relative, text in FAKE_MODULES.items():
        path = tmp_path / PACKAGE / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path


def test_the_judge_sees_every_fault(fake: Path) -> None:
    verdict = judge(fake)
    assert verdict.unplaced == ["prepbook.stray"]
    assert verdict.stale == ["prepbook.gone"]
    assert verdict.upwards == [
        "prepbook/base.py:2: prepbook.base (base) imports prepbook.core (core)",
        "prepbook/core/b.py:2: prepbook.core.b (core) imports prepbook.tool (adapters)",
    ]
    # a and b import each other, if only for the types
    assert verdict.cycles == [["prepbook.core.a", "prepbook.core.b"]]
    assert verdict.mkdocs == ["prepbook/core/a.py:2: prepbook.core.a (core)"]


def test_a_submodule_import_runs_its_package(fake: Path) -> None:
    """``from prepbook.core.edge import later`` in cli runs core/__init__ too: an import
    of the package, which the table allows here (core is below the adapters)."""
    modules = modules_of(fake)
    found = {i.target for i in imports_of("prepbook.cli", modules["prepbook.cli"], modules)}
    assert found == {"prepbook.core.edge", "prepbook.core"}
