"""The GitHub workflows: how they are written (actions pinned to commits, least permissions,
no third-party comment action, forks handled), and every command they run, run here against a
playbook repository on a pull-request branch as the runner would run it."""

from __future__ import annotations

import calendar
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from prepbook.diff.output import MARKER
from tests.conftest import REPO, dated
from tests.test_diff import GIT_ENV, git, repo  # noqa: F401  (repo: the fixture)

WORKFLOWS = REPO / ".github" / "workflows"
USES = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<action>[^@\s]+)@(?P<ref>\S+)(?P<comment>.*)$")
SHA = re.compile(r"[0-9a-f]{40}")
# Actions from GitHub itself; anything else would be a third party given the workflow's token.
FIRST_PARTY = ("actions/", "github/")
FORK_GUARD = "github.event.pull_request.head.repo.full_name == github.repository"
AFTER_REVIEWS = str(calendar.timegm(dt.date(2028, 1, 1).timetuple()))


def workflow(name: str) -> dict[Any, Any]:
    return yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))


def steps(name: str, job: str) -> list[dict[str, Any]]:
    return workflow(name)["jobs"][job]["steps"]


# The one action not from GitHub itself: the package index's own publisher, in the release
# job that can write nothing (see test_the_release_publishes_with_nothing_but_an_identity).
INDEX_PUBLISHER = "pypa/gh-action-pypi-publish"


def test_the_workflows_are_the_three_known_ones() -> None:
    assert sorted(p.name for p in WORKFLOWS.iterdir()) == [
        "publish.yml",
        "release.yml",
        "review.yml",
    ]


@pytest.mark.parametrize("name", ["review.yml", "publish.yml", "release.yml"])
def test_every_action_is_pinned_to_a_commit(name: str) -> None:
    lines = [m for line in (WORKFLOWS / name).read_text().splitlines() if (m := USES.match(line))]
    assert lines, "the workflow uses actions"
    for match in lines:
        assert SHA.fullmatch(match["ref"]), match.group(0)  # not a tag or a branch: a commit
        assert re.fullmatch(r"\s*# v\d+(\.\d+)*\b.*", match["comment"]), match.group(0)
        third_party = name == "release.yml" and match["action"] == INDEX_PUBLISHER
        assert match["action"].startswith(FIRST_PARTY) or third_party, match.group(0)
    parsed = [
        s["uses"] for job in workflow(name)["jobs"].values() for s in job["steps"] if "uses" in s
    ]
    assert len(parsed) == len(lines)  # every uses: was seen by the line check


@pytest.mark.parametrize("name", ["review.yml", "publish.yml", "release.yml"])
def test_least_permissions_declared_per_job(name: str) -> None:
    document = workflow(name)
    assert document["permissions"] == {}  # nothing by default; each job asks for its own
    for job_name, job in document["jobs"].items():
        assert isinstance(job.get("permissions"), dict) and job["permissions"], job_name
        assert "write-all" not in json.dumps(job["permissions"])
        for step in job["steps"]:
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False  # no token left on disk
    if name == "review.yml":
        jobs = document["jobs"]
        assert jobs["validate"]["permissions"] == {
            "contents": "read",
            "security-events": "write",
        }
        assert jobs["roadmap-diff"]["permissions"] == {
            "contents": "read",
            "pull-requests": "write",
        }
    elif name == "publish.yml":
        assert document["jobs"]["build"]["permissions"] == {"contents": "read"}
        assert document["jobs"]["deploy"]["permissions"] == {
            "pages": "write",
            "id-token": "write",
        }
    else:
        jobs = document["jobs"]
        assert jobs["build"]["permissions"] == {"contents": "read"}
        assert jobs["github-release"]["permissions"] == {"contents": "write"}
        assert jobs["package-index"]["permissions"] == {"id-token": "write"}


def test_the_release_runs_on_release_tags_only_and_checks_before_it_publishes() -> None:
    document = workflow("release.yml")
    # PyYAML reads the key "on" as true (YAML 1.1); GitHub reads it as "on"
    assert document[True] == {"push": {"tags": ["v*"]}}
    jobs = document["jobs"]
    assert jobs["github-release"]["needs"] == jobs["package-index"]["needs"] == "build"
    runs = [s["run"] for s in jobs["build"]["steps"] if "run" in s]
    assert any("twine check --strict dist/*" in run for run in runs)
    assert any('"v$version" != "$GITHUB_REF_NAME"' in run for run in runs)
    assert any(run == "python -m build" for run in runs)
    [smoke] = [run for run in runs if "init new-playbook" in run]
    assert "validate --strict" in smoke and "-m mkdocs build --strict" in smoke
    [release] = [s["run"] for s in jobs["github-release"]["steps"] if "run" in s]
    assert release.startswith('gh release create "$GITHUB_REF_NAME" dist/*')


def test_the_release_publishes_with_nothing_but_an_identity() -> None:
    """Trusted publishing: no token is stored; the one job that publishes may ask GitHub for
    an identity token and nothing else, in an environment of its own, and runs nothing but
    the download and the index's publisher."""
    job = workflow("release.yml")["jobs"]["package-index"]
    assert job["environment"] == {"name": "release"}
    uses = [s["uses"].split("@")[0] for s in job["steps"]]
    assert uses == ["actions/download-artifact", INDEX_PUBLISHER]
    assert not any("run" in s or ("with" in s and "password" in s["with"]) for s in job["steps"])


def test_publish_is_one_deployment_at_a_time_and_not_stopped_by_the_calendar() -> None:
    document = workflow("publish.yml")
    assert document["concurrency"]["group"] == "pages"
    assert document["concurrency"]["cancel-in-progress"] is False
    runs = [s["run"] for job in document["jobs"].values() for s in job["steps"] if "run" in s]
    assert not any("--strict" in run for run in runs)
    assert document["jobs"]["deploy"]["needs"] == "build"


def test_review_comments_without_a_third_party_action_and_skips_forks() -> None:
    every = [s for job in workflow("review.yml")["jobs"].values() for s in job["steps"]]
    for step in every:
        uses = step.get("uses", "")
        assert "comment" not in uses.lower(), uses
    [comment] = [s for s in every if s.get("uses", "").startswith("actions/github-script@")]
    assert comment["if"] == FORK_GUARD
    script = comment["with"]["script"]
    assert "updateComment" in script and "createComment" in script
    assert "MARKER" in script and "No roadmap changes" in script
    assert "LIMIT" in script and "REPORT_URL" in script  # a size cap, a link to the whole
    assert comment["env"]["MARKER"] == "${{ steps.diff.outputs.marker }}"
    [sarif] = [s for s in every if "upload-sarif@" in s.get("uses", "")]
    assert sarif["if"] == f"always() && {FORK_GUARD}"
    summaries = [s for s in every if "GITHUB_STEP_SUMMARY" in s.get("run", "")]
    assert len(summaries) == 2 and not any("if" in s and FORK_GUARD in s["if"] for s in summaries)
    validate = [s["run"] for s in steps("review.yml", "validate") if "run" in s]
    assert any("--strict --baseline" in run for run in validate)


class Runner:
    """Runs a workflow's shell steps in a repository, as the runner does (bash -e, pipefail)."""

    def __init__(self, root: Path, scratch: Path, epoch: str) -> None:
        self.root = root
        scratch.mkdir(parents=True)
        self.summary, self.output = scratch / "summary.md", scratch / "output"
        (scratch / "runner").mkdir()
        git(root, "update-ref", "refs/remotes/origin/main", "main")
        self.env = {
            **dated(GIT_ENV),
            "SOURCE_DATE_EPOCH": epoch,
            "GITHUB_ACTIONS": "true",
            "BASE_REF": "main",
            "BASE_SHA": git(root, "rev-parse", "main").strip(),
            "RUNNER_TEMP": str(scratch / "runner"),
            "GITHUB_WORKSPACE": str(root),
            "GITHUB_STEP_SUMMARY": str(self.summary),
            "GITHUB_OUTPUT": str(self.output),
            "NO_MKDOCS_2_WARNING": "1",
            "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        }

    def run(self, command: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", command],
            cwd=self.root,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    def job(self, name: str, job: str) -> dict[str, subprocess.CompletedProcess[str]]:
        """Every shell step of a job but the install, by name, in order."""
        done = {}
        for step in steps(name, job):
            if "run" in step and not step["run"].startswith("pip install"):
                done[step.get("name", step["run"])] = self.run(step["run"])
        return done


@pytest.fixture
def playbook_repo(repo: Path) -> Path:  # noqa: F811
    """The test_diff repository with this repository's site configuration."""
    shutil.copy(REPO / "mkdocs.yml", repo / "mkdocs.yml")
    shutil.copytree(REPO / "content", repo / "content")
    shutil.copytree(REPO / "site_templates", repo / "site_templates")
    return repo


def test_review_fails_for_what_a_branch_introduces(playbook_repo: Path, tmp_path: Path) -> None:
    runner = Runner(playbook_repo, tmp_path / "run", os.environ["SOURCE_DATE_EPOCH"])
    done = runner.job("review.yml", "validate")
    baseline = done["baseline from the base branch"]
    assert baseline.returncode == 0, baseline.stderr
    assert json.loads((playbook_repo / "prepbook-baseline.json").read_text())["findings"] == []
    validate = done["validate (new findings fail, warnings too)"]
    assert validate.returncode == 1
    assert "::warning file=workshops/northwind-retail.yaml" in validate.stdout
    assert "::error file=workshops/northwind-retail.yaml" in validate.stdout
    for name, step in done.items():
        if name != "validate (new findings fail, warnings too)":
            assert step.returncode == 0, (name, step.stderr)
    summary = runner.summary.read_text()
    assert summary.startswith("### prepbook validate")
    assert "    error[PB206]" in summary  # indented: shown as code, never as Markdown
    sarif = json.loads((playbook_repo / "prepbook.sarif").read_text())
    assert {r["baselineState"] for r in sarif["runs"][0]["results"]} == {"new"}

    diff = runner.job("review.yml", "roadmap-diff")
    assert all(step.returncode == 0 for step in diff.values()), diff
    assert (playbook_repo / "roadmap-diff.md").read_text().startswith(MARKER)
    outputs = runner.output.read_text().splitlines()
    assert "changes=true" in outputs and f"marker={MARKER}" in outputs
    assert runner.summary.read_text().count(MARKER) == 1  # the diff in the job summary


def test_review_is_not_failed_by_the_calendar(playbook_repo: Path, tmp_path: Path) -> None:
    """A year after the examples' review dates: a branch that changes no workshop passes,
    and the replanning branch fails for its own findings only."""
    git(playbook_repo, "checkout", "-q", "-b", "notes", "main")
    (playbook_repo / "NOTES.md").write_text("Notes\n")
    git(playbook_repo, "add", "NOTES.md")
    git(playbook_repo, "commit", "-q", "-m", "Notes")
    runner = Runner(playbook_repo, tmp_path / "notes", AFTER_REVIEWS)
    done = runner.job("review.yml", "validate")
    assert all(step.returncode == 0 for step in done.values()), done
    validate = done["validate (new findings fail, warnings too)"]
    assert "known warning[PB360]" in validate.stdout and "::" not in validate.stdout
    diff = runner.job("review.yml", "roadmap-diff")
    assert all(step.returncode == 0 for step in diff.values()), diff
    assert "changes=false" in runner.output.read_text().splitlines()

    git(playbook_repo, "checkout", "-q", "replan")
    runner = Runner(playbook_repo, tmp_path / "replan", AFTER_REVIEWS)
    validate = runner.job("review.yml", "validate")["validate (new findings fail, warnings too)"]
    assert validate.returncode == 1
    annotated = [line for line in validate.stdout.splitlines() if line.startswith("::")]
    assert annotated and not any("PB360" in line for line in annotated)
    assert "known warning[PB360]" in validate.stdout


def test_publish_is_not_stopped_by_the_calendar(playbook_repo: Path, tmp_path: Path) -> None:
    git(playbook_repo, "checkout", "-q", "main")
    a_year_later = {
        "GIT_AUTHOR_DATE": "2028-01-01T12:00:00Z",
        "GIT_COMMITTER_DATE": "2028-01-01T12:00:00Z",
    }
    subprocess.run(
        ["git", "commit", "-q", "--allow-empty", "-m", "A year later"],
        cwd=playbook_repo,
        env={**GIT_ENV, **a_year_later},
        check=True,
    )
    runner = Runner(playbook_repo, tmp_path / "publish", os.environ["SOURCE_DATE_EPOCH"])
    done = runner.job("publish.yml", "build")
    assert all(step.returncode == 0 for step in done.values()), done
    assert (playbook_repo / "site" / "playbook" / "index.html").is_file()
    assert "PB360" in done["build"].stderr  # judged on the commit's date, and shown
    assert "warning[PB360]" in runner.summary.read_text()


def test_the_package_states_one_version() -> None:
    """The release checks its tag against pyproject.toml; --version, the pins init writes and
    the report's tool version read prepbook.__version__: the two must be the same."""
    import tomllib

    from prepbook import __version__

    declared = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert declared["project"]["version"] == __version__
