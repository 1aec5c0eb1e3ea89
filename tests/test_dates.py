"""The suite gives the same result on any day: it runs on a pinned date (tests/conftest.py),
even when SOURCE_DATE_EPOCH is set from outside to a day after the examples' review dates."""

from __future__ import annotations

import calendar
import datetime as dt
import os
import subprocess
import sys

import pytest

from prepbook.clock import today
from prepbook.load.playbook import load_files
from tests.conftest import EXAMPLES, PINNED_DATE, REPO

# The tests whose result would follow the calendar if the date were not pinned: the examples
# validate strictly, the example site builds strictly, a review date is judged on the day a
# test sets, and the date the code reads is the pinned one.
DATE_SENSITIVE = (
    "tests/test_dates.py::test_the_code_reads_the_pinned_date",
    "tests/test_examples.py::test_examples_are_clean",
    "tests/test_cli.py::test_clean_playbook_exits_0",
    "tests/test_method_rules.py::test_review_date_follows_source_date_epoch",
    "tests/test_baseline.py::test_calendar_findings_in_the_baseline_do_not_fail_strict",
    "tests/test_site.py::test_every_page_exists",
)


def test_the_code_reads_the_pinned_date() -> None:
    assert today() == PINNED_DATE
    # the pinned day comes before every example's review date, so the examples are clean
    models = [w.model for w in load_files(sorted(EXAMPLES.glob("*.yaml"))).workshops.values()]
    assert all(m.review_by and m.review_by > PINNED_DATE for m in models)


@pytest.mark.slow  # runs the date-sensitive tests again, as a suite of its own
@pytest.mark.parametrize("day", [dt.date(2027, 6, 1), dt.date(2028, 1, 1)], ids=str)
def test_the_date_sensitive_tests_pass_on_a_later_day(day: dt.date) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(calendar.timegm(day.timetuple()))}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *DATE_SENSITIVE],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert f"{len(DATE_SENSITIVE)} passed" in done.stdout
