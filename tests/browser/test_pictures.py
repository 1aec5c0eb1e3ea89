"""The pictures drawn at build time (inline SVG, no JavaScript) render in the light and in
the dark palette, and every mark in them is a working link.

Their colours come from the theme's variables, so only a browser applying the palette shows
that text stays readable on a dark background; and only a click shows that a mark's link
lands on its record.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest

from tests.browser.harness import PALETTES, SCHEMES, STATS, Served, Session
from tests.conftest import EXAMPLE_IDS

PAGES = [
    "playbook/",
    "playbook/persofails/",
    "playbook/roadmap/",
    *(f"playbook/workshops/{workshop}/" for workshop in EXAMPLE_IDS),
]

# The contrast of a picture's first plain text (not a muted axis label) against the page
# background, with the colour's alpha composited over the background (WCAG 2 formula).
CONTRAST_JS = """svg => {
  const parse = c => (c.match(/[\\d.]+/g) || []).map(Number);
  const [br, bg, bb] = parse(getComputedStyle(document.body).backgroundColor);
  const text = Array.from(svg.querySelectorAll("text")).find(t =>
    !t.classList.contains("pb-muted"));
  if (!text) return null;
  const [r, g, b, a = 1] = parse(getComputedStyle(text).fill);
  const mix = (c, d) => c * a + d * (1 - a);
  const lum = (r, g, b) => [r, g, b].map(v => {
    v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  }).reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
  const l1 = lum(mix(r, br), mix(g, bg), mix(b, bb)), l2 = lum(br, bg, bb);
  return (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
}"""


# A point of the link, in the viewport, where a click reaches it (or an identical link drawn
# over it); else what lies on top of its centre.
CLICKABLE_AT_JS = """a => {
  a.scrollIntoView({block: "center", inline: "nearest"});
  const box = a.getBoundingClientRect(), href = a.getAttribute("href");
  const columns = Math.max(8, Math.ceil(box.width / 2));  // a point every 2 px or closer
  for (let j = 1; j < 4; j++) for (let i = 1; i < columns; i++) {
    const x = box.left + box.width * i / columns, y = box.top + box.height * j / 4;
    const top = document.elementFromPoint(x, y), link = top && top.closest("a");
    if (link && (link === a || link.getAttribute("href") === href)) return {x, y, under: null};
  }
  const top = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
  const link = top && top.closest("a");
  return {x: null, y: null,
          under: link ? link.getAttribute("href") : (top ? top.tagName : "nothing")};
}"""


@pytest.mark.parametrize("palette", PALETTES)
@pytest.mark.parametrize("path", PAGES)
def test_pictures_render_and_link_to_their_records(
    browse: Callable[..., Session], example_site: Served, expect: Any, palette: str, path: str
) -> None:
    session = browse(palette)
    page = session.new_page()
    page.goto(example_site.url + path)
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", SCHEMES[palette])

    # one layout of each picture shows at this width (the wide one at 1280 px)
    pictures = page.locator("svg.pb-svg:not(.pb-narrow)")
    assert pictures.count() >= 1
    assert page.locator("svg.pb-narrow >> visible=true").count() == 0
    for picture in pictures.all():
        expect(picture).to_be_visible()
        box = picture.bounding_box()
        assert box is not None and box["width"] > 100 and box["height"] > 50, box
        contrast = picture.evaluate(CONTRAST_JS)
        assert contrast is not None and contrast >= 4.5, (picture.get_attribute("id"), contrast)

    # Each mark must show and take a click somewhere: a point where the topmost element is
    # the link itself (or a link to the same record drawn over it). A mark hidden under a mark
    # of another record is reported, and then followed from the keyboard instead. A link to
    # a record on another page must land on that record there.
    covered = []
    here = example_site.url + path
    shown = "svg.pb-svg:not(.pb-narrow) a"
    links = page.locator(shown)
    hrefs = [link.get_attribute("href") or "" for link in links.all()]
    assert hrefs, "the pictures hold no links"
    for index, href in enumerate(hrefs):
        link = page.locator(shown).nth(index)
        target = urljoin(here, href)
        fragment = urlsplit(target).fragment
        assert fragment or not href.startswith("#"), href
        if href.startswith("#"):
            assert page.locator(f"[id='{fragment}']").count() == 1, href
        spot = link.evaluate(CLICKABLE_AT_JS)
        if spot["x"] is not None:
            page.mouse.click(spot["x"], spot["y"])
        else:
            covered.append(
                f"{href} ({link.evaluate('a => a.textContent')!r}): hidden, "
                f"{spot['under']} on its centre"
            )
            link.focus()
            page.keyboard.press("Enter")
        expect(page).to_have_url(target)
        if fragment:
            expect(page.locator(":target")).to_have_attribute("id", fragment)
        if not href.startswith("#"):
            page.goto(here)
        STATS.svg_links += 1
    assert covered == [], "marks hidden under other records' marks:\n" + "\n".join(covered)
    assert session.console_errors == []
    assert session.offsite == []


# The size a picture's text renders at: its font size times the picture's scale on screen.
SMALLEST_TEXT_JS = """svg => {
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  const sizes = Array.from(svg.querySelectorAll("text, tspan")).map(t =>
    parseFloat(getComputedStyle(t).fontSize) * scale);
  return Math.min(...sizes);
}"""


@pytest.mark.parametrize("path", PAGES)
def test_picture_text_stays_legible_on_a_phone(
    browse: Callable[..., Session], example_site: Served, path: str
) -> None:
    """At 390 px each picture shows its narrow layout, drawn at a width the column holds,
    so no text renders under 11 px."""
    page = browse(PALETTES[0]).new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(example_site.url + path)
    pictures = page.locator("svg.pb-svg:not(.pb-wide)")
    assert pictures.count() >= 1
    assert page.locator("svg.pb-wide >> visible=true").count() == 0
    for picture in pictures.all():
        smallest = picture.evaluate(SMALLEST_TEXT_JS)
        assert smallest >= 11, (picture.get_attribute("id"), smallest)
    # neither the page nor a figure scrolls sideways
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
