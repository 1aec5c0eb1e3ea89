"""Rebuilds in ``mkdocs serve``: only changed files are parsed again, and reusing unchanged
pages gives exactly the pages a fresh render gives."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from bench.synthetic import write_playbook
from prepbook.build import build, check, playbook_history
from prepbook.config import Project, Settings
from prepbook.load.playbook import LoadCache
from prepbook.render import links
from prepbook.render.site import render_site
from tests.conftest import EXAMPLES


def _render(root: Path, cache: LoadCache, memo=None, settings: Settings | None = None):
    """A rebuild as ``mkdocs serve`` asks for one: with the load cache and the last render."""
    built = build(Project(settings or Settings(), root), root / "out", cache=cache, previous=memo)
    assert built.rendered is not None
    return built.rendered, {Path(p).stem for p in cache.changed}


def _fresh(root: Path, settings: Settings | None = None) -> dict[str, str]:
    project = Project(settings or Settings(), root)
    checked = check(project)
    history = playbook_history(project)
    return render_site(
        checked.playbook, checked.report, settings=project.settings, history=history
    ).pages


def test_rebuild_reuses_only_what_is_unaffected(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLES, tmp_path / "workshops")
    cache = LoadCache()
    memo, changed = _render(tmp_path, cache)
    assert len(changed) == 3
    # retitle a step that another workshop depends on: its backlink there must change too
    retail = tmp_path / "workshops" / "northwind-retail.yaml"
    retail.write_text(
        retail.read_text().replace(
            "title: Pilot review with customer support", "title: Pilot review, renamed"
        )
    )
    again, changed = _render(tmp_path, cache, memo)
    assert changed == {"northwind-retail"}  # the one file parsed again
    fresh = _fresh(tmp_path)
    assert again.pages == fresh
    assert "Pilot review, renamed" in again.pages["workshops/harbor-bank.md"]
    assert (
        again.pages["workshops/cadenza-streaming.md"]
        is memo.pages["workshops/cadenza-streaming.md"]
    )  # unaffected: reused, not rendered again


def test_removed_workshop_refreshes_its_neighbours(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLES, tmp_path / "workshops")
    cache = LoadCache()
    memo, _ = _render(tmp_path, cache)
    (tmp_path / "workshops" / "harbor-bank.yaml").unlink()
    again, _ = _render(tmp_path, cache, memo)
    assert again.pages == _fresh(tmp_path)
    assert "harbor-bank" not in again.pages["workshops/northwind-retail.md"]


def test_changed_settings_render_everything(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLES, tmp_path / "workshops")
    cache = LoadCache()
    memo, _ = _render(tmp_path, cache)
    strict = Settings(rules={"PB321": "error"})
    again, changed = _render(tmp_path, cache, memo, strict)
    assert changed == set()
    assert again.pages == _fresh(tmp_path, strict)


def test_a_rebuild_keeps_the_graph_parts_of_unchanged_files(tmp_path: Path) -> None:
    """The graph of a rebuild, made from the kept parts of the unchanged files, is the
    graph a fresh load makes: the same edges, and the same references left unresolved."""
    shutil.copytree(EXAMPLES, tmp_path / "workshops")
    project = Project(Settings(), tmp_path)
    cache = LoadCache()
    first = check(project, cache=cache).playbook
    kept = {ws_id: part for ws_id, (_, part) in _parts(cache).items()}
    retail = tmp_path / "workshops" / "northwind-retail.yaml"
    text = retail.read_text()
    # a step of another workshop depends on this one: renaming it leaves that reference,
    # in a file that did not change, unresolved
    retail.write_text(text.replace("id: post-launch-review", "id: launch-review", 1))
    again = check(project, cache=cache).playbook
    parts = _parts(cache)
    assert parts["northwind-retail"][1] is not kept["northwind-retail"]
    assert all(parts[w][1] is kept[w] for w in parts if w != "northwind-retail")
    fresh = check(project).playbook
    assert _edges(again) == _edges(fresh) != _edges(first)
    unresolved = [(w, r.path) for w, r in again.graph.unresolved]
    assert unresolved == [(w, r.path) for w, r in fresh.graph.unresolved]
    assert any(w == "harbor-bank" for w, _ in unresolved)


def _parts(cache: LoadCache) -> dict[str, tuple[object, object]]:
    return {model.id: (model, part) for model, part in cache.fragments.values()}


def _edges(playbook) -> list[tuple[object, ...]]:
    return sorted(
        (e.source or ("", ""), e.field, e.target, e.path)
        for edges in playbook.graph.outgoing.values()
        for e in edges
    )


def _synthetic(root: Path, n: int = 24) -> tuple[Settings, dict[str, Path]]:
    """A playbook of ``n`` synthetic workshops, most depending on a step of another, with
    section pages of a few rows: many pages that an edit leaves as they were."""
    files = write_playbook(root, n)
    return Settings(page_rows=6), {path.stem: path for path in files}


def _unrelated(memo, edited: str) -> str:
    """A workshop that neither links to ``edited`` nor is linked from it."""
    near = memo.links.get(edited, set())
    return next(w for w in sorted(memo.workshops) if w != edited and w not in near)


def test_people_pages_are_kept_unless_an_edit_can_change_them(tmp_path: Path) -> None:
    """A person's page, and a page of the index of people, is kept when the edit cannot
    reach the workshops of the people it shows; a rebuild still equals a fresh render,
    when a renamed team member joins the person of another workshop, and when one leaves."""
    settings, files = _synthetic(tmp_path)
    cache = LoadCache()
    memo, _ = _render(tmp_path, cache, settings=settings)
    edited = sorted(files)[len(files) // 2]
    far = _unrelated(memo, edited)
    text = files[edited].read_text()
    files[edited].write_text(text.replace("title: ", "title: Renamed ", 1))
    again, changed = _render(tmp_path, cache, memo, settings)
    assert changed == {edited}
    assert again.pages == _fresh(tmp_path, settings)
    kept = links.person_page(f"Member 0 of {far}")
    assert again.pages[kept] is memo.pages[kept]  # reused, not rendered again
    mine = links.person_page(f"Member 0 of {edited}")
    assert again.pages[mine] is not memo.pages[mine]
    index = [p for p in again.pages if p.startswith("people/all/")]
    assert any(again.pages[p] is memo.pages[p] for p in index)
    # a team member of the edited workshop renamed as a person of the far one: that
    # person's page, in no workshop the edit links to, lists both workshops now
    joined = text.replace(f"name: Member 1 of {edited}", f"name: Member 0 of {far}", 1)
    assert joined != text
    files[edited].write_text(joined)
    third, _ = _render(tmp_path, cache, again, settings)
    assert third.pages == _fresh(tmp_path, settings)
    assert edited in third.pages[kept]
    # and renamed back: the far workshop's person is on one team again
    files[edited].write_text(text)
    fourth, _ = _render(tmp_path, cache, third, settings)
    assert fourth.pages == _fresh(tmp_path, settings)
    assert edited not in fourth.pages[kept]


def _chain(files: dict[str, Path], memo) -> tuple[str, str, str, str]:
    """Three workshops of one organisation, none linked to another, chained so that a
    delivering step of the first depends on a step of the second, which depends on a step
    of the third: the first's delivery status follows the third, two workshops away. The
    files are rewritten; returns the three ids and the third's step."""
    ids = sorted(files)
    data = {w: yaml.safe_load(files[w].read_text()) for w in ids}

    def open_steps(w: str, delivering: bool = False) -> list[dict[str, object]]:
        steps = data[w]["roadmap"]["steps"]
        return [
            s
            for s in steps
            if s["status"] not in ("done", "blocked") and (s.get("delivers") or not delivering)
        ]

    first = next(w for w in ids if open_steps(w, delivering=True))
    chosen = [first]
    for _ in range(2):
        near = set().union(*(memo.links.get(w, set()) | {w} for w in chosen))
        chosen.append(next(w for w in ids if w not in near and open_steps(w)))
    first, second, third = chosen
    head, middle, last = (
        open_steps(first, True)[0],
        open_steps(second)[0],
        open_steps(third)[0],
    )
    head.setdefault("depends_on", []).append(f"{second}/{middle['id']}")
    middle.setdefault("depends_on", []).append(f"{third}/{last['id']}")
    for step in (middle, last):  # undated: no rule compares their dates with the others'
        for key in ("start", "end", "phase"):
            step.pop(key, None)
    for w in (second, third):
        data[w]["organisation"] = data[first]["organisation"]
    for w in chosen:
        files[w].write_text(yaml.safe_dump(data[w], sort_keys=False))
    return first, second, third, str(last["id"])


def test_a_delivery_status_two_workshops_away_is_rendered_again(tmp_path: Path) -> None:
    """A step blocked in one workshop blocks a priority of another that waits for it
    through a step of a third: the page of that priority's workshop, which links to
    neither edited file, is made again, and the rebuild equals a fresh render."""
    settings, files = _synthetic(tmp_path, 60)
    cache = LoadCache()
    memo, _ = _render(tmp_path, cache, settings=settings)
    first, _, third, step = _chain(files, memo)
    memo, _ = _render(tmp_path, cache, memo, settings)
    page = links.workshop_page(first)
    text = files[third].read_text()
    at = text.index(f"id: {step}\n")
    status = text.index("status: ", at)
    end = text.index("\n", status)
    files[third].write_text(text[:status] + "status: blocked" + text[end:])
    again, changed = _render(tmp_path, cache, memo, settings)
    assert changed == {third}
    assert first not in again.links.get(third, set())
    assert again.pages[page] != memo.pages[page]
    assert again.pages == _fresh(tmp_path, settings)


def test_a_second_workshop_of_an_organisation_renames_the_first_everywhere(
    tmp_path: Path,
) -> None:
    """Another page names a workshop by its organisation, and by its title too once that
    organisation ran several: an edit that gives a workshop the organisation of another,
    which it does not link to, changes how the pages linked to that other one name it."""
    settings, files = _synthetic(tmp_path, 40)
    cache = LoadCache()
    memo, _ = _render(tmp_path, cache, settings=settings)
    ids = sorted(files)
    other = next(w for w in ids if memo.links.get(w))
    near = memo.links[other] | {other}
    edited = next(w for w in ids if w not in near and not memo.links.get(w, set()) & near)
    data = yaml.safe_load(files[other].read_text())
    text = files[edited].read_text()
    at = text.index("\norganisation: ") + 1
    end = text.index("\n", at)
    files[edited].write_text(f"{text[:at]}organisation: {data['organisation']}{text[end:]}")
    again, changed = _render(tmp_path, cache, memo, settings)
    assert changed == {edited}
    pages = [links.workshop_page(w) for w in sorted(memo.links[other])]
    assert any(again.pages[p] != memo.pages[p] for p in pages)
    assert again.pages == _fresh(tmp_path, settings)
