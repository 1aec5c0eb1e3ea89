"""Templates receive data, not code: every value in a template's context is text, a number,
a date, a collection of those, or a frozen dataclass of those. So an override template can
only lay out what a page shows, and cannot reach into the models, the graph or Python."""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from prepbook.build import check
from prepbook.config import Project, Settings
from prepbook.graph import Graph
from prepbook.render import links, site
from prepbook.render.markdown import Md
from tests.conftest import EXAMPLE_IDS, REPO

PLAIN = (str, int, float, bool, type(None), dt.date)


def offences(value: Any, where: str) -> list[str]:
    """Every value below ``value`` that a template context must not hold, with its path."""
    if isinstance(value, types.ModuleType):
        return [f"{where}: a module"]
    if isinstance(value, BaseModel):
        return [f"{where}: a pydantic model ({type(value).__name__})"]
    if isinstance(value, Graph):
        return [f"{where}: the graph"]
    if callable(value):
        return [f"{where}: a callable ({value!r:.60})"]
    if isinstance(value, PLAIN):
        return []
    if isinstance(value, list | tuple):
        return [o for i, item in enumerate(value) for o in offences(item, f"{where}[{i}]")]
    if isinstance(value, dict):
        found = []
        for key, item in value.items():
            found += offences(key, f"{where} key {key!r}")
            found += offences(item, f"{where}[{key!r}]")
        return found
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        cls = type(value)
        found = []
        if not cls.__dataclass_params__.frozen:  # type: ignore[attr-defined]
            found.append(f"{where}: {cls.__name__} is not frozen")
        computed = [
            name
            for name, member in vars(cls).items()
            if isinstance(member, property | types.FunctionType) and not name.startswith("__")
        ]
        if computed:
            found.append(f"{where}: {cls.__name__} computes {computed}")
        for f in dataclasses.fields(value):
            found += offences(getattr(value, f.name), f"{where}.{f.name}")
        return found
    return [f"{where}: {type(value).__name__} is not view data"]


@pytest.fixture(scope="module")
def contexts() -> dict[str, list[dict[str, Any]]]:
    """Each template's contexts while the example playbook renders, checks included (so the
    readiness sections have findings to show)."""
    seen: dict[str, list[dict[str, Any]]] = {}
    original = site._render

    def spy(env: Any, name: str, **context: Any) -> str:
        seen.setdefault(name, []).append(context)
        return original(env, name, **context)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(site, "_render", spy)
        checked = check(Project(Settings(), REPO))
        site.render_site(checked.playbook, checked.report)
    return seen


def test_every_template_gets_only_data(contexts: dict[str, list[dict[str, Any]]]) -> None:
    assert set(contexts) == {
        "portfolio.md.j2",
        "audit.md.j2",
        "audit_page.md.j2",
        "persofails.md.j2",
        "persofails_page.md.j2",
        "persofails_tag.md.j2",
        "roadmap.md.j2",
        "roadmap_page.md.j2",
        "workshop.md.j2",
        "person.md.j2",
        "people.md.j2",
        "kit.md.j2",
        "record.md.j2",
    }
    assert len(contexts["workshop.md.j2"]) == len(EXAMPLE_IDS)
    assert len(contexts["kit.md.j2"]) == len(contexts["record.md.j2"]) == len(EXAMPLE_IDS)
    found = [
        offence
        for name, calls in contexts.items()
        for context in calls
        for key, value in context.items()
        for offence in offences(value, f"{name}: {key}")
    ]
    assert found == []


def test_the_walk_catches_code() -> None:
    """The check above would see each kind of thing a template must not receive."""

    @dataclasses.dataclass(frozen=True)
    class Holder:
        inner: Any

    assert offences(Holder(links), "x") == ["x.inner: a module"]
    assert offences({"k": [len]}, "x")[0].startswith("x['k'][0]: a callable")
    assert offences((Settings(),), "x") == ["x[0]: a pydantic model (Settings)"]
    assert offences(Graph(), "x") == ["x: the graph"]
    assert offences([Path(".")], "x") == ["x[0]: PosixPath is not view data"]
    assert offences(Md("[a](b)"), "x") == []


def test_links_in_the_views_are_relative_to_their_page(
    contexts: dict[str, list[dict[str, Any]]],
) -> None:
    (portfolio,) = contexts["portfolio.md.j2"]
    assert portfolio["pages"].audit == links.AUDIT
    targets = {row.link.rsplit("(", 1)[1] for row in portfolio["workshops"]}
    assert targets == {f"{links.workshop_page(ws)})" for ws in EXAMPLE_IDS}
    for context in contexts["workshop.md.j2"]:
        assert context["pages"].portfolio == f"../{links.PORTFOLIO}"
        team = context["w"].team
        assert team and all(m.anchor.startswith('<span id="member-') for m in team)
