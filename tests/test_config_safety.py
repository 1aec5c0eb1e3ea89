"""The command line reads mkdocs.yml with a safe loader; the options that result are the
ones MkDocs' own loader gives, for every tag and key MkDocs itself understands."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from mkdocs.utils import yaml as mkdocs_yaml

from prepbook import mkdocs_options
from prepbook.config import Project
from prepbook.mkdocs_options import read_project
from prepbook.mkdocs_yaml import Tagged
from tests.conftest import dated, minimal

HEAD = "site_name: Same either way\ndocs_dir: content\n"

CONFIGS: dict[str, tuple[str, dict[str, str]]] = {
    "plain-options": (
        HEAD
        + "site_url: https://example.org/playbook/\nuse_directory_urls: false\n"
        + "plugins:\n  - search\n  - prepbook:\n      workshops: plays\n      page_rows: 20\n"
        + "      rules: {PB321: off, team-functions: error}\n      history_since: 2026-01-01\n",
        {},
    ),
    "env-set-and-unset": (
        HEAD
        + "plugins:\n  - prepbook:\n      history: !ENV [PREPBOOK_TEST_HISTORY, 7]\n"
        + "      max_committed_priorities: !ENV [PREPBOOK_TEST_UNSET, 3]\n"
        + "      output: !ENV PREPBOOK_TEST_OUTPUT\n",
        {"PREPBOOK_TEST_HISTORY": "12", "PREPBOOK_TEST_OUTPUT": "generated"},
    ),
    "env-boolean-for-offline": (
        HEAD + "plugins:\n  - prepbook\n  - offline:\n      enabled: !ENV [OFFLINE, false]\n",
        {"OFFLINE": "true"},
    ),
    "relative-to-the-config": (
        HEAD + "plugins:\n  - prepbook:\n      workshops: !relative $config_dir/plays\n",
        {},
    ),
    "material-emoji-extension": (
        HEAD
        + "plugins:\n  - prepbook:\n      slip_days: 30\n"
        + "markdown_extensions:\n  - pymdownx.emoji:\n"
        + "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        + "      emoji_generator: !!python/name:material.extensions.emoji.to_svg\n",
        {},
    ),
    "inherit-a-base": (HEAD + "INHERIT: base/common.yml\n", {}),
    "inherit-and-override": (
        HEAD + "INHERIT: base/common.yml\nplugins:\n  - prepbook:\n      page_rows: 40\n",
        {},
    ),
    "dates-in-options": (
        HEAD + "plugins:\n  - prepbook:\n      history_since: 2025-12-31\n      history: 0\n",
        {},
    ),
}
BASE = (
    "plugins:\n  - search\n  - prepbook:\n      workshops: plays\n      high_risk_score: 12\n"
    "repo_url: https://example.org/repo\nedit_uri: edit/main/content/\n"
)


def _full_loader(path: Path, config: object) -> dict[str, object]:
    """What MkDocs' own loader (PyYAML's full loader) makes of the file."""
    with open(path, "rb") as stream:
        loaded: dict[str, object] = mkdocs_yaml.yaml_load(
            stream, mkdocs_yaml.get_yaml_loader(config=config)
        )
    return loaded


def _fields(project: Project) -> tuple[object, ...]:
    return (
        project.settings,
        project.settings.model_fields_set,
        project.root,
        project.docs_dir,
        project.site_url,
        project.use_directory_urls,
    )


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_the_safe_loader_gives_the_options_mkdocs_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    text, env = CONFIGS[name]
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("PREPBOOK_TEST_UNSET", raising=False)
    (tmp_path / "base").mkdir()
    (tmp_path / "base" / "common.yml").write_text(BASE)
    (tmp_path / "content").mkdir()
    (tmp_path / "plays").mkdir()
    config = tmp_path / "mkdocs.yml"
    config.write_text(text)
    safe = read_project(config)
    monkeypatch.setattr(mkdocs_options, "read_config", _full_loader)
    assert _fields(safe) == _fields(read_project(config))


def test_what_the_options_hold(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The comparison above compares something: the values are the ones written."""
    monkeypatch.setenv("PREPBOOK_TEST_HISTORY", "12")
    monkeypatch.setenv("PREPBOOK_TEST_OUTPUT", "generated")
    monkeypatch.delenv("PREPBOOK_TEST_UNSET", raising=False)
    (tmp_path / "content").mkdir()
    config = tmp_path / "mkdocs.yml"
    config.write_text(CONFIGS["env-set-and-unset"][0])
    settings = read_project(config).settings
    assert (settings.history, settings.max_committed_priorities, settings.output) == (
        12,
        3,
        "generated",
    )
    (tmp_path / "base").mkdir()
    (tmp_path / "base" / "common.yml").write_text(BASE)
    config.write_text(CONFIGS["inherit-and-override"][0])
    project = read_project(config)
    # lists are replaced, not merged, as MkDocs merges INHERIT: the child's plugins win
    assert (project.settings.page_rows, project.settings.workshops) == (40, "workshops")
    config.write_text(CONFIGS["dates-in-options"][0])
    assert read_project(config).settings.history_since == dt.date(2025, 12, 31)


def test_a_tag_it_does_not_run_is_kept_as_written(tmp_path: Path) -> None:
    from mkdocs.config.defaults import MkDocsConfig

    from prepbook.mkdocs_yaml import read_config

    config = tmp_path / "mkdocs.yml"
    config.write_text('x: !!python/object/apply:os.system ["true"]\ny: !custom {a: 1}\n')
    data = read_config(config, MkDocsConfig(config_file_path=str(config)))
    assert isinstance(data["x"], Tagged) and data["x"].value == ["true"]
    assert str(data["x"]) == "!!python/object/apply:os.system ['true']"
    assert isinstance(data["y"], Tagged) and data["y"].tag == "!custom"
    assert data["y"].value == {"a": 1}


# What a run of the command line must not import to read mkdocs.yml: the plugin, and what
# only a build under MkDocs needs (the live preview, the site's swap, MkDocs' server).
BUILD_ONLY = ("prepbook.plugin", "prepbook.serve", "prepbook.site_swap", "mkdocs.livereload")


def test_the_command_line_reads_the_options_without_the_plugin(tmp_path: Path) -> None:
    """The plugin's options are validated by the plugin's option classes, as MkDocs would
    validate them, but without the plugin, which brings the build under MkDocs with it."""
    (tmp_path / "workshops").mkdir()
    (tmp_path / "workshops" / "mini.yaml").write_text(minimal(), encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Options\nplugins:\n  - prepbook:\n      page_rows: 20\n      slip_days: 3\n",
        encoding="utf-8",
    )
    probe = (
        "import sys\n"
        "from prepbook.cli import main\n"
        "status = main(['validate', '-q'])\n"
        f"loaded = sorted(m for m in sys.modules if m.startswith({BUILD_ONLY!r}))\n"
        "from pathlib import Path\n"
        "from prepbook.mkdocs_options import read_project\n"
        "settings = read_project(Path('mkdocs.yml')).settings\n"
        "print(status, settings.page_rows, settings.slip_days, loaded, file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env=dated(dict(os.environ)),
    )
    assert done.stderr.strip().splitlines()[-1] == "0 20 3 []", done.stderr
