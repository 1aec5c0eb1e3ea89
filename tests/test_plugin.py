"""The MkDocs plugin in real builds: it validates first and never costs the last good site,
which a new build replaces only once it is complete (see also tests/hostile/test_site_swap.py,
for builds that fail or are killed)."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort

from prepbook import site_swap
from tests.conftest import dated, minimal

MKDOCS_YML = """\
site_name: Test playbook
docs_dir: content
theme:
  name: material
  font: false
plugins:
  - search
  - prepbook:
      workshops: workshops
"""


def build(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        env=dated({"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1"}),
    )


def project(playbook, files: dict[str, str] | None = None, *, examples: bool = False) -> Path:
    root = playbook(files, examples=examples)
    (root / "mkdocs.yml").write_text(MKDOCS_YML)
    (root / "content").mkdir(exist_ok=True)
    (root / "content" / "index.md").write_text("# Home\n")
    return root


def snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_builds_with_the_examples(playbook) -> None:
    root = project(playbook, examples=True)
    done = build(root, "--strict")
    assert done.returncode == 0, done.stderr
    assert (root / "site" / "index.html").is_file()


def test_a_broken_workshop_stops_the_build_and_keeps_the_site(playbook) -> None:
    root = project(playbook, {"mini.yaml": minimal()})
    assert build(root).returncode == 0
    before = snapshot(root / "site")
    assert before
    text = minimal().replace("requires: [crm]", "requires: [crn]")
    line = text.splitlines().index("    requires: [crn]") + 1
    (root / "workshops" / "mini.yaml").write_text(text)
    (root / "content" / "index.md").write_text("# Home, edited\n")
    done = build(root)
    assert done.returncode == 1
    assert f"workshops/mini.yaml:{line}:16" in done.stderr
    assert "error[PB204]: no audited asset has the id 'crn'" in done.stderr
    assert "Traceback" not in done.stderr
    assert snapshot(root / "site") == before


def test_warnings_go_through_the_logger_and_fail_strict(playbook) -> None:
    root = project(playbook, {"mini.yaml": minimal().replace("decider: dan\n", "")})
    relaxed = build(root)
    assert relaxed.returncode == 0
    assert "WARNING" in relaxed.stderr and "PB302" in relaxed.stderr
    assert build(root, "--strict").returncode == 1


# Notes, at the end of the build but before prepbook's swap, where MkDocs writes and what
# the site folder the test names in the file probe-site holds meanwhile.
PROBE = """\
import json
from pathlib import Path

HERE = Path(__file__).parent


def on_post_build(config):
    site = HERE / (HERE / "probe-site").read_text()
    listing = sorted(p.relative_to(site).as_posix() for p in site.rglob("*"))
    seen = {"site_dir": config.site_dir, "site": listing}
    (HERE / "probe.json").write_text(json.dumps(seen))
"""


def probed(playbook, site: str = "site", *args: str, yml: str = MKDOCS_YML) -> Path:
    """A project whose site is built once, then given a stale file and a hidden folder (as
    a clone of the published branch would be), with a workshop added since."""
    root = project(playbook, {"mini.yaml": minimal()})
    (root / "mkdocs.yml").write_text(yml + "hooks:\n  - probe.py\n")
    (root / "probe.py").write_text(PROBE)
    (root / "probe-site").write_text(site)
    assert build(root, *args).returncode == 0
    (root / site / "stale.html").write_text("from an older build")
    (root / site / ".git").mkdir()
    (root / site / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n")
    (root / "workshops" / "added.yaml").write_text(minimal("added"))
    return root


def seen(root: Path) -> dict[str, object]:
    return json.loads((root / "probe.json").read_text())  # type: ignore[no-any-return]


def beside(site: Path) -> list[str]:
    """The hidden folders a build left next to the site folder."""
    return sorted(p.name for p in site.parent.glob(f".{site.name}.*"))


ADDED = "playbook/workshops/added/index.html"


def test_the_new_site_replaces_the_old_only_once_complete(playbook) -> None:
    root = probed(playbook)
    site = root / "site"
    done = build(root)
    assert done.returncode == 0, done.stderr
    during = seen(root)
    # until the end, the old site stood as it was, and MkDocs wrote beside it
    assert "stale.html" in during["site"] and ADDED not in during["site"]
    assert Path(str(during["site_dir"])).parent == root.resolve()
    assert Path(str(during["site_dir"])).name.startswith(".site.building-")
    # then the new one took its place, whole: nothing of the old but the hidden entries,
    # which MkDocs' clean keeps too
    assert (site / ADDED).is_file() and not (site / "stale.html").exists()
    assert (site / ".git" / "HEAD").read_text() == "ref: refs/heads/gh-pages\n"
    assert beside(site) == []


def test_a_dirty_build_starts_from_a_copy_of_the_site(playbook) -> None:
    root = probed(playbook)
    site = root / "site"
    # a theme file the dirty build must leave alone: newer than its source, and marked
    asset = next((site / "assets" / "javascripts").glob("bundle.*.min.js"))
    asset.write_text("// as the last build left it\n")
    later = asset.stat().st_mtime + 86_400
    os.utime(asset, (later, later))
    done = build(root, "--dirty")
    assert done.returncode == 0, done.stderr
    assert ADDED not in seen(root)["site"]  # written beside the site, not into it
    assert (site / ADDED).is_file()
    assert (site / "stale.html").is_file()  # a dirty build removes nothing
    assert asset.read_text() == "// as the last build left it\n"
    assert asset.stat().st_mtime == later
    assert (site / ".git" / "HEAD").is_file()
    assert beside(site) == []


@pytest.mark.parametrize("how", ["mkdocs.yml", "--site-dir"])
def test_a_site_dir_elsewhere_is_swapped_beside_itself(playbook, how: str) -> None:
    if how == "mkdocs.yml":
        root = probed(playbook, "public/www", yml=MKDOCS_YML + "site_dir: public/www\n")
        args: tuple[str, ...] = ()
    else:
        args = ("--site-dir", "public/www")
        root = probed(playbook, "public/www", *args)
        assert not (root / "site").exists()
    site = root / "public" / "www"
    done = build(root, *args)
    assert done.returncode == 0, done.stderr
    during = seen(root)
    assert "stale.html" in during["site"]
    assert Path(str(during["site_dir"])).parent == site.parent.resolve()
    assert (site / ADDED).is_file() and not (site / "stale.html").exists()
    assert beside(site) == [] and not (root / "site").exists()


def fresh_build(root: Path, *, strict: bool = False, startup: bool = True) -> MkDocsConfig:
    """Build in this process, as ``mkdocs gh-deploy`` does before it reads site_dir."""
    MkDocsConfig.plugins.plugin_cache.clear()  # type: ignore[attr-defined]
    config = load_config(config_file=str(root / "mkdocs.yml"), strict=strict)
    if startup:
        config.plugins.on_startup(command="gh-deploy", dirty=False)
    mkdocs_build(config)
    return config


@pytest.mark.parametrize("startup", [True, False], ids=["gh-deploy", "no on_startup"])
def test_site_dir_names_the_site_again_after_the_build(playbook, startup: bool) -> None:
    """``mkdocs gh-deploy`` publishes ``config.site_dir`` once ``build()`` returns; a
    program that calls ``build()`` without the startup event gets the same."""
    root = probed(playbook)
    config = fresh_build(root, startup=startup)
    assert seen(root)["site_dir"] != str(root / "site")  # the build wrote elsewhere
    assert config.site_dir == str(root / "site")
    assert (root / "site" / ADDED).is_file()
    assert not (root / "site" / "stale.html").exists()
    assert beside(root / "site") == []


def test_without_an_exchange_two_renames_replace_the_site(
    playbook, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the folders cannot be exchanged in one step (another system, a filesystem
    without it), the site folder is renamed aside and the new one renamed in."""
    root = probed(playbook)
    monkeypatch.setattr(site_swap, "exchange", lambda first, second: False)
    config = fresh_build(root)
    site = Path(config.site_dir)
    assert site == root / "site"
    assert (site / ADDED).is_file() and not (site / "stale.html").exists()
    assert (site / ".git" / "HEAD").is_file()
    assert beside(site) == []


def mounted(monkeypatch: pytest.MonkeyPatch, site: Path) -> None:
    """Make ``site`` look like a mount point, as a volume mounted there is."""
    real = os.path.ismount
    monkeypatch.setattr(os.path, "ismount", lambda path: Path(path) == site or real(path))


def busy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Refuse renames of the site folder as a bind mount does, which ismount misses."""

    def refuse(first: Path, second: Path) -> bool:
        raise OSError(errno.EBUSY, os.strerror(errno.EBUSY), str(first), None, str(second))

    monkeypatch.setattr(site_swap, "exchange", refuse)


@pytest.mark.parametrize("why", [mounted, busy], ids=["mount point", "rename refused"])
def test_a_site_that_cannot_be_renamed_is_replaced_in_place_with_a_warning(
    playbook, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, why
) -> None:
    root = probed(playbook)
    site = root / "site"
    if why is mounted:
        mounted(monkeypatch, site)
    else:
        busy(monkeypatch)
    fresh_build(root)
    assert "its contents" in caplog.text and "replaced in place" in caplog.text
    assert (site / ADDED).is_file() and not (site / "stale.html").exists()
    assert (site / ".git" / "HEAD").is_file()
    assert beside(site) == []


@pytest.mark.parametrize("why", [mounted, busy], ids=["mount point", "rename refused"])
def test_in_strict_mode_a_site_that_cannot_be_renamed_stays_as_it_was(
    playbook, monkeypatch: pytest.MonkeyPatch, why
) -> None:
    root = probed(playbook)
    site = root / "site"
    before = snapshot(site)
    if why is mounted:
        mounted(monkeypatch, site)
    else:
        busy(monkeypatch)
    with pytest.raises(Abort):
        fresh_build(root, strict=True)
    assert snapshot(site) == before
    assert beside(site) == []


def test_the_plugin_holds_one_object_and_hands_it_each_event() -> None:
    """A build's state (settings, pages, exports, the spill folder, the serve state) lives in
    one SiteBuild; the plugin has nothing else, and each of its methods is one of MkDocs'
    events (or its load_config) of a line or two that hands the event over."""
    import ast
    import inspect
    import textwrap

    from mkdocs.plugins import EVENTS, CombinedEvent

    from prepbook.plugin import PrepbookPlugin
    from prepbook.site_build import SiteBuild

    plugin = PrepbookPlugin()
    assert list(vars(plugin)) == ["site"] and isinstance(plugin.site, SiteBuild)
    plugin.load_config({"page_rows": 20})
    assert sorted(vars(plugin)) == ["config", "site"]  # MkDocs' own, set by load_config
    assert plugin.site.settings is not None and plugin.site.settings.page_rows == 20

    members = vars(PrepbookPlugin)
    parts = {m for c in members.values() if isinstance(c, CombinedEvent) for m in c.methods}
    methods = {m.__name__: m for m in parts}
    for name, member in members.items():
        if isinstance(member, CombinedEvent):
            assert name.removeprefix("on_") in EVENTS, name
        elif inspect.isfunction(member) and member not in parts and name != "__init__":
            assert name.removeprefix("on_") in EVENTS or name == "load_config", name
            methods[name] = member
    assert {"on_files", "on_page_markdown", "on_serve", "_on_config"} <= set(methods)
    for name, method in methods.items():
        tree = ast.parse(textwrap.dedent(inspect.getsource(inspect.unwrap(method))))
        body = tree.body[0].body  # type: ignore[attr-defined]
        if isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            body = body[1:]  # the docstring
        assert len(body) <= 3, f"{name} does more than hand the event over"
        # what it does is the state object's: each event names self.site
        assert "self.site" in ast.unparse(tree), name
