"""Rebuilds in ``mkdocs serve``: only changed files are parsed again, and reusing unchanged
pages gives exactly the pages a fresh render gives."""

from __future__ import annotations

import shutil
from pathlib import Path

from prepbook.build import validate
from prepbook.config import Settings
from prepbook.load.playbook import LoadCache
from prepbook.render import render_site
from prepbook.render.site import render_again
from tests.conftest import EXAMPLES


def _render(root: Path, cache: LoadCache, memo=None):
    playbook = validate(Settings(), root, cache=cache)
    changed = {
        ws
        for ws, loaded in playbook.workshops.items()
        if str(loaded.path.resolve()) in cache.changed
    }
    return render_again(playbook, previous=memo, changed=changed), changed


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
    fresh = render_site(validate(Settings(), tmp_path))
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
    assert again.pages == render_site(validate(Settings(), tmp_path))
    assert "harbor-bank" not in again.pages["workshops/northwind-retail.md"]


def test_changed_settings_render_everything(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLES, tmp_path / "workshops")
    cache = LoadCache()
    playbook = validate(Settings(), tmp_path, cache=cache)
    memo = render_again(playbook)
    strict = Settings(rules={"PB321": "error"})
    again = render_again(
        validate(strict, tmp_path, cache=cache), settings=strict, previous=memo, changed=set()
    )
    assert again.pages == render_site(validate(strict, tmp_path), settings=strict)
