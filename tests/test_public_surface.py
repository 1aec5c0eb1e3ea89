"""The public Python surface: what another tool may import from ``prepbook`` is named in its
``__all__``, each name is there and documented, nothing else is offered, and importing the
package (as the command line does first) loads none of it until it is asked for."""

from __future__ import annotations

import inspect
import json
import subprocess
import sys
import types

import pytest

import prepbook

# The groups the surface must hold, by a name of each (the issue names them: the build
# service, the models, the finding type, the error family).
EXPECTED = {"build", "Built", "Checked", "Project", "Workshop", "Finding", "PrepbookError"}


def _own_doc(name: str, value: object) -> str:
    """The docstring ``value`` has of its own: not a dataclass's generated signature, not
    one inherited."""
    if isinstance(value, types.ModuleType | types.FunctionType):
        return value.__doc__ or ""
    assert inspect.isclass(value), f"{name}: a module, a function or a class"
    doc = value.__dict__.get("__doc__") or ""
    return "" if doc.startswith(f"{value.__name__}(") else doc


def test_the_surface_holds_each_part() -> None:
    assert set(prepbook.__all__) >= EXPECTED
    assert len(prepbook.__all__) == len(set(prepbook.__all__))
    from prepbook import errors, model

    family = {n for n, v in vars(errors).items() if inspect.isclass(v) and n.endswith("Error")}
    assert family <= set(prepbook.__all__), "the whole error family"
    assert set(model.__all__) <= set(prepbook.__all__), "every model of the format"


@pytest.mark.parametrize("name", sorted(prepbook.__all__))
def test_each_name_is_there_and_documented(name: str) -> None:
    value = getattr(prepbook, name)
    assert len(_own_doc(name, value).split()) >= 3, f"prepbook.{name} says what it is"
    # the object itself, not a copy: what its own module defines
    home = value if isinstance(value, types.ModuleType) else sys.modules[value.__module__]
    assert home.__name__.startswith("prepbook.")
    if not isinstance(value, types.ModuleType):
        assert getattr(home, name) is value


def test_nothing_else_is_offered() -> None:
    public = {n for n in dir(prepbook) if not n.startswith("_")}
    assert public == set(prepbook.__all__)
    # in the package's own namespace: the names asked for so far, and the submodules the
    # import system hangs on it; nothing of its own beyond those
    for name, value in vars(prepbook).items():
        if name.startswith("_") or name in prepbook.__all__:
            continue
        assert isinstance(value, types.ModuleType), f"prepbook.{name} is offered but not named"
        assert value.__name__ == f"prepbook.{name}"
    assert set(prepbook._HOMES) == set(prepbook.__all__), "each name has one home, and only they"
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        prepbook.nothing  # noqa: B018


def _modules(code: str) -> list[str]:
    """Every module a fresh interpreter holds after running ``code``."""
    probe = f"import json, sys\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True
    )
    modules: list[str] = json.loads(done.stdout)
    return modules


def _ours(code: str) -> list[str]:
    return [m for m in _modules(code) if m == "prepbook" or m.startswith("prepbook.")]


def test_the_package_loads_its_surface_only_when_asked() -> None:
    assert _ours("import prepbook; prepbook.__all__") == ["prepbook", "prepbook.version"]
    asked = _ours("import prepbook; prepbook.PrepbookError; prepbook.Workshop")
    assert "prepbook.errors" in asked and "prepbook.model" in asked
    assert "prepbook.build" not in asked and "prepbook.load.playbook" not in asked
    assert "prepbook.build" in _ours("from prepbook import Built, build; build.build, Built")
    # the command line (every command, and --version) imports the package first: it
    # loads what parses the arguments, never the build, the renderer or MkDocs
    started = _modules("import prepbook.cli")
    assert not [m for m in started if m.startswith(("prepbook.build", "prepbook.render.site"))]
    assert not [m for m in started if m == "mkdocs" or m.startswith("mkdocs.")]
