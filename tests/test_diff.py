"""Reviewing a roadmap change: the semantic diff between git revisions or folders, the git
diff driver, and the outputs for CI (GitHub annotations, SARIF) and pre-commit."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from prepbook.change_kinds import at_least
from prepbook.cli import main
from prepbook.diff import Diff
from prepbook.diff.document import Change
from prepbook.diff.output import COMMENT_LIMIT, FOLD_AFTER, MARKER
from prepbook.diff.prose import words as in_words
from prepbook.docs.schema import DIFF_SCHEMA_FILE, schema_of
from prepbook.render.markdown import escape, one_byte
from tests.conftest import EXAMPLE_IDS, EXAMPLES, PINNED_DATE, REPO, dated, minimal

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
        "prepbook diff main .. replan: 10 changes (2 major, 6 minor, 2 info): 1 added, "
        "2 removed, 2 dates slipped (max +21 d), 2 findings introduced"
    )
    assert "Readiness: harbor-bank 100% → —; mini — → 100%; northwind-retail 100%" in out
    assert "  info   mini  'Minimal workshop'  added" in out
    assert "  major  harbor-bank  'Personalized financial nudges in the mobile app'  removed" in out
    assert (
        "  minor  barrier northwind-retail/peak-freeze  'Peak-season change freeze'  removed" in out
    )
    # the slip is stated on the decisions it moves, the steps' changes beside it as causes
    assert (
        "  minor  priority northwind-retail/post-purchase-recommendations  'Post-purchase "
        "recommendations that know what was bought'  ships 2027-06-18 → 2027-07-09, +21 days\n"
        "         because: step northwind-retail/all-channel-rollout end 2027-06-18 → "
        "2027-07-09 (+21 days)\n"
    ) in out
    assert (
        "ships 2027-06-18 → 2027-07-09, +21 days, now on track (was at risk): ships "
        "2027-07-09, when step 'Roll out to all channels and store-linked customers' ends"
    ) in out
    assert "because: step northwind-retail/replenishment-test phase pilot → scale" in out
    assert "because: step northwind-retail/replenishment-test end 2027-03-19 → 2027-05-28" in out
    assert "minor  step northwind-retail/all-channel-rollout" not in out  # not counted twice
    assert "residual risk 6 (medium) → 12 (medium)" in out
    assert "readiness partial → missing" in out
    assert "status in-progress → done" in out
    assert "title: Ask [-pre-2025 customers-] {+every customer+} for their profiling" in out
    assert "warning PB208 phase-window" in out  # the slip left its phase's window
    assert "error PB206 date-order: the step 'post-launch-review' starts" in out
    sections = [line for line in out.splitlines() if line and not line.startswith(" ")][1:]
    assert sections == [
        "Readiness: harbor-bank 100% → —; mini — → 100%; northwind-retail 100%",
        "Workshops added, removed or renamed",
        "Priorities",
        "Persofail risk",
        "Readiness",
        "Records added, removed or renamed",
        "Text edits",
        "Findings introduced",
    ]


def test_default_is_merge_base_against_the_working_tree(repo: Path) -> None:
    git(repo, "checkout", "-q", "main")
    git(repo, "checkout", "-q", "-b", "tweak")
    edit(repo / "workshops" / "cadenza-streaming.yaml", ("    reach: ", "    reach: 1"))
    done = prepbook(repo, "diff")
    assert done.returncode == 0, done.stderr
    assert "working tree" in done.stdout.splitlines()[0]
    # the input changed; the score it computes is shown beside it, not counted apart
    assert "1 change (1 major)" in done.stdout
    assert re.search(
        r"major  priority cadenza-streaming/cadenza-host .*  reach \d+ → 1\d+; "
        r"score 25000 → 52777.8 \(\+111%\)",
        done.stdout,
    ), done.stdout
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
    assert data["version"] == 1 and data["levels"] == {"major": 2, "minor": 6, "info": 2}
    assert data["counts"]["roadmap"] == 0 and data["max_slip_days"] == 21
    ship = next(c for c in data["changes"] if c["kind"] == "ship-date-slipped")
    assert (ship["field"], ship["before"], ship["after"], ship["days"]) == (
        "ship_date",
        "2027-06-18",
        "2027-07-09",
        21,
    )
    assert [c["field"] for c in ship["causes"]] == ["end"]
    risk = next(c for c in data["changes"] if c["section"] == "risk")
    assert (risk["field"], risk["before"], risk["after"]) == ("residual.score", 6, 12)
    assert risk["kind"] == "risk-raised" and risk["level"] == "minor"


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
    assert "2 dates slipped (max +21 d)" in done.stdout


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


def test_in_a_subfolder_the_playbook_above_is_compared(repo: Path) -> None:
    """Inside the workshops folder, the revisions are compared as from the top: the
    playbook found above, not a guessed workshops/workshops/ that is empty on both sides
    (which said "no changes" and passed a --fail-on gate)."""
    at_top = prepbook(repo, "diff", "main", "replan", "--fail-on", "minor")
    assert at_top.returncode == 1 and "10 changes" in at_top.stdout
    for inside in (repo / "workshops", repo / "docs" / "deep"):
        inside.mkdir(parents=True, exist_ok=True)
        done = prepbook(inside, "diff", "main", "replan", "--fail-on", "minor")
        assert (done.returncode, done.stdout) == (1, at_top.stdout), (inside, done.stderr)


def test_a_revision_without_the_workshops_folder_is_refused(tmp_path: Path) -> None:
    """A revision from before the playbook (or with the folder elsewhere) cannot be
    compared: exit 2 in one line, never "no changes" or everything "added"."""
    root = tmp_path / "playbook"
    root.mkdir()
    (root / "mkdocs.yml").write_text("site_name: Playbook\nplugins:\n  - prepbook\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "Before the playbook")
    (root / "workshops").mkdir()
    (root / "workshops" / "README.md").write_text("Workshops go here.\n")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "The folder, no workshop yet")
    (root / "workshops" / "mini.yaml").write_text(minimal())
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "The first workshop")
    for base, head, missing in (("HEAD~2", "HEAD", "HEAD~2"), ("HEAD", "HEAD~2", "HEAD~2")):
        done = prepbook(root, "diff", base, head, "--fail-on", "info")
        assert done.returncode == 2, done.stdout
        assert done.stdout == ""
        assert done.stderr == (
            f"prepbook diff: the workshops folder workshops/ does not exist at revision "
            f"'{missing}'; name a revision that has it, or compare folders\n"
        )
    # a folder that is there but holds no workshop is a side: the workshop was added
    added = prepbook(root, "diff", "HEAD~1", "HEAD", "--fail-on", "info")
    assert added.returncode == 1, added.stderr
    assert "added" in added.stdout
    # a playbook whose folder moved: the revisions before the move do not have it
    (root / "plays").mkdir()
    git(root, "mv", "workshops/mini.yaml", "plays/mini.yaml")
    (root / "mkdocs.yml").write_text(
        "site_name: Playbook\nplugins:\n  - prepbook:\n      workshops: plays\n"
    )
    git(root, "commit", "-qam", "Moved")
    moved = prepbook(root, "diff", "HEAD~1", "HEAD")
    assert moved.returncode == 2 and "folder plays/ does not exist at revision 'HEAD~1'" in (
        moved.stderr
    )


def test_bad_revision_is_a_usage_error(repo: Path) -> None:
    done = prepbook(repo, "diff", "no-such-branch", "replan")
    assert done.returncode == 2 and "Traceback" not in done.stderr


def test_git_diff_driver(repo: Path) -> None:
    shutil.copy(REPO / ".gitattributes", repo / ".gitattributes")
    git(repo, "config", "diff.prepbook.textconv", f"{sys.executable} -m prepbook show")
    out = git(repo, "diff", "main", "replan", "--", "workshops/northwind-retail.yaml")
    lines = set(out.splitlines())
    assert {
        "-asset recommendation-service readiness: partial",
        "+asset recommendation-service readiness: missing",
    } <= lines
    assert not lines & {  # an unchanged field
        "-asset recommendation-service owner: aisha-khan",
        "+asset recommendation-service owner: aisha-khan",
    }
    assert {
        "-step replenishment-test phase: pilot",
        "+step replenishment-test phase: scale",
        "+step replenishment-test start: 2027-04-12",
        "+step replenishment-test end: 2027-05-28",
    } <= lines
    log = git(repo, "log", "-p", "-1", "replan", "--", "workshops/northwind-retail.yaml")
    assert {
        "+persofail toilet-seat-loop residual.likelihood: 3",
        "+persofail toilet-seat-loop residual.severity: 4",
        "+persofail toilet-seat-loop residual.score: 12",
    } <= set(log.splitlines())
    # reordering a file changes nothing in the semantic view
    git(repo, "checkout", "-q", "replan")
    path = repo / "workshops" / "mini.yaml"
    data = yaml.safe_load(path.read_text())
    data["team"].reverse()
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    assert git(repo, "diff", "--", "workshops/mini.yaml").strip() == ""


def test_show_never_crashes_on_a_broken_file(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n")
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


class _DatesAsText(yaml.SafeLoader):
    """Reads dates as the text they are, like prepbook's own loader."""


_DatesAsText.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: node.value)


def _rewrite(root: Path, ws: str, change: Callable[[dict[str, Any]], None]) -> None:
    path = root / "workshops" / f"{ws}.yaml"
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_DatesAsText)
    change(data)
    path.write_text(
        yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000), encoding="utf-8"
    )


def _find(items: list[dict[str, Any]], record_id: str) -> dict[str, Any]:
    return next(item for item in items if item["id"] == record_id)


def _nw(change: Callable[[dict[str, Any]], None]) -> Callable[[Path], None]:
    return lambda root: _rewrite(root, "northwind-retail", change)


def _priority(data: dict[str, Any], rid: str = "post-purchase-recommendations") -> dict[str, Any]:
    return _find(data["priorities"], rid)


def _step(data: dict[str, Any], rid: str) -> dict[str, Any]:
    return _find(data["roadmap"]["steps"], rid)


def _reorder(data: dict[str, Any]) -> None:
    """Every list reversed (phases keep their order: it is the order of time), and a
    reference written with its workshop: nothing the method cares about changes."""
    for section in ("team", "audit", "metrics", "persofails", "priorities", "barriers"):
        data.get(section, []).reverse()
    data["roadmap"]["steps"].reverse()
    for record in [*data["priorities"], *data["roadmap"]["steps"], *data["persofails"]]:
        for name in ("requires", "measured_by", "depends_on", "delivers", "threatens"):
            record.get(name, []).reverse()
    if data["id"] != "northwind-retail":
        return
    step = _step(data, "all-channel-rollout")
    step["depends_on"] = [f"{data['id']}/{ref}" for ref in step["depends_on"]]


def _rename_metric(data: dict[str, Any]) -> None:
    _find(data["metrics"], "recommendation-trust")["id"] = "suggestion-trust"
    measured = _priority(data)["measured_by"]
    measured[measured.index("recommendation-trust")] = "suggestion-trust"


def _shift(value: str, days: int) -> str:
    import datetime as dt

    return (dt.date.fromisoformat(value) + dt.timedelta(days=days)).isoformat()


def _rename_workshop(root: Path) -> None:
    old = root / "workshops" / "harbor-bank.yaml"
    new = root / "workshops" / "harbor-bank-app.yaml"
    new.write_text(re.sub(r"(?m)^id: harbor-bank$", "id: harbor-bank-app", old.read_text()))
    old.unlink()


def _break_cadenza(root: Path) -> None:
    path = root / "workshops" / "cadenza-streaming.yaml"
    (root / "cadenza.bak").write_bytes(path.read_bytes())
    path.write_text("id: [\n")


def _repair_cadenza_and_edit(root: Path) -> None:
    (root / "workshops" / "cadenza-streaming.yaml").write_bytes((root / "cadenza.bak").read_bytes())
    (root / "cadenza.bak").unlink()
    _nw(lambda d: d.update(organisation="Northwind Retail Group"))(root)


# (what the commit does, the edit, the kind of change expected, its level, words shown)
REPLAY: list[tuple[str, Callable[[Path], None], str, str, str]] = [
    (
        "Workshop dates moved",
        _nw(lambda d: d["dates"].update(start="2026-10-22", end="2026-10-23")),
        "date-slipped",
        "minor",
        "dates.start 2026-09-22 → 2026-10-22 (+30 days)",
    ),
    (
        "Review moved two years",
        _nw(lambda d: d.update(review_by="2029-03-31")),
        "date-slipped",
        "minor",
        "review_by 2027-03-31 → 2029-03-31 (+731 days)",
    ),
    (
        "Target raised",
        _nw(lambda d: _find(d["metrics"], "repeat-purchase-rate").update(target=35)),
        "target-tightened",
        "info",
        "target 21 → 35",
    ),
    (
        "Target lowered",
        _nw(lambda d: _find(d["metrics"], "repeat-purchase-rate").update(target=19)),
        "target-eased",
        "minor",
        "target 35 → 19",
    ),
    (
        "Requirement dropped",
        _nw(lambda d: _priority(d)["requires"].remove("data-science-capacity")),
        "required-asset-removed",
        "major",
        "requires -data-science-capacity",
    ),
    (
        "Rule silenced",
        _nw(
            lambda d: _find(d["persofails"], "toilet-seat-loop").update(
                silence=[{"rule": "PB342", "reason": "Covered by the suppression wrapper."}]
            )
        ),
        "silence-added",
        "major",
        "PB342 silenced: Covered by the suppression wrapper.",
    ),
    (
        "Recipe trigger changed",
        _nw(lambda d: _priority(d)["recipe"].update(trigger="An online order is delivered")),
        "recipe-changed",
        "minor",
        "recipe.trigger: An online order is [-delivered, or a store purchase is linked to a "
        "loyalty card-] {+delivered+}",
    ),
    (
        "Evidence rewritten",
        _nw(
            lambda d: _find(d["audit"], "clickstream").update(
                evidence="Event coverage checked in May 2027 at 99% of sessions."
            )
        ),
        "text-edited",
        "info",
        "[-August 2026-] {+May 2027+}",
    ),
    (
        "Guardrail no longer measured",
        _nw(lambda d: _priority(d)["measured_by"].remove("email-unsubscribe-rate")),
        "guardrail-unmeasured",
        "major",
        "measured_by -email-unsubscribe-rate",
    ),
    (
        "Dependency removed",
        _nw(lambda d: _step(d, "post-purchase-pilot")["depends_on"].remove("ml-contractor")),
        "dependency-removed",
        "minor",
        "depends_on -ml-contractor",
    ),
    (
        "Delivery removed",
        _nw(lambda d: _step(d, "replenishment-test").pop("delivers")),
        "delivery-removed",
        "minor",
        "delivers -replenishment-reminders",
    ),
    (
        "Phase window moved",
        _nw(lambda d: _find(d["roadmap"]["phases"], "scale").update(end="2027-07-30")),
        "date-slipped",
        "minor",
        "end 2027-06-25 → 2027-07-30 (+35 days)",
    ),
    (
        "Priority parked",
        _nw(lambda d: _priority(d, "replenishment-reminders").update(status="parked")),
        "priority-uncommitted",
        "major",
        "status committed → parked",
    ),
    (
        "Risk raised into high",
        _nw(
            lambda d: _find(d["persofails"], "toilet-seat-loop").update(
                residual={"likelihood": 4, "severity": 4}
            )
        ),
        "risk-raised-high",
        "major",
        "residual risk 6 (medium) → 16 (high)",
    ),
    (
        "Guardrail turned off",
        _nw(lambda d: _find(d["metrics"], "email-unsubscribe-rate").update(guardrail=False)),
        "guardrail-disabled",
        "major",
        "guardrail true → false",
    ),
    (
        "Metric renamed",
        _nw(_rename_metric),
        "record-renamed",
        "info",
        "id recommendation-trust → suggestion-trust",
    ),
    (
        "Workshop renamed",
        _rename_workshop,
        "workshop-renamed",
        "info",
        "harbor-bank (workshops/harbor-bank.yaml) → harbor-bank-app "
        "(workshops/harbor-bank-app.yaml), 100% of facts equal",
    ),
    ("Cadenza broken", _break_cadenza, "unreadable-head", "major", "at HEAD: YAML syntax"),
    (
        "Cadenza repaired, organisation renamed",
        _repair_cadenza_and_edit,
        "text-edited",
        "info",
        "organisation: Northwind Retail {+Group+}",
    ),
    (
        "Workshop added with findings",
        lambda root: (root / "workshops" / "extra.yaml").write_text(
            minimal("extra").replace("decider: dan\n", "")
        ),
        "warning-introduced",
        "minor",
        "warning PB302",
    ),
    (
        "Decider left",
        _nw(lambda d: d.pop("decider")),
        "owner-removed",
        "minor",
        "decider ",
    ),
]


def _run_diff(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["diff", *args])
    return code, capsys.readouterr().out


def _driver_diff(repo: Path) -> list[str]:
    """The changed lines ``git diff`` shows for the last commit through the diff driver."""
    out = git(repo, "diff", "HEAD~1", "HEAD", "--", "workshops")
    return [
        line
        for line in out.splitlines()
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def _changes_page(repo: Path) -> str:
    """The site's Changes page for the repository's history, as the build renders it."""
    from prepbook.build import check, playbook_history
    from prepbook.config import Project, Settings
    from prepbook.render.site import render_site

    project = Project(Settings(), repo)
    checked = check(project)
    history = playbook_history(project)
    return render_site(checked.playbook, checked.report, history=history).pages["changes.md"]


@pytest.mark.slow  # thirty commits, each diffed and validated by the command line
def test_replay_a_replanning_branch_one_change_at_a_time(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    git(repo, "checkout", "-q", "main")
    git(repo, "checkout", "-q", "-b", "replay")
    # a pure reordering, and a reference written with its workshop, is no change
    for ws in EXAMPLE_IDS:
        _rewrite(repo, ws, _reorder)
    # the git view through the diff driver, set up as the README says
    (repo / ".gitattributes").write_text("*.yaml diff=prepbook\n")
    git(repo, "config", "diff.prepbook.textconv", f"{sys.executable} -m prepbook show")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Reordered")
    code, out = _run_diff(capsys, "HEAD~1", "HEAD", "--fail-on", "info")
    assert code == 0 and out.splitlines()[0].endswith(": no changes"), out
    assert _driver_diff(repo) == [], "a reordering shows in git diff"
    validator = jsonschema.Draft7Validator(schema_of(DIFF_SCHEMA_FILE))
    replayed: list[tuple[str, dict[str, Any]]] = []
    # The Changes page judges a commit's delivery status on the day it was made, the diff
    # on the build date: the replayed commits are made on the build date, a minute apart,
    # so that both tell the same story of each commit.
    for minute, (message, change, kind, level, words) in enumerate(REPLAY):
        change(repo)
        git(repo, "add", "-A")
        stamp = f"{PINNED_DATE.isoformat()}T12:{minute:02d}:00Z"
        subprocess.run(
            ["git", "commit", "-qm", message],
            cwd=repo,
            check=True,
            env={**GIT_ENV, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp},
        )
        code, text = _run_diff(capsys, "HEAD~1", "HEAD")
        assert code == 0
        _, md = _run_diff(capsys, "HEAD~1", "HEAD", "--format", "markdown")
        _, raw = _run_diff(capsys, "HEAD~1", "HEAD", "--format", "json")
        data = json.loads(raw)
        validator.validate(data)
        rows = [c for c in data["changes"] if c["kind"] == kind and words in c["summary"]]
        # a step change that moved a decision is listed beside it, as its cause, and the
        # decision's change weighs at least as much
        moved = [
            (c, cause)
            for c in data["changes"]
            for cause in c["causes"]
            if cause["kind"] == kind and words in cause["summary"]
        ]
        assert rows or moved, f"{message}: no {kind} saying {words!r} in\n{text}"
        if moved:
            decision, cause = moved[0]
            assert cause["level"] == level and at_least(decision["level"], level), message
            assert f"because: {cause['record_kind']} " in text
            rows = [decision]
        assert rows[0]["level"] == level or moved, message
        line = next(line for line in text.splitlines() if words in line)
        assert line.startswith(f"  {level:<5}  ") or moved, line
        assert str(escape(words)) in md, md
        assert f"| {level} | " in md
        levels = {c["level"] for c in data["changes"]}
        for threshold in ("major", "minor", "info"):
            failing = any(at_least(lvl, threshold) for lvl in levels)
            assert _run_diff(capsys, "HEAD~1", "HEAD", "--fail-on", threshold)[0] == int(failing), (
                message,
                threshold,
            )
        assert _run_diff(capsys, "HEAD~1", "HEAD", "--exit-code")[0] == 1
        shown = _driver_diff(repo)
        assert shown, f"{message}: git diff through the driver shows nothing"
        # the fields the diff names are the fields git shows (an id is the name on each
        # of a record's lines, not a field of its own; findings and a workshop's readiness
        # score are judgements of the files, not fields in them; nor are a decision's ship
        # date and delivery status, computed from the steps whose fields its causes name)
        fields = {
            c["field"].split(".")[0]
            for c in [*data["changes"], *(x for c in data["changes"] for x in c["causes"])]
            if c["field"] not in ("", "id", "ship_date", "delivery")
            and c["record_kind"] not in ("finding", "file")
        }
        for name in fields:
            assert any(f" {name}" in line for line in shown), (message, name, shown)
        # the page shows what was edited; findings judge the whole
        # playbook, which a page of history does not check again commit by commit
        judged = rows[0]["record_kind"] == "finding"
        if not judged:
            replayed.append((message, rows[0]))
    # the Changes page of the site tells the same story, commit by commit
    page = _changes_page(repo)
    for message, row in replayed:
        assert one_byte(escape(message)) in page, message
        # the page says each change in words: old and new values, never diff markup
        summary = in_words(Change.model_validate(row))
        assert "[-" not in summary and "{+" not in summary, summary
        # the page names a side by its commit where the command line said HEAD
        said = re.sub(r"^at HEAD(~1)?: ", "", summary)
        assert one_byte(escape(said)) in page, (message, summary)
    # what the one-commit view cannot show: whole-branch context
    _, out = _run_diff(capsys, "main", "replay")
    assert "harbor-bank-app" in out and "  info   extra  'Minimal workshop'  added" in out
    assert "workshops/harbor-bank.yaml" in out and "removed" not in out.split("Readiness")[0]
    # a broken file is reported, never taken for a removed workshop; once repaired, the
    # other changes of the same commit are compared all the same
    _, broken = _run_diff(capsys, "HEAD~4", "HEAD~3", "--format", "json")
    kinds = {c["kind"] for c in json.loads(broken)["changes"]}
    assert "unreadable-head" in kinds and "workshop-removed" not in kinds
    _, repaired = _run_diff(capsys, "HEAD~3", "HEAD~2", "--format", "json")
    kinds = {c["kind"] for c in json.loads(repaired)["changes"]}
    assert {"unreadable-base", "text-edited"} <= kinds


def test_bad_revision_and_folder_arguments(repo: Path, tmp_path: Path) -> None:
    done = prepbook(repo, "diff", "nosuchref")
    assert done.returncode == 2
    assert done.stderr == (
        "prepbook diff: 'nosuchref' is neither a folder nor a revision (branch, tag or commit) "
        "of this repository\n"
    )
    before = tmp_path / "before"
    shutil.copytree(repo / "workshops", before)
    alone = prepbook(repo, "diff", str(before), "--fail-on", "info")
    assert alone.returncode == 0 and alone.stdout.endswith(".. working tree: no changes\n")


def test_levels_and_slip_days_are_configurable(repo: Path) -> None:
    (repo / "mkdocs.yml").write_text(
        "site_name: Playbook\nplugins:\n  - prepbook:\n      slip_days: 100\n"
        "      diff_levels:\n        text-edited: major\n"
    )
    done = prepbook(repo, "diff", "main", "replan", "--format", "json")
    changes = json.loads(done.stdout)["changes"]
    assert {c["level"] for c in changes if c["kind"] == "text-edited"} == {"major"}
    assert not [c for c in changes if c["kind"] == "date-slipped"]
    assert prepbook(repo, "diff", "main", "replan", "--fail-on", "major").returncode == 1
    (repo / "mkdocs.yml").write_text(
        "site_name: Playbook\nplugins:\n  - prepbook:\n      diff_levels: {no-such-kind: info}\n"
    )
    bad = prepbook(repo, "diff", "main", "replan")
    assert bad.returncode == 2 and "no-such-kind: not a kind of change" in bad.stderr


def test_markdown_is_capped_to_fit_a_comment(repo: Path) -> None:
    from prepbook.diff.output import markdown

    data = json.loads(prepbook(repo, "diff", "main", "replan", "--format", "json").stdout)
    diff = Diff.model_validate({k: data[k] for k in ("base", "head", "slip_days", "changes")})
    many = diff.model_copy(update={"changes": diff.changes * 400})
    text = markdown(many)
    assert len(text) <= COMMENT_LIMIT and "more changes are left out" in text
    assert "| major |" in text  # the most severe ones are kept


def test_diff_schema_is_published(cli, tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n")
    printed = cli("schema", "diff", cwd=tmp_path)
    assert printed.code == 0 and json.loads(printed.out) == schema_of(DIFF_SCHEMA_FILE)
    jsonschema.Draft7Validator.check_schema(schema_of(DIFF_SCHEMA_FILE))


def test_a_text_set_or_removed_shows_its_start() -> None:
    """A long note that is added shows its first words, never only an ellipsis."""
    from prepbook.diff.compare import _text_summary

    note = "Account manager of the outsourced partner; joined after the first session " * 3
    added = _text_summary("notes", None, note)
    assert added.startswith("notes set: Account manager of the outsourced partner")
    assert added.endswith(" …") and len(added) < 100
    assert _text_summary("notes", "Short note", None) == "notes removed (was: Short note)"
