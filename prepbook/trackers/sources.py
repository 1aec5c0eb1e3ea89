"""Where each export of the trackers folder comes from: the ``tracker_sources`` option.

The option maps an export's file, as the trackers folder holds it, to the place
``prepbook fetch`` takes it from, one of::

    github:OWNER/REPO               gh issue list --repo OWNER/REPO --state all --json …
    github-project:OWNER/NUMBER     gh project item-list NUMBER --owner OWNER --format json
    jira:https://…                  a Jira CSV export at that address (a saved filter's
                                    "Export CSV (all fields)" link), with the credentials
                                    of PREPBOOK_JIRA_USER and PREPBOOK_JIRA_TOKEN

Declared here, below the settings, so that the option is checked as mkdocs.yml is read and
``fetch`` runs nothing the option did not say: the file names are the only files it
writes, each inside the trackers folder, and the commands are fixed lists of arguments,
never a shell line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Literal

from prepbook.model.tracks import GITHUB_OWNER, GITHUB_REPO, URL_FORM

SOURCES_OPTION = "tracker_sources"
MAX_SOURCES = 50
SourceKind = Literal["gh-issues", "gh-project", "jira-csv"]
# What gh issue list is asked for: every field the reader of its JSON reads.
ISSUE_FIELDS = "number,title,state,stateReason,closedAt,milestone,labels,assignees,url"
_GITHUB = re.compile(rf"github:({GITHUB_OWNER})/({GITHUB_REPO})")
_PROJECT = re.compile(rf"github-project:({GITHUB_OWNER})/([1-9][0-9]{{0,9}})")
_JIRA = re.compile(rf"jira:(https://{URL_FORM[len('https?://') :]})")
_SUFFIX = {"gh-issues": ".json", "gh-project": ".json", "jira-csv": ".csv"}
_FILE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}(?:/[A-Za-z0-9][A-Za-z0-9._-]{0,99}){0,3}")
FORMS = (
    "github:OWNER/REPO, github-project:OWNER/NUMBER or jira:https://… (the address of a "
    "Jira CSV export)"
)


@dataclass(frozen=True, slots=True)
class Source:
    """One export and where it comes from."""

    file: str  # relative to the trackers folder, with '/' between folders
    kind: SourceKind
    owner: str = ""  # github: the repository's owner; github-project: the project's
    name: str = ""  # github: the repository; github-project: the project's number
    url: str = ""  # jira-csv: the export's address

    @property
    def where(self) -> str:
        """Where it is taken from, in words."""
        if self.kind == "gh-issues":
            return f"the issues of {self.owner}/{self.name}"
        if self.kind == "gh-project":
            return f"project {self.name} of {self.owner}"
        return f"the Jira export at {self.url.split('?', 1)[0]}"

    def command(self, limit: int) -> list[str] | None:
        """The gh command that prints the export, as a list of arguments; None for Jira."""
        if self.kind == "gh-issues":
            return [
                "gh",
                "issue",
                "list",
                "--repo",
                f"{self.owner}/{self.name}",
                "--state",
                "all",
                "--limit",
                str(limit),
                "--json",
                ISSUE_FIELDS,
            ]
        if self.kind == "gh-project":
            return [
                "gh",
                "project",
                "item-list",
                self.name,
                "--owner",
                self.owner,
                "--format",
                "json",
                "--limit",
                str(limit),
            ]
        return None


def parse_source(file: str, spec: str) -> Source:
    """The source an entry of the option names; ValueError, in words, for one that
    cannot be used."""
    file = file.strip()
    if not _FILE.fullmatch(file) or ".." in PurePosixPath(file).parts:
        raise ValueError(
            f"{file[:60]!r}: an export's file in the trackers folder, such as issues.json "
            "(letters, digits, '.', '_', '-', folders with '/', no '..')"
        )
    spec = spec.strip()
    source: Source
    if (found := _GITHUB.fullmatch(spec)) is not None:
        source = Source(file, "gh-issues", found.group(1), found.group(2))
    elif (found := _PROJECT.fullmatch(spec)) is not None:
        source = Source(file, "gh-project", found.group(1), found.group(2))
    elif (found := _JIRA.fullmatch(spec)) is not None:
        source = Source(file, "jira-csv", url=found.group(1))
    else:
        raise ValueError(f"{file}: {spec[:80]!r} is not a source prepbook fetches; one of {FORMS}")
    suffix = _SUFFIX[source.kind]
    if not file.lower().endswith(suffix):
        raise ValueError(f"{file}: the export of {spec.split(':', 1)[0]} is a {suffix} file")
    return source


def parse_sources(option: dict[str, str]) -> tuple[Source, ...]:
    """Every source of the option, in the order of their files."""
    if len(option) > MAX_SOURCES:
        raise ValueError(f"at most {MAX_SOURCES} sources, {len(option)} given")
    sources = [parse_source(file, spec) for file, spec in option.items()]
    seen: set[str] = set()
    for source in sources:
        if source.file.casefold() in seen:
            raise ValueError(f"{source.file}: named twice (names compare without case)")
        seen.add(source.file.casefold())
    return tuple(sorted(sources, key=lambda s: s.file))
