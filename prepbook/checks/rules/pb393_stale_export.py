"""PB393 stale-export: a tracker export is older than the tracker_stale_days option allows.

The check itself lives with the other drift rules in :mod:`prepbook.checks.drift`, which
reads the same observed facts as the delivery status of each priority.
"""

from __future__ import annotations

from collections.abc import Iterator

from prepbook.checks.drift import stale_exports
from prepbook.checks.rules.definition import RuleDoc, WholePlaybook
from prepbook.clock import today
from prepbook.config import Settings
from prepbook.findings import Finding
from prepbook.load.playbook import Playbook
from prepbook.rules import Rule, Severity

RULE = Rule(
    "PB393",
    "stale-export",
    Severity.WARNING,
    "A tracker export is older than the tracker_stale_days option allows.",
)

DOC = RuleDoc(
    rationale=(
        "The build never asks the tracker anything: it reads the exports committed in the "
        "trackers folder, and believes them. An export taken weeks ago makes every observed "
        "status and every drift finding old news. The limit is the plugin's option "
        "tracker_stale_days (14 days unless set), counted from the day the export was taken "
        "(its taken line, field or NAME.taken file) to the build's date (SOURCE_DATE_EPOCH "
        "when set). The finding is about the export file, so it is configured for the whole "
        "playbook (rules: in mkdocs.yml), not silenced in a workshop."
    ),
    fix=(
        "Take the export again: prepbook fetch, or let the scheduled workflow that prepbook "
        "init writes do it. If the team reads the tracker less often, raise "
        "tracker_stale_days."
    ),
    failing="""
        roadmap:
          steps:
            - id: build
              title: Build it
              status: in-progress
              tracks: [github:acme/web#12]
    """,
    passing="""
        roadmap:
          steps:
            - id: build
              title: Build it
              status: in-progress
              tracks: [github:acme/web#12]
    """,
    export="""
        # taken: 2026-11-01T09:00:00Z
        item,title,status,closed
        github:acme/web#12,Renewal offers,doing,
    """,
    passing_export="""
        # taken: 2026-12-28T09:00:00Z
        item,title,status,closed
        github:acme/web#12,Renewal offers,doing,
    """,
)


@WholePlaybook
def check(playbook: Playbook, settings: Settings) -> Iterator[Finding]:
    yield from stale_exports(playbook, settings, today())
