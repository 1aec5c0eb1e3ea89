"""The Changes page in decisions and its Atom feed, from a real git history.

The page groups the changes by workshop and then by decision, says old and new values in
words, never shows a commit hash, and lists rule silences apart from the decisions. The
feed (``changes.xml``) holds the same changes, valid by RFC 4287, with stable ids and the
commits' times, written by ``mkdocs build`` and ``prepbook generate`` alike."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from prepbook.build import build
from prepbook.config import Project, Settings
from prepbook.render.markdown import escape, one_byte
from tests.conftest import dated
from tests.test_diff import GIT_ENV, edit, git
from tests.test_history import playbook_repo

ATOM = "{http://www.w3.org/2005/Atom}"
XHTML = "{http://www.w3.org/1999/xhtml}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
# as written in YAML (a control character there is refused by PB103, so the commits'
# subjects and authors carry them instead)
HOSTILE_TITLE = 'Tag every SKU <b>now</b> & \\"then\\" ]]>'


def commit_as(root: Path, message: str, stamp: str, author: str = "Team") -> None:
    env = {**GIT_ENV, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
    env["GIT_AUTHOR_NAME"] = author
    subprocess.run(["git", "add", "-A"], cwd=root, env=env, check=True)
    subprocess.run(["git", "commit", "-q", "-m", message], cwd=root, env=env, check=True)


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The history of tests/test_history.py, then a silence, a hostile title and a
    replan that makes a priority late."""
    root = playbook_repo(tmp_path_factory.mktemp("feed") / "repo")
    retail = root / "workshops" / "northwind-retail.yaml"
    silence = "    silence:\n      - rule: PB342\n        reason: Covered by the wrapper.\n"
    edit(retail, ("  - id: toilet-seat-loop\n", "  - id: toilet-seat-loop\n" + silence))
    commit_as(root, "Silence a rule \x1b[31mred", "2026-11-10T09:30:00+01:00", "Ann & co")
    edit(
        retail,
        ("title: Tag every SKU as durable or consumable", f'title: "{HOSTILE_TITLE}"'),
    )
    commit_as(root, "Reword the tagging step \x07", "2026-11-20T08:00:00+00:00", "Bo\x07b")
    edit(
        retail,
        (
            "      end: 2027-01-01\n      closes_gap:\n        - product-attributes",
            "      end: 2026-11-25\n      closes_gap:\n        - product-attributes",
        ),
    )
    commit_as(root, "Tagging was to end before the holidays", "2026-12-01T10:00:00+00:00")
    return root


@pytest.fixture(scope="module")
def built(repo: Path) -> dict[str, bytes]:
    result = build(Project(Settings(), repo), repo / "docs" / "playbook")
    assert result.report.ok, result.report.findings
    return {"changes.md": result.pages["changes.md"].encode(), **result.exports}


def feed(built: dict[str, bytes]) -> ET.Element:
    return ET.fromstring(built["changes.xml"])


class TestChangesPage:
    def test_grouped_by_workshop_then_decision(self, built: dict[str, bytes]) -> None:
        page = built["changes.md"].decode()
        retail = page[page.index("## [Post-purchase personalization") :]
        pilot = retail.index("### [Post-purchase recommendations that know what was bought]")
        blocked = retail.index("**major** · now blocked &#40;was on track&#41;&#58; it waits for")
        assert pilot < blocked < retail.index("### [Replenishment reminders")
        assert retail.index("### [Replenishment reminders") < retail.index("### Other changes")
        # the commit's subject once above what it changed about the decision, then the
        # decision's change, then the step's own change as its cause
        cause = retail.index("because step &#39;Tag every SKU &#60;b&#62;now")
        moved = retail.index("end moved from 2027-01-01 to 2026-11-25 &#40;-37 days&#41;")
        line = "*2026-12-01 · Tagging was to end before the holidays · Team*"
        subject = retail.index(line)
        assert pilot < subject < blocked < cause < moved
        decision = retail[pilot : retail.index("### [Replenishment reminders")]
        assert decision.count(line) == 1, "the commit is said once per decision"
        # and it is not listed again among the workshop's other changes
        other = retail[retail.index("### Other changes") :]
        assert "end moved from 2027-01-01 to 2026-11-25" not in other

    def test_no_hashes_and_no_diff_markup(self, repo: Path, built: dict[str, bytes]) -> None:
        page = built["changes.md"].decode()
        for sha in git(repo, "log", "--format=%H").split():
            assert sha[:7] not in page, sha
        assert "[-" not in page and "{+" not in page and "&#91;-" not in page
        said = "title changed from “Tag every SKU as durable or consumable” to “Tag every SKU "
        assert one_byte(escape(said + '<b>now</b> & "then" ]]>”')) in page

    def test_silences_have_a_section_of_their_own(self, built: dict[str, bytes]) -> None:
        page = built["changes.md"].decode()
        decisions, silences = page.split("## Rules silenced and lifted")
        assert "PB342" not in decisions
        assert "PB342 silenced&#58; Covered by the wrapper." in silences
        assert "Silence a rule &#65533;&#91;31mred · Ann &#38; co" in silences  # no ESC
        assert "major" not in silences  # graded apart from the decisions

    def test_the_page_and_the_home_page_link_the_feed(self, repo: Path) -> None:
        result = build(Project(Settings(), repo), repo / "docs" / "playbook")
        assert result.rendered is not None
        assert "[changes.xml](changes.xml) (Atom)" in result.rendered.pages["changes.md"]
        assert "feed reader: [changes.xml](playbook/changes.xml)" in result.rendered.glance
        # without a Changes page there is no feed, and nothing links to one
        off = build(Project(Settings(history=0), repo), repo / "docs" / "playbook")
        assert off.rendered is not None and "changes.xml" not in off.exports
        assert "changes.xml" not in off.rendered.glance


class TestFeed:
    def test_valid_by_rfc_4287(self, built: dict[str, bytes]) -> None:
        root = feed(built)
        assert root.tag == f"{ATOM}feed"
        for name in ("id", "title", "updated"):
            assert len(root.findall(f"{ATOM}{name}")) == 1, name
        assert root.find(f"{ATOM}author/{ATOM}name") is not None
        entries = root.findall(f"{ATOM}entry")
        assert len(entries) >= 6
        ids = [e.findtext(f"{ATOM}id") for e in entries]
        assert len(set(ids)) == len(ids)
        for entry in entries:
            for name in ("id", "title", "updated", "summary"):
                assert len(entry.findall(f"{ATOM}{name}")) == 1, name
            assert (entry.findtext(f"{ATOM}id") or "").startswith("urn:uuid:")
            assert RFC3339.match(entry.findtext(f"{ATOM}updated") or "")
            assert entry.find(f"{ATOM}author/{ATOM}name") is not None
            link = entry.find(f"{ATOM}link[@rel='alternate']")
            assert link is not None and link.get("href", "").startswith("changes/#changes-")
            content = entry.find(f"{ATOM}content")
            assert content is not None and content.get("type") == "xhtml"
            assert [child.tag for child in content] == [f"{XHTML}div"]  # one div, RFC 4287
        assert RFC3339.match(root.findtext(f"{ATOM}updated") or "")
        assert root.findtext(f"{ATOM}updated") == entries[0].findtext(f"{ATOM}updated")

    def test_times_are_the_commits(self, built: dict[str, bytes]) -> None:
        entries = feed(built).findall(f"{ATOM}entry")
        times = {e.findtext(f"{ATOM}updated") for e in entries}
        assert "2026-12-01T10:00:00Z" in times
        assert "2026-11-10T08:30:00Z" in times  # 09:30 at +01:00, in UTC
        first = dt.datetime.fromisoformat(entries[0].findtext(f"{ATOM}updated") or "")
        assert first == dt.datetime(2026, 12, 1, 10, tzinfo=dt.UTC)  # newest first

    def test_the_same_changes_as_the_page(self, built: dict[str, bytes]) -> None:
        entries = feed(built).findall(f"{ATOM}entry")
        late = entries[0]
        title = late.findtext(f"{ATOM}title") or ""
        assert title == (
            "Post-purchase recommendations that know what was bought (Post-purchase "
            "personalization for online and store customers): now blocked (was on track): it "
            "waits for step 'Tag every SKU <b>now</b> & \"then\" ]]>', which ended 2026-11-25 "
            "and is not done"
        ), title
        items = [li.text or "" for li in late.iter(f"{XHTML}li")]
        assert items[0].startswith("major: now blocked (was on track): it waits for step")
        assert items[1] == (
            "because step 'Tag every SKU <b>now</b> & \"then\" ]]>': end moved from "
            "2027-01-01 to 2026-11-25 (-37 days)"
        )
        assert late.findtext(f"{ATOM}content/{XHTML}div/{XHTML}p") == (
            "Tagging was to end before the holidays"
        )
        link = late.find(f"{ATOM}link")
        assert link is not None
        assert link.get("href") == "changes/#changes-northwind-retail-post-purchase-recommendations"
        silenced = [e for e in entries if "Rules silenced" in (e.findtext(f"{ATOM}title") or "")]
        assert len(silenced) == 1
        assert silenced[0].findtext(f"{ATOM}summary") == (
            "persofail toilet-seat-loop: PB342 silenced: Covered by the wrapper."
        )

    def test_hostile_text_is_escaped_and_controls_removed(self, built: dict[str, bytes]) -> None:
        raw = built["changes.xml"]
        assert b"\x1b" not in raw and b"\x07" not in raw
        assert b"<b>now</b>" not in raw and b"&lt;b&gt;now&lt;/b&gt;" in raw
        assert b"<name>Ann &amp; co</name>" in raw and b"<name>Bo\xef\xbf\xbdb</name>" in raw
        text = raw.decode()
        assert 'Tag every SKU &lt;b&gt;now&lt;/b&gt; &amp; "then" ]]&gt;' in text
        assert "Silence a rule \ufffd[31mred" in text
        feed(built)  # and it still parses

    def test_byte_identical_and_stable_ids_across_builds(
        self, repo: Path, built: dict[str, bytes], tmp_path: Path
    ) -> None:
        again = build(Project(Settings(), repo), tmp_path / "elsewhere")
        assert again.exports["changes.xml"] == built["changes.xml"]
        # a later commit adds an entry; the earlier entries keep their ids
        before = {e.findtext(f"{ATOM}id") for e in feed(built).findall(f"{ATOM}entry")}
        clone = tmp_path / "clone"
        subprocess.run(["git", "clone", "-q", str(repo), str(clone)], env=GIT_ENV, check=True)
        edit(clone / "workshops" / "mini.yaml", ("title: Minimal workshop", "title: Mini"))
        commit_as(clone, "Shorter title", "2026-12-02T10:00:00+00:00")
        later = build(Project(Settings(), clone), clone / "docs" / "playbook")
        entries = ET.fromstring(later.exports["changes.xml"]).findall(f"{ATOM}entry")
        assert before < {e.findtext(f"{ATOM}id") for e in entries}


def test_written_by_mkdocs_build_and_by_generate(repo: Path, tmp_path: Path) -> None:
    (repo / "docs").mkdir(exist_ok=True)
    (repo / "docs" / "index.md").write_text("# Home\n")
    env = dated({**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q"],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    served = (repo / "site" / "playbook" / "changes.xml").read_bytes()
    html = (repo / "site" / "playbook" / "changes" / "index.html").read_text()
    assert 'href="../changes.xml"' in html
    # linked in the page, not announced in its head: Material takes every
    # <link rel="alternate"> for a language version of the site and fetches a sitemap.xml
    # beside it, a request that fails on every load of the page
    assert 'rel="alternate"' not in html[: html.index("</head>")]
    out = tmp_path / "generated"
    gen = subprocess.run(
        [sys.executable, "-m", "prepbook", "generate", "--out", str(out)],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert gen.returncode == 0, gen.stderr
    assert (out / "changes.xml").read_bytes() == served
