"""``prepbook fetch`` against a fake ``gh`` on the PATH: a script in tmp_path that records
its arguments and prints fixture JSON. No test here reaches the network."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from prepbook.config import Settings
from prepbook.trackers.sources import ISSUE_FIELDS, parse_sources

ISSUES = [
    {
        "number": 12,
        "title": "Renewal offers",
        "state": "OPEN",
        "stateReason": "",
        "closedAt": None,
        "milestone": None,
        "labels": [],
        "assignees": [],
        "url": "https://github.com/acme/web/issues/12",
    }
]
CLOSED = [
    {
        **ISSUES[0],
        "state": "CLOSED",
        "stateReason": "COMPLETED",
        "closedAt": "2026-12-20T10:00:00Z",
    },
    {**ISSUES[0], "number": 13, "url": "https://github.com/acme/web/issues/13"},
]
PROJECT = {"items": [], "totalCount": 0}

FAKE_GH = """#!{python}
import json, os, sys
with open(os.environ["FAKE_GH_LOG"], "a") as log:
    log.write(json.dumps(sys.argv[1:]) + "\\n")
if sys.argv[1:3] == ["issue", "list"]:
    sys.stdout.write(open(os.environ["FAKE_GH_ISSUES"]).read())
elif sys.argv[1:3] == ["project", "item-list"]:
    sys.stdout.write(open(os.environ["FAKE_GH_PROJECT"]).read())
elif sys.argv[1:3] == ["pr", "create"]:
    print("https://github.com/acme/playbook/pull/7")
else:
    sys.stderr.write("unknown command\\n")
    sys.exit(4)
"""

CONFIG = """site_name: T
plugins:
  - prepbook:
      tracker_sources:
        web-issues.json: github:acme/web
        roadmap.json: github-project:acme/3
"""


@pytest.fixture
def fake_gh(tmp_path: Path) -> dict[str, str]:
    """The environment of a run whose ``gh`` is the fake one."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    gh = bin_dir / "gh"
    gh.write_text(FAKE_GH.format(python=sys.executable))
    gh.chmod(gh.stat().st_mode | stat.S_IXUSR)
    issues, project = tmp_path / "issues.json", tmp_path / "project.json"
    issues.write_text(json.dumps(ISSUES))
    project.write_text(json.dumps(PROJECT))
    return {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "FAKE_GH_LOG": str(tmp_path / "gh.log"),
        "FAKE_GH_ISSUES": str(issues),
        "FAKE_GH_PROJECT": str(project),
    }


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "workshops").mkdir(parents=True)
    (root / "mkdocs.yml").write_text(CONFIG)
    return root


def calls(env: dict[str, str]) -> list[list[str]]:
    log = Path(env["FAKE_GH_LOG"])
    return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []


class TestFetch:
    def test_it_runs_gh_with_the_fixed_arguments_and_writes_the_exports(
        self, cli, site: Path, fake_gh: dict[str, str]
    ) -> None:
        done = cli("fetch", cwd=site, env=fake_gh)
        assert done.code == 0, done.err
        assert calls(fake_gh) == [
            ["project", "item-list", "3", "--owner", "acme", "--format", "json", "--limit", "1000"],
            [
                "issue",
                "list",
                "--repo",
                "acme/web",
                "--state",
                "all",
                "--limit",
                "1000",
                "--json",
                ISSUE_FIELDS,
            ],
        ]
        assert json.loads((site / "trackers/web-issues.json").read_text()) == ISSUES
        taken = (site / "trackers/web-issues.json.taken").read_text().strip()
        assert taken.endswith("Z") and taken[:4].isdigit()
        assert "trackers/web-issues.json: github:acme/web#12 is new (todo)" in done.out
        # what it wrote is read by the build with no problem
        assert cli("validate", cwd=site, env=fake_gh).code == 0

    def test_it_prints_what_the_tracker_says_now(
        self, cli, site: Path, fake_gh: dict[str, str]
    ) -> None:
        assert cli("fetch", cwd=site, env=fake_gh).code == 0
        Path(fake_gh["FAKE_GH_ISSUES"]).write_text(json.dumps(CLOSED))
        done = cli("fetch", "-q", cwd=site, env=fake_gh)
        assert done.code == 0, done.err
        assert done.out.splitlines() == [
            "trackers/web-issues.json: github:acme/web#12 todo -> done",
            "trackers/web-issues.json: github:acme/web#13 is new (todo)",
        ]

    def test_an_answer_that_is_no_export_leaves_the_file_as_it_was(
        self, cli, site: Path, fake_gh: dict[str, str]
    ) -> None:
        assert cli("fetch", cwd=site, env=fake_gh).code == 0
        before = (site / "trackers/web-issues.json").read_bytes()
        Path(fake_gh["FAKE_GH_ISSUES"]).write_text("<html>rate limited</html>")
        done = cli("fetch", cwd=site, env=fake_gh)
        assert done.code == 1
        assert "trackers/web-issues.json: gh's answer is not JSON; the file is left as it was" in (
            done.err
        )
        assert "Traceback" not in done.err
        assert (site / "trackers/web-issues.json").read_bytes() == before
        assert not list((site / "trackers").glob(".*.writing"))

    def test_without_gh_it_says_how_to_get_it(self, cli, site: Path, tmp_path: Path) -> None:
        env = {**os.environ, "PATH": str(tmp_path / "nothing")}
        done = cli("fetch", cwd=site, env=env)
        assert done.code == 1
        assert "gh is not installed or not on the PATH" in done.err

    def test_no_sources_is_a_usage_problem(self, cli, site: Path, fake_gh) -> None:
        (site / "mkdocs.yml").write_text("site_name: T\nplugins:\n  - prepbook\n")
        done = cli("fetch", cwd=site, env=fake_gh)
        assert done.code == 2 and "tracker_sources" in done.err
        assert calls(fake_gh) == []

    def test_it_never_writes_through_a_link_out_of_the_folder(
        self, cli, site: Path, fake_gh: dict[str, str], tmp_path: Path
    ) -> None:
        outside = tmp_path / "precious.json"
        outside.write_text("keep")
        (site / "trackers").mkdir()
        (site / "trackers/web-issues.json").symlink_to(outside)
        done = cli("fetch", cwd=site, env=fake_gh)
        assert done.code == 1 and "is a link" in done.err
        assert outside.read_text() == "keep"

    @pytest.mark.parametrize(
        ("file", "spec", "words"),
        [
            ("../escape.json", "github:acme/web", "no '..'"),
            ("/etc/issues.json", "github:acme/web", "an export's file"),
            ("issues.csv", "github:acme/web", "is a .json file"),
            ("jira.csv", "jira:http://jira.example/export.csv", "not a source"),
            ("x.json", "github:acme/web; rm -rf /", "not a source"),
        ],
    )
    def test_the_option_refuses_what_fetch_must_not_do(self, file, spec, words) -> None:
        with pytest.raises(ValueError, match=words):
            Settings(tracker_sources={file: spec})

    def test_a_jira_source_parses_to_its_address(self) -> None:
        [source] = parse_sources({"jira.csv": "jira:https://acme.atlassian.net/sr/x.csv?a=1"})
        assert (source.kind, source.url, source.command(5)) == (
            "jira-csv",
            "https://acme.atlassian.net/sr/x.csv?a=1",
            None,
        )


def test_pr_commits_only_the_exports_on_a_branch_and_opens_a_request(
    cli, site: Path, fake_gh: dict[str, str], tmp_path: Path
) -> None:
    remote = tmp_path / "remote.git"
    git = ["git", "-c", "user.name=T", "-c", "user.email=t@example.com"]
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=site, check=True)
    (site / "notes.txt").write_text("not for the request")
    subprocess.run([*git, "add", "mkdocs.yml"], cwd=site, check=True)
    subprocess.run([*git, "commit", "-qm", "start"], cwd=site, check=True)
    subprocess.run(["git", "remote", "add", "origin", str(remote)], cwd=site, check=True)
    env = {
        **fake_gh,
        "GIT_AUTHOR_NAME": "T",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "T",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    done = cli("fetch", "--pr", cwd=site, env=env)
    assert done.code == 0, done.err
    assert "opened https://github.com/acme/playbook/pull/7" in done.err
    [create] = [c for c in calls(fake_gh) if c[:2] == ["pr", "create"]]
    assert create[2:4] == ["--head", "prepbook-fetch-2027-01-01"]
    assert "github:acme/web#12 is new (todo)" in create[-1]
    shown = subprocess.run(
        ["git", "show", "--name-only", "--format=%s", "prepbook-fetch-2027-01-01"],
        cwd=remote,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert sorted(shown[5:]) == [
        "trackers/roadmap.json",
        "trackers/roadmap.json.taken",
        "trackers/web-issues.json",
        "trackers/web-issues.json.taken",
    ]
