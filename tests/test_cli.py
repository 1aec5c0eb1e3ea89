"""The command line as a user runs it: exit codes, formats, paths, and no tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import minimal


def test_clean_playbook_exits_0(playbook, cli) -> None:
    root = playbook({"mini.yaml": minimal()})
    result = cli("validate", cwd=root)
    assert result.code == 0, result.out
    assert result.out.strip() == "checked 1 file: 0 errors, 0 warnings, 0 info"


def test_errors_exit_1_with_rustc_style_report(playbook, cli) -> None:
    text = minimal().replace("requires: [crm]", "requires: [crn]")
    line = text.splitlines().index("    requires: [crn]") + 1
    root = playbook({"mini.yaml": text})
    result = cli("validate", "--colour", "never", cwd=root)
    assert result.code == 1
    assert result.out.splitlines()[:8] == [
        "error[PB204]: no audited asset has the id 'crn'",
        f"  --> workshops/mini.yaml:{line}:16  (priorities[0].requires[0])",
        "    |",
        f" {line} |     requires: [crn]",
        "    |                ^^^",
        "   = expected: the id of an audited asset (listed under audit)",
        "   = hint: did you mean 'crm'?",
        "",
    ]
    assert "Traceback" not in result.out + result.err
    assert "\x1b[" not in result.out


def test_warnings_exit_0_unless_strict(playbook, cli) -> None:
    root = playbook({"mini.yaml": minimal().replace("decider: dan\n", "")})
    assert cli("validate", cwd=root).code == 0
    strict = cli("validate", "--strict", cwd=root)
    assert strict.code == 1 and "warning[PB302]" in strict.out


def test_json_format(playbook, cli) -> None:
    root = playbook({"mini.yaml": minimal().replace("function: product", "function: sales")})
    result = cli("validate", "--format", "json", cwd=root)
    assert result.code == 1
    document = json.loads(result.out)
    assert document["summary"] == {"error": 1, "warning": 0, "info": 0, "follows": 0}
    assert document["files"] == ["workshops/mini.yaml"]
    [finding] = document["findings"]
    assert finding["rule"] == "PB103" and finding["severity"] == "error"
    assert finding["span"] == {"line": 10, "column": 15, "end_line": 10, "end_column": 20}
    assert finding["yaml_path"] == "team[0].function"
    assert finding["source_line"] == "    function: sales"
    assert document["rules"]["PB103"]["name"] == "invalid-value"


def test_explicit_paths_use_the_folder_as_context(playbook, cli) -> None:
    one = minimal("one").replace("requires: [crm]", "requires: [crm, two/crm]")
    root = playbook(
        {"one.yaml": one, "two.yaml": minimal("two").replace("status: held", "status: x")}
    )
    result = cli("validate", "workshops/one.yaml", cwd=root)
    # two.yaml is broken but was not asked about; one.yaml's reference into it is not blamed
    assert result.code == 0, result.out
    assert "checked 1 file" in result.out


def test_usage_problems_exit_2(playbook, cli, tmp_path: Path) -> None:
    root = playbook({"mini.yaml": minimal()})
    missing = cli("validate", "nowhere.yaml", cwd=root)
    assert missing.code == 2 and "no such file or folder: nowhere.yaml" in missing.err
    assert cli("validate", "--format", "xml", cwd=root).code == 2
    assert cli("frobnicate", cwd=root).code == 2
    (root / "bad.yml").write_text("plugins: [\n")
    bad_config = cli("--config", "bad.yml", "validate", cwd=root)
    assert bad_config.code == 2 and "not valid YAML" in bad_config.err


def test_settings_come_from_mkdocs_yml(playbook, cli) -> None:
    root = playbook()
    (root / "plays").mkdir()
    (root / "plays" / "mini.yaml").write_text(minimal())
    (root / "mkdocs.yml").write_text(
        "site_name: x\nmarkdown_extensions:\n  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "plugins:\n  - search\n  - prepbook:\n      workshops: plays\n      max_file_bytes: 100\n"
    )
    result = cli("validate", cwd=root)
    assert result.code == 1 and "PB003" in result.out and "plays/mini.yaml" in result.out


def test_hostile_text_cannot_reach_the_terminal(playbook, cli) -> None:
    root = playbook(
        {
            "mini.yaml": minimal().replace(
                "title: Minimal workshop", 'title: "\\e[31mred\\e[0m"\ntitel: x'
            )
        }
    )
    result = cli("validate", cwd=root)
    assert result.code == 1
    assert "\x1b" not in result.out


def test_long_lines_are_cut_around_the_problem(playbook, cli) -> None:
    text = minimal().replace(
        "title: Minimal workshop",
        "title: Minimal workshop\nsummary: " + "x" * 200_000 + "\nstatuz: held",
    )
    root = playbook({"mini.yaml": text})
    result = cli("validate", cwd=root)
    assert result.code == 1
    assert max(len(line) for line in result.out.splitlines()) < 400


def test_every_example_file_problem_in_one_run(playbook, cli) -> None:
    broken = (
        minimal()
        .replace("function: product", "function: sales")
        .replace("requires: [crm]", "requires: [crn]")
    )
    root = playbook({"mini.yaml": broken, "empty.yaml": "", "list.yaml": "- a\n"})
    result = cli("validate", cwd=root)
    assert result.code == 1
    assert result.out.count("error[") == 4
    assert "checked 3 files: 4 errors" in result.out


def test_output_to_a_pipe_writes_into_it_and_leaves_it_a_pipe(playbook, cli) -> None:
    """``--output /dev/null`` or a named pipe: written into, never replaced by a file (the
    atomic write that protects a report file would destroy a device)."""
    import os
    import stat
    import threading

    root = playbook(examples=True)
    (root / "mkdocs.yml").write_text("site_name: x\nplugins:\n  - prepbook\n")
    pipe = root / "report.pipe"
    os.mkfifo(pipe)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()), daemon=True)
    reader.start()
    done = cli("validate", "--format", "json", "--output", str(pipe), cwd=root)
    reader.join(timeout=10)
    assert done.code == 0, done.err
    assert stat.S_ISFIFO(pipe.stat().st_mode)
    assert json.loads(received[0])["version"] == 1
