"""``playbook.json``: every workshop with its records, its references resolved, its
findings and its readiness, as models. The file is dumped from them and its JSON Schema
(``schema/playbook.schema.json``) is generated from them, so the two cannot disagree.

A workshop's content is the workshop model itself, dumped: a field added to the format
appears here without touching this module. ``version`` changes only when a key is removed
or changes meaning; keys may be added without a new version.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from prepbook.export.context import ExportContext
from prepbook.findings import Finding, format_path
from prepbook.graph import Node, split_ref
from prepbook.load.playbook import LoadedWorkshop
from prepbook.model import Workshop
from prepbook.model.kinds import Located, iter_records, iter_references
from prepbook.report.json_document import FindingEntry, ReadinessEntry, RuleEntry
from prepbook.rules import RULES

PLAYBOOK_FORMAT: Literal["prepbook-playbook"] = "prepbook-playbook"
PLAYBOOK_VERSION: Literal[1] = 1


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TargetEntry(_Entry):
    """The record a reference names, resolved: a consumer need not look it up."""

    id: str = Field(description="Qualified id of the record: `workshop/record`.")
    workshop: str = Field(description="Id of the workshop that holds the record.")
    record: str = Field(description="Id of the record within its workshop.")
    kind: str = Field(description="Kind of record, such as `asset` or `step`.")
    title: str = Field(description="How the record is named: its title, name or action.")
    page: str = Field(
        description="Where the record is shown, relative to the generated folder "
        "(`workshops/acme/#asset-crm`)."
    )


class ReferenceEntry(_Entry):
    """One reference written in a workshop, and the record it names."""

    path: str = Field(description="Where it is written, such as `priorities[0].requires[1]`.")
    source: str | None = Field(
        description="Id of the record it is written in; null for the workshop's own fields "
        "(facilitator, decider)."
    )
    field: str = Field(description="The field that holds it, such as `requires`.")
    written: str = Field(description="The reference as written in the file.")
    target: TargetEntry | None = Field(
        description="The record it names; null when it names no record of the kind the "
        "field wants (a finding says so)."
    )


class RecordEntry(_Entry):
    """A record of the workshop, nested ones (mitigations) included, in file order."""

    kind: str = Field(description="Kind of record, such as `priority`.")
    id: str = Field(description="Id of the record within its workshop.")
    qualified_id: str = Field(description="`workshop/record`, as other workshops refer to it.")
    title: str = Field(description="How the record is named: its title, name or action.")
    path: str = Field(description="Where it stands in the file, such as `roadmap.steps[2]`.")
    page: str = Field(description="Where the record is shown, relative to the generated folder.")


class WorkshopEntry(_Entry):
    """A workshop: what its file holds, and what prepbook concluded about it."""

    id: str = Field(description="Id of the workshop.")
    title: str = Field(description="Title of the workshop.")
    file: str = Field(description="Its file, relative to the project folder.")
    page: str = Field(description="Its page, relative to the generated folder.")
    readiness: ReadinessEntry = Field(description="Its readiness score.")
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
        "the readiness were judged on."
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


def _target(context: ExportContext, node: Node) -> TargetEntry:
    return TargetEntry(
        id=f"{node.workshop}/{node.record.id}",
        workshop=node.workshop,
        record=node.record.id,
        kind=node.kind,
        title=node.record.display_name,
        page=context.page(node.workshop, node),
    )


def _references(context: ExportContext, loaded: LoadedWorkshop) -> list[ReferenceEntry]:
    """Each reference with the record it stands in (the longest prefix of its path that is
    a record) and the record it names, asked of the graph."""
    graph = context.playbook.graph
    home = loaded.id
    sources = {located.path: located.record.id for located in _records(loaded)}
    entries = []
    for reference in iter_references(loaded.model):
        path = reference.path
        depth = next((n for n in range(len(path) - 1, 0, -1) if path[:n] in sources), 0)
        node = graph.nodes.get(split_ref(reference.value, home))
        resolved = node is not None and node.kind == reference.target.kind
        entries.append(
            ReferenceEntry(
                path=format_path(path),
                source=sources[path[:depth]] if depth else None,
                field=str(path[depth]),
                written=reference.value,
                target=_target(context, node) if resolved and node is not None else None,
            )
        )
    return entries


def _workshop(
    context: ExportContext,
    loaded: LoadedWorkshop,
    findings: list[FindingEntry],
) -> WorkshopEntry:
    graph = context.playbook.graph
    records = [
        RecordEntry(
            kind=located.kind,
            id=located.record.id,
            qualified_id=f"{loaded.id}/{located.record.id}",
            title=located.record.display_name,
            path=format_path(located.path),
            page=context.page(loaded.id, graph.nodes.get((loaded.id, located.record.id))),
        )
        for located in _records(loaded)
    ]
    return WorkshopEntry(
        id=loaded.id,
        title=loaded.model.title,
        file=context.file(loaded.path),
        page=context.page(loaded.id),
        readiness=ReadinessEntry.of(context.readiness[loaded.id]),
        findings=findings,
        records=records,
        references=_references(context, loaded),
        content=loaded.model,
    )


def playbook_document(context: ExportContext) -> PlaybookDocument:
    """The document of a checked playbook, workshops by id."""
    workshops = context.playbook.workshops
    files = {str(loaded.path): context.file(loaded.path) for loaded in workshops.values()}
    by_workshop: dict[str, list[FindingEntry]] = {ws_id: [] for ws_id in workshops}
    others: list[FindingEntry] = []
    for finding in context.report.findings:
        entry = _finding(finding, files)
        by_workshop.get(finding.workshop or "", others).append(entry)
    return PlaybookDocument(
        format=PLAYBOOK_FORMAT,
        version=PLAYBOOK_VERSION,
        build_date=context.build_date,
        base_url=context.base_url,
        workshops=[
            _workshop(context, workshops[ws_id], by_workshop[ws_id])
            for ws_id in context.workshop_ids()
        ],
        findings=others,
        rules={
            r: RuleEntry(name=RULES[r].name, summary=RULES[r].summary)
            for r in sorted({f.rule for f in context.report.findings})
        },
    )


def playbook_json(context: ExportContext) -> str:
    """The document as written: keys in the models' order, no indent (a third smaller; a
    browser or ``python -m json.tool`` lays it out), one trailing newline."""
    return playbook_document(context).model_dump_json() + "\n"
