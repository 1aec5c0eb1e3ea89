"""The plugin's options are declared once, and ``mkdocs build``, ``mkdocs serve``,
ProperDocs and every command of the CLI read them the same way (the CLI through a safe loader
that gives the options MkDocs' loader gives: see tests/test_config_safety.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from prepbook.config import Settings
from tests.conftest import dated, minimal
from tests.serving import free_port, mkdocs_serve
from tests.test_engines import tool
from tests.test_site import ENV

HEAD = "site_name: Test playbook\ndocs_dir: content\ntheme:\n  name: material\n  font: false\n"

# One bad value in each of two different options, and what the message must say.
BAD_OPTIONS = {
    "high_risk_score": (
        "high_risk_score: 40",
        ["'high_risk_score'", "40 given in mkdocs.yml", "expected a whole number from 1 to 25"],
    ),
    "rules": (
        "rules: {PB999: off}",
        ["'rules'", "given in mkdocs.yml", "PB999 is unknown", "error, warning, info, off"],
    ),
    "theme_search_index": (
        "theme_search_index: 'yes'",
        ["'theme_search_index'", "'yes' given in mkdocs.yml", "expected true or false"],
    ),
    "tracker_sources": (
        "tracker_sources: {../out.json: 'github:acme/web'}",
        ["'tracker_sources'", "an export's file in the trackers folder", "no '..'"],
    ),
}

# A command line for each CLI command, as a user would type it in the project.
COMMANDS = {
    "validate": ["validate"],
    "generate": ["generate", "--out", "out"],
    "diff": ["diff"],
    "schema": ["schema"],
    "docs": ["docs", "--check"],
    "new": ["new", "fresh"],
    "show": ["show", "workshops/mini.yaml"],
    "fetch": ["fetch"],
}


def site(root: Path, config: str, *, workshops: str = "workshops") -> Path:
    """A project in ``root``: mkdocs.yml as given, a home page, one workshop."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "mkdocs.yml").write_text(HEAD + config)
    (root / "content").mkdir(exist_ok=True)
    (root / "content" / "index.md").write_text("# Home\n")
    (root / workshops).mkdir(exist_ok=True)
    (root / workshops / "mini.yaml").write_text(minimal())
    return root


def prepbook_options(*lines: str) -> str:
    return "plugins:\n  - prepbook:\n" + "".join(f"      {line}\n" for line in lines)


def _module(
    name: str, root: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", name, *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        env=dated({**ENV, **(env or {})}),
    )


def mkdocs(
    root: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return _module("mkdocs", root, *args, env=env)


def prepbook(
    root: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return _module("prepbook", root, *args, env=env)


@pytest.mark.parametrize("option", sorted(BAD_OPTIONS))
def test_a_bad_option_stops_mkdocs_build_cleanly(tmp_path: Path, option: str) -> None:
    line, expected = BAD_OPTIONS[option]
    root = site(tmp_path, prepbook_options(line))
    done = mkdocs(root, "build")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and "pydantic" not in done.stderr
    for text in expected:
        assert text in done.stderr, done.stderr
    assert not (root / "site").exists()


@pytest.mark.parametrize("option", sorted(BAD_OPTIONS))
def test_a_bad_option_stops_properdocs_cleanly(tmp_path: Path, option: str) -> None:
    line, expected = BAD_OPTIONS[option]
    root = site(tmp_path, prepbook_options(line))
    done = subprocess.run(
        [tool("properdocs"), "build", "-f", "mkdocs.yml"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        env=dated(ENV),
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    for text in expected:
        assert text in done.stderr, done.stderr


def test_a_bad_option_stops_mkdocs_serve_cleanly(tmp_path: Path) -> None:
    line, expected = BAD_OPTIONS["high_risk_score"]
    root = site(tmp_path, prepbook_options(line))
    with mkdocs_serve(root, free_port(), dated(ENV)) as server:
        server.process.wait(timeout=120)  # it stops by itself, on the bad option
    err = server.log
    assert server.process.returncode not in (0, None)
    assert "Traceback" not in err
    for text in expected:
        assert text in err, err


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("option", sorted(BAD_OPTIONS))
def test_a_bad_option_is_a_usage_error_for_every_command(
    tmp_path: Path, command: str, option: str
) -> None:
    line, expected = BAD_OPTIONS[option]
    root = site(tmp_path, prepbook_options(line))
    done = prepbook(root, *COMMANDS[command])
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    assert done.stderr.startswith(f"prepbook {command}: ")
    for text in expected:
        assert text in done.stderr, done.stderr
    assert not (root / "out").exists() and not (root / "workshops" / "fresh.yaml").exists()


def test_every_option_is_accepted_by_the_build_and_the_cli(tmp_path: Path) -> None:
    values = {
        "workshops": "plays",
        "templates": "tpl",
        "trackers": "exports",
        "output": "book",
        "max_file_bytes": 200000,
        "rules": "{missing-role: off, PB303: info}",
        "max_committed_priorities": 3,
        "high_risk_score": 12,
        "stale_reading_days": 30,
        "slip_days": 30,
        "ship_major_days": 60,
        "score_minor_share": 5,
        "score_major_share": 50,
        "diff_levels": "{target-eased: major, text-edited: minor}",
        "tracker_states": "{QA: doing, 'Ready for release': done}",
        "tracker_stale_days": 30,
        "tracker_sources": "{issues.json: 'github:acme/web', board.json: 'github-project:acme/3'}",
        "tracker_fetch_limit": 500,
        "history": 10,
        "history_since": "2026-01-01",
        "page_rows": 50,
        "theme_search_index": "true",
    }
    assert set(values) == set(Settings.model_fields)  # a new option is added here too
    root = site(
        tmp_path, prepbook_options(*(f"{k}: {v}" for k, v in values.items())), workshops="plays"
    )
    (root / "tpl").mkdir()
    (root / "exports").mkdir()
    (root / "plays" / "mini.yaml").write_text(minimal().replace("decider: dan\n", ""))
    done = mkdocs(root, "build", "--strict")
    assert done.returncode == 0, done.stderr
    assert "nrecognised" not in done.stderr and "WARNING" not in done.stderr
    assert (root / "site" / "book" / "workshops" / "mini" / "index.html").is_file()
    checked = prepbook(root, "validate", "--strict")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "checked 1 file: 0 errors, 0 warnings" in checked.stdout


def test_an_unknown_option_is_an_error_in_both(tmp_path: Path) -> None:
    root = site(tmp_path, prepbook_options("workshop: plays"))
    done = mkdocs(root, "build")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "option 'workshop': not a prepbook option" in done.stderr
    checked = prepbook(root, "validate")
    assert checked.returncode == 2
    assert "option 'workshop': not a prepbook option" in checked.stderr
    assert "the options are workshops, templates" in checked.stderr


def both_see_the_workshop_in_plays(root: Path) -> None:
    """The command line checks the one workshop of ``plays/`` and the build renders it."""
    checked = prepbook(root, "validate", "--strict")
    assert checked.returncode == 0, checked.stderr
    assert "checked 1 file" in checked.stdout
    done = mkdocs(root, "build", "--strict")
    assert done.returncode == 0, done.stderr
    assert (root / "site" / "playbook" / "workshops" / "mini" / "index.html").is_file()


def test_inherited_settings_are_seen_by_the_cli_and_the_build(tmp_path: Path) -> None:
    root = site(tmp_path, "INHERIT: base.yml\n", workshops="plays")
    (root / "base.yml").write_text(prepbook_options("workshops: plays"))
    both_see_the_workshop_in_plays(root)


def test_env_tag_means_the_same_to_the_cli_and_the_build(tmp_path: Path) -> None:
    root = site(tmp_path, prepbook_options("workshops: !ENV [WS, workshops]"), workshops="plays")
    (root / "plays" / "broken.yaml").write_text("id: broken\n")
    env = {"WS": "plays"}
    checked = prepbook(root, "validate", env=env)
    assert checked.returncode == 1, checked.stderr
    assert "plays/broken.yaml" in checked.stdout and "checked 2 files" in checked.stdout
    done = mkdocs(root, "build", env=env)
    assert done.returncode == 1 and "plays/broken.yaml" in done.stderr
    # without the variable, both fall back to the default folder, which does not exist
    assert prepbook(root, "validate").returncode == 2
    assert mkdocs(root, "build").returncode == 1


def test_relative_tag_means_the_same_to_the_cli_and_the_build(tmp_path: Path) -> None:
    root = site(
        tmp_path, prepbook_options("workshops: !relative $config_dir/plays"), workshops="plays"
    )
    both_see_the_workshop_in_plays(root)


def test_a_configured_folder_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    root = site(tmp_path, prepbook_options("workshops: plays"))
    checked = prepbook(root, "validate")
    assert checked.returncode == 2
    assert "option 'workshops': 'plays' given in mkdocs.yml" in checked.stderr
    assert "expected an existing folder" in checked.stderr
    done = mkdocs(root, "build")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "option 'workshops': 'plays' given in mkdocs.yml" in done.stderr
    (root / "mkdocs.yml").write_text(HEAD + prepbook_options("templates: tpl"))
    assert "option 'templates': 'tpl' given" in prepbook(root, "validate").stderr
    # `new` writes the first workshop of a configured folder: it creates the folder
    (root / "mkdocs.yml").write_text(HEAD + prepbook_options("workshops: plays"))
    created = prepbook(root, "new", "first")
    assert created.returncode == 0, created.stderr
    assert (root / "plays" / "first.yaml").is_file()


def test_the_default_folder_may_be_missing(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text(HEAD + "plugins:\n  - prepbook\n")
    checked = prepbook(tmp_path, "validate")
    assert checked.returncode == 0 and "checked 0 files" in checked.stdout


def test_config_file_problems_are_usage_errors(tmp_path: Path) -> None:
    missing = prepbook(tmp_path, "--config", "nowhere.yml", "validate")
    assert missing.returncode == 2 and "nowhere.yml: cannot read" in missing.stderr
    (tmp_path / "mkdocs.yml").write_text(HEAD + "INHERIT: gone.yml\n")
    inherit = prepbook(tmp_path, "validate")
    assert inherit.returncode == 2 and "gone.yml" in inherit.stderr
    (tmp_path / "mkdocs.yml").write_text(HEAD + "plugins:\n  - prepbook: [workshops]\n")
    shape = prepbook(tmp_path, "validate")
    assert shape.returncode == 2 and "must be a mapping" in shape.stderr
    for done in (missing, inherit, shape):
        assert "Traceback" not in done.stderr and len(done.stderr.splitlines()) == 1


def test_the_cli_reads_a_config_file_in_another_folder(tmp_path: Path) -> None:
    root = site(tmp_path / "project", prepbook_options("workshops: plays"), workshops="plays")
    checked = prepbook(tmp_path, "--config", "project/mkdocs.yml", "validate")
    assert checked.returncode == 0, checked.stderr
    assert "checked 1 file" in checked.stdout
    assert root.is_dir()


def test_a_retired_change_kind_is_accepted_and_an_unknown_one_refused() -> None:
    # an earlier release graded the workshop's score; a configuration naming it still loads
    kept = Settings(diff_levels={"workshop-readiness-dropped": "major", "target-eased": "minor"})
    assert kept.diff_levels == {"target-eased": "minor"}
    with pytest.raises(ValueError, match="workshop-score-dropped: not a kind of change"):
        Settings(diff_levels={"workshop-score-dropped": "major"})
