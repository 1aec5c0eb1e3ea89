"""Input that would cost without bound: a file of 70,000 findings, an entry of the workshops
folder that is no file (a named pipe, a socket, a device named on the command line, a loop
of links). Each case asserts its exact outcome: the rule and line of its finding, the
closing finding of the cap and its count, the exit code, no traceback, the last good site
intact; the harness's timeout bounds a hang. Nothing here is timed: ``python -m bench``
measures how the cost grows with the number of findings.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from prepbook.cap import MAX_FINDINGS_PER_FILE
from prepbook.load import regular
from prepbook.load.source import load_source
from tests.conftest import dated, minimal
from tests.hostile.conftest import ENV, MKDOCS_YML, Attack, Run, Special, run_module
from tests.serving import LOCAL_HOST, fetch, free_port, mkdocs_serve, wait_until

GOOD = minimal("attacked")
NAME = "attacked.yaml"
FILE = f"workshops/{NAME}"
NOT_BUILT = "the site was not built"  # the error page's heading under mkdocs serve


def top_level_keys(n: int, workshop: str = "attacked") -> str:
    """``id:`` and ``n`` keys no workshop has, one a line from line 2."""
    return f"id: {workshop}\n" + "".join(f"k{i:05d}: 1\n" for i in range(n))


def keys_in_a_record(n: int) -> str:
    """The good workshop with ``n`` unknown keys in its first team member."""
    return GOOD.replace("    name: Fay\n", "    name: Fay\n" + _keys(n, "    "), 1)


def _keys(n: int, indent: str) -> str:
    return "".join(f"{indent}k{i:05d}: 1\n" for i in range(n))


def _priority(i: int) -> str:
    ident = "offers" if i == 0 else f"p{i:03d}"
    bad = ", ".join(f"Bad-{i}-{j}" for j in range(16))
    return (
        f"  - id: {ident}\n    title: Priority {i}\n    status: committed\n    recipe:\n"
        "      trigger: a renewal is due\n      audience: loyal customers\n"
        "      context: the renewal e-mail\n      content: an offer they asked for\n"
        f"      measure: renewals kept\n    requires: [{bad}]\n    measured_by: [churn]\n"
    )


def bad_list_items() -> str:
    """500 priorities (as many as a list holds), each requiring 16 records by ids that are
    no ids: 8,000 list items with a bad value, each found by the schema."""
    head, rest = GOOD.split("priorities:\n")
    return (
        head
        + "priorities:\n"
        + "".join(map(_priority, range(500)))
        + rest[rest.index("roadmap:") :]
    )


def many_warnings(n: int = 150) -> str:
    """A valid workshop committed to ``n`` priorities that no asset, metric, persofail or
    step backs: four method warnings each. The last one's recipe also lacks its measure,
    a rule broken nowhere else, and only past the cap."""
    head, rest = GOOD.split("priorities:\n")
    recipe = (
        "    recipe:\n      trigger: t\n      audience: a\n      context: c\n      content: c\n"
    )
    priorities = "".join(
        f"  - id: q{i:03d}\n    title: Priority {i}\n    status: committed\n"
        + recipe
        + ("" if i == n - 1 else "      measure: m\n")
        for i in range(n)
    )
    kept, roadmap = rest.split("roadmap:")
    return f"{head}priorities:\n{kept}{priorities}roadmap:{roadmap}"


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def blocks(report: str) -> list[str]:
    """The findings of a text report, each its block, and the summary line last."""
    return report.rstrip("\n").split("\n\n")


def failed_alike(result: Attack) -> None:
    """What every refused input shares: exit 1 from both commands, no traceback, the
    build stopped on the findings, and the last good site as it was."""
    for run in (result.validate, result.build):
        assert run.code == 1, (run.out[-2000:], run.err[-2000:])
        assert "Traceback" not in run.out + run.err
    assert "nothing was built" in result.build.err
    assert result.site_after == result.site_before


def closing(block: str, count: int, line: int, column: int) -> None:
    assert block.startswith(f"error[PB010]: and {count:,} more problems in this file\n"), block
    assert f"  --> {FILE}:{line}:{column}\n" in block
    assert "   = hint: fix the problems listed first and run again" in block


class TestFindingsPastTheCap:
    """A file of a finding a line: its first 100 findings listed, the rest counted by one
    closing finding where the first one left out stands, in every output."""

    def test_unknown_keys_at_the_top_level(self, attack: Callable[..., Attack]) -> None:
        result = attack("70000-unknown-keys-top-level", {NAME: top_level_keys(70_000)})
        failed_alike(result)
        found = blocks(result.validate.out)
        assert len(found) == MAX_FINDINGS_PER_FILE + 2  # the findings, the closing, the summary
        # three required keys are missing (at the mapping, line 1), then k00000 from line 2
        assert [b.split("]")[0] for b in found[:4]] == ["error[PB102"] * 3 + ["error[PB101"]
        assert f"  --> {FILE}:1:1" in found[0]
        assert f"  --> {FILE}:2:1  (k00000)" in found[3]
        assert f"  --> {FILE}:98:1  (k00096)" in found[99]
        closing(found[100], 69_903, 99, 1)  # k00097, the first key not listed
        assert found[101] == (
            "checked 2 files: 70003 errors, 0 warnings, 0 info "
            "(69903 not listed: past the first 100 of a file)"
        )
        assert "error[PB010]: and 69,903 more problems in this file" in result.build.err

    def test_unknown_keys_in_a_record(self, attack: Callable[..., Attack]) -> None:
        text = keys_in_a_record(70_000)
        result = attack("70000-unknown-keys-in-a-record", {NAME: text})
        failed_alike(result)
        found = blocks(result.validate.out)
        first = line_of(text, "k00000")
        assert found[0].startswith("error[PB101]: unknown key 'k00000'\n")
        assert f"  --> {FILE}:{first}:5  (team[0].k00000)" in found[0]
        assert f"  --> {FILE}:{first + 99}:5  (team[0].k00099)" in found[99]
        closing(found[100], 69_900, first + 100, 5)
        assert found[101].startswith("checked 2 files: 70000 errors, 0 warnings, 0 info")
        assert "error[PB010]: and 69,900 more problems in this file" in result.build.err

    def test_eight_thousand_list_items_with_a_bad_value(
        self, attack: Callable[..., Attack]
    ) -> None:
        text = bad_list_items()
        result = attack("8000-bad-list-items", {NAME: text})
        failed_alike(result)
        found = blocks(result.validate.out)
        first = line_of(text, "Bad-0-0")
        assert found[0].startswith("error[PB103]: the text 'Bad-0-0' is not a valid id\n")
        assert f"  --> {FILE}:{first}:16  (priorities[0].requires[0])" in found[0]
        assert all(b.startswith("error[PB103]") for b in found[:100])
        # 16 a priority: the 101st is the fifth of the seventh priority
        line = line_of(text, "Bad-6-0")
        closing(found[100], 7_900, line, text.splitlines()[line - 1].index("Bad-6-4") + 1)
        assert found[101].startswith("checked 2 files: 8000 errors, 0 warnings, 0 info (7900 ")

    def test_a_valid_workshop_over_the_cap_is_built_and_scored(
        self, attack: Callable[..., Attack]
    ) -> None:
        """Warnings do not stop the site: the workshop's page lists the first 100 and the
        closing finding (a warning, as all it stands for are), which links no rule page;
        the readiness score counts the rule broken only past the cap."""
        result = attack("602-warnings", {NAME: many_warnings()})
        for run in (result.validate, result.build):
            assert run.code == 0, (run.out[-2000:], run.err[-2000:])
            assert "Traceback" not in run.out + run.err
        found = blocks(result.validate.out)
        assert found[100].startswith("warning[PB010]: and 502 more problems in this file\n")
        assert found[101] == (
            "checked 2 files: 0 errors, 602 warnings, 0 info "
            "(502 not listed: past the first 100 of a file)"
        )
        assert "rules/pb010" not in result.build.err  # no link to a page that is not there
        page = result.root / "site" / "playbook" / "workshops" / "attacked" / "index.html"
        assert "and 502 more problems in this file" in page.read_text(encoding="utf-8")
        done = run_module(result.root, "602-warnings", "prepbook", "validate", "--format", "json")
        document = json.loads(done.out)
        listed = {f["rule"] for f in document["findings"]}
        assert "PB352" not in listed and "PB352" in document["findings"][-1]["left_out"]["rules"]
        assert "PB352" in document["readiness"]["attacked"]["failed"]

    def test_every_format_and_the_baseline_show_the_cap(
        self, attack: Callable[..., Attack]
    ) -> None:
        result = attack("70000-findings-formats", {NAME: top_level_keys(70_000)}, build=False)
        root = result.root

        def validate(*args: str) -> Run:
            done = run_module(root, "70000-findings-formats", "prepbook", "validate", *args)
            assert "Traceback" not in done.out + done.err
            return done

        document = json.loads(validate("--format", "json").out)
        assert len(document["findings"]) == 101 and document["summary"]["error"] == 70_003
        last = document["findings"][-1]
        assert (last["rule"], last["span"]["line"], last["left_out"]) == (
            "PB010",
            99,
            {"count": 69_903, "error": 69_903, "warning": 0, "info": 0, "rules": ["PB101"]},
        )
        assert all(f["left_out"] is None for f in document["findings"][:-1])
        github = validate("--format", "github").out.splitlines()
        assert len(github) == 102 and github[100].startswith(
            f"::error file={FILE},line=99,col=1,endColumn=7,title=PB010 too-many-findings::"
            "and 69,903 more problems in this file"
        )
        sarif = json.loads(validate("--format", "sarif").out)["runs"][0]["results"]
        assert len(sarif) == 101 and sarif[-1]["ruleId"] == "PB010"
        assert sarif[-1]["properties"] == {"leftOut": 69_903}

        # a baseline of the capped report: the same file passes; one more problem fails
        baseline = root / "baseline.json"
        baseline.write_text(json.dumps(document))
        assert validate("--baseline", str(baseline)).code == 0
        (root / "workshops" / NAME).write_text(top_level_keys(70_001))
        again = validate("--baseline", str(baseline), "--colour", "never")
        assert again.code == 1
        assert "error[PB010]: and 69,904 more problems in this file" in again.out
        assert "100 known findings" in again.out


class TestNoRegularFile:
    """What is no regular file is a finding of its own (PB009, saying what it is) and is
    never opened for reading; the other workshops are checked as usual."""

    @staticmethod
    def refused(result: Attack, name: str, message: str, checked: int = 1) -> None:
        """One finding, PB009, for the file alone (it has no lines); ``checked``: the
        files read (the good one, unless only the refused path was named)."""
        failed_alike(result)
        found = blocks(result.validate.out)
        noun = "file" if checked == 1 else "files"
        assert found == [
            f"error[PB009]: {message}\n  --> workshops/{name}\n   = hint: " + _hint(message),
            f"checked {checked} {noun}: 1 error, 0 warnings, 0 info",
        ]
        assert f"error[PB009]: {message}" in result.build.err

    def test_a_named_pipe(self, attack: Callable[..., Attack]) -> None:
        result = attack("fifo", {"x.yaml": Special.FIFO})
        self.refused(result, "x.yaml", "the path is a named pipe (FIFO), not a file")

    def test_a_socket(self, attack: Callable[..., Attack]) -> None:
        result = attack("socket", {"s.yaml": Special.SOCKET})
        self.refused(result, "s.yaml", "the path is a socket, not a file")

    def test_a_link_to_itself(self, attack: Callable[..., Attack]) -> None:
        result = attack("link-loop-of-one", {"loop.yaml": Path("loop.yaml")})
        self.refused(result, "loop.yaml", "the path is a link that leads to itself, not a file")

    def test_a_dangling_link(self, attack: Callable[..., Attack]) -> None:
        result = attack("dangling-link", {"gone.yaml": Path("missing.yaml")})
        self.refused(
            result, "gone.yaml", "the path is a link to 'missing.yaml', which does not exist"
        )

    def test_a_loop_of_two_links(self, attack: Callable[..., Attack]) -> None:
        result = attack("link-loop-of-two", {"a.yaml": Path("b.yaml"), "b.yaml": Path("a.yaml")})
        failed_alike(result)
        found = blocks(result.validate.out)
        message = "the path is a link in a loop of links ({}), not a file"
        assert [b.splitlines()[:2] for b in found[:2]] == [
            [
                f"error[PB009]: {message.format('a.yaml -> b.yaml -> a.yaml')}",
                "  --> workshops/a.yaml",
            ],
            [
                f"error[PB009]: {message.format('b.yaml -> a.yaml -> b.yaml')}",
                "  --> workshops/b.yaml",
            ],
        ]
        assert found[2] == "checked 1 file: 2 errors, 0 warnings, 0 info"

    def test_a_linked_folder_loop_is_not_followed(self, attack: Callable[..., Attack]) -> None:
        """``sub -> ..`` leads back above the folder: discovery does not follow linked
        folders, so it neither goes round nor finds anything there."""
        result = attack("linked-folder-loop", {"sub": Path(".."), "deeper/up": Path("../..")})
        for run in (result.validate, result.build):
            assert run.code == 0, (run.out[-2000:], run.err[-2000:])
            assert "Traceback" not in run.out + run.err
        assert blocks(result.validate.out) == ["checked 1 file: 0 errors, 0 warnings, 0 info"]

    def test_a_named_pipe_named_on_the_command_line(self, attack: Callable[..., Attack]) -> None:
        result = attack("fifo-named", {"x.yaml": Special.FIFO}, paths=("workshops/x.yaml",))
        self.refused(result, "x.yaml", "the path is a named pipe (FIFO), not a file", 0)

    @pytest.mark.parametrize("device", ["/dev/zero", "/dev/null"])
    def test_a_device_named_on_the_command_line(
        self, attack: Callable[..., Attack], device: str
    ) -> None:
        """Not 'no such file or folder' (exit 2): the path is there, and is no file."""
        result = attack(f"device-{device}", {}, build=False, paths=(device,))
        run = result.validate
        assert run.code == 1 and "Traceback" not in run.out + run.err
        assert blocks(run.out) == [
            f"error[PB009]: the path is a character device, not a file\n  --> {device}\n"
            "   = hint: name a workshop's YAML file instead: prepbook reads only regular files",
            "checked 0 files: 1 error, 0 warnings, 0 info",
        ]
        assert run.err.strip() == ""


def _hint(message: str) -> str:
    if "link" in message and "does not exist" in message:
        return "point the link at an existing workshop file, or remove it"
    if "link" in message:
        return "make the link point at the workshop file, or put the file itself in its place"
    return (
        "remove it, or put the workshop's YAML file in its place: prepbook reads only regular files"
    )


def test_a_file_swapped_for_a_pipe_after_it_was_looked_at_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The look before opening (stat) sees a regular file; by the open it is a pipe. The
    open does not wait for a writer, and the look at the open descriptor (fstat) refuses
    it. Run in a thread, so that a regression shows as a failure, not a hung test run."""
    pipe = tmp_path / "x.yaml"
    os.mkfifo(pipe)
    monkeypatch.setattr(regular, "not_a_file", lambda path: None)  # the first look passed
    outcome: list[object] = []
    reader = threading.Thread(
        target=lambda: outcome.append(load_source(pipe, "x.yaml")), daemon=True
    )
    reader.start()
    reader.join(60)
    if reader.is_alive():  # blocked in open(): a writer lets it go, then the test fails
        os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("reading the pipe waited for a writer")
    ((source, findings),) = outcome  # type: ignore[misc]
    assert source is None
    assert [(f.rule, f.message, f.file) for f in findings] == [
        ("PB009", "the path is a named pipe (FIFO), not a file", "x.yaml")
    ]


def test_mkdocs_serve_survives_each_and_comes_back(tmp_path: Path) -> None:
    """A pipe, then a link that leads to itself, then a file of 70,000 unknown keys, each
    saved into the workshops folder of a running ``mkdocs serve``: the server keeps
    answering, with the error page and its finding, and once the file is removed or fixed
    the site is back."""
    root = tmp_path / "playbook"
    (root / "workshops").mkdir(parents=True)
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Home\n")
    (root / "mkdocs.yml").write_text(MKDOCS_YML)
    (root / "workshops" / "good.yaml").write_text(minimal("good"))
    port = free_port()
    url = f"http://{LOCAL_HOST}:{port}/playbook/workshops/good/"
    site = "Minimal workshop"
    with mkdocs_serve(root, port, dated(ENV)) as server:
        status, page = wait_until(url, site, 120)
        assert status == 200 and NOT_BUILT not in page, "the server did not come up"

        pipe = root / "workshops" / "pipe.yaml"
        os.mkfifo(pipe)
        status, page = wait_until(url, NOT_BUILT, 60)
        assert status == 200 and "the path is a named pipe (FIFO), not a file" in page
        assert fetch(url, 3)[0] == 200  # answered at once while the error stands
        pipe.unlink()
        status, page = wait_until(url, site, 60)
        assert status == 200 and NOT_BUILT not in page

        loop = root / "workshops" / "loop.yaml"
        loop.symlink_to("loop.yaml")
        status, page = wait_until(url, NOT_BUILT, 60)
        assert status == 200 and "the path is a link that leads to itself, not a file" in page
        loop.unlink()
        status, page = wait_until(url, site, 60)
        assert status == 200 and NOT_BUILT not in page

        big = root / "workshops" / "big.yaml"
        big.write_text(top_level_keys(70_000, "big"))
        status, page = wait_until(url, NOT_BUILT, 120)
        assert status == 200 and "The workshops have 70,003 errors" in page
        assert "and 69,903 more problems in this file" in page
        assert page.count("<li>") == MAX_FINDINGS_PER_FILE + 1
        big.write_text(minimal("big"))  # fixed
        status, page = wait_until(url, site, 120)
        assert status == 200 and NOT_BUILT not in page
        assert fetch(f"http://{LOCAL_HOST}:{port}/playbook/workshops/big/")[0] == 200
    assert "Traceback" not in server.log
    assert "error[PB010]: and 69,903 more problems in this file" in server.log
