"""Every field of every kind of record is on its workshop's page, where that record is
shown, and in search where the field says search finds it; every reference reads back on
the page of the record it names.

The workshop built here is read off the models: one record of each kind in the table of
kinds (one more for each alternative of a field that takes several models, such as a RICE
or an ICE score), every field of each set to a value of its own (text, dates and numbers
that occur nowhere else), every reference naming a record made for it alone. So a field
or a kind added to the format is filled, built and looked for here without touching this
file, and a field its page leaves out fails here.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import subprocess
import sys
import types
import typing
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, get_args, get_origin

import pytest
import yaml
from hypothesis import find, settings
from hypothesis import strategies as st
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from prepbook.build import check
from prepbook.config import Project, Settings
from prepbook.findings import Severity
from prepbook.graph import Graph
from prepbook.model import Workshop
from prepbook.model.base import Record
from prepbook.model.facts import Fact, facts
from prepbook.model.fields import RefTarget
from prepbook.model.kinds import BACKLINKS, KINDS, RecordKind, iter_records, reference_fields
from prepbook.model.people import PERSON_KIND, person_slug
from prepbook.model.shown import Shown, shown
from prepbook.render.links import DECISIONS_ANCHOR, anchor_id
from tests.conftest import dated
from tests.searchindex import sections

WORKSHOP_ID = "every-field"
ENV = {"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1", "HOME": "/tmp"}
MKDOCS_YML = (
    "site_name: Every field\ntheme:\n  name: material\n  font: false\n"
    "plugins:\n  - search\n  - prepbook\n"
)
FIRST_DATE = dt.date(2031, 1, 6)  # after the build's date, so no review is due
# Where a record's part of its page ends: where the next record's anchor, or the next
# section of the page, starts.
NEXT_ANCHOR = re.compile(r'id="(?:workshop-[a-z-]+|(?:' + "|".join(KINDS) + r')-[a-z0-9-]+)"')


# What a field takes, read off its annotation --------------------------------------------


@dataclass
class Shape:
    """A field's annotation: its types, literal values, bounds, reference and items."""

    kinds: list[Any] = field(default_factory=list)
    literals: tuple[Any, ...] = ()
    models: list[type[BaseModel]] = field(default_factory=list)
    low: float | None = None
    high: float | None = None
    pattern: str | None = None
    target: RefTarget | None = None
    item: Shape | None = None

    def absorb(self, meta: Any) -> None:
        if isinstance(meta, RefTarget):
            self.target = meta
            return
        for item in meta.metadata if isinstance(meta, FieldInfo) else [meta]:
            if getattr(item, "pattern", None) is not None:
                self.pattern = item.pattern
            for bound in ("ge", "gt"):
                if getattr(item, bound, None) is not None:
                    self.low = getattr(item, bound)
            for bound in ("le", "lt"):
                if getattr(item, bound, None) is not None:
                    self.high = getattr(item, bound)

    def visit(self, node: Any) -> None:
        origin = get_origin(node)
        if origin is Annotated:
            base, *metadata = get_args(node)
            for meta in metadata:
                self.absorb(meta)
            self.visit(base)
        elif origin is list:
            self.item = Shape()
            self.item.visit(get_args(node)[0])
        elif origin is Literal:
            self.literals += get_args(node)
        elif origin in (typing.Union, types.UnionType):
            for arg in get_args(node):
                self.visit(arg)
        elif isinstance(node, type) and issubclass(node, BaseModel):
            self.models.append(node)
        elif node is not type(None):
            self.kinds.append(node)


def shape_of(model: type[BaseModel], name: str) -> Shape:
    shape = Shape()
    shape.absorb(model.model_fields[name])
    shape.visit(typing.get_type_hints(model, include_extras=True)[name])
    return shape


# A workshop with a value of its own in every field ----------------------------------


@dataclass
class Filler:
    """Makes the workshop: values that occur nowhere else, and the records references
    name. ``unique`` holds every value that only one field has, as a page shows it."""

    counter: int = 0
    unique: set[str] = field(default_factory=set)
    targets: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def marker(self) -> str:
        self.counter += 1
        text = f"zq{self.counter:04d}x"  # letters and digits: a valid id and valid text
        self.unique.add(text)
        return text

    def number(self, shape: Shape, whole: bool) -> float:
        low = shape.low if shape.low is not None else 0
        high = shape.high if shape.high is not None else 10**6
        if high - low < 2000:
            return high  # too narrow to be told apart: looked for in its record only
        self.counter += 1
        value: float = 7000 + self.counter if whole else 7000 + self.counter + 0.5
        value = min(value, high - 1)
        self.unique.add(str(value))
        return value

    def date(self) -> str:
        self.counter += 1
        day = (FIRST_DATE + dt.timedelta(days=self.counter)).isoformat()
        self.unique.add(day)
        return day

    def target(self, kind: str) -> str:
        """A record of ``kind`` made to be named by one reference: its required fields."""
        record = self.record(KINDS[kind].model, kind, 0, full=False)
        self.targets.setdefault(kind, []).append(record)
        return str(record["id"])

    def value(self, shape: Shape, variant: int, kind: str | None) -> Any:
        if shape.target is not None:
            return self.target(shape.target.kind)
        if shape.item is not None:
            return [self.value(shape.item, variant, kind)]
        if shape.literals:
            return shape.literals[-1]
        if shape.models:
            model = shape.models[variant % len(shape.models)]
            return self.record(model, None, variant, full=True)
        if bool in shape.kinds:
            return True
        if dt.date in shape.kinds:
            return self.date()
        if float in shape.kinds or int in shape.kinds:
            return self.number(shape, whole=float not in shape.kinds)
        assert shape.kinds == [str], shape
        text = self.marker()
        if shape.pattern is None or re.fullmatch(shape.pattern, text):
            return text
        # a form of its own (an item in a tracker): the simplest text it takes, looked
        # for in its record only, as it may not be the only one
        self.unique.discard(text)
        return find(
            st.from_regex(shape.pattern, fullmatch=True),
            lambda _: True,
            settings=settings(database=None, derandomize=True),
        )

    def record(
        self, model: type[BaseModel], kind: str | None, variant: int, *, full: bool
    ) -> dict[str, Any]:
        """Every field of ``model`` (``full``; else the required ones) but the lists of
        records it holds, which the table of kinds fills, and the hidden ones that are no
        reference (the silences)."""
        data: dict[str, Any] = {}
        references = {name for name, _ in reference_fields(model)}
        for name, info in model.model_fields.items():
            # a hidden field still makes its reference (a step's phase lists it there)
            hidden = shown(model, name).place == "hidden" and name not in references
            if any(k.home[0] == name for k in KINDS.values() if k.parent == kind):
                continue
            if not info.is_required() and (not full or hidden):
                continue
            data[name] = self.value(shape_of(model, name), variant, kind)
        return data


def variants(model: type[BaseModel]) -> int:
    """How many records of a kind it takes to fill each alternative of its fields."""
    return max([len(shape_of(model, n).models) for n in model.model_fields] + [1])


def put(holder: dict[str, Any], path: tuple[str | int, ...], records: list[Any]) -> None:
    for part in path[:-1]:
        holder = holder.setdefault(str(part), {})
    holder.setdefault(str(path[-1]), []).extend(records)


def every_field_workshop() -> tuple[dict[str, Any], set[str], set[tuple[str, str]]]:
    """The workshop, the values only one field has, and the records filled in full (by
    kind and id): one of each kind and alternative, the others made to be named."""
    filler = Filler()
    full: set[tuple[str, str]] = set()
    workshop = filler.record(Workshop, None, 0, full=True)
    workshop["id"] = WORKSHOP_ID

    def records_of(kind: RecordKind) -> list[dict[str, Any]]:
        made = []
        for variant in range(variants(kind.model)):
            record = filler.record(kind.model, kind.name, variant, full=True)
            full.add((kind.name, str(record["id"])))
            for child in KINDS.values():
                if child.parent == kind.name:
                    put(record, child.home, records_of(child))
            made.append(record)
        return made

    for kind in KINDS.values():
        if kind.parent is None:
            put(workshop, kind.home, records_of(kind))
    for kind_name, targets in filler.targets.items():
        assert KINDS[kind_name].parent is None, "a reference to a nested kind"
        put(workshop, KINDS[kind_name].home, targets)
    return workshop, filler.unique, full


# The site built from it ----------------------------------------------------------------


@dataclass
class Built:
    workshop: Workshop
    graph: Graph
    page: str  # the workshop's page, as HTML
    index: str  # what search reads of it: the titles and texts of its entries
    unique: set[str]
    full: set[tuple[str, str]]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("every-field")
    data, unique, full = every_field_workshop()
    (root / "workshops").mkdir()
    (root / "workshops" / f"{WORKSHOP_ID}.yaml").write_text(
        yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    checked = check(Project(Settings(), root))
    errors = [f for f in checked.report.findings if f.severity == Severity.ERROR]
    assert errors == [], [f.message for f in errors]
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        env=dated(ENV),
    )
    assert done.returncode == 0, done.stderr
    site = root / "site"
    page = (site / "playbook" / "workshops" / WORKSHOP_ID / "index.html").read_text("utf-8")
    docs = sections(site)
    mine = [d for d in docs if d["location"].startswith(f"playbook/workshops/{WORKSHOP_ID}/")]
    assert mine, "the workshop's page is not in the search index"
    index = html.unescape(" ".join(f"{d['title']} {d['text']}" for d in mine))
    model = checked.playbook.workshops[WORKSHOP_ID].model
    return Built(model, checked.playbook.graph, page, index, unique, full)


def part_of_page(page: str, anchor: str | None) -> str:
    """The record's part of its page, from its anchor to the next one; the workshop's
    (``anchor`` None): the page up to its first section of records."""
    if anchor is None:
        start = page.index("<article")
        return html.unescape(page[start : page.index('id="workshop-priorities"')])
    start = page.index(f'id="{anchor}"')
    following = NEXT_ANCHOR.search(page, start + len(anchor) + 5)
    return html.unescape(page[start : following.start() if following else len(page)])


def every_record(workshop: Workshop) -> list[tuple[type[Record], str | None, Record]]:
    """The workshop and each of its records, with its model and its anchor."""
    found: list[tuple[type[Record], str | None, Record]] = [(Workshop, None, workshop)]
    for located in iter_records(workshop):
        found.append((type(located.record), f"{located.kind}-{located.record.id}", located.record))
    return found


def how_shown(model: type[BaseModel], name: str) -> Shown:
    """A field's declaration; one shown beside another is shown as that one is."""
    how = shown(model, name)
    return shown(model, how.host) if how.place == "beside" else how


def test_the_workshop_fills_every_field_of_every_kind(built: Built) -> None:
    """What the tests below look for is there to find: a record of every kind, and in
    it, as in the workshop, every field set but the hidden ones."""
    full = [(Workshop, built.workshop)] + [
        (type(located.record), located.record)
        for located in iter_records(built.workshop)
        if (located.kind, located.record.id) in built.full
    ]
    assert {m.KIND for m, _ in full[1:]} == set(KINDS)
    unset = [
        f"{model.__name__}.{fact.name}"
        for model, record in full
        for fact in facts(record)
        if fact.value in (None, ()) and shown(model, fact.name.split(".")[0]).place != "hidden"
    ]
    assert unset == []


def shown_texts(record: BaseModel, top: str, fact: Fact) -> list[str]:
    """The texts a fact is shown as: a list's items, each of the facts of the small models
    a list holds (a metric's readings), or the fact's own text."""
    if not isinstance(fact.value, tuple):
        return [fact.text()]
    models = [item for item in getattr(record, top) if isinstance(item, BaseModel)]
    if models:
        return [part.text() for item in models for part in facts(item) if part.value is not None]
    return list(fact.value)


def test_every_field_is_on_the_page_where_its_record_is(built: Built) -> None:
    missing = []
    for model, anchor, record in every_record(built.workshop):
        part = part_of_page(built.page, anchor)
        references = dict(reference_fields(model))
        for fact in facts(record, home=WORKSHOP_ID):
            top = fact.name.split(".")[0]
            if how_shown(model, top).place == "hidden" or fact.value in (None, (), ""):
                continue
            if top in references:
                kind = references[top].kind
                ids = fact.value if isinstance(fact.value, tuple) else (fact.value,)
                expected = [f'href="#{kind}-{i}"' for i in ids]
                if kind == PERSON_KIND:  # a team member's name leads to their page
                    names = [built.graph.node((WORKSHOP_ID, i)).record.display_name for i in ids]
                    expected = [f'href="../../people/{person_slug(n)}/"' for n in names]
            elif isinstance(fact.value, bool):
                expected = [how_shown(model, top).text.strip()] if fact.value else []
            else:
                expected = shown_texts(record, top, fact)
            for text in expected:
                if text.casefold() not in part.casefold():
                    missing.append(f"{anchor or 'the workshop'}: {fact.name} ({text})")
    assert missing == []


def test_search_finds_each_field_declared_searchable_and_no_other(built: Built) -> None:
    """Text, dates and numbers of their own, as search's index of the page holds them:
    each field whose kind search reads and that says search finds it is there; any other
    is not, its record's name aside (which other records' links show)."""
    wrong = []
    for model, anchor, record in every_record(built.workshop):
        references = {name for name, _ in reference_fields(model)}
        for fact in facts(record, home=WORKSHOP_ID):
            top = fact.name.split(".")[0]
            how = how_shown(model, top)
            if how.place == "hidden" or top in references:
                continue
            searched = model.SEARCHED and how.search
            where = f"{anchor or 'the workshop'}: {fact.name}"
            for text in shown_texts(record, top, fact):
                if text not in built.unique:
                    continue
                found = text in built.index
                if searched and not found:
                    wrong.append(f"{where} is not found")
                if found and not searched and how.place != "title":
                    wrong.append(f"{where} is found")
    assert wrong == []


def test_every_reference_reads_back_on_the_record_it_names(built: Built) -> None:
    """On the page of the record a reference names: its field's backlink label and a
    link back to the record that wrote it (the workshop, for its own fields), or, for a
    record listed under the one it names (a phase's steps), that record under it."""
    graph, page = built.graph, built.page
    wrong, seen = [], set()
    for edges in graph.incoming.values():
        for edge in edges:
            if edge.home != WORKSHOP_ID:
                continue
            source_kind = graph.node(edge.source).kind if edge.source is not None else None
            back = BACKLINKS[(source_kind, edge.field)]
            seen.add((source_kind, edge.field))
            target = graph.node(edge.target)
            part = part_of_page(page, anchor_id(target))
            where = f"{source_kind or 'workshop'}.{edge.field} on {anchor_id(target)}"
            if back.listed:
                assert edge.source is not None
                start = page.index(f'id="{anchor_id(target)}"')
                listed = page.index(f'id="{anchor_id(graph.node(edge.source))}"')
                between = page[start + 1 : listed]
                if listed < start or f'id="{target.kind}-' in between:
                    wrong.append(f"{where}: not listed under it")
                continue
            source = anchor_id(graph.node(edge.source)) if edge.source else DECISIONS_ANCHOR
            if f"{back.label}: " not in part:
                wrong.append(f"{where}: no {back.label!r}")
            if f'href="#{source}"' not in part:
                wrong.append(f"{where}: no link back to {source}")
    assert wrong == []
    assert seen == set(BACKLINKS)  # every reference field of the format was tried


def test_every_reference_field_has_a_backlink_label() -> None:
    """Each reference field says how it reads from the record it names, and fields of one
    name read the same (a member "Owns" whatever it owns)."""
    by_name: dict[str, set[str]] = {}
    for (_, name), back in BACKLINKS.items():
        assert back.label.strip(), name
        by_name.setdefault(name, set()).add(back.label)
    assert {name: labels for name, labels in by_name.items() if len(labels) > 1} == {}
    fields = {(k.name, n) for k in KINDS.values() for n, _ in reference_fields(k.model)}
    fields |= {(None, n) for n, _ in reference_fields(Workshop)}
    assert set(BACKLINKS) == fields
