"""Under ``mkdocs serve``, a workshop with errors shows its findings in the browser, in place
of the page being read, and the browser reloads to the site once the file is fixed;
``mkdocs build`` still stops and keeps the last site.

The in-process tests drive the plugin with MkDocs' own live-reload server (never bound to a
port): its builder after each save, its request handler for each page, as ``mkdocs serve``
does. One test runs ``mkdocs serve`` itself on a free local port.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from mkdocs.livereload import LiveReloadServer

from prepbook.findings import Finding, Related, Span
from prepbook.plugin import PrepbookPlugin
from prepbook.report.error_page import error_page
from tests.conftest import dated
from tests.serving import LOCAL_HOST, fetch, free_port, mkdocs_serve, wait_until
from tests.test_live_preview import (
    NORTHWIND,
    SERVE_URL,
    differences,
    fresh_plugins,
    reference,
)
from tests.test_plugin import snapshot
from tests.test_site import ENV, copy_repo

HELD = "status: held"
HOSTILE = 'status: "<script>alert(1)</script>"'
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
HEADING = "the site was not built"
LIVE_RELOAD = "livereload("  # what MkDocs' script calls, with the epoch it knows
WORKSHOP_URL = "/playbook/workshops/northwind-retail/"


def hostile_line(root: Path) -> int:
    lines = (root / NORTHWIND).read_text(encoding="utf-8").splitlines()
    return lines.index(HELD) + 1


class Served:
    """A playbook under MkDocs' live-reload server, built as ``mkdocs serve`` builds it."""

    def __init__(self, root: Path, site: Path, *, dirty: bool = False) -> None:
        fresh_plugins()
        self.root, self.site = root, site
        config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(site))
        config.plugins.on_startup(command="serve", dirty=dirty)
        config.site_url = SERVE_URL
        build(config, serve_url=SERVE_URL)

        def full() -> None:
            again = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(site))
            again.site_url = SERVE_URL
            build(again, serve_url=SERVE_URL, dirty=dirty)

        server = LiveReloadServer(builder=full, host="127.0.0.1", port=0, root=str(site))
        server.watch(config.docs_dir)  # the server adds its script only while it watches
        self.server = config.plugins.on_serve(server, config=config, builder=full)
        plugin = config.plugins["prepbook"]
        assert isinstance(plugin, PrepbookPlugin)
        self.plugin = plugin

    def save(self, old: str, new: str) -> None:
        path = self.root / NORTHWIND
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        self.server.builder()

    def get(self, path: str) -> tuple[str, str]:
        """The status and body the server answers for ``path``."""
        status: list[str] = []

        def start_response(line: str, headers: list[tuple[str, str]]) -> None:
            status.append(line)

        environ = {"PATH_INFO": path, "REQUEST_METHOD": "GET", "wsgi.input": BytesIO()}
        body = self.server.serve_request(environ, start_response)
        try:
            data = b"".join(body)
        finally:
            close = getattr(body, "close", None)
            if close is not None:
                close()
        return status[0], data.decode("utf-8")

    def close(self) -> None:
        self.server.server_close()
        fresh_plugins()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    serving = Served(copy_repo(tmp_path / "repo"), tmp_path / "served")
    yield serving
    serving.close()


def test_the_page_escapes_what_the_workshop_wrote() -> None:
    hostile = Finding(
        "PB103",
        "the text '<img src=x onerror=alert(1)>' is not allowed here",
        'workshops/"odd".yaml',
        Span(3, 9, 3, 37),
        yaml_path="status",
        expected="one of: 'draft' & 'held'",
        hint="use </code><script>alert(2)</script>",
        source_line="status: <img src=x onerror=alert(1)>\x1b[31m",
    )
    page = error_page([hostile], 1, site_name="<b>Site</b>")
    assert "<script" not in page and "<img" not in page and "<b>" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "workshops/&quot;odd&quot;.yaml:3:9" in page
    assert "&#x27;draft&#x27; &amp; &#x27;held&#x27;" in page
    assert "&lt;/code&gt;&lt;script&gt;alert(2)&lt;/script&gt;" in page
    assert "\x1b" not in page  # a control character is shown as a mark, as in a terminal
    assert "<mark>&lt;img src=x onerror=alert(1)&gt;</mark>" in page
    assert "invalid-value" in page and "1 error · &lt;b&gt;Site&lt;/b&gt;" in page
    assert page.rstrip().endswith("</body>\n</html>")  # where the server puts its script
    for external in ("http://", "https://", "src=", "href=", "@import", "url("):
        assert external not in page.replace("&lt;img src=x", "")  # loads nothing


def test_the_page_shows_where_the_problem_starts_and_where_parsing_failed() -> None:
    """An unclosed quote: the finding stands at the quote, and the page also shows the line
    where the parser gave up, labelled, as the terminal does."""
    finding = Finding(
        "PB001",
        "YAML syntax: the quoted value that starts here runs on to line 9",
        "w.yaml",
        Span(4, 8, 4, 9),
        source_line='title: "Loyalty <relaunch>',
        related=(
            Related(
                Span(9, 16, 9, 17),
                "parsing failed here: did not find expected key",
                source_line='  a budget for "personalised" <b>',
            ),
        ),
    )
    page = error_page([finding], 1)
    assert "w.yaml:4:8" in page and "w.yaml:9:16" in page
    assert "parsing failed here: did not find expected key" in page
    assert '<span class="number">9 | </span>  a budget for <mark>&quot;</mark>' in page
    assert "&lt;b&gt;" in page and "<b>" not in page
    assert page.index("w.yaml:4:8") < page.index("w.yaml:9:16")


def test_a_long_source_line_is_cut_around_the_finding() -> None:
    line = "summary: " + "a" * 500 + "BAD" + "b" * 500
    column = line.index("BAD") + 1
    finding = Finding("PB103", "bad", "w.yaml", Span(1, column, 1, column + 3), source_line=line)
    page = error_page([finding], 1)
    assert "<mark>BAD</mark>" in page
    assert "a" * 500 not in page and "…" + "a" * 120 + "<mark>" in page
    assert "</mark>" + "b" * 120 + "…" in page


def test_every_served_page_shows_the_findings_until_the_fix(served: Served, tmp_path: Path) -> None:
    assert "Post-purchase personalization" in served.get(WORKSHOP_URL)[1]
    line = hostile_line(served.root)
    served.save(HELD, HOSTILE)  # returns: the serve loop moves the browsers on

    status, page = served.get(WORKSHOP_URL)
    assert status == "200 OK"
    assert HEADING in page
    assert f"workshops/northwind-retail.yaml:{line}:9" in page
    assert "is not allowed here" in page and ESCAPED in page
    assert "use one of the listed values" in page  # the hint
    assert "<script>alert(1)" not in page
    assert page.count("<script>") == 1 and LIVE_RELOAD in page  # MkDocs' script, only
    pages = sorted(served.site.rglob("*.html"))
    assert len(pages) > 20
    assert {p.read_bytes() for p in pages} == {pages[0].read_bytes()}
    assert HEADING in pages[0].read_text(encoding="utf-8")
    for other in ("/", "/reference/rules/", "/404.html"):
        assert HEADING in served.get(other)[1]
    status, missing = served.get("/no/such/page/")
    assert status.startswith("404") and HEADING in missing and LIVE_RELOAD in missing

    served.save(HOSTILE, HELD)
    status, page = served.get(WORKSHOP_URL)
    assert status == "200 OK" and "Post-purchase personalization" in page
    assert HEADING not in served.get("/no/such/page/")[1]
    assert differences(served.site, reference(served, tmp_path)) == []


def test_serve_started_on_a_broken_playbook_shows_the_findings(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = copy_repo(tmp_path / "repo")
    source = root / NORTHWIND
    source.write_text(source.read_text(encoding="utf-8").replace(HELD, HOSTILE, 1))
    served = Served(root, tmp_path / "served")  # the first build does not stop serve
    try:
        assert "is not allowed here" in caplog.text  # the terminal has the findings
        status, page = served.get("/")
        assert status == "200 OK" and HEADING in page and ESCAPED in page
        assert LIVE_RELOAD in page
        status, page = served.get(WORKSHOP_URL)  # not built: answered with the findings
        assert status.startswith("404") and HEADING in page and LIVE_RELOAD in page
        assert sorted(p.name for p in served.site.rglob("*.html")) == ["404.html", "index.html"]
        served.save(HOSTILE, HELD)
        assert "Post-purchase personalization" in served.get(WORKSHOP_URL)[1]
        assert differences(served.site, reference(served, tmp_path)) == []
    finally:
        served.close()


def test_an_edit_that_keeps_an_error_keeps_the_page_current(served: Served) -> None:
    served.save(HELD, HOSTILE)
    served.save(HOSTILE, 'status: "still wrong"')
    page = served.get(WORKSHOP_URL)[1]
    assert "still wrong" in page and ESCAPED not in page
    assert HEADING in served.get("/no/such/page/")[1]


def test_a_page_answers_with_the_same_status_after_every_bad_save(served: Served) -> None:
    """The page the user is on shows the findings with one status, however many saves in
    a row keep an error: the first bad save answered 200, the next 404."""
    served.save(HELD, HOSTILE)
    first = served.get(WORKSHOP_URL)
    served.save(HOSTILE, 'status: "still wrong"')
    second = served.get(WORKSHOP_URL)
    served.save('status: "still wrong"', 'status: "wrong again"')
    third = served.get(WORKSHOP_URL)
    assert first[0] == second[0] == third[0] == "200 OK"
    assert HEADING in third[1] and "wrong again" in third[1] and LIVE_RELOAD in third[1]
    assert served.get("/no/such/page/")[0].startswith("404")


def test_another_failure_is_left_to_mkdocs(served: Served) -> None:
    template = served.root / "site_templates" / "portfolio_intro.md.j2"
    template.write_text("line one\n{{ oops(\n", encoding="utf-8")
    with pytest.raises(Abort):
        served.server.builder()
    page = (served.site / "playbook" / "workshops" / "northwind-retail" / "index.html").read_text(
        encoding="utf-8"
    )
    assert HEADING not in page


def test_a_dirty_serve_writes_every_page_again_after_the_fix(tmp_path: Path) -> None:
    served = Served(copy_repo(tmp_path / "repo"), tmp_path / "served", dirty=True)
    try:
        served.save(HELD, HOSTILE)
        assert HEADING in served.get("/reference/format/")[1]
        served.save(HOSTILE, HELD)
        stale = [p for p in served.site.rglob("*.html") if HEADING in p.read_text(encoding="utf-8")]
        assert stale == []
        assert "Post-purchase personalization" in served.get(WORKSHOP_URL)[1]
    finally:
        served.close()


def test_mkdocs_serve_answers_with_the_findings_without_hanging(tmp_path: Path) -> None:
    root = copy_repo(tmp_path)
    port = free_port()
    url = f"http://{LOCAL_HOST}:{port}{WORKSHOP_URL}"
    with mkdocs_serve(root, port, dated(ENV)) as server:
        status, page = wait_until(url, "Post-purchase personalization", 120)
        assert status == 200, "the server did not come up"
        source = root / NORTHWIND
        text = source.read_text(encoding="utf-8")
        source.write_text(text.replace(HELD, HOSTILE, 1), encoding="utf-8")
        status, page = wait_until(url, HEADING, 60)
        assert status == 200 and HEADING in page and ESCAPED in page and LIVE_RELOAD in page
        # While the error stands, every request is answered at once, not held back.
        status, page = fetch(url, 3)
        assert status == 200 and HEADING in page
        source.write_text(text, encoding="utf-8")
        status, page = wait_until(url, "Post-purchase personalization", 60)
        assert status == 200 and HEADING not in page
    err = server.log
    assert "is not allowed here" in err  # the terminal still has the findings too
    assert "Traceback" not in err


def test_mkdocs_build_still_stops_and_keeps_the_site(tmp_path: Path) -> None:
    root = copy_repo(tmp_path)
    command = [sys.executable, "-m", "mkdocs", "build"]
    first = subprocess.run(command, cwd=root, capture_output=True, text=True, env=dated(ENV))
    assert first.returncode == 0, first.stderr
    before = snapshot(root / "site")
    line = hostile_line(root)
    source = root / NORTHWIND
    source.write_text(source.read_text(encoding="utf-8").replace(HELD, HOSTILE, 1))
    done = subprocess.run(command, cwd=root, capture_output=True, text=True, env=dated(ENV))
    assert done.returncode == 1
    assert f"workshops/northwind-retail.yaml:{line}:9" in done.stderr
    assert "nothing was built" in done.stderr and "Traceback" not in done.stderr
    assert snapshot(root / "site") == before
