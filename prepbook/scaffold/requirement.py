"""How a new playbook installs prepbook: the way this prepbook was installed, or as told.

``prepbook init`` writes the same requirement into the pre-commit hook and both workflows.
By default it is read off this installation (its ``direct_url.json``, PEP 610): installed
from a git repository at a tag, the playbook installs from there too; from a web address,
from that address; from the package index, the same version from the index. An
installation from a file or a folder on this machine cannot be reached by another one, so
the playbook then pins the version and ``init`` says so. ``--requirement`` sets it: a
version, a requirement, a URL or a path.

The requirement is written into YAML and into a shell command of the workflows, so it is
data: a character a shell or YAML would read (a quote, ``$``, a backtick, a line break) is
refused, never escaped.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from packaging.requirements import InvalidRequirement, Requirement

from prepbook.errors import UsageError
from prepbook.version import __version__

NAME = "prepbook"
_VERSION = re.compile(r"\d+(\.\d+)*((a|b|rc)\d+)?(\.post\d+)?(\.dev\d+)?")
_URL = re.compile(r"(git\+)?(https?|ssh|file)://")
# What a requirement may hold here: a version specifier, or " @ " and a URL, in characters
# that neither a double-quoted shell word nor a YAML scalar reads as anything but text.
_SAFE = re.compile(
    rf"{NAME}(?:(?:(?:==|>=|<=|~=|!=|<|>)[0-9A-Za-z.+-]+,?)+| @ [A-Za-z0-9._~:/?#\[\]@%+=,-]+)"
)
_SCHEMES = ("https", "http", "ssh", "file", "git+https", "git+http", "git+ssh", "git+file")


class RequirementError(UsageError, ValueError):
    """A --requirement that is not a version, a requirement of prepbook, a URL or a path."""


@dataclass(frozen=True)
class Pin:
    """The requirement a new playbook installs prepbook with, and a note for the user when
    it is not the way this prepbook was installed."""

    requirement: str
    note: str | None = None


def pin_from(given: str | None) -> Pin:
    """The pin for ``--requirement`` as given, or, without it, for this installation."""
    return installed_pin() if given is None else _parse(given.strip())


def _parse(given: str) -> Pin:
    if _VERSION.fullmatch(given):
        return Pin(f"{NAME}=={given}")
    if _URL.match(given):
        return Pin(_direct(given))
    if given.startswith(NAME):
        return Pin(_checked_requirement(given))
    path = Path(given).expanduser()
    if path.exists():
        url = path.resolve().as_uri()
        return Pin(
            _direct(url),
            f"the pins name {url}, which only this machine can install from; for the "
            "playbook's CI, give --requirement a version or a URL",
        )
    raise RequirementError(
        f"{given!r} is not a version (0.1.0), a requirement of prepbook "
        "(prepbook==0.1.0), a URL (git+https://…@v0.1.0) or the path of a wheel or a folder"
    )


def _direct(url: str) -> str:
    """``prepbook @ URL``, with any credentials left out of the URL."""
    parts = urlsplit(url)
    if parts.scheme not in _SCHEMES:
        raise RequirementError(f"{url!r}: a URL for pip is https://, ssh:// or git+https://")
    host = parts.hostname or ""
    netloc = host + (f":{parts.port}" if parts.port else "")
    if parts.username == "git":  # the user of an ssh URL is part of its address, no secret
        netloc = f"git@{netloc}"
    return _checked_requirement(
        f"{NAME} @ {urlunsplit((parts.scheme, netloc, parts.path, parts.query, ''))}"
    )


def _checked_requirement(text: str) -> str:
    if not _SAFE.fullmatch(text):
        raise RequirementError(
            f"{text!r}: expected prepbook with a version specifier (prepbook==0.1.0) or "
            "'prepbook @ ' and a URL, without spaces, quotes or shell characters"
        )
    try:
        parsed = Requirement(text)
    except InvalidRequirement as exc:
        raise RequirementError(f"{text!r} is not a requirement: {exc}") from None
    if parsed.name.lower() != NAME:
        raise RequirementError(f"{text!r} names {parsed.name}, not {NAME}")
    return text


def installed_pin(distribution: metadata.Distribution | None = None) -> Pin:
    """The pin that installs prepbook as this one was installed (see the module's notes)."""
    # the metadata of a source folder (an .egg-info in the working folder) can stand before
    # the installed one on the path, and never records how anything was installed
    found = [distribution] if distribution is not None else metadata.distributions(name=NAME)
    raw = next((text for d in found if (text := d.read_text("direct_url.json"))), None)
    version = f"{NAME}=={__version__}"
    if not raw:
        return Pin(version)  # from a package index
    try:
        origin = json.loads(raw)
        url = str(origin["url"])
    except (ValueError, KeyError, TypeError):
        return Pin(version)
    vcs = origin.get("vcs_info")
    try:
        if isinstance(vcs, dict) and not url.startswith("file:"):
            revision = vcs.get("requested_revision") or vcs.get("commit_id")
            at = f"@{revision}" if revision else ""
            return Pin(_direct(f"{vcs.get('vcs', 'git')}+{url}{at}"))
        if "archive_info" in origin and url.startswith(("https://", "http://")):
            return Pin(_direct(url))
    except RequirementError:
        return Pin(version)
    return Pin(
        version,
        f"this prepbook was installed from {url}, which the playbook's CI cannot reach: its "
        f"hook and workflows install {version} from the package index instead; give "
        "--requirement a URL (git+https://…@v" + __version__ + ") to install from a "
        "repository",
    )
