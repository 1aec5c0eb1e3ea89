"""The cap on findings a file: the first of each file listed, the rest folded into one
closing finding that counts them, stands where the first of them stood, and is as severe
as the most severe of them."""

from __future__ import annotations

from collections.abc import Callable

from prepbook.cap import (
    CLOSING_RULE,
    MAX_FINDINGS_PER_FILE,
    Tally,
    cap_per_file,
    closing_finding,
    counted,
    first_by_place,
)
from prepbook.findings import Finding, LeftOut, Span
from prepbook.rules import Severity


def at(line: int, rule: str = "PB101", file: str = "a.yaml", **extra: object) -> Finding:
    return Finding.of(rule, f"a finding at line {line}", file, span=Span(line, 1, line, 2), **extra)


def test_a_file_under_the_cap_is_left_as_it_is() -> None:
    findings = [at(n) for n in range(1, MAX_FINDINGS_PER_FILE + 1)]
    assert list(cap_per_file(findings)) == findings


def test_past_the_cap_the_rest_are_one_closing_finding_after_the_first() -> None:
    warnings = [at(n, "PB330", workshop="a") for n in range(1, 101)]
    errors = [at(n, "PB204", workshop="a") for n in range(101, 104)]
    infos = [at(104, "PB321", workshop="a")]
    capped = list(cap_per_file([*warnings, *errors, *infos]))
    assert capped[:100] == warnings
    (closing,) = capped[100:]
    assert (closing.rule, closing.message, closing.span, closing.workshop) == (
        CLOSING_RULE,
        "and 4 more problems in this file",
        Span(101, 1, 101, 2),
        "a",
    )
    assert closing.left_out == LeftOut(3, 0, 1, ("PB204", "PB321"))
    assert closing.severity == Severity.ERROR  # the run fails for the errors it hides
    assert [counted(capped, s) for s in Severity] == [3, 100, 1]


def test_what_an_earlier_stage_counted_folds_into_the_one_closing_finding() -> None:
    """The parse counted 50 findings from line 300 on; the checks found 103 more of the
    same file, the last 3 past the cap: one closing finding for the 53, where the first
    of them stands, whichever stage found it."""
    early = closing_finding(
        "a.yaml", LeftOut(errors=50, rules=("PB005",)), Span(300, 1, 300, 4), "k: 1"
    )
    later = [at(n) for n in range(1, 104)]
    capped = list(cap_per_file(sorted([*later, early], key=lambda f: f.sort_key)))
    assert capped[:100] == later[:100]
    (closing,) = capped[100:]
    assert closing.left_out == LeftOut(errors=53, rules=("PB005", "PB101"))
    assert closing.span == Span(101, 1, 101, 2) and closing.message.startswith("and 53 more")
    alone = list(cap_per_file([at(1), early]))
    assert alone[1].left_out == early.left_out and alone[1].source_line == "k: 1"


def test_each_file_has_a_cap_of_its_own() -> None:
    findings = [at(n, file=f) for f in ("a.yaml", "b.yaml") for n in range(1, 102)]
    capped = list(cap_per_file(findings))
    assert [f.rule for f in capped].count(CLOSING_RULE) == 2
    assert len(capped) == 2 * (MAX_FINDINGS_PER_FILE + 1)
    assert [f.file for f in capped if f.left_out] == ["a.yaml", "b.yaml"]


def test_a_stage_in_the_file_s_order_builds_only_what_it_lists() -> None:
    tally = Tally(limit=2)
    placed: list[int] = []

    def place(line: int) -> Callable[[], tuple[Span, None]]:
        def where() -> tuple[Span, None]:
            placed.append(line)
            return Span(line, 1, line, 2), None

        return where

    listed = [line for line in range(1, 6) if tally.admit()]
    for line in range(len(listed) + 1, 6):
        tally.leave_out("PB007", place(line))
    assert listed == [1, 2] and placed == [3]  # only the first one left out is placed
    (closing,) = tally.closing("a.yaml")
    assert closing.left_out == LeftOut(errors=3, rules=("PB007",))
    assert closing.span == Span(3, 1, 3, 2)
    assert Tally().closing("a.yaml") == []


def test_a_stage_out_of_the_file_s_order_keeps_the_first_by_place() -> None:
    items = ["e", "a", "d", "b", "c"]
    kept, left = first_by_place(items, "abcde".index, limit=2)
    assert kept == ["a", "b"] and left == ["c", "d", "e"]
    assert first_by_place(items, "abcde".index, limit=5) == (items, [])
