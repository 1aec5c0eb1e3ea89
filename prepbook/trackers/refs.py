"""An item in a tracker, named: what ``tracks:`` writes and what an export's row is.

Both sides become an :class:`ItemRef`, and they match when their ``ident`` does, however
each was written: ``github:Org/Repo#12`` and the issue's address on github.com are one item
(GitHub's names ignore case), and so are ``jira:PROJ-1`` and ``https://…/browse/PROJ-1``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urlsplit

from prepbook.model.tracks import (
    GITHUB_FORM,
    GITHUB_OWNER,
    GITHUB_REPO,
    ITEM_NUMBER,
    JIRA_FORM,
    JIRA_KEY,
    LINEAR_FORM,
    LINEAR_KEY,
    MAX_URL,
    URL_FORM,
)

System = Literal["github", "jira", "linear", "url"]

_GITHUB = re.compile(GITHUB_FORM)
_JIRA = re.compile(JIRA_FORM)
_LINEAR = re.compile(LINEAR_FORM)
_URL = re.compile(URL_FORM)
_GITHUB_PATH = re.compile(rf"/({GITHUB_OWNER})/({GITHUB_REPO})/(?:issues|pull)/({ITEM_NUMBER})/?")
_GITHUB_HOSTS = ("github.com", "www.github.com")
_GITHUB_URL = re.compile(
    rf"https://github\.com/({GITHUB_OWNER})/({GITHUB_REPO})/(?:issues|pull)/({ITEM_NUMBER})"
)
# Jira Cloud and Server both show an issue at /browse/KEY-1 (Server perhaps below a path).
_JIRA_PATH = re.compile(rf"(?:/[^/]+)*/browse/{JIRA_KEY}/?")
# Linear: /workspace/issue/ENG-42, perhaps followed by the title as a slug.
_LINEAR_PATH = re.compile(rf"/[^/]+/issue/{LINEAR_KEY}(?:/[^/]*)?/?")


@dataclass(frozen=True, slots=True)
class ItemRef:
    """One item of one tracker. ``key`` is as written (``org/repo#12``, ``PROJ-123``,
    ``ENG-42``, or the address for ``url``); ``url`` is where a page links to it, None
    where the tracker's host is unknown (a Jira or Linear key alone). Equal when they name
    the same item: ``ident`` is the key as the tracker compares it."""

    system: System
    key: str = field(compare=False)
    url: str | None = field(default=None, compare=False)
    ident: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "ident", _ident(self.system, self.key))

    @property
    def text(self) -> str:
        """The reference as ``tracks:`` writes it."""
        return self.key if self.system == "url" else f"{self.system}:{self.key}"


def _ident(system: System, key: str) -> str:
    if system == "github":
        return key.lower()  # owners and repositories are the same whatever their case
    if system == "url":
        parts = urlsplit(key)
        rest = key[len(parts.scheme) + 3 + len(parts.netloc) :]
        return f"{parts.scheme.lower()}://{parts.netloc.lower()}{rest.rstrip('/')}"
    return key


def github_ref(owner: str, repo: str, number: int) -> ItemRef:
    key = f"{owner}/{repo}#{number}"
    return ItemRef("github", key, f"https://github.com/{owner}/{repo}/issues/{number}")


def parse_ref(text: str) -> ItemRef | None:
    """The item ``text`` names, in any of the forms ``tracks:`` takes; None for none."""
    text = text.strip()
    if len(text) > MAX_URL:
        return None
    if (found := _GITHUB.fullmatch(text)) is not None:
        return github_ref(found.group(1), found.group(2), int(found.group(3)))
    if (found := _JIRA.fullmatch(text)) is not None:
        return ItemRef("jira", f"{found.group(1)}-{found.group(2)}")
    if (found := _LINEAR.fullmatch(text)) is not None:
        return ItemRef("linear", f"{found.group(1)}-{found.group(2)}")
    if _URL.fullmatch(text) is not None:
        return ref_of_url(text)
    return None


def ref_of_url(url: str) -> ItemRef:
    """The item at ``url``: an issue or pull request on github.com, a Jira issue
    (``…/browse/KEY-1``) or a Linear one (``linear.app/…/issue/ENG-42``) is that tracker's
    item, with this address to link to; any other address is an item of its own."""
    quick = _GITHUB_URL.fullmatch(url)  # what gh writes: no need to take it apart
    if quick is not None:
        return ItemRef("github", f"{quick.group(1)}/{quick.group(2)}#{quick.group(3)}", url)
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host in _GITHUB_HOSTS and (found := _GITHUB_PATH.fullmatch(parts.path)) is not None:
        owner, repo, number = found.group(1), found.group(2), int(found.group(3))
        return ItemRef("github", f"{owner}/{repo}#{number}", url)
    if host == "linear.app" and (found := _LINEAR_PATH.fullmatch(parts.path)) is not None:
        return ItemRef("linear", f"{found.group(1)}-{found.group(2)}", url)
    if (found := _JIRA_PATH.fullmatch(parts.path)) is not None:
        return ItemRef("jira", f"{found.group(1)}-{found.group(2)}", url)
    return ItemRef("url", url, url)


def is_url(text: str) -> bool:
    """Whether ``text`` is an address a page may link to (http or https, nothing that
    could leave an attribute or a tag)."""
    return len(text) <= MAX_URL and _URL.fullmatch(text) is not None
