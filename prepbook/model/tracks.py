"""The forms a roadmap step's ``tracks:`` takes: an item in an issue tracker, named once.

Each form is one pattern here, so that the model's validation, the JSON Schema an editor
checks as the file is typed, the format reference and the parser of :mod:`prepbook.trackers`
(which turns a reference into the key an export is looked up by) all read the same words.
The patterns use only what Python's, Rust's and JavaScript's regular expressions share: no
named groups and no lookarounds, because pydantic checks them with Rust's engine and an
editor with JavaScript's.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import StringConstraints

# GitHub: an owner (a user or organisation: letters, digits and inner hyphens, at most 39)
# and a repository (letters, digits, '.', '_' and '-'; '.github' is one, '.' and '..' are
# not), then the or pull request's number, which GitHub shares between the two.
GITHUB_OWNER = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?"
GITHUB_REPO = r"\.?[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}"
ITEM_NUMBER = r"[1-9][0-9]{0,9}"
GITHUB_FORM = rf"github:({GITHUB_OWNER})/({GITHUB_REPO})#({ITEM_NUMBER})"
# Jira: a project key (a capital letter, then capitals, digits or '_') and the number.
JIRA_KEY = rf"([A-Z][A-Z0-9_]{{0,49}})-({ITEM_NUMBER})"
JIRA_FORM = rf"jira:{JIRA_KEY}"
# Linear: a team key (a capital letter, then capitals or digits) and the number.
LINEAR_KEY = rf"([A-Z][A-Z0-9]{{0,9}})-({ITEM_NUMBER})"
LINEAR_FORM = rf"linear:{LINEAR_KEY}"
# Anything else: an http or https address, with a host and no space, control character,
# quote or angle bracket (it becomes a link on a page), and no user name or password.
# (Written without needless escapes: JSON Schema validators read patterns in JavaScript's
# unicode mode, where an escaped quote is an error.)
_NOT_IN_URL = r"\s\x00-\x1f\x7f<>" + '"' + r"'`\\"
URL_CHARACTERS = rf"[^{_NOT_IN_URL}]"
URL_FORM = rf"https?://[^{_NOT_IN_URL}/?#@]+(?:[/?#]{URL_CHARACTERS}*)?"
MAX_URL = 2000

TRACK_FORMS = {
    "github": GITHUB_FORM,
    "jira": JIRA_FORM,
    "linear": LINEAR_FORM,
    "url": URL_FORM,
}
TRACK_PATTERN = "^(?:" + "|".join(f"(?:{form})" for form in TRACK_FORMS.values()) + ")$"
TRACK_SHAPES = ("github:org/repo#12", "jira:PROJ-123", "linear:ENG-42")
TRACK_EXAMPLES = ", ".join(TRACK_SHAPES) + " or an https:// address"
TRACK_DESCRIPTION = (
    "The work in the team's issue tracker that delivers this step, one item a line: "
    "`github:org/repo#12` (an issue or pull request), `jira:PROJ-123`, `linear:ENG-42`, or "
    "the item's address (`https://…`). prepbook reads the tracker's state of each item "
    "from the exports committed in the trackers folder, never from the network."
)

TrackRef = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=TRACK_PATTERN, max_length=MAX_URL),
]

_PREFIXES = {"github": "github:", "jira": "jira:", "linear": "linear:"}
_SHAPES = {
    "github": "github:owner/repository#number, such as github:org/repo#12",
    "jira": "jira:PROJECT-number, the project key in capitals, such as jira:PROJ-123",
    "linear": "linear:TEAM-number, the team key in capitals, such as linear:ENG-42",
}


def track_problem(value: str) -> tuple[str, str, str | None]:
    """Why ``value`` is no item reference, in the words of the form it was meant to take:
    message, expected and hint, for the finding about a ``tracks:`` entry."""
    shown = repr(value) if len(value) <= 80 else repr(value[:77] + "...")
    system = next((s for s, p in _PREFIXES.items() if value.lower().startswith(p)), None)
    if system is not None:
        rest = value[len(_PREFIXES[system]) :]
        return (
            f"{shown} is not a {system} item reference",
            _SHAPES[system],
            _near_miss(system, rest),
        )
    if value.lower().startswith(("http://", "https://")):
        return (
            f"{shown} is not an address prepbook can link to",
            "an http or https address with a host, without spaces, quotes or angle brackets",
            "copy the address from the browser's address bar",
        )
    if value.startswith("#") or value.isdigit():
        return (
            f"{shown} names no tracker",
            f"an item reference: {TRACK_EXAMPLES}",
            f"name the repository too: github:org/repo#{value.lstrip('#')}",
        )
    scheme = value.split(":", 1)[0] if ":" in value else None
    hint = (
        f"{scheme!r} is not a tracker prepbook reads; give the item's address (https://…)"
        if scheme and scheme.isalpha()
        else "write github:, jira: or linear: before the item, or give its address"
    )
    return f"{shown} is not an item reference", f"one of {TRACK_EXAMPLES}", hint


def _near_miss(system: str, rest: str) -> str | None:
    """The fix of a reference that has the right prefix and almost the right shape."""
    if system == "github":
        head, _, number = rest.partition("#")
        if "/" not in head:
            owner = head or "org"
            return f"name the repository after the owner: github:{owner}/repo#{number or 12}"
        if not number:
            return f"end with the item's number: github:{head}#12"
        return "the owner, the repository and a number from 1: github:org/repo#12"
    upper = rest.upper().replace(" ", "")
    key = JIRA_KEY if system == "jira" else LINEAR_KEY
    if upper != rest and re.fullmatch(key, upper):
        return f"keys are written in capitals: {system}:{upper}"
    joined = re.fullmatch(r"([A-Za-z][A-Za-z0-9_]*?)([0-9]+)", rest)
    if joined is not None:
        fixed = f"{joined.group(1).upper()}-{joined.group(2)}"
        return f"put a hyphen between the key and the number: {system}:{fixed}"
    return None
