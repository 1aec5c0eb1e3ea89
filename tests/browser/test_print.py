"""Pages printed from the browser: short, within the paper, each picture once.

Stakeholders print a workshop page to take into a meeting. Before the print stylesheet,
Chromium printed the Northwind Retail workshop page on 27 A4 pages (29 Letter), Harbor Bank's
on 32 (35) and Cadenza Streaming's on 27 (28): the site's chrome, type sized for a screen,
tables cut at the right edge with a printed scroll box, headings stranded at the foot of a
page and every picture followed by its data table. These tests print the example site's pages
with Chromium to A4 and Letter and hold each workshop page to a third of those numbers, the
other pages to half of theirs; they check that nothing is drawn in the right or left margin
of any sheet (what a page cut at its edge leaves there), that no sheet is empty, and, under
emulated print media, that the data tables beside pictures are not printed and that an
address leaving the site follows its link text.

The sheets are written as pictures (pdftoppm) to tests/browser/screenshots/, for a reviewer
to look at; the screenshots folder is git-ignored.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests.browser.harness import (
    SCREENSHOTS,
    STATS,
    Served,
    Session,
    build,
    serve,
    unavailable,
)
from tests.test_diff import edit, git
from tests.test_history import commit
from tests.test_site import copy_repo

# The pages measured before the print stylesheet: sheets printed by Chromium (page.pdf, no
# margins given, so the stylesheet's own apply) from the example site as the fixture builds
# it (outside git, so with no recent changes), on the suite's pinned date, A4 and Letter.
BEFORE = {
    "workshop-northwind-retail": ("playbook/workshops/northwind-retail/", 27, 29),
    "workshop-harbor-bank": ("playbook/workshops/harbor-bank/", 32, 35),
    "workshop-cadenza-streaming": ("playbook/workshops/cadenza-streaming/", 27, 28),
    "home": ("", 5, 5),
    "portfolio": ("playbook/", 6, 6),
    "catalogue": ("playbook/persofails/", 10, 10),
    "roadmap": ("playbook/roadmap/", 5, 5),
    "roadmap-quarter": ("playbook/roadmap/2026-q4/", 4, 5),
    "audit-register": ("playbook/audit/", 2, 2),
    "people": ("playbook/people/", 3, 3),
}
FORMATS = ("A4", "Letter")
# The sheets' sizes in points, as pypdf reads them off the media box
SHEETS = {"A4": (595.92, 842.88), "Letter": (612.0, 792.0)}
# The stylesheet's @page margin is 10 mm at the sides: the outer 7 mm of each sheet holds
# nothing unless something runs past the page
EDGE_MM = 7
DPI = 50
EXTERNAL = "https://tracker.example.org/browse/NW-7"
LINK_PAGE = "contributing/"

# Every text node whose line boxes reach past the root's width, or past a box that clips
# what overflows it (a scroll box, which paper prints cut), with a little of its text
OVERFLOWING_TEXT_JS = """() => {
  const width = document.documentElement.clientWidth, found = [];
  const clips = node => {
    const boxes = [];
    for (let el = node.parentElement; el && el !== document.body; el = el.parentElement) {
      const style = getComputedStyle(el);
      if (style.overflowX !== "visible") boxes.push(el.getBoundingClientRect());
    }
    return boxes;
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim() || !node.parentElement.checkVisibility()) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const boxes = [...range.getClientRects()].filter(box => box.width > 0);
    if (!boxes.length) continue;
    const limits = [{left: 0, right: width}, ...clips(node)];
    const out = boxes.find(box => limits.some(
      limit => box.right > limit.right + 1 || box.left < limit.left - 1));
    if (out) found.push(node.textContent.trim().slice(0, 60) + " @" + Math.round(out.right));
  }
  return found;
}"""


@dataclass(frozen=True)
class Printed:
    """One page printed to one sheet size: the PDF and its sheets as grey pixels."""

    name: str
    sheet: str
    pdf: bytes
    pages: int
    texts: list[str]
    sizes: list[tuple[float, float]]


@pytest.fixture(scope="module")
def print_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The example playbook, with one address that leaves the site on a hand-written page
    (the examples link nowhere outside: their tracker items are read from committed
    exports)."""
    root = copy_repo(tmp_path_factory.mktemp("print"))
    page = root / "content" / "contributing.md"
    page.write_text(
        page.read_text(encoding="utf-8")
        + f"\nThe team's board: [NW-7]({EXTERNAL}); the [roadmap](playbook/roadmap/index.md).\n",
        encoding="utf-8",
    )
    yield from serve(build(root), "print")


@pytest.fixture(scope="module")
def changes_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The example playbook in git: the examples committed, then an edit to each of two
    workshops, so that the Changes page lists three workshops, one a section."""
    root = copy_repo(tmp_path_factory.mktemp("changes"))
    git(root, "init", "-q", "-b", "main")
    commit(root, "The examples", "2026-09-01")
    retail = root / "workshops" / "northwind-retail.yaml"
    edit(
        retail,
        ("      end: 2027-06-18\n      depends_on:", "      end: 2027-06-25\n      depends_on:"),
    )
    bank = root / "workshops" / "harbor-bank.yaml"
    edit(bank, ("    stage: automation\n    recipe:", "    stage: experiment\n    recipe:"))
    commit(root, "A rollout ends a week later; the forecast starts as an experiment", "2026-10-05")
    yield from serve(build(root), "changes")


@pytest.fixture(scope="module")
def pdftoppm() -> str:
    found = shutil.which("pdftoppm")
    if found is None:
        unavailable("pdftoppm is not installed (apt-get install poppler-utils)")
    return found


@pytest.fixture(scope="module")
def printed(
    browser: Any, print_site: Served, pdftoppm: str
) -> Iterator[Callable[[str, str], Printed]]:
    """Each page printed once a sheet size, by Chromium, and its sheets written as pictures
    for review."""
    from pypdf import PdfReader

    from tests.browser.harness import open_session

    session = open_session(browser)
    page = session.new_page()
    done: dict[tuple[str, str], Printed] = {}

    def get(name: str, sheet: str) -> Printed:
        if (name, sheet) not in done:
            page.goto(print_site.url + BEFORE[name][0])
            page.evaluate("document.fonts.ready.then(() => true)")
            data = page.pdf(format=sheet)
            reader = PdfReader(io.BytesIO(data))
            done[name, sheet] = Printed(
                name,
                sheet,
                data,
                len(reader.pages),
                [p.extract_text() for p in reader.pages],
                [(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages],
            )
            _write_pictures(pdftoppm, name, sheet, data)
        return done[name, sheet]

    yield get
    assert session.offsite == [], session.offsite
    assert session.console_errors == [], session.console_errors
    session.context.close()


def _write_pictures(pdftoppm: str, name: str, sheet: str, data: bytes) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    prefix = f"print-{name}-{sheet}"
    for old in SCREENSHOTS.glob(f"{prefix}-*.png"):
        old.unlink()
    subprocess.run(
        [pdftoppm, "-r", "60", "-png", "-", str(SCREENSHOTS / prefix)],
        input=data,
        check=True,
        timeout=120,
    )
    STATS.screenshots.extend(p.name for p in sorted(SCREENSHOTS.glob(f"{prefix}-*.png")))


def grey_sheets(pdftoppm: str, data: bytes) -> list[tuple[int, int, bytes]]:
    """Each sheet as 8-bit grey pixels (width, height, rows), read from pdftoppm's PGM."""
    sheets = []
    done = subprocess.run(
        [pdftoppm, "-r", str(DPI), "-gray", "-"],
        input=data,
        capture_output=True,
        check=True,
        timeout=120,
    )
    stream = done.stdout
    while stream:
        fields: list[bytes] = []
        at = 0
        while len(fields) < 4:  # magic, width, height, maximum value
            while stream[at : at + 1].isspace():
                at += 1
            end = at
            while not stream[end : end + 1].isspace():
                end += 1
            fields.append(stream[at:end])
            at = end
        assert fields[0] == b"P5" and fields[3] == b"255", fields
        width, height = int(fields[1]), int(fields[2])
        start = at + 1
        sheets.append((width, height, stream[start : start + width * height]))
        stream = stream[start + width * height :]
    return sheets


@pytest.mark.parametrize("sheet", FORMATS)
@pytest.mark.parametrize("name", list(BEFORE))
def test_a_printed_page_is_short_and_within_its_sheets(
    printed: Callable[[str, str], Printed], pdftoppm: str, name: str, sheet: str
) -> None:
    """A workshop page prints on at most a third of the sheets it took before (Northwind
    Retail 27 A4, 29 Letter; Harbor Bank 32, 35; Cadenza Streaming 27, 28); every other page
    on at most half of its own; no sheet is empty; each sheet is the size asked for; and
    nothing is drawn in the outer strip of a sheet's left and right margins, which a table or
    picture wider than the page would reach."""
    result = printed(name, sheet)
    _, a4, letter = BEFORE[name]
    before = a4 if sheet == "A4" else letter
    share = 3 if name.startswith("workshop-") else 2
    assert result.pages <= max(1, before // share), (name, sheet, result.pages, before)
    empty = [n + 1 for n, text in enumerate(result.texts) if not text.strip()]
    assert empty == [], f"{name} {sheet}: empty sheets {empty}"
    for width, height in result.sizes:
        assert (round(width), round(height)) == tuple(round(v) for v in SHEETS[sheet])
    strip = round(EDGE_MM / 25.4 * DPI)
    for number, (width, height, pixels) in enumerate(grey_sheets(pdftoppm, result.pdf), 1):
        inked = [
            (x, y)
            for y in range(height)
            for x in (*range(strip), *range(width - strip, width))
            if pixels[y * width + x] < 200
        ]
        assert inked == [], (
            f"{name} {sheet}, sheet {number}: ink in the side margin at {inked[:5]} "
            f"(of {width}x{height} px at {DPI} dpi)"
        )


@pytest.mark.parametrize("name", list(BEFORE))
def test_no_text_is_wider_than_the_paper(
    browse: Callable[..., Session], print_site: Served, name: str
) -> None:
    """Laid out for print at the width of an A4 sheet's text (190 mm, 718 px), the page
    scrolls nowhere sideways and every line of text lies inside it."""
    session = browse()
    page = session.new_page()
    page.set_viewport_size({"width": 718, "height": 1000})
    page.emulate_media(media="print")
    page.goto(print_site.url + BEFORE[name][0])
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    ), page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert page.evaluate(OVERFLOWING_TEXT_JS) == []


@pytest.mark.parametrize(
    "name", [name for name in BEFORE if name.startswith("workshop-")] + ["catalogue"]
)
def test_each_picture_is_printed_once(
    browse: Callable[..., Session],
    print_site: Served,
    printed: Callable[[str, str], Printed],
    name: str,
) -> None:
    """A picture is printed, its data table is not (the screen keeps both): under print media
    every data-table block beside a picture is not displayed, every picture fits the width,
    and the words that open the data table appear on no printed sheet."""
    session = browse()
    page = session.new_page()
    page.set_viewport_size({"width": 718, "height": 1000})
    page.goto(print_site.url + BEFORE[name][0])
    blocks = page.locator(".prepbook-figure:has(figure svg) > details")
    assert blocks.count() > 0
    assert "none" not in blocks.evaluate_all("els => els.map(e => getComputedStyle(e).display)")
    page.emulate_media(media="print")
    assert set(blocks.evaluate_all("els => els.map(e => getComputedStyle(e).display)")) == {"none"}
    rights = page.locator(".prepbook-figure svg").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect().right)"
    )
    width = page.evaluate("document.documentElement.clientWidth")
    assert rights and max(rights) <= width, (rights, width)
    for sheet in FORMATS:
        text = "".join(printed(name, sheet).texts)
        assert "The data of this picture as a table" not in text, (name, sheet)


def test_an_address_leaving_the_site_is_printed_after_its_link(
    browse: Callable[..., Session], print_site: Served
) -> None:
    """Paper cannot follow a link: under print media a link that leaves the site shows its
    address after its text, and a link inside the site does not (its text names the page);
    on screen neither does."""
    session = browse()
    page = session.new_page()
    page.goto(print_site.url + LINK_PAGE)
    after = "a => getComputedStyle(a, '::after').content"
    outside = page.locator(f'article a[href="{EXTERNAL}"]')
    inside = page.locator('article a[href$="playbook/roadmap/"]')
    assert outside.evaluate(after) == "none"
    page.emulate_media(media="print")
    assert EXTERNAL in outside.evaluate(after)
    assert inside.evaluate(after) == "none"
    for sheet in FORMATS:
        assert EXTERNAL.replace("https://", "") in _pdf_text(page.pdf(format=sheet)), sheet


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).replace("\n", "")


def test_each_record_of_a_listing_starts_a_sheet(
    browse: Callable[..., Session], changes_site: Served, pdftoppm: str
) -> None:
    """The Changes page lists each workshop's changes as a block: printed, every block after
    the first starts a sheet of its own, so each workshop's changes can be handed to its
    team, and the first follows the page's introduction."""
    session = browse()
    page = session.new_page()
    page.goto(changes_site.url + "playbook/changes/")
    page.emulate_media(media="print")
    breaks = page.locator("article h2").evaluate_all(
        "els => els.map(e => [e.firstChild.textContent.trim(), getComputedStyle(e).breakBefore])"
    )
    assert len(breaks) == 3, breaks
    assert [b for _, b in breaks] == ["auto", "page", "page"], breaks
    from pypdf import PdfReader

    data = page.pdf(format="A4")
    _write_pictures(pdftoppm, "changes", "A4", data)
    reader = PdfReader(io.BytesIO(data))
    # the first line of each sheet, its ligatures (a "fi" drawn as one glyph) spelt out
    firsts = [
        unicodedata.normalize("NFKC", p.extract_text().strip().splitlines()[0])
        for p in reader.pages
    ]
    for title, _ in breaks[1:]:
        assert any(first.startswith(title[:30]) for first in firsts), (title, firsts)
    assert not firsts[0].startswith(breaks[0][0][:30])  # the introduction comes first
