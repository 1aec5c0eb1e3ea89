"""``mkdocs.yml`` read as data: MkDocs' own tags understood, no other tag ever run.

MkDocs reads its configuration with PyYAML's full loader, where a tag such as
``!!python/object/apply:os.system`` calls a function. That is the build's business: ``mkdocs
build`` runs the project's hooks and plugins anyway. But ``prepbook validate``, ``diff`` and
``show`` run on a reviewer's machine, on the files of a pull request, under ``git diff``
through the diff driver and in the pre-commit hook; there the configuration is untrusted
input. So they read it with PyYAML's safe loader taught MkDocs' tags (``!ENV``,
``!relative``) and ``INHERIT``, as MkDocs resolves them, and keep any other tag as an inert
:class:`Tagged` value that nothing ever calls. The options that result are the same as
MkDocs' own loader gives (``tests/test_config_safety.py`` compares the two).

Bounded on any input, like the workshop files: a size cap, a limit on how far ``INHERIT``
chains, and on how many values aliases expand to.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import mergedeep  # type: ignore[import-untyped]  # MkDocs' own dependency, used as it uses it
import yaml
import yaml_env_tag  # type: ignore[import-untyped]
from mkdocs.utils import yaml as mkdocs_yaml

from prepbook.errors import ConfigError
from prepbook.load.files import display_path
from prepbook.load.regular import NotReadable, read_regular

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

MAX_CONFIG_BYTES = 1024 * 1024  # far over any real mkdocs.yml
MAX_INHERIT = 16  # files an INHERIT chain may hold
MAX_VALUES = 200_000  # values the configuration holds once its aliases are expanded


class ConfigFileError(ConfigError):
    """The configuration file cannot be read as data; the message says why, in one line."""


@dataclass(frozen=True, eq=False)  # hashed by identity: one may stand as a mapping's key
class Tagged:
    """A value under a tag the safe reader does not run (``!!python/name:…``, a custom
    tag): kept as written, so an option that holds one can say so, and nothing calls it."""

    tag: str
    value: object

    def __str__(self) -> str:
        return f"{shown_tag(self.tag)} {self.value!r}"


def shown_tag(tag: str) -> str:
    """A tag as it was written: ``!!python/name:x`` rather than its full URI."""
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org") else tag


def _inert(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Tagged:
    value: object
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        assert isinstance(node, yaml.MappingNode)
        value = loader.construct_mapping(node, deep=True)
    return Tagged(node.tag, value)


def _loader_for(config: MkDocsConfig) -> type[yaml.SafeLoader]:
    """A safe loader that resolves ``!ENV`` and ``!relative`` as MkDocs' loader does (with
    MkDocs' own constructors, which only read the environment or make a path placeholder),
    and keeps every other tag inert."""

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_constructor("!ENV", yaml_env_tag.construct_env_tag)
    Loader.add_constructor(
        "!relative", functools.partial(mkdocs_yaml._construct_dir_placeholder, config)
    )
    # Any tag the constructors above and the safe ones do not know: every prefix matches "".
    Loader.add_multi_constructor("", _inert)
    return Loader


def _read_text(path: Path) -> str:
    """The file's text: a regular file of at most MAX_CONFIG_BYTES (a named pipe put in its
    place cannot hang the command)."""
    where = display_path(path)
    try:
        raw = read_regular(path, MAX_CONFIG_BYTES)
    except NotReadable as exc:
        raise ConfigFileError(f"{where}: cannot read: {exc}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigFileError(f"{where}: byte {exc.start} is not valid UTF-8") from None


def _parse(path: Path, loader: type[yaml.SafeLoader]) -> object:
    text = _read_text(path)
    where = display_path(path)
    try:
        return yaml.load(text, Loader=loader)  # a safe loader: see _loader_for
    except yaml.YAMLError as exc:
        raise ConfigFileError(f"{where}: not valid YAML: {' '.join(str(exc).split())}") from None
    except RecursionError:
        raise ConfigFileError(f"{where}: values nested too deeply to read") from None
    except (ValueError, TypeError, OverflowError) as exc:
        # the safe constructors' own refusals: a date such as 2026-13-01, an unhashable key
        raise ConfigFileError(f"{where}: not valid YAML: {exc}") from None


def _expanded_size(value: object) -> int:
    """How many values ``value`` holds once every alias is written out: an alias is one
    shared object, cheap to load, but whoever walks the options walks each use of it."""
    sizes: dict[int, int] = {}
    open_now: set[int] = set()

    def size(item: object, depth: int) -> int:
        if not isinstance(item, dict | list | Tagged):
            return 1
        key = id(item)
        if key in sizes:
            return sizes[key]
        if key in open_now:
            raise ConfigFileError("a value contains itself (through an alias)")
        if depth > 200:
            raise ConfigFileError("values nested too deeply to read")
        open_now.add(key)
        if isinstance(item, Tagged):
            children: list[object] = [item.value]
        elif isinstance(item, dict):
            children = [*item.keys(), *item.values()]
        else:
            children = list(item)
        total = 1
        for child in children:
            total += size(child, depth + 1)
            if total > MAX_VALUES:
                raise ConfigFileError(
                    f"its aliases expand to more than {MAX_VALUES:,} values; write the values "
                    "out instead of aliasing them"
                )
        open_now.discard(key)
        sizes[key] = total
        return total

    return size(value, 0)


def read_config(config_file: Path, config: MkDocsConfig) -> dict[str, Any]:
    """The configuration in ``config_file`` as MkDocs would load it, ``INHERIT`` merged, for
    ``config`` (the MkDocsConfig it will be loaded into: ``!relative`` refers to it).

    Raises ConfigFileError with the reason, in one line, for a file that cannot be used.
    """
    loader = _loader_for(config)
    path = Path(os.path.abspath(config_file))
    data = _read_inheriting(path, loader, [])
    try:
        _expanded_size(data)
    except ConfigFileError as exc:
        raise ConfigFileError(f"{display_path(path)}: {exc}") from None
    return data


def _read_inheriting(path: Path, loader: type[yaml.SafeLoader], chain: list[str]) -> dict[str, Any]:
    real = os.path.realpath(path)
    if real in chain:
        loop = " → ".join(os.path.basename(p) for p in [*chain[chain.index(real) :], real])
        raise ConfigFileError(f"INHERIT makes a loop: {loop}")
    if len(chain) >= MAX_INHERIT:
        raise ConfigFileError(f"INHERIT chains more than {MAX_INHERIT} files")
    chain.append(real)
    data = _parse(path, loader)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigFileError(
            f"{display_path(path)}: expected a mapping of options at the top level"
        )
    if "INHERIT" not in data:
        return data
    parent = data.pop("INHERIT")
    if not isinstance(parent, str) or not parent.strip():
        raise ConfigFileError(
            f"{display_path(path)}: INHERIT takes the path of a file, not {parent!r}"
        )
    # relative to the file that names it, as MkDocs resolves it
    parent_path = Path(os.path.normpath(os.path.join(os.path.dirname(path), parent)))
    if not parent_path.exists():
        raise ConfigFileError(
            f"{display_path(path)}: the inherited configuration file '{parent}' does not "
            f"exist at {display_path(parent_path)}"
        )
    merged: dict[str, Any] = mergedeep.merge(_read_inheriting(parent_path, loader, chain), data)
    return merged
