"""Reviewing a roadmap change: the semantic diff between git revisions or folders, the git
diff driver, and the outputs for CI (GitHub annotations, SARIF) and pre-commit."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from prepbook.diff.output import FOLD_AFTER, MARKER
from tests.conftest import EXAMPLES, REPO, dated, minimal

GIT_ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "Team",
    "GIT_AUTHOR_EMAIL": "team@example.invalid",
    "GIT_COMMITTER_NAME": "Team",
    "GIT_COMMITTER_EMAIL": "team@example.invalid",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_SYSTEM": os.devnull,
}


def git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=root, capture_output=True, text=True, env=GIT_ENV, check=True
    )
    return done.stdout


def prepbook(root: Path, *args: str, env: dict[str, str] | None = None):
    return subprocess.run(
        [sys.executable, "-m", "prepbook", *args],
        cwd=root,
        capture_output=True,
        text=True,
        env=dated(env or GIT_ENV),
        timeout=120,
    )


def edit(path: Path, *pairs: tuple[str, str]) -> None:
    text = path.read_text(encoding="utf-8")
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A playbook repository: the examples on main, then a branch a team edited."""
    root = tmp_path / "playbook"
    shutil.copytree(EXAMPLES, root / "workshops")
    (root / "mkdocs.yml").write_text("site_name: Playbook\nplugins:\n  - prepbook\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "The examples")
    git(root, "checkout", "-q", "-b", "replan")
    retail = root / "workshops" / "northwind-retail.yaml"
    edit(
        retail,
        # the rollout slips three weeks, past the end of its phase
        ("    end: 2027-06-18", "    end: 2027-07-09"),
        # the replenishment test moves from the pilot to the scale phase
        (
            "      phase: pilot\n      start: 2027-01-11\n      end: 2027-03-19",
            "      phase: scale\n      start: 2027-04-12\n      end: 2027-05-28",
        ),
        # the toilet-seat persofail's mitigations turn out weaker than hoped
        (
            "    residual:\n      likelihood: 2\n      severity: 3",
            "    residual:\n      likelihood: 3\n      severity: 4",
        ),
        (
            "    readiness: partial\n    owner: aisha-khan",
            "    readiness: missing\n    owner: aisha-khan",
        ),
        (
            "Ask pre-2025 customers for their profiling preference",
            "Ask every customer for their profiling preference",
        ),
        (
            "      owner: tom-gallagher\n      status: in-progress",
            "      owner: tom-gallagher\n      status: done",
        ),
    )
    text = retail.read_text()
    text = re.sub(r"  - id: peak-freeze\n(?:    .*\n|      .*\n)*", "", text)
    retail.write_text(text)
    (root / "workshops" / "harbor-bank.yaml").unlink()
    (root / "workshops" / "mini.yaml").write_text(minimal())
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Replan after the pilot review")
    return root


def test_text_diff_between_two_commits(repo: Path) -> None:
    done = prepbook(repo, "diff", "main", "replan")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    first = out.splitlines()[0]
    assert first == (
        "prepbook diff main .. replan: +1 added, -2 removed, 1 renamed, 1 moved, "
        "2 slipped (max +70 d), 1 status changed, 1 risk changed, "
        "1 readiness changed, 2 findings introduced"
    )
    assert "  * mini  'Minimal workshop'  added" in out
    assert "  * harbor-bank  'Personalized financial nudges in the mobile app'  removed" in out
    assert "  - barrier northwind-retail/peak-freeze  'Peak-season change freeze'" in out
    assert (
        "  ~ step northwind-retail/replenishment-test  'Timed replenishment reminders A/B "
        "test'  phase pilot → scale"
    ) in out
    assert "end 2027-06-18 → 2027-07-09 (+21 d)" in out
    assert "end 2027-03-19 → 2027-05-28 (+70 d)" in out
    assert "residual risk 6 → 12" in out
    assert "partial → missing" in out
    assert "in-progress → done" in out
    assert "warning PB208 phase-window" in out  # the slip left its phase's window
    assert "error PB206 date-order: the step 'post-launch-review' starts" in out
    sections = [line for line in out.splitlines() if line and not line.startswith(" ")][1:]
    assert sections == [
        "Workshops added or removed",
        "Removed",
        "Renamed",
        "Moved",
        "Slipped",
        "Status changes",
        "Persofail risk changes",
        "Audit readiness changes",
        "Findings introduced",
    ]


def test_default_is_merge_base_against_the_working_tree(repo: Path) -> None:
    git(repo, "checkout", "-q", "main")
    git(repo, "checkout", "-q", "-b", "tweak")
    edit(repo / "workshops" / "cadenza-streaming.yaml", ("    reach: ", "    reach: 1"))
    done = prepbook(repo, "diff")
    assert done.returncode == 0, done.stderr
    assert "working tree" in done.stdout.splitlines()[0]
    assert "1 re-scored" in done.stdout
    assert re.search(r"cadenza-host .* score 25000.0 → 52777.8, rank 2 → 2", done.stdout)
    assert prepbook(repo, "diff", "--exit-code").returncode == 1
    git(repo, "checkout", "-q", "--", ".")
    clean = prepbook(repo, "diff", "--exit-code")
    assert clean.returncode == 0 and "no changes" in clean.stdout


def test_markdown_and_json(repo: Path) -> None:
    md = prepbook(repo, "diff", "main", "replan", "--format", "markdown").stdout
    assert md.startswith(MARKER + "\n### Roadmap changes: main → replan")
    assert (
        "| northwind&#45;retail/toilet&#45;seat&#45;loop |" in md
        or "| northwind-retail/toilet-seat-loop |" in md
    )
    data = json.loads(prepbook(repo, "diff", "main", "replan", "--format", "json").stdout)
    assert data["counts"]["slipped"] == 2 and data["max_slip_days"] == 70
    risk = next(c for c in data["changes"] if c["section"] == "risk")
    assert risk["data"]["residual_before"] == 6 and risk["data"]["residual_after"] == 12


def test_long_sections_are_folded(repo: Path) -> None:
    steps = "".join(f"    - id: extra-{i}\n      title: Extra step {i}\n" for i in range(12))
    edit(repo / "workshops" / "mini.yaml", ("  steps:\n", "  steps:\n" + steps))
    md = prepbook(repo, "diff", "replan", "--format", "markdown").stdout
    assert f"<details><summary>{12 - FOLD_AFTER} more</summary>" in md


def test_two_folders(repo: Path, tmp_path: Path) -> None:
    before = tmp_path / "before"
    shutil.copytree(EXAMPLES, before)
    done = prepbook(repo, "diff", str(before), str(repo / "workshops"))
    assert done.returncode == 0, done.stderr
    assert "2 slipped (max +70 d)" in done.stdout


def test_invalid_yaml_on_either_side_is_reported(repo: Path) -> None:
    (repo / "workshops" / "cadenza-streaming.yaml").write_text("id: [\n")
    done = prepbook(repo, "diff", "replan")
    assert done.returncode == 0, done.stderr
    assert "Files that could not be read" in done.stdout
    assert "cadenza-streaming.yaml" in done.stdout and "YAML syntax" in done.stdout
    assert "'A voice-hosted personal listening session'" not in done.stdout  # not "removed"
    git(repo, "commit", "-qam", "broken")
    back = prepbook(repo, "diff", "HEAD", "main")
    assert back.returncode == 0 and "at HEAD: YAML syntax" in back.stdout


def test_bad_revision_is_a_usage_error(repo: Path) -> None:
    done = prepbook(repo, "diff", "no-such-branch", "replan")
    assert done.returncode == 2 and "Traceback" not in done.stderr


def test_git_diff_driver(repo: Path) -> None:
    shutil.copy(REPO / ".gitattributes", repo / ".gitattributes")
    git(repo, "config", "diff.prepbook.textconv", f"{sys.executable} -m prepbook show")
    out = git(repo, "diff", "main", "replan", "--", "workshops/northwind-retail.yaml")
    assert (
        "-asset recommendation-service: 'Recommendation service on site, app and e-mail' "
        "technology, partial owner=aisha-khan"
    ) in out
    assert (
        "+asset recommendation-service: 'Recommendation service on site, app and e-mail' "
        "technology, missing owner=aisha-khan" in out
    )
    assert re.search(
        r"^\+step replenishment-test: .* phase=scale 2027-04-12..2027-05-28", out, re.M
    )
    log = git(repo, "log", "-p", "-1", "replan", "--", "workshops/northwind-retail.yaml")
    assert "+persofail toilet-seat-loop:" in log and "residual 3x4=12" in log
    # reordering a file changes nothing in the semantic view
    git(repo, "checkout", "-q", "replan")
    path = repo / "workshops" / "mini.yaml"
    data = yaml.safe_load(path.read_text())
    data["team"].reverse()
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    assert git(repo, "diff", "--", "workshops/mini.yaml").strip() == ""


def test_show_never_crashes_on_a_broken_file(tmp_path: Path) -> None:
    broken = tmp_path / "x.yaml"
    broken.write_bytes(b"id: \xff\n")
    done = prepbook(tmp_path, "show", str(broken))
    assert done.returncode == 0 and "(unreadable) PB002" in done.stdout


def test_github_annotations_are_automatic_and_escaped(playbook) -> None:
    text = minimal().replace("requires: [crm]", "requires: [crn]")
    root = playbook({"odd, name: 100%.yaml": text.replace("id: mini", "id: odd")})
    env = {**GIT_ENV, "GITHUB_ACTIONS": "true"}
    done = prepbook(root, "validate", env=env)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    annotation = next(line for line in lines if "PB204" in line)
    assert annotation.startswith("::error file=workshops/odd%2C name%3A 100%25.yaml,line=")
    assert ",title=PB204 unresolved-reference::no audited asset has the id 'crn'" in annotation
    mismatch = next(line for line in lines if "PB203" in line)
    assert "the file name 'odd, name: 100%25.yaml'" in mismatch  # % escaped in the message
    assert lines[-1].startswith("checked 1 file")
    plain = prepbook(root, "validate", "--format", "text", env=env)
    assert "::error" not in plain.stdout


def test_sarif_structure(playbook, tmp_path: Path) -> None:
    text = minimal().replace("requires: [crm]", "requires: [crn]").replace("decider: dan\n", "")
    root = playbook({"mini.yaml": text})
    out = tmp_path / "report.sarif"
    done = prepbook(root, "validate", "--format", "sarif", "--output", str(out))
    assert done.returncode == 1 and done.stdout == ""
    sarif = json.loads(out.read_text())
    assert sarif["version"] == "2.1.0" and sarif["$schema"].endswith("sarif-2.1.0.json")
    [run] = sarif["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "prepbook"
    rule_ids = [r["id"] for r in driver["rules"]]
    assert rule_ids == ["PB204", "PB302"]
    for rule in driver["rules"]:
        assert rule["shortDescription"]["text"] and rule["defaultConfiguration"]["level"]
    assert len(run["results"]) == 2
    for result in run["results"]:
        assert rule_ids[result["ruleIndex"]] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note")
        assert result["message"]["text"]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == "workshops/mini.yaml"
        assert location["region"]["startLine"] >= 1 and location["region"]["startColumn"] >= 1


def test_pre_commit_manifest_and_config_are_valid(tmp_path: Path) -> None:
    for command, name in (
        ("validate-manifest", ".pre-commit-hooks.yaml"),
        ("validate-config", ".pre-commit-config.yaml"),
    ):
        done = subprocess.run(
            [sys.executable, "-m", "pre_commit", command, str(REPO / name)],
            capture_output=True,
            text=True,
            cwd=tmp_path,
        )
        assert done.returncode == 0, done.stdout + done.stderr
    hook = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())[0]
    # the whole configured folder on every commit: deletions and untouched files included
    assert hook["pass_filenames"] is False and hook["always_run"] is True


def test_pre_commit_hook_command_checks_the_whole_folder(playbook) -> None:
    hook = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())[0]
    root = playbook({"mini.yaml": minimal(), "other.yaml": minimal("other")})
    entry = hook["entry"].split()[1:]  # as pre-commit runs it: no file names
    ok = prepbook(root, *entry)
    assert ok.returncode == 0 and "checked 2 files" in ok.stdout
    (root / "workshops" / "other.yaml").write_text(
        minimal("other").replace("function: data", "function: dta")
    )
    failed = prepbook(root, *entry)
    assert failed.returncode == 1 and "workshops/other.yaml" in failed.stdout
    # warnings alone do not fail the hook (the skeleton of prepbook new is committable)
    (root / "workshops" / "other.yaml").write_text(minimal("other").replace("decider: dan\n", ""))
    warned = prepbook(root, *entry)
    assert warned.returncode == 0 and "warning[" in warned.stdout
