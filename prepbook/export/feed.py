"""The Changes page as an Atom feed (``changes.xml``): the same changes, for a reader.

One entry per commit and decision: what a commit changed about one priority of one
workshop (or the workshop's other changes, or the rules it silenced or lifted there),
titled by the decision and the first change, the changes in words as its content, the
commit's subject under them, linked to the decision's place on the Changes page. The
entry's id is a name-based UUID of the playbook, the commit and the decision, so a reader
never sees an entry twice; its time is the commit's. The feed's own time is its newest
entry's, or the build date's midnight when the history is empty, never the wall clock.
"""

from __future__ import annotations

import datetime as dt

from prepbook.export import CHANGES_FEED
from prepbook.export.atom import Entry, Feed, atom_feed, urn
from prepbook.export.context import ExportContext
from prepbook.history import ChangeLine
from prepbook.history import Entry as Commit
from prepbook.render import links
from prepbook.render.changes import decision_anchor

SILENCES = "#silences"  # the group of a commit's silences in a workshop, as an id's part
FEED_TITLE = "Changes to the playbook"
FEED_AUTHOR = "The playbook's authors"


def _identity(context: ExportContext) -> str:
    """What names the playbook in every id: its published address when known."""
    return context.base_url or "playbook"


def _line(change: ChangeLine, decision: str) -> list[str]:
    """A change and its causes; a silence names its record and is not graded, as on the
    page, and so does a change of another record than the decision."""
    grade = f"{change.level}: " if decision != SILENCES and change.level != "info" else ""
    where = f"{change.kind} {change.record}: " if change.record not in ("", decision) else ""
    return [f"{grade}{where}{change.text}", *(f"because {cause}" for cause in change.causes)]


def _subject(context: ExportContext, workshop: str, decision: str) -> str:
    loaded = context.playbook.workshops.get(workshop)
    title = loaded.model.title if loaded is not None else workshop
    if decision == SILENCES:
        return f"Rules silenced or lifted in {title}"
    if not decision:
        return title
    node = context.playbook.graph.nodes.get((workshop, decision))
    name = node.record.display_name if node is not None else decision
    return f"{name} ({title})"


def _link(context: ExportContext, anchor: str = "") -> str:
    """Where the Changes page shows a group: absolute when the site's address is known,
    else relative to the feed, which stands beside the page in the generated folder."""
    page = links.served(links.CHANGES, context.directory_urls)
    page += f"#{anchor}" if anchor else ""
    return context.url(page) or page


def _entries(context: ExportContext, commit: Commit) -> list[Entry]:
    groups: dict[tuple[str, str], list[ChangeLine]] = {}
    for change in commit.changes:
        decision = SILENCES if change.section == "silences" else change.decision
        groups.setdefault((change.workshop, decision), []).append(change)
    out = []
    for (workshop, decision), changes in groups.items():
        lines = [line for c in changes for line in _line(c, decision)]
        more = len(changes) - 1
        first = changes[0].text + (f" (and {more} more)" if more else "")
        anchor = "changes-silences" if decision == SILENCES else decision_anchor(workshop, decision)
        out.append(
            Entry(
                id=urn(_identity(context), commit.commit.sha, workshop, decision),
                title=f"{_subject(context, workshop, decision)}: {first}",
                updated=commit.commit.time,
                author=commit.commit.author,
                lines=tuple(lines),
                link=_link(context, anchor),
                note=commit.commit.subject,
            )
        )
    return out


def changes_feed(context: ExportContext) -> bytes:
    """The feed of the history the context holds (an empty one without history)."""
    history = context.history
    entries = [e for c in (history.entries if history else ()) for e in _entries(context, c)]
    midnight = dt.datetime.combine(context.build_date, dt.time(), tzinfo=dt.UTC)
    feed = Feed(
        id=urn(_identity(context), "changes"),
        title=FEED_TITLE,
        author=FEED_AUTHOR,
        updated=max((e.updated for e in entries), default=midnight),
        entries=entries,
        self_link=context.url(CHANGES_FEED),
        page_link=_link(context),
    )
    return atom_feed(feed)
