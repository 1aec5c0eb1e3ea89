"""Extreme values through every output: what validates builds, and what an output cannot
show is refused by validate, at its line.

The fields are read off the models (every model below ``Workshop``, every field of each,
with the constraints its annotation carries), so a field added to the format is drawn
here without touching this file. Each gets values at and past its bounds: dates at both
ends of the calendar and past them, numbers at their bounds and one past them, with
hundreds of digits, 1e308, 5e-324, -0.0; text at and past its length, made of characters
of every Unicode general category and of the ones known to break a format (controls, C1,
bidirectional controls, U+FFFE, zero-width and combining characters, emoji, astral ones).

Each example writes the change into the minimal workshop, then runs ``validate`` (the
build service's ``check``) and the full MkDocs build in this process. They must agree: no
error exactly when the site builds, and the build stops only with the findings. A site
that builds is read back by each export's own standard (``icalendar``, the published JSON
Schema, ``csv``, XML for every SVG picture), and ``prepbook diff`` (every format) and
``prepbook show`` run on the file, whether it validates or not, and print nothing a
terminal would obey.
"""

from __future__ import annotations

import contextlib
import copy
import csv
import datetime as dt
import html
import io
import json
import math
import os
import re
import tempfile
import types
import typing
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal, get_args, get_origin

import icalendar
import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, PluginError
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from prepbook import export
from prepbook.build import check, check_blobs
from prepbook.cli import main
from prepbook.config import Settings
from prepbook.diff import DIFF_FORMATS
from prepbook.docs.schema import DIFF_SCHEMA_FILE, PLAYBOOK_SCHEMA_FILE, schema_text
from prepbook.export.tables import DERIVED_COLUMNS, cell, columns
from prepbook.findings import Finding, format_path
from prepbook.mkdocs_options import load_project
from prepbook.model import Asset, Persofail, Priority, RiceScore, Step, Workshop
from prepbook.model.base import Silence
from prepbook.model.facts import facts
from prepbook.model.fields import MAX_DATE, MAX_NUMBER, MIN_DATE, NOT_IN_TEXT, RefTarget
from prepbook.model.kinds import KINDS, models_in, records_in
from prepbook.model.metrics import Metric
from prepbook.render.pictures import svg, timeline
from prepbook.report.formats import REPORT_FORMATS, format_text
from prepbook.rules import RULES, Severity
from tests.conftest import minimal
from tests.hostile.conftest import MKDOCS_YML

WORKSHOP_ID = "mini"
BASE = minimal(WORKSHOP_ID)
BASE_DATA: dict[str, Any] = yaml.safe_load(BASE)
SITE_FOLDER = "site/playbook"  # where the plugin writes the generated pages and the exports
# What a terminal obeys or shows out of order: no output for people may hold one.
TERMINAL_UNSAFE = re.compile(f"[{NOT_IN_TEXT}\r]")


# The format, read off the models ------------------------------------------------------


@dataclass
class Shape:
    """What a field's annotation allows: its types, literal values and constraints."""

    kinds: set[Any] = field(default_factory=set)
    literals: tuple[Any, ...] = ()
    optional: bool = False
    pattern: str | None = None
    min_length: int | None = None
    max_length: int | None = None
    low: float | None = None
    high: float | None = None
    target: RefTarget | None = None
    item: Shape | None = None  # a list's items

    def absorb(self, meta: Any) -> None:
        """A piece of metadata: pydantic's FieldInfo, StringConstraints, an annotated-types
        bound, or prepbook's RefTarget."""
        if isinstance(meta, RefTarget):
            self.target = meta
            return
        for item in meta.metadata if isinstance(meta, FieldInfo) else [meta]:
            for name in ("pattern", "min_length", "max_length"):
                if getattr(item, name, None) is not None:
                    setattr(self, name, getattr(item, name))
            for name, attribute in (("ge", "low"), ("gt", "low"), ("le", "high"), ("lt", "high")):
                if getattr(item, name, None) is not None:
                    setattr(self, attribute, getattr(item, name))

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
        elif node is type(None):
            self.optional = True
        else:
            self.kinds.add(node)


def shape_of(model: type[BaseModel], name: str) -> Shape:
    shape = Shape()
    shape.absorb(model.model_fields[name])  # Field(...) given as the default
    shape.visit(typing.get_type_hints(model, include_extras=True)[name])
    return shape


@dataclass(frozen=True)
class Site:
    """Where a model stands in a workshop (a list's first item), and the models on the way
    there, each with its path: the ones the minimal workshop lacks are made first."""

    path: tuple[str | int, ...]
    model: type[BaseModel]
    chain: tuple[tuple[tuple[str | int, ...], type[BaseModel]], ...]

    @property
    def where(self) -> str:
        return f"{format_path(self.path) or 'workshop'} ({self.model.__name__})"


def _holds_list(annotation: Any) -> bool:
    if get_origin(annotation) is list:
        return True
    return any(_holds_list(arg) for arg in get_args(annotation))


def sites(
    model: type[BaseModel] = Workshop,
    path: tuple[str | int, ...] = (),
    chain: tuple[tuple[tuple[str | int, ...], type[BaseModel]], ...] = (),
) -> Iterator[Site]:
    """Every model below ``model``, each alternative of a union apart."""
    chain = (*chain, (path, model))
    yield Site(path, model, chain)
    hints = typing.get_type_hints(model, include_extras=True)
    for name in model.model_fields:
        for inner in models_in(hints[name]):
            sub = (*path, name, 0) if _holds_list(hints[name]) else (*path, name)
            yield from sites(inner, sub, chain)


def leaves(model: type[BaseModel]) -> list[str]:
    """The fields of ``model`` that hold values rather than models."""
    hints = typing.get_type_hints(model, include_extras=True)
    return [name for name in model.model_fields if not models_in(hints[name])]


SITES = [site for site in sites() if leaves(site.model)]
SITE_BY_PATH = {(format_path(site.path), site.model): site for site in SITES}


def _first_ids() -> dict[str, str]:
    """The id of the first record of each kind in the minimal workshop: what a reference
    of that kind names to be valid."""
    ids = {}
    for kind in KINDS.values():
        if kind.parent is not None:
            continue
        node: Any = BASE_DATA
        for part in kind.home:
            node = node.get(str(part), []) if isinstance(node, dict) else []
        if node:
            ids[kind.name] = node[0]["id"]
    return ids


FIRST_IDS = _first_ids()
# Values tried, in order, for a field that must simply be valid: the first that fits.
PLAIN_TEXTS = ("A plain valid text", "x", "PB301")


def fits(text: str, shape: Shape) -> bool:
    return (
        (shape.pattern is None or re.fullmatch(shape.pattern, text) is not None)
        and len(text) >= (shape.min_length or 0)
        and len(text) <= (shape.max_length or len(text))
    )


def valid_value(shape: Shape) -> Any:
    """A value the field surely takes, for a record the minimal workshop has none of."""
    if shape.item is not None:
        return []
    if shape.literals:
        return shape.literals[0]
    if shape.target is not None:
        return FIRST_IDS[shape.target.kind]
    if dt.date in shape.kinds:
        return "2027-03-01"
    if bool in shape.kinds:
        return False
    if shape.kinds & {int, float}:
        inside = (shape.low is None or shape.low <= 1) and (shape.high is None or shape.high >= 1)
        return 1 if inside else shape.low
    return next(text for text in PLAIN_TEXTS if fits(text, shape))


def skeleton(model: type[BaseModel]) -> dict[str, Any]:
    """The least valid mapping of ``model``: its required keys, each with a valid value."""
    hints = typing.get_type_hints(model, include_extras=True)
    out: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if not info.is_required():
            continue
        inner = models_in(hints[name])
        if inner:
            out[name] = [skeleton(inner[0])] if _holds_list(hints[name]) else skeleton(inner[0])
        else:
            out[name] = valid_value(shape_of(model, name))
    return out


# Extreme values, by what the annotation allows ------------------------------------------
#
# Each kind of value has extremes inside its bounds, which every output must show, and
# past them, which validate must refuse; the ones inside are drawn twice as often, so that
# most examples reach the outputs.

INSIDE_DATES = (
    MIN_DATE.isoformat(),
    "0001-01-02",
    "0001-12-31",
    "0999-12-31",
    "1000-01-01",
    "2000-02-29",
    "9999-01-01",
    "9999-12-29",
    MAX_DATE.isoformat(),
)
OUTSIDE_DATES = ("9999-12-31", "0000-01-01", "0000-12-31", "10000-01-01", "1900-02-29")
CATEGORIES = (
    *("Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Me", "Nd", "Nl", "No"),
    *("Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "Sm", "Sc", "Sk", "So"),
    *("Zs", "Zl", "Zp", "Cc", "Cf", "Cs", "Co", "Cn"),
)
# Characters and strings known to break one format or another; text may hold these...
AWKWARD = (
    "\t",
    "\r",
    "\u00ad",
    "\u200b",
    "\u200d",
    "\u200f",
    "\u2028",
    "\ufeff",
    "\U0010ffff",
    "\U0001f4a5",
    "\U0001f469\u200d\U0001f4bb",
    "e\u0301",
    "\u0301",
    "\u05e9\u05dc\u05d5\u05dd",
    "<b>&amp;</b>",
    "]]>",
    "</svg>",
    "{: .x }",
    "| a |",
    "\\",
    "=1+1",
    "-1",
    '"',
    "'",
    ";,",
)
# ... and not these
REFUSED_IN_TEXT = (
    "\x00",
    "\x1b[31m",
    "\x7f",
    "\x85",
    "\x9b31m",
    "\u202e",
    "\u2066",
    "\ufffe",
    "\uffff",
)
# What a text is made of to reach its length: one code unit, a wide and an astral
# character, a letter and its combining accent, a right-to-left letter.
FILLERS = ("x", "\u6f22", "\U0001f4a5", "e\u0301", "\u05e9")


def _weighted(inside: st.SearchStrategy[Any], outside: st.SearchStrategy[Any]) -> Any:
    return st.one_of(inside, inside, outside)


def _at_length(limit: int, extra: int) -> st.SearchStrategy[str]:
    return st.sampled_from(FILLERS).map(lambda filler: (filler * (limit + 1))[: limit + extra])


def texts(shape: Shape) -> st.SearchStrategy[Any]:
    limit = shape.max_length or 1000
    if shape.target is not None:  # a reference: one that resolves, or none that could
        known = FIRST_IDS.get(shape.target.kind, "x")
        return _weighted(
            st.sampled_from((known, f"{WORKSHOP_ID}/{known}")),
            st.sampled_from((f"{'a' * 64}/{'b' * 64}", "a" * 130, "Bad id", "")),
        )
    if shape.pattern is not None and not fits("A plain valid text", shape):  # an id
        return st.sampled_from(("a" * 64, "a" * 65, "a-b", "A", "a--b", "PB399", "PB301"))
    category = st.sampled_from(CATEGORIES).flatmap(lambda c: st.characters(categories=[c]))
    words = st.one_of(st.sampled_from(AWKWARD), st.just(" "), st.just("ok"))
    inside = st.one_of(
        _at_length(limit, 0),
        st.lists(words, min_size=1, max_size=6).map(lambda parts: "ok" + "".join(parts)),
    )
    outside = st.one_of(
        _at_length(limit, 1),
        st.sampled_from(REFUSED_IN_TEXT).map(lambda bad: f"ok {bad} ok"),
        st.text(category, min_size=1, max_size=8).map(lambda text: f"ok {text} ok"),
        st.sampled_from(("", " ", "\n\n")),
    )
    return _weighted(inside, outside)


BIG = 10**400


def _nudged(bound: float) -> list[float]:
    """The nearest numbers on either side of a bound."""
    if isinstance(bound, int):
        return [bound - 1, bound + 1]
    return [math.nextafter(bound, -math.inf), math.nextafter(bound, math.inf)]


def numbers(shape: Shape) -> st.SearchStrategy[Any]:
    low = shape.low if shape.low is not None else -(10**30)
    high = shape.high if shape.high is not None else 10**30
    whole = float not in shape.kinds
    edges = [low, high, *[n for n in (0, 1, -1, 2**53 + 1, MAX_NUMBER) if low <= n <= high]]
    tiny = [5e-324, -5e-324, -0.0, 1e-7, 0.5]
    inside: list[st.SearchStrategy[Any]] = [
        st.sampled_from(edges),
        st.integers(math.ceil(low), math.floor(high)),
    ]
    if not whole:
        inside.append(st.sampled_from([x for x in tiny if low <= x <= high] or [high]))
        inside.append(st.floats(low, high))
    past = [*_nudged(low), *_nudged(high), BIG, -BIG, 1e308, -1e308, math.inf, -math.inf]
    past += [math.nan, *(tiny if whole else [])]
    outside = st.sampled_from([x for x in past if not low <= x <= high or whole])
    return _weighted(st.one_of(inside), outside)


def scalar_values(shape: Shape) -> st.SearchStrategy[Any]:
    options: list[st.SearchStrategy[Any]] = []
    if shape.literals:
        options.append(
            _weighted(
                st.sampled_from(shape.literals),
                st.sampled_from([f"{v}x" for v in shape.literals]),
            )
        )
    if dt.date in shape.kinds:
        inside = st.one_of(
            st.sampled_from(INSIDE_DATES),
            st.dates(MIN_DATE, MAX_DATE).map(dt.date.isoformat),
        )
        options.append(_weighted(inside, st.sampled_from(OUTSIDE_DATES)))
    if bool in shape.kinds:
        options.append(_weighted(st.booleans(), st.just("yes")))
    if shape.kinds & {int, float}:
        options.append(numbers(shape))
    if str in shape.kinds:
        options.append(texts(shape))
    if shape.optional:
        options.append(st.none())
    return st.one_of(options)


def values(shape: Shape) -> st.SearchStrategy[Any]:
    if shape.item is None:
        return scalar_values(shape)
    most = shape.max_length or 500
    filler = valid_value(shape.item)
    return _weighted(
        st.one_of(st.lists(scalar_values(shape.item), max_size=3), st.just([filler] * most)),
        st.just([filler] * (most + 1)),
    )


# A change of the minimal workshop -------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """New values for fields of one model of the minimal workshop (made if it has none)."""

    site: Site
    values: tuple[tuple[str, Any], ...]
    raw_unicode: bool = True  # the YAML writes characters as they are, or as escapes

    def __repr__(self) -> str:
        shown = {name: _short(value) for name, value in self.values}
        return f"Change({self.site.where}: {shown}, raw_unicode={self.raw_unicode})"

    @property
    def paths(self) -> list[str]:
        return [format_path((*self.site.path, name)) for name, _ in self.values]

    def data(self) -> dict[str, Any]:
        data = copy.deepcopy(BASE_DATA)
        for path, model in self.site.chain[1:]:
            key = path[-2] if isinstance(path[-1], int) else path[-1]
            parent = _at(data, path[:-2] if isinstance(path[-1], int) else path[:-1])
            if isinstance(path[-1], int):
                if not parent.get(key):
                    parent[key] = [skeleton(model)]
            elif not isinstance(parent.get(key), dict):
                parent[key] = skeleton(model)
        node = _at(data, self.site.path)
        for name, value in self.values:
            node[name] = value
        return data

    def yaml(self) -> bytes:
        text = yaml.safe_dump(
            self.data(), sort_keys=False, allow_unicode=self.raw_unicode, width=120
        )
        return text.encode("utf-8", "surrogatepass")


def _short(value: Any) -> Any:
    if isinstance(value, int) and abs(value) > 10**30:
        return f"<{len(str(abs(value)))} digits>"
    if isinstance(value, str | list) and len(value) > 40:
        return f"{value[:20]!r}...({len(value)})"
    return value


def _at(data: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


# Each model is drawn as often as any other, wherever it stands: a silence stands in every
# kind of record, and would else be most of the examples.
MODELS = sorted({site.model for site in SITES}, key=lambda model: model.__name__)


@st.composite
def changes(draw: st.DrawFn) -> Change:
    model = draw(st.sampled_from(MODELS))
    site = draw(st.sampled_from([site for site in SITES if site.model is model]))
    names = draw(st.lists(st.sampled_from(leaves(model)), min_size=1, max_size=2, unique=True))
    drawn = tuple((name, draw(values(shape_of(site.model, name)))) for name in names)
    return Change(site, drawn, draw(st.booleans()))


def change(path: str, model: type[BaseModel], raw_unicode: bool = True, **new: Any) -> Change:
    """The change an example names: ``path`` as a finding names it."""
    return Change(SITE_BY_PATH[(path, model)], tuple(new.items()), raw_unicode)


# Running every output -------------------------------------------------------------------


@dataclass
class Outcome:
    errors: list[Finding]
    built: bool
    workshop: Workshop | None  # the model, when the file loads


def write_project(root: Path, workshop: bytes) -> Path:
    (root / "workshops").mkdir(parents=True)
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    (root / "workshops" / f"{WORKSHOP_ID}.yaml").write_bytes(workshop)
    return root / "mkdocs.yml"


def validate_and_build(root: Path, workshop: bytes) -> Outcome:
    """``validate`` and the MkDocs build of a playbook of this one workshop."""
    config = write_project(root, workshop)
    checked = check(load_project(config))
    report = checked.report
    loaded = checked.playbook.workshops.get(WORKSHOP_ID)
    model = loaded.model if loaded is not None else None
    errors = [f for f in report.findings if f.severity is Severity.ERROR]
    text = format_text(report)  # the report a person reads prints, whatever the findings
    for name, render in REPORT_FORMATS.items():  # and every other format
        shown = render(report)
        if name in ("json", "sarif"):
            json.loads(shown)
        else:
            assert not TERMINAL_UNSAFE.search(shown), (name, shown)
    for finding in errors:
        assert finding.rule in RULES and finding.message, finding
        assert finding.span is not None and f"{WORKSHOP_ID}.yaml:{finding.span.line}:" in text
    try:
        mkdocs_build(load_config(str(config)))
    except (PluginError, Abort):  # the plugin's findings, as MkDocs reports them
        return Outcome(errors, False, model)
    return Outcome(errors, True, model)


def check_exports(root: Path, workshop: Workshop) -> None:
    """Each export read back as its own standard says, and holding what the model holds."""
    folder = root / SITE_FOLDER
    raw = (folder / export.ROADMAP_ICS).read_bytes()
    assert all(len(line) <= 75 for line in raw.split(b"\r\n")), "an unfolded line"
    calendar = icalendar.Calendar.from_ical(raw)
    for component in calendar.walk():
        assert not component.errors, (component.name, component.errors)
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    for step in workshop.roadmap.steps:
        start, end = workshop.roadmap.dates_of(step)
        if start is None:
            continue
        event = events[f"{step.id}.{workshop.id}@roadmap.prepbook"]
        assert event.decoded("DTSTART") == start
        assert event.decoded("DTEND") == max(end or start, start) + dt.timedelta(days=1)

    def no_constant(name: str) -> None:
        raise AssertionError(f"playbook.json holds {name}, which JSON does not have")

    document = json.loads(
        (folder / export.PLAYBOOK_JSON).read_text(encoding="utf-8"), parse_constant=no_constant
    )
    schema = json.loads(schema_text(PLAYBOOK_SCHEMA_FILE))
    validator = jsonschema.Draft7Validator(
        schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
    )
    validator.validate(document)
    (entry,) = document["workshops"]
    assert entry["content"] == json.loads(workshop.model_dump_json())  # every value, as is

    for name in export.TABLE_KINDS:  # each record a row, each fact a cell, read back as is
        kind = KINDS[name]
        text = (folder / export.table_file(kind.where)).read_bytes().decode("utf-8-sig")
        header, *rows = list(csv.reader(io.StringIO(text, newline="")))
        assert header == columns(kind)
        derived = DERIVED_COLUMNS.get(name, ())
        fields = header[1 : len(header) - len(derived)]
        expected = []
        for record in records_in(workshop, kind):
            cells = {fact.name: fact for fact in facts(record, home=workshop.id)}
            expected.append([workshop.id, *(str(cell(cells.get(c))) for c in fields)])
        assert [row[: 1 + len(fields)] for row in rows] == expected, name
        # the derived cells (a priority's delivery) say what playbook.json says
        delivery = {d["priority"]: d for d in entry["delivery"]}
        for row in rows:
            found = delivery.get(row[header.index("id")]) if derived else None
            said = [str(found[c.split(".", 1)[1]] or "") for c in derived] if found else None
            assert row[len(header) - len(derived) :] == (said or [""] * len(derived)), name


SVG = re.compile(r"<svg\b.*?</svg>", re.DOTALL)
TITLE = re.compile(r"<title>(.*?)</title>", re.DOTALL)


def check_pages(root: Path, workshop: Workshop) -> None:
    """The workshop's page is titled with its organisation and title as written (the
    title travels through the page's YAML front matter, into ``<title>`` and the
    navigation)."""
    page = root / SITE_FOLDER / "workshops" / workshop.id / "index.html"
    found = TITLE.search(page.read_text(encoding="utf-8"))
    assert found is not None
    written = " ".join(f"{workshop.organisation}: {workshop.title}".split())
    assert html.unescape(found.group(1)).startswith(written), (found.group(1), written)


# What no page may hold: a control character a browser would not show as typed (it shows
# a C1 one as a Windows-1252 character), or a reference to no character at all.
RAW_IN_PAGES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
REFERENCE = re.compile(r"&#(?:([0-9]+)|[xX]([0-9a-fA-F]+));")


def _no_character(reference: re.Match[str]) -> bool:
    code = int(reference.group(1)) if reference.group(1) else int(reference.group(2), 16)
    return 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF) or 0x80 <= code <= 0x9F


def check_pictures(root: Path) -> int:
    """Every SVG picture of every page parses as XML, and no page holds a character a
    browser cannot show as typed; returns how many pictures there are."""
    count = 0
    for page in (root / "site").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        raw = RAW_IN_PAGES.search(text)
        assert raw is None, (page, raw)
        assert not any(map(_no_character, REFERENCE.finditer(text))), page
        for picture in SVG.findall(text):
            try:
                ET.fromstring(picture)
            except ET.ParseError as exc:  # pragma: no cover - the failure's message
                raise AssertionError(f"{page}: {exc}") from None
            count += 1
    return count


@contextlib.contextmanager
def debugging() -> Iterator[None]:
    """A bug in prepbook raises, as PREPBOOK_DEBUG asks, rather than exiting with 3."""
    before = os.environ.get("PREPBOOK_DEBUG")
    os.environ["PREPBOOK_DEBUG"] = "1"
    try:
        yield
    finally:
        if before is None:
            del os.environ["PREPBOOK_DEBUG"]
        else:
            os.environ["PREPBOOK_DEBUG"] = before


def cli(root: Path, *args: str) -> str:
    """``prepbook ARGS`` in this process, with the project's configuration; its output."""
    out = io.StringIO()
    with debugging(), contextlib.redirect_stdout(out):
        code = main(["--config", str(root / "mkdocs.yml"), *args])
    assert code == 0, args
    return out.getvalue()


def check_diff_and_show(root: Path) -> None:
    """``prepbook diff`` of two folders, the minimal workshop and the changed one, in every
    format, and ``prepbook show`` of the changed file: they run, the JSON diff is valid by
    its published schema, and the others print nothing a terminal would obey."""
    before = root / "before"
    before.mkdir()
    (before / f"{WORKSHOP_ID}.yaml").write_text(BASE, encoding="utf-8")
    for name in DIFF_FORMATS:
        written = root / f"diff.{name}"
        cli(
            root,
            "diff",
            str(before),
            str(root / "workshops"),
            "--format",
            name,
            "--output",
            str(written),
        )
        shown = written.read_text(encoding="utf-8")
        if name == "json":
            schema = json.loads(schema_text(DIFF_SCHEMA_FILE))
            jsonschema.Draft7Validator(schema).validate(json.loads(shown))
        else:
            assert not TERMINAL_UNSAFE.search(shown), (name, shown)
    shown = cli(root, "show", str(root / "workshops" / f"{WORKSHOP_ID}.yaml"))
    assert shown.endswith("\n") and not TERMINAL_UNSAFE.search(shown), shown


def run_everything(candidate: Change | bytes) -> Outcome:
    workshop = candidate if isinstance(candidate, bytes) else candidate.yaml()
    with tempfile.TemporaryDirectory() as folder:
        outcome = validate_and_build(Path(folder), workshop)
        assert outcome.built == (not outcome.errors), [
            (f.rule, f.yaml_path, f.message) for f in outcome.errors
        ]
        if isinstance(candidate, Change):
            for finding in outcome.errors:
                if finding.rule.startswith("PB1"):  # a value the schema refuses: a changed one
                    assert finding.expected, finding
                    assert any(_under(finding.yaml_path, path) for path in candidate.paths), finding
        if outcome.built:
            assert outcome.workshop is not None
            check_exports(Path(folder), outcome.workshop)
            check_pages(Path(folder), outcome.workshop)
            assert check_pictures(Path(folder)) > 0
        check_diff_and_show(Path(folder))
        return outcome


def _under(found: str, path: str) -> bool:
    return found == path or found.startswith((f"{path}.", f"{path}["))


# The reproduced cases, as examples the property test always runs -------------------------

STEPS = "roadmap.steps[0]"
SCORE = "priorities[0].score"
EXAMPLES = (
    change(STEPS, Step, start="9999-12-01", end="9999-12-31"),
    change(STEPS, Step, start="0001-01-01", end="9999-12-30"),
    change(STEPS, Step, start="0001-01-01", end="0001-01-31"),
    change(SCORE, RiceScore, reach=BIG),
    change(SCORE, RiceScore, reach=MAX_NUMBER, effort=0.1, impact=3, confidence=100),
    change(SCORE, RiceScore, effort=0.0000001),
    change("priorities[0]", Priority, votes=BIG),
    change("metrics[0]", Metric, baseline=MAX_NUMBER + 1, target=-MAX_NUMBER),
    change("metrics[0]", Metric, baseline=5e-324, target=-0.0),
    change("metrics[0]", Metric, baseline=1e308),
    change("", Workshop, raw_unicode=False, title="a\x9b31mb"),
    change("", Workshop, title="a\ufffeb"),
    change("", Workshop, title="ok \u202egnp.exe"),
    change("", Workshop, title="\U0001f469\u200d\U0001f4bb e\u0301 \u05e9\u05dc\u05d5\u05dd"),
    change("", Workshop, title="\U0001f4a5" * 200),
    change("", Workshop, title="\U0001f4a5" * 201),
    change("persofails[0].silence[0]", Silence, raw_unicode=False, reason="ok \x1b[2J reason"),
    change("silence[0]", Silence, covers=[]),
    change("", Workshop, title="Launch \U0001f4a5 <b>&amp;</b>"),
    change("metrics[0]", Metric, title="Harmless\rEvil", unit="\u200f%\u200e"),
    change("audit[0]", Asset, description="e\u0301" * 2500, evidence="\u05e9" * 5000),
    change(STEPS, Step, title="\u6f22" * 200, description="=HYPERLINK(1)"),
    change("persofails[0]", Persofail, tags=[f"tag-{i}" for i in range(500)]),
)


def _examples(test: Any) -> Any:
    for case in EXAMPLES:
        test = example(case)(test)
    return test


@_examples
@given(changes())
@settings(
    max_examples=60,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
def test_what_validates_builds_and_every_output_reads_back(candidate: Change) -> None:
    run_everything(candidate)


def test_every_field_of_the_format_is_drawn() -> None:
    """The fields come from the models: each record kind, each score method and each
    nested model has a site, and each of its value fields is drawn."""
    models = {site.model for site in SITES}
    assert {kind.model for kind in KINDS.values()} <= models
    assert {RiceScore, Silence, Workshop} <= models
    drawn = {(site.model, name) for site in SITES for name in leaves(site.model)}
    assert (Step, "start") in drawn and (Metric, "baseline") in drawn
    assert (Silence, "reason") in drawn and (Priority, "votes") in drawn
    for site in SITES:  # a model the minimal workshop lacks is made, valid, first
        report = check_blobs([(Path(f"{WORKSHOP_ID}.yaml"), Change(site, ()).yaml())], Settings())
        assert report.report.ok, (site.where, [f.message for f in report.report.findings])


# The reproduced cases, one by one: the finding, its line, and the build refusing ---------


def _line(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def _edited(old: str, new: str) -> str:
    assert old in BASE
    return BASE.replace(old, new, 1)


REFUSED = {
    "a step ending on 9999-12-31": (
        _edited(
            "      phase: now\n",
            "      phase: now\n      start: 9999-12-01\n      end: 9999-12-31\n",
        ),
        "end: 9999-12-31",
        "roadmap.steps[0].end",
        "the date '9999-12-31' is after 9999-12-30, the last one a workshop can name",
        "a date from 0001-01-01 to 9999-12-30",
    ),
    "a date of the year 0": (
        _edited("      phase: now\n", "      phase: now\n      start: 0000-12-31\n"),
        "start: 0000-12-31",
        "roadmap.steps[0].start",
        "the date '0000-12-31' does not exist: there is no year 0",
        "a date from 0001-01-01 to 9999-12-30",
    ),
    "a reach of 400 digits": (
        _edited(
            "    measured_by: [churn]\n",
            "    measured_by: [churn]\n    score:\n      method: rice\n"
            f"      reach: {BIG}\n      impact: 1\n      confidence: 50\n      effort: 2\n",
        ),
        "reach: 1000",
        "priorities[0].score.reach",
        "a number of 401 digits is out of range",
        "a whole number from 0 to 1,000,000,000,000,000 (10^15)",
    ),
    "a tiny RICE effort": (
        _edited(
            "    measured_by: [churn]\n",
            "    measured_by: [churn]\n    score:\n      method: rice\n"
            "      reach: 10\n      impact: 1\n      confidence: 50\n      effort: 0.0000001\n",
        ),
        "effort: 0.0000001",
        "priorities[0].score.effort",
        "the number 1e-07 is out of range",
        "a number from 0.1 to 1,000",
    ),
    "votes of 400 digits": (
        _edited("    measured_by: [churn]\n", f"    measured_by: [churn]\n    votes: {BIG}\n"),
        "votes: 1000",
        "priorities[0].votes",
        "a number of 401 digits is out of range",
        "a whole number from 0 to 1,000,000,000,000,000 (10^15)",
    ),
    "votes of 5,000 digits, more than Python reads": (
        _edited(
            "    measured_by: [churn]\n", f"    measured_by: [churn]\n    votes: {'9' * 5000}\n"
        ),
        "votes: 999",
        "priorities[0].votes",
        "the number is infinite, or too large to hold",
        "a whole number from 0 to 1,000,000,000,000,000 (10^15)",
    ),
    "a metric baseline past 10^15": (
        _edited(
            "    direction: decrease\n", "    direction: decrease\n    baseline: 1000000000000001\n"
        ),
        "baseline: 1000000000000001",
        "metrics[0].baseline",
        "the number 1000000000000001 is out of range",
        "a number from -1,000,000,000,000,000 (-10^15) to 1,000,000,000,000,000 (10^15)",
    ),
    "a metric target of 1e400": (
        _edited("    direction: decrease\n", "    direction: decrease\n    target: 1e400\n"),
        "target: 1e400",
        "metrics[0].target",
        "the number is infinite, or too large to hold",
        "a number from -1,000,000,000,000,000 (-10^15) to 1,000,000,000,000,000 (10^15)",
    ),
    "a C1 control character (CSI)": (
        _edited("title: Minimal workshop", 'title: "Minimal \\x9b2J workshop"'),
        "title: ",
        "title",
        "the text holds a control character, U+009B, at character 9",
        "text without control characters",
    ),
    "U+FFFF, which XML forbids": (
        _edited("title: Minimal workshop", 'title: "Minimal \\uffff workshop"'),
        "title: ",
        "title",
        "the text holds U+FFFF, which is not a character, at character 9",
        "text of Unicode characters",
    ),
    "a right-to-left override": (
        _edited("    title: CRM data", '    title: "CRM \\u202eatad"'),
        'title: "CRM',
        "audit[0].title",
        "the text holds a bidirectional control character, U+202E RIGHT-TO-LEFT OVERRIDE, "
        "at character 5",
        "text without bidirectional embeddings, overrides or isolates",
    ),
    "an escape sequence in a silence's reason": (
        _edited(
            "    threatens: [offers]\n",
            "    threatens: [offers]\n    silence:\n      - rule: PB301\n"
            '        reason: "clears \\x1b[2J the screen"\n',
        ),
        "reason: ",
        "persofails[0].silence[0].reason",
        "the text holds a control character, U+001B, at character 8",
        "text without control characters",
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_a_value_no_output_can_show_is_refused_at_its_line(case: str, tmp_path: Path) -> None:
    text, needle, path, message, expected = REFUSED[case]
    outcome = validate_and_build(tmp_path, text.encode())
    (finding,) = outcome.errors
    assert (finding.rule, finding.span and finding.span.line) == ("PB103", _line(text, needle))
    assert finding.yaml_path == path
    assert finding.message == message
    assert finding.expected == expected
    assert finding.hint
    assert not outcome.built
    assert not (tmp_path / "site").exists()


def test_the_whole_calendar_builds(tmp_path: Path) -> None:
    """A step from the first day of the calendar to the last an output can show: the site
    builds, the calendar writes eight-digit dates, and the timeline's axis has a few
    ticks, thousands of years apart, rather than one a month for ten thousand years."""
    text = _edited(
        "      phase: now\n", "      phase: now\n      start: 0001-01-01\n      end: 9999-12-30\n"
    )
    outcome = validate_and_build(tmp_path, text.encode())
    assert outcome.built and not outcome.errors
    ics = (tmp_path / SITE_FOLDER / export.ROADMAP_ICS).read_bytes()
    assert b"DTSTART;VALUE=DATE:00010101\r\n" in ics
    assert b"DTEND;VALUE=DATE:99991231\r\n" in ics
    page = (tmp_path / SITE_FOLDER / "workshops" / WORKSHOP_ID / "index.html").read_text("utf-8")
    drawn = next(s for s in SVG.findall(page) if 'id="pb-timeline-' in s)
    ticks = re.findall(r'<line class="pb-grid"', drawn)
    labels = re.findall(r">(\d{4})</text>", drawn)
    assert 2 <= len(ticks) <= 8
    assert labels == sorted(labels, key=int) and all(int(y) % 1000 == 0 for y in labels)


def test_a_year_before_1000_is_written_with_four_digits(tmp_path: Path) -> None:
    text = _edited(
        "      phase: now\n", "      phase: now\n      start: 0001-01-01\n      end: 0001-01-31\n"
    )
    outcome = validate_and_build(tmp_path, text.encode())
    assert outcome.built
    ics = (tmp_path / SITE_FOLDER / export.ROADMAP_ICS).read_bytes()
    assert b"DTSTART;VALUE=DATE:00010101\r\n" in ics
    assert b"DTEND;VALUE=DATE:00010201\r\n" in ics
    (event,) = icalendar.Calendar.from_ical(ics).walk("VEVENT")
    assert not event.errors and event.decoded("DTSTART") == dt.date(1, 1, 1)


def test_the_largest_numbers_are_shown_exactly(tmp_path: Path) -> None:
    """At the bounds, every output shows the number as written: the site, the CSV file
    and the JSON, none rounded to six digits."""
    text = _edited(
        "    measured_by: [churn]\n",
        "    measured_by: [churn]\n    votes: 999999999999999\n    score:\n      method: rice\n"
        "      reach: 1000000000000000\n      impact: 3\n      confidence: 100\n"
        "      effort: 0.1\n",
    ).replace("    direction: decrease\n", "    direction: decrease\n    baseline: 1234567.25\n")
    outcome = validate_and_build(tmp_path, text.encode())
    assert outcome.built, [f.message for f in outcome.errors]
    page = (tmp_path / SITE_FOLDER / "workshops" / WORKSHOP_ID / "index.html").read_text("utf-8")
    assert "999999999999999 votes" in page
    assert "RICE <strong>30000000000000000</strong>" in page
    assert "1234567.25" in page
    rows = (tmp_path / SITE_FOLDER / export.table_file("priorities")).read_text("utf-8-sig")
    assert "1000000000000000" in rows and "30000000000000000" in rows
    document = json.loads((tmp_path / SITE_FOLDER / export.PLAYBOOK_JSON).read_text("utf-8"))
    content = document["workshops"][0]["content"]
    assert content["priorities"][0]["score"]["value"] == 3e16
    assert content["metrics"][0]["baseline"] == 1234567.25


def test_a_carriage_return_is_shown_not_obeyed(tmp_path: Path) -> None:
    """Text may hold a carriage return (a line break of old files); ``prepbook show`` and
    the diff write it as ``\\r``, so a terminal never goes back over what they printed."""
    text = _edited("title: Minimal workshop", 'title: "Harmless\\rEvil"')
    outcome = run_everything(text.encode())
    assert outcome.built
    write_project(tmp_path, text.encode())
    shown = cli(tmp_path, "show", str(tmp_path / "workshops" / f"{WORKSHOP_ID}.yaml"))
    assert "workshop mini title: Harmless\\rEvil\n" in shown


@pytest.mark.parametrize("filler", ["\u6f22", "\U0001f4a5"])
def test_wide_characters_wrap_at_their_width(filler: str) -> None:
    """A label of Chinese characters or emoji (each about twice as wide as a Latin
    letter) wraps into lines half as long, so it stays in the label column of the timeline
    rather than running over the bars."""
    data = Change(SITE_BY_PATH[(STEPS, Step)], (("title", filler * 200),)).data()
    workshop = Workshop.model_validate(data)
    figure = timeline.workshop_timeline(workshop, lambda step: f"#{step.id}")
    picture = ET.fromstring(SVG.findall(figure)[0])
    lines = [
        span.text or ""
        for span in picture.iter("{http://www.w3.org/2000/svg}tspan")
        if filler in (span.text or "")
    ]
    most = int((timeline.LABEL_WIDTH - 30) // svg.CHAR_WIDTH)  # of Latin letters a line
    assert "".join(line.rstrip("-") for line in lines) == filler * 200  # nothing lost
    assert all(len(line.rstrip("-")) <= most // 2 for line in lines), [len(x) for x in lines]


def test_roadmaps_across_ten_thousand_years_are_summarised() -> None:
    """Past the lanes one picture can hold, the roadmaps are summarised by period: across
    the whole calendar, in at most MAX_PERIODS periods of centuries, each named by its
    years, and none reaching before the year 1 or failing after 9999."""
    step = Step.model_validate({"id": "s", "title": "S", "milestone": True})
    whole = (MIN_DATE, MAX_DATE)
    lanes = [
        timeline.Lane(f"Organisation {i}", f"Workshop {i}", f"w{i}/", [(step, whole, "#s")])
        for i in range(timeline.MAX_LANES + 1)
    ]
    figure = timeline.lanes_timeline("pb-x", "All", lanes, "c", today=dt.date(2027, 1, 1))
    ET.fromstring(SVG.findall(figure)[0])
    rows = re.findall(r"<tr><td>([^<]*)</td>", figure)
    assert 2 <= len(rows) <= timeline.MAX_PERIODS
    assert rows[0].startswith("1\u2013") and rows[-1].endswith("\u20139999")
    assert "today (2027-01-01)" in figure


def test_every_bound_is_said_by_prepbook_validate(attack) -> None:
    """As a reviewer sees them: ``prepbook validate`` and ``mkdocs build`` run as commands
    on a file past every bound at once. Each value is a finding at its line that says the
    range it may take, the build refuses with the same findings, and the published site
    stays as it was."""
    text = (
        minimal("extremes")
        .replace("title: Minimal workshop", 'title: "Minimal \\x9b2J workshop"')
        .replace("    title: CRM data", '    title: "CRM \\u202eatad"')
        .replace("    direction: decrease\n", "    direction: decrease\n    target: 1e400\n")
        .replace(
            "    measured_by: [churn]\n",
            f"    measured_by: [churn]\n    votes: {BIG}\n    score:\n      method: rice\n"
            "      reach: 1000000000000001\n      impact: 1\n      confidence: 50\n"
            "      effort: 0.05\n",
        )
        .replace("      phase: now\n", "      phase: now\n      end: 9999-12-31\n")
    )
    result = attack("extremes-every-bound", {"extremes.yaml": text})
    assert result.validate.code == 1 and result.build.code == 1
    report = result.validate.out
    assert "Traceback" not in report + result.validate.err + result.build.err
    said = {
        'title: "Minimal': "expected: text without control characters",
        'title: "CRM': "expected: text without bidirectional embeddings, overrides or isolates",
        "target: 1e400": "expected: a number from -1,000,000,000,000,000 (-10^15) to "
        "1,000,000,000,000,000 (10^15)",
        "votes: 1000": "expected: a whole number from 0 to 1,000,000,000,000,000 (10^15)",
        "reach: 1000": "expected: a whole number from 0 to 1,000,000,000,000,000 (10^15)",
        "effort: 0.05": "expected: a number from 0.1 to 1,000",
        "end: 9999-12-31": "expected: a date from 0001-01-01 to 9999-12-30",
    }
    blocks = report.split("\n\n")
    for needle, expected in said.items():
        where = f"workshops/extremes.yaml:{_line(text, needle)}:"
        block = next((b for b in blocks if where in b), "")
        assert "error[PB103]" in block and expected in block, (needle, block or report)
    assert "7 errors" in report
    assert "nothing was built" in result.build.err
    assert result.site_after == result.site_before
