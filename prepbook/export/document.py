"""``playbook.json``: every workshop with its records, its references resolved, its
findings, its completeness score and its delivery, as models. The file is dumped from
them and its JSON Schema (``schema/playbook.schema.json``) is generated from them, so the
two cannot disagree.

A workshop's content is the workshop model itself, dumped: a field added to the format
appears here without touching this module. ``version`` changes only when a key is removed
or changes meaning; keys may be added without a new version.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from prepbook.delivery import DeliveryStatus
from prepbook.export.context import ExportContext
from prepbook.findings import Finding, YamlPath, format_path
from prepbook.graph import Node, RecordKey, split_ref
from prepbook.load.playbook import LoadedWorkshop
from prepbook.model import Workshop
from prepbook.model.base import Record
from prepbook.model.kinds import Located, Reference, iter_records, reference_fields
from prepbook.render.links import anchor_id
from prepbook.report.json_document import CompletenessEntry, FindingEntry, RuleEntry
from prepbook.rules import RULES

PLAYBOOK_FORMAT: Literal["prepbook-playbook"] = "prepbook-playbook"
PLAYBOOK_VERSION: Literal[1] = 1


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ReferenceEntry(_Entry):
    """One reference written in a workshop, resolved: the record it names, with its kind,
    title and page, so a consumer need not look it up."""

    path: str = Field(description="Where it is written, such as `priorities[0].requires[1]`.")
    source: str | None = Field(
        description="Id of the record it is written in; null for the workshop's own fields "
        "(facilitator, decider)."
    )
    field: str = Field(description="The field that holds it, such as `requires`.")
    target: str = Field(description="Qualified id of the record it names: `workshop/record`.")
    kind: str = Field(description="Kind of record the field names, such as `asset`.")
    resolved: bool = Field(
        description="Whether such a record exists; when not, a finding says so and `title` "
        "and `page` are null."
    )
    title: str | None = Field(description="How the record is named: its title, name or action.")
    page: str | None = Field(
        description="Where the record is shown, relative to the generated folder "
        "(`workshops/acme/#asset-crm`)."
    )


class RecordEntry(_Entry):
    """A record of the workshop, nested ones (mitigations) included, in file order."""

    kind: str = Field(description="Kind of record, such as `priority`.")
    id: str = Field(description="Id of the record within its workshop.")
    qualified_id: str = Field(description="`workshop/record`, as other workshops refer to it.")
    title: str = Field(description="How the record is named: its title, name or action.")
    path: str = Field(description="Where it stands in the file, such as `roadmap.steps[2]`.")
    page: str = Field(description="Where the record is shown, relative to the generated folder.")


class DeliveryEntry(_Entry):
    """A committed priority's delivery status on the build date, derived from the roadmap
    steps that deliver it (their dates, statuses, dependencies) and the gaps it needs."""

    priority: str = Field(description="Id of the committed priority within its workshop.")
    status: DeliveryStatus = Field(
        description="`shipped`, `on-track`, `at-risk`, `late` or `blocked`."
    )
    reason: str = Field(
        description="Why, in words: \"late: step 'Tag every SKU' ended 2026-11-27 and is "
        'not done".'
    )
    reasons: list[str] = Field(description="Every reason found for the status, first shown first.")
    ship_date: dt.date | None = Field(
        description="The last known end of the steps that deliver it; null when none has dates."
    )
    open_gaps: list[str] = Field(
        description="Qualified ids of the assets it requires that are not in place."
    )
    overdue_steps: list[str] = Field(
        description="Qualified ids of the steps that deliver it and are overdue."
    )


class WorkshopEntry(_Entry):
    """A workshop: what its file holds, and what prepbook concluded about it."""

    id: str = Field(description="Id of the workshop.")
    title: str = Field(description="Title of the workshop.")
    file: str = Field(description="Its file, relative to the project folder.")
    page: str = Field(description="Its page, relative to the generated folder.")
    completeness: CompletenessEntry = Field(
        description="Its completeness score: how complete the write-up is, not whether "
        "anything shipped (that is `delivery`)."
    )
    readiness: CompletenessEntry = Field(
        description="Deprecated: the same as `completeness`, under the score's old name; "
        "kept for one release, then removed."
    )
    delivery: list[DeliveryEntry] = Field(
        description="Each committed priority's delivery status on the build date, in file order."
    )
    findings: list[FindingEntry] = Field(
        description="Every finding about the workshop, by line, column and rule."
    )
    records: list[RecordEntry] = Field(description="Every record, in file order.")
    references: list[ReferenceEntry] = Field(
        description="Every reference the file writes, in file order, each resolved."
    )
    content: Workshop = Field(
        description="The workshop as validated: every field of the format, defaults filled "
        "in, computed values (scores, risk levels) included."
    )


class PlaybookDocument(_Entry):
    """The playbook as data: `exports/playbook.json` of the site or the generated folder."""

    format: Literal["prepbook-playbook"] = Field(description="What this document is.")
    version: Literal[1] = Field(
        description="Version of this document's shape; it changes only when a key is "
        "removed or changes meaning."
    )
    build_date: dt.date = Field(
        description="The build's date (SOURCE_DATE_EPOCH when set): what dated rules and "
        "the completeness and delivery were judged on."
    )
    base_url: str | None = Field(
        description="Absolute address of the generated folder, which every `page` is "
        "relative to; null when the configuration gives no `site_url`."
    )
    workshops: list[WorkshopEntry] = Field(description="Every workshop, by id.")
    findings: list[FindingEntry] = Field(
        description="Findings about no single workshop (a file that could not be read)."
    )
    rules: dict[str, RuleEntry] = Field(description="The rules the findings name, by id.")


def _finding(finding: Finding, files: dict[str, str]) -> FindingEntry:
    entry = FindingEntry.of(finding)
    file = files.get(finding.file)
    return entry if file is None else entry.model_copy(update={"file": file})


def _records(loaded: LoadedWorkshop) -> tuple[Located, ...]:
    return loaded.located or tuple(iter_records(loaded.model))


def _reference(
    path: YamlPath,
    source: str | None,
    field: str,
    key: RecordKey,
    kind: str,
    found: tuple[Node, str] | None = None,  # the record named, and its page
) -> ReferenceEntry:
    return ReferenceEntry(
        path=format_path(path),
        source=source,
        field=field,
        target=f"{key[0]}/{key[1]}",
        kind=kind,
        resolved=found is not None,
        title=found[0].record.display_name if found is not None else None,
        page=found[1] if found is not None else None,
    )


class _Pages:
    """Where each record is shown, from the page of its workshop, asked once each."""

    def __init__(self, context: ExportContext) -> None:
        self.context = context
        self._workshops: dict[str, str] = {}

    def of(self, workshop_id: str, target: Node | Record | None = None) -> str:
        page = self._workshops.get(workshop_id)
        if page is None:
            page = self._workshops[workshop_id] = self.context.page(workshop_id)
        return f"{page}#{anchor_id(target)}" if target is not None else page


def _references(
    context: ExportContext,
    loaded: LoadedWorkshop,
    unresolved: list[Reference],
    pages: _Pages,
) -> list[ReferenceEntry]:
    """The workshop's own references, then each record's (in file order), as the graph
    resolved them; then those that name no record of the kind they want."""
    graph = context.playbook.graph
    home = loaded.id
    entries = []

    for name, target in reference_fields(type(loaded.model)):
        value = getattr(loaded.model, name)
        for index, item in enumerate(value if isinstance(value, list) else [value]):
            key = split_ref(item, home) if isinstance(item, str) else None
            node = graph.nodes.get(key) if key is not None else None
            if key is None or node is None or node.kind != target.kind:
                continue  # none, or unresolved: listed with the others below
            path: YamlPath = (name, index) if isinstance(value, list) else (name,)
            page = pages.of(key[0], node)
            entries.append(_reference(path, None, name, key, node.kind, (node, page)))
    for located in _records(loaded):
        for edge in graph.outgoing.get((home, located.record.id), ()):
            node = graph.nodes[edge.target]
            page = pages.of(edge.target[0], node)
            entries.append(
                _reference(
                    edge.path, located.record.id, edge.field, edge.target, node.kind, (node, page)
                )
            )
    sources = {located.path: located.record.id for located in _records(loaded)}
    for reference in unresolved:
        path = reference.path
        depth = next((n for n in range(len(path) - 1, 0, -1) if path[:n] in sources), 0)
        key = split_ref(reference.value, home)
        source = sources[path[:depth]] if depth else None
        entries.append(_reference(path, source, str(path[depth]), key, reference.target.kind))
    return entries


def _qualified(key: RecordKey) -> str:
    return f"{key[0]}/{key[1]}"


def _deliveries(context: ExportContext, loaded: LoadedWorkshop) -> list[DeliveryEntry]:
    out = []
    for priority in loaded.model.priorities:
        found = context.deliveries.get((loaded.id, priority.id))
        if found is None or found.priority.record is not priority:
            continue  # not committed, or a second record of the same id (PB201)
        out.append(
            DeliveryEntry(
                priority=priority.id,
                status=found.status,
                reason=found.text(),
                reasons=[r.text() for r in found.reasons],
                ship_date=found.ship_date,
                open_gaps=[_qualified(g.node.key) for g in found.gaps],
                overdue_steps=[_qualified(s.node.key) for s in found.steps if s.overdue],
            )
        )
    return out


def _workshop(
    context: ExportContext,
    loaded: LoadedWorkshop,
    findings: list[FindingEntry],
    unresolved: list[Reference],
    pages: _Pages,
) -> WorkshopEntry:
    records = [
        RecordEntry(
            kind=located.kind,
            id=located.record.id,
            qualified_id=f"{loaded.id}/{located.record.id}",
            title=located.record.display_name,
            path=format_path(located.path),
            page=pages.of(loaded.id, located.record),
        )
        for located in _records(loaded)
    ]
    return WorkshopEntry(
        id=loaded.id,
        title=loaded.model.title,
        file=context.file(loaded.path),
        page=pages.of(loaded.id),
        completeness=CompletenessEntry.of(context.completeness[loaded.id]),
        readiness=CompletenessEntry.of(context.completeness[loaded.id]),
        delivery=_deliveries(context, loaded),
        findings=findings,
        records=records,
        references=_references(context, loaded, unresolved, pages),
        content=loaded.model,
    )


def playbook_json(context: ExportContext) -> bytes:
    """The document as written: UTF-8, keys in the models' order, no indent (a third
    smaller; a browser lays it out for reading), one trailing newline.

    Each workshop is dumped on its own, straight to UTF-8 bytes, into the document's list:
    the models of one workshop at a time are held, never those of the whole playbook, and
    the text never as a Python string (which takes two or four bytes a character as soon
    as one name has an accent).
    """
    workshops = context.playbook.workshops
    files = {str(loaded.path): context.file(loaded.path) for loaded in workshops.values()}
    by_workshop: dict[str, list[FindingEntry]] = {ws_id: [] for ws_id in workshops}
    others: list[FindingEntry] = []
    for finding in context.report.findings:
        entry = _finding(finding, files)
        by_workshop.get(finding.workshop or "", others).append(entry)
    unresolved: dict[str, list[Reference]] = {}
    for ws_id, reference in context.playbook.graph.unresolved:
        unresolved.setdefault(ws_id, []).append(reference)
    shell = PlaybookDocument(
        format=PLAYBOOK_FORMAT,
        version=PLAYBOOK_VERSION,
        build_date=context.build_date,
        base_url=context.base_url,
        workshops=[],
        findings=others,
        rules={
            r: RuleEntry(name=RULES[r].name, summary=RULES[r].summary)
            for r in sorted({f.rule for f in context.report.findings})
        },
    )
    # the one place the empty list stands: keys come before it, and a quote inside a
    # string value is escaped, so no value can hold this text
    head, empty, tail = PlaybookDocument.__pydantic_serializer__.to_json(shell).partition(
        b'"workshops":[]'
    )
    assert empty, "the document's shape changed"
    pages = _Pages(context)
    dump = WorkshopEntry.__pydantic_serializer__.to_json
    out = io.BytesIO()  # its value is handed over, not copied, at the end
    out.write(head + b'"workshops":[')
    for number, ws_id in enumerate(context.workshop_ids()):
        loaded = workshops[ws_id]
        workshop = _workshop(context, loaded, by_workshop[ws_id], unresolved.get(ws_id, []), pages)
        out.write(b"," if number else b"")
        out.write(dump(workshop))
    out.write(b"]" + tail + b"\n")
    return out.getvalue()
