"""One convention for the whole command line: the same shared options in every command
(``--config`` before or after its name, ``-q``, ``-v``), ``--output`` (alias ``--out``)
wherever a result is written, ``--colour`` wherever findings or a diff are printed, with
NO_COLOR and FORCE_COLOR honoured in the same order, and the same exit codes.

What ``--help`` says is read off the parser, and so is the README's table of options.
"""

from __future__ import annotations

import json
import os
import pty
import re
import select
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from prepbook.cli import EXIT_CODES, build_parser
from prepbook.docs import schema
from prepbook.docs.cli_table import between_markers, commands_of, options_table
from tests.conftest import REPO, dated, minimal

COMMANDS = (
    "validate",
    "refresh",
    "schema",
    "docs",
    "generate",
    "index",
    "print",
    "diff",
    "show",
    "new",
    "fetch",
    "init",
)
# the commands that write a result somewhere, and those that print findings or a diff
WRITES_OUTPUT = {"validate", "schema", "docs", "generate", "print", "diff", "show"}
PRINTS_FINDINGS = {"validate", "generate", "print", "diff", "new"}
OUR_COLOUR = re.compile(r"\x1b\[(31|33|36)(;1)?m")


@dataclass
class Run:
    code: int
    out: str
    err: str


def base_env(home: Path) -> dict[str, str]:
    """An environment with no colour preference of its own: the tests set each one."""
    return dated({"PATH": os.environ["PATH"], "LANG": "C.UTF-8", "HOME": str(home)})


def prepbook(cwd: Path, *args: str, env: dict[str, str] | None = None) -> Run:
    done = subprocess.run(
        [sys.executable, "-m", "prepbook", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={**base_env(cwd), "TERM": "xterm", **(env or {})},
    )
    return Run(done.returncode, done.stdout, done.stderr)


def on_a_terminal(cwd: Path, *args: str, env: dict[str, str] | None = None) -> Run:
    """The command with its standard output on a pseudo-terminal, as a person runs it."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "prepbook", *args],
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=subprocess.PIPE,
        env={**base_env(cwd), "TERM": "xterm", **(env or {})},
    )
    os.close(follower)
    received = b""
    deadline = time.monotonic() + 120  # a hang, not a slowness
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 1)
        if not ready:
            if process.poll() is not None:
                break
            continue
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        received += chunk
    os.close(leader)
    err = process.stderr.read().decode() if process.stderr else ""
    code = process.wait(timeout=120)
    return Run(code, received.decode().replace("\r\n", "\n"), err)


def site(root: Path) -> Path:
    """A playbook with one workshop that has an error (a finding to colour), and beside it
    an earlier copy of its workshops (a diff to colour, of every level)."""
    (root / "workshops").mkdir(parents=True)
    (root / "before").mkdir()
    (root / "mkdocs.yml").write_text("site_name: x\nplugins:\n  - prepbook\n")
    (root / "before" / "mini.yaml").write_text(minimal())
    changed = (
        minimal()
        .replace("status: committed", "status: candidate")
        .replace("      delivers: [offers]\n", "")
        .replace("scenario: Too much is known.", "scenario: Far too much is known.")
        .replace("requires: [crm]", "requires: [crn]")
    )
    (root / "workshops" / "mini.yaml").write_text(changed)
    return root


class TestHelp:
    """Every command's --help shows the shared options, and every option says what it
    does."""

    @pytest.mark.parametrize("command", COMMANDS)
    def test_help_shows_the_shared_options(self, tmp_path: Path, command: str) -> None:
        shown = prepbook(tmp_path, command, "--help")
        assert shown.code == 0, shown.err
        text = shown.out
        for option in ("--config FILE", "-q, --quiet", "-v, --verbose"):
            assert option in text, (command, option)
        output = re.search(r"--output (FILE|DIR), --out (FILE|DIR)", text) is not None
        assert output == (command in WRITES_OUTPUT), command
        colour = "--colour {auto,always,never}, --color {auto,always,never}"
        assert (colour in text) == (command in PRINTS_FINDINGS), command

    def test_every_option_of_every_command_has_help(self) -> None:
        parser = build_parser()
        assert tuple(commands_of(parser)) == COMMANDS  # a new command joins the convention
        silent = [
            f"{name} {action.option_strings or action.dest}"
            for name, sub in [("prepbook", parser), *commands_of(parser).items()]
            for action in sub._actions
            if not action.help or action.help == "==SUPPRESS=="
        ]
        assert silent == []

    def test_the_top_level_help_states_the_exit_codes(self, tmp_path: Path) -> None:
        shown = prepbook(tmp_path, "--help")
        assert shown.code == 0
        flat = " ".join(shown.out.split())
        assert "exit codes, the same for every command:" in flat
        for code, meaning in EXIT_CODES.items():
            assert f"{code} {meaning}" in flat, code
        assert set(EXIT_CODES) == {0, 1, 2, 3}

    def test_schema_help_names_every_published_schema(self, tmp_path: Path) -> None:
        flat = " ".join(prepbook(tmp_path, "schema", "--help").out.split())
        for path, published in schema.SCHEMAS.items():
            assert f"{schema.schema_name(path)}" in flat
            assert published.title in flat, published.title
        assert len(schema.SCHEMAS) == 4


class TestOptionsTable:
    """The README's table of options is rendered from the parser: it cannot fall behind."""

    def test_the_table_holds_every_option_and_its_help(self) -> None:
        parser = build_parser()
        table = options_table(parser)
        for name, sub in commands_of(parser).items():
            assert f"| `prepbook {name}` |" in table
            for action in sub._actions:
                for spelling in action.option_strings:
                    assert f"`{spelling}" in table, (name, spelling)
                assert (action.help or "").replace("|", "\\|") in table, (name, action.dest)
        rows = [line for line in table.splitlines() if line.startswith("| every command |")]
        assert [row.split(" | ")[1] for row in rows] == [
            "`-h` (`--help`)",
            "`--config FILE`",
            "`-q` (`--quiet`)",
            "`-v` (`--verbose`)",
        ]

    def test_the_readme_holds_the_table_between_its_markers(self) -> None:
        held = between_markers((REPO / "README.md").read_text(encoding="utf-8"))
        if held is None:
            pytest.skip("README.md has no '<!-- prepbook: cli table -->' markers yet")
        assert held == options_table(build_parser()), (
            "the README's CLI table differs from the parser: paste the output of "
            "prepbook.docs.cli_table.options_table(build_parser()) between the markers"
        )

    def test_between_markers_reads_what_they_enclose(self) -> None:
        text = "intro\n<!-- prepbook: cli table -->\n| a |\n<!-- /prepbook: cli table -->\nend"
        assert between_markers(text) == "| a |\n"
        assert between_markers("no markers at all") is None


class TestSharedOptions:
    def test_config_before_or_after_the_command(self, tmp_path: Path) -> None:
        project = tmp_path / "project"
        (project / "plays").mkdir(parents=True)
        (project / "mkdocs.yml").write_text(
            "site_name: x\ndocs_dir: content\nplugins:\n  - prepbook:\n      workshops: plays\n"
        )
        (project / "plays" / "mini.yaml").write_text(minimal())
        (tmp_path / "before").mkdir()
        config = "project/mkdocs.yml"
        for args in (("--config", config, "validate"), ("validate", "--config", config)):
            done = prepbook(tmp_path, *args)
            assert done.code == 0 and "checked 1 file" in done.out, (args, done.err)
        # given twice, the one after the command's name is the one that counts
        twice = prepbook(tmp_path, "--config", "nowhere.yml", "validate", "--config", config)
        assert twice.code == 0, twice.err
        # and every command takes it there
        runs = {
            "show": ("show", "project/plays/mini.yaml", "--config", config),
            "new": ("new", "fresh", "--config", config),
            "schema": ("schema", "--check", "--config", config),
            "docs": ("docs", "--check", "--config", config),
            "diff": ("diff", "before", "project/plays", "--config", config),
            "generate": ("generate", "--output", "out", "--config", config),
        }
        for name, args in runs.items():
            done = prepbook(tmp_path, *args)
            assert done.code in (0, 1), (name, done.err)
            assert "unrecognized arguments" not in done.err, name
        assert (project / "plays" / "fresh.yaml").is_file()  # the configured folder
        checked = prepbook(tmp_path, "schema", "--check", "--config", config)
        assert "project/content/schema/workshop.schema.json is missing" in checked.err

    def test_quiet_leaves_only_errors_on_standard_error(self, tmp_path: Path) -> None:
        root = tmp_path
        (root / "workshops").mkdir()
        (root / "mkdocs.yml").write_text("site_name: x\nplugins:\n  - prepbook\n")
        (root / "workshops" / "mini.yaml").write_text(minimal().replace("decider: dan\n", ""))
        loud = prepbook(root, "validate")
        for args in (("-q", "validate"), ("validate", "-q"), ("validate", "--quiet")):
            quiet = prepbook(root, *args)
            assert (quiet.code, quiet.out, quiet.err) == (loud.code, loud.out, ""), args
        created = prepbook(root, "new", "fresh", "-q")
        assert created.code == 0 and created.err == ""
        assert "warning[PB301]" in created.out  # the result still goes to stdout
        assert (root / "workshops" / "fresh.yaml").is_file()
        for args in (
            ("schema", "--output", "schema.json", "-q"),
            ("docs", "--output", "reference", "-q"),
            ("generate", "--output", "out", "-q"),  # a warning alone is not an error
            ("init", "new-playbook", "-q"),
        ):
            done = prepbook(root, *args)
            assert (done.code, done.err) == (0, ""), (args, done.err)
        assert (root / "schema.json").is_file() and (root / "out" / "index.md").is_file()
        # errors still show
        missing = prepbook(root, "validate", "-q", "nowhere.yaml")
        assert missing.code == 2 and "no such file or folder: nowhere.yaml" in missing.err
        both = prepbook(root, "-q", "validate", "-v")
        assert both.code == 2 and "cannot be used together" in both.err

    def test_verbose_says_which_playbook_and_how_long(self, tmp_path: Path) -> None:
        root = site(tmp_path)
        done = prepbook(root / "workshops", "validate", "-v")
        assert done.code == 1
        assert f"read the settings from {(root / 'mkdocs.yml').resolve()}" in done.err
        assert re.search(r"done in \d+\.\d\d s \(exit 1\)", done.err), done.err
        compared = prepbook(root, "-v", "diff", "before", "workshops")
        assert "compared before with workshops" in compared.err, compared.err

    def test_output_is_the_name_and_out_its_alias_everywhere(self, tmp_path: Path) -> None:
        root = site(tmp_path)
        for spelling in ("--output", "--out"):
            for command, args in {
                "validate": ("validate", "--format", "json"),
                "diff": ("diff", "before", "workshops", "--format", "json"),
                "schema": ("schema",),
                "show": ("show", "before/mini.yaml"),
            }.items():
                target = root / f"{command}{spelling}.txt"
                done = prepbook(root, *args, spelling, target.name)
                assert done.code in (0, 1) and done.out == "", (command, spelling, done.err)
                assert target.read_text(), (command, spelling)
            docs = prepbook(root, "docs", spelling, f"docs{spelling}")
            assert docs.code == 0 and any((root / f"docs{spelling}").rglob("*.md"))
        json.loads((root / "validate--out.txt").read_text())

    def test_refusing_to_overwrite_is_exit_2_in_every_command(self, tmp_path: Path) -> None:
        root = tmp_path
        (root / "workshops").mkdir()
        (root / "mkdocs.yml").write_text("site_name: x\nplugins:\n  - prepbook\n")
        (root / "workshops" / "taken.yaml").write_text(minimal("taken"))
        (root / "notes").mkdir()
        (root / "notes" / "mine.md").write_text("mine\n")
        refusals = {
            "new": prepbook(root, "new", "taken"),
            "init": prepbook(root, "init", "."),
            "generate": prepbook(root, "generate", "--output", "notes"),
        }
        for command, done in refusals.items():
            assert done.code == 2, (command, done.err)
            assert done.err.startswith(f"prepbook {command}: ") and done.err.count("\n") == 1
        assert (root / "workshops" / "taken.yaml").read_text() == minimal("taken")
        assert (root / "notes" / "mine.md").read_text() == "mine\n"


# (stdout on a terminal, environment, arguments): whether the output is coloured
PRECEDENCE = [
    (False, {}, (), False),
    (False, {"FORCE_COLOR": "1"}, (), True),
    (False, {"FORCE_COLOR": ""}, (), False),
    (False, {"FORCE_COLOR": "1"}, ("--colour", "never"), False),
    (False, {}, ("--color", "always"), True),
    (True, {}, (), True),
    (True, {"TERM": "dumb"}, (), False),
    (True, {"NO_COLOR": "1"}, (), False),
    (True, {"NO_COLOR": ""}, (), True),
    (True, {"NO_COLOR": "1"}, ("--colour", "always"), True),
    (True, {"NO_COLOR": "1", "FORCE_COLOR": "1"}, (), True),
    (True, {}, ("--colour", "never"), False),
]


def _colour_mismatches(root: Path, *command: str) -> list[str]:
    wrong = []
    for terminal, env, args, expected in PRECEDENCE:
        runner = on_a_terminal if terminal else prepbook
        done = runner(root, *command, *args, env=env)
        assert done.code == 1, (command, env, args, done.err)
        painted = OUR_COLOUR.search(done.out) is not None
        if painted != expected:
            place = "terminal" if terminal else "pipe"
            wrong.append(f"{place} {env} {args}: coloured={painted}, expected {expected}")
    return wrong


class TestColour:
    def test_validate_follows_the_precedence(self, tmp_path: Path) -> None:
        root = site(tmp_path)
        assert _colour_mismatches(root, "validate") == []

    def test_diff_follows_the_precedence(self, tmp_path: Path) -> None:
        root = site(tmp_path)
        assert _colour_mismatches(root, "diff", "before", "workshops", "--fail-on", "info") == []

    def test_diff_colours_each_level_and_nothing_else(self, tmp_path: Path) -> None:
        root = site(tmp_path)
        plain = prepbook(root, "diff", "before", "workshops").out
        painted = on_a_terminal(root, "diff", "before", "workshops").out
        assert "\x1b[31;1mmajor\x1b[0m" in painted
        assert "\x1b[33;1mminor\x1b[0m" in painted
        assert "\x1b[36;1minfo\x1b[0m" in painted
        # take the colour away and the text is the same, byte for byte, columns included
        assert re.sub(r"\x1b\[[0-9;]*m", "", painted) == plain
        assert painted.count("\x1b[") == 2 * plain.count("\n  ")

    def test_diff_colour_only_in_text_to_a_terminal(self, tmp_path: Path) -> None:
        root = site(tmp_path)
        assert OUR_COLOUR.search(on_a_terminal(root, "diff", "before", "workshops").out)
        for fmt in ("markdown", "markdown-full", "json"):
            done = on_a_terminal(root, "diff", "before", "workshops", "--format", fmt)
            assert done.code == 0 and "\x1b" not in done.out, fmt
            forced = prepbook(
                root, "diff", "before", "workshops", "--format", fmt, "--colour", "always"
            )
            assert "\x1b" not in forced.out, fmt
        written = on_a_terminal(
            root, "diff", "before", "workshops", "--output", "d.txt", env={"FORCE_COLOR": "1"}
        )
        assert written.code == 0 and written.out == ""
        text = (root / "d.txt").read_text()
        assert "major" in text and "\x1b" not in text
        validated = on_a_terminal(root, "validate", "--output", "r.txt", "--colour", "always")
        assert validated.code == 1 and "\x1b" not in (root / "r.txt").read_text()

    def test_a_files_escape_sequences_never_survive_the_colour(self, tmp_path: Path) -> None:
        root = site(tmp_path)
        (root / "workshops" / "bad\x1b]0;pwned\x07.yaml").write_text("id: [\n")
        for command in (
            ("diff", "before", "workshops"),
            ("validate",),
        ):
            done = on_a_terminal(root, *command)
            assert OUR_COLOUR.search(done.out), command  # ours are there
            foreign = re.sub(r"\x1b\[[0-9;]*m", "", done.out)
            assert "\x1b" not in foreign and "\x07" not in foreign, command
            assert "bad\N{REPLACEMENT CHARACTER}]0;pwned" in done.out, command
