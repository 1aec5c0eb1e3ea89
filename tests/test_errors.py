"""One exception family: everything prepbook refuses on purpose is a PrepbookError, so each
adapter catches it once at its edge, and a program using the build service catches one
class, whichever stage refused."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import prepbook
from prepbook import errors
from prepbook.errors import PrepbookError

# python -m prepbook runs the command line when imported; every other module is read
MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(prepbook.__path__, "prepbook.")
    if info.name != "prepbook.__main__"
)


def exception_classes() -> list[type[BaseException]]:
    """Every exception class a module of prepbook defines (not the ones it imports)."""
    found: dict[str, type[BaseException]] = {}
    for name in MODULES:
        module = importlib.import_module(name)
        for value in vars(module).values():
            if (
                inspect.isclass(value)
                and issubclass(value, BaseException)
                and value.__module__ == name
            ):
                found[f"{name}.{value.__qualname__}"] = value
    return [found[key] for key in sorted(found)]


CLASSES = exception_classes()


def test_the_modules_define_exceptions_to_check() -> None:
    # the classes that were apart before the family (UsageError, GitError, SettingsError,
    # NotReadable, ...): a walk that found none would check nothing
    names = {cls.__name__ for cls in CLASSES}
    assert {"SettingsError", "NotReadable", "GenerateError", "RevisionError"} <= names
    assert len(CLASSES) >= 15


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: f"{c.__module__}.{c.__qualname__}")
def test_every_exception_prepbook_defines_is_a_prepbook_error(cls: type) -> None:
    assert issubclass(cls, PrepbookError), (
        f"{cls.__module__}.{cls.__qualname__} is not a PrepbookError: derive it from the "
        "class of its layer in prepbook/errors.py, so the adapters catch it at their edge"
    )


@pytest.mark.parametrize(
    "cls",
    [c for c in CLASSES if c.__module__ != "prepbook.errors"],
    ids=lambda c: f"{c.__module__}.{c.__qualname__}",
)
def test_each_comes_through_the_class_of_a_layer(cls: type) -> None:
    """A concrete error derives from a layer's class, not from the trunk alone; the one
    exception is the plugin's, which MkDocs must see as its own PluginError."""
    layers = {
        c for c in vars(errors).values() if inspect.isclass(c) and issubclass(c, PrepbookError)
    } - {PrepbookError}
    direct = cls.__mro__[1:]
    if cls.__name__ == "PlaybookErrors":
        from mkdocs.exceptions import PluginError

        assert issubclass(cls, PluginError)
        return
    assert any(c in layers for c in direct), f"{cls.__qualname__}: {[c.__name__ for c in direct]}"


def test_the_family_is_a_tree_under_one_trunk() -> None:
    classes = [
        c for c in vars(errors).values() if inspect.isclass(c) and c.__module__ == errors.__name__
    ]
    assert PrepbookError in classes
    for cls in classes:
        assert issubclass(cls, PrepbookError)
        assert cls.__doc__, f"{cls.__name__} says what it stands for"
