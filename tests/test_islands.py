"""The tables written as HTML for MkDocs, and the blocks the plugin lifts out of a page
before Python-Markdown reads it and puts back after: exact, forge-proof, and invisible to
a reader."""

from __future__ import annotations

import re
from pathlib import Path

import markdown
import pytest

from bench.synthetic import write_playbook
from prepbook.checks import run_checks
from prepbook.config import Settings
from prepbook.load.playbook import load_files
from prepbook.render import islands
from prepbook.render.html_blocks import blocks_to_html
from prepbook.render.links import served_href
from prepbook.render.markdown import Md, cell_label, escape, one_byte, unindexed
from tests.conftest import EXAMPLES
from tests.searchindex import fragments
from tests.sitecheck import broken_links, read_site, resolve
from tests.test_site import copy_repo, run

PAGE = "playbook/workshops/a.md"


@pytest.fixture(scope="module")
def example_pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The pages of the examples, and of a few synthetic workshops that refer to each
    other, by path (the synthetic ones in a folder of their own)."""
    from prepbook.render.site import render_site

    synthetic = tmp_path_factory.mktemp("synthetic")
    out = {}
    for prefix, files in (
        ("", sorted(EXAMPLES.glob("*.yaml"))),
        ("synthetic/", write_playbook(synthetic, 6)),
    ):
        playbook = load_files(files)
        for path, text in render_site(playbook, run_checks(playbook, Settings())).pages.items():
            out[prefix + path] = text
    return out


def href(target: str) -> str:
    return served_href(PAGE, target)


def _table(head: list[str], *rows: list[str], align: str = "---") -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(f" {align} " for _ in head) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def test_a_table_search_skips_is_marked_once_and_labels_its_cells() -> None:
    md = _table(
        [unindexed("Asset"), unindexed("Required by")],
        [
            unindexed(Md("[Consent flags](#asset-consent)")),
            cell_label("Required by") + unindexed(Md("[Offers](b.md#priority-offers), **6**")),
        ],
    )
    html = blocks_to_html(f"# Page\n\n{md}\n\nAfter.\n", href)
    assert html.startswith("# Page\n\n<table data-search-exclude>\n<thead>\n<tr>\n<th>Asset</th>")
    assert '<td><a href="#asset-consent">Consent flags</a></td>' in html
    assert (
        '<td data-label="Required by"><a href="../b/#priority-offers">Offers</a>, '
        "<strong>6</strong></td>"
    ) in html
    assert "<span" not in html and html.endswith("</table>\n\nAfter.\n")


def test_a_paragraph_search_skips_is_marked_once() -> None:
    meta = unindexed(Md("**Committed** · owner: [Ann](#member-ann) · ")) + unindexed(
        Md("RICE **12** (3 &#215; 4)")
    )
    indexed = Md("Summary ") + unindexed("more")
    md = f"# Page\n\n{meta}\n\n{indexed}\n\n{unindexed('a_b')}\n"
    html = blocks_to_html(md, href)
    assert html == (
        "# Page\n\n<p data-search-exclude><strong>Committed</strong> · owner: "
        '<a href="#member-ann">Ann</a> · RICE <strong>12</strong> (3 &#215; 4)</p>\n\n'
        f"{indexed}\n\n<p data-search-exclude>a&#95;b</p>\n"
    )


def test_what_search_reads_stays_and_what_it_skips_says_so() -> None:
    md = _table(
        [unindexed("Step"), unindexed("Dates")],
        [
            '<span id="step-s1"></span>**Build it** '
            + unindexed("the details")
            + "<br>*Notes:* in time",
            cell_label("Dates") + unindexed("2027-01-04 to 2027-02-26"),
        ],
        align="---:",
    )
    html = blocks_to_html(md, href)
    assert html.startswith("<table>\n<thead data-search-exclude>\n")
    assert '<th style="text-align: right;">Step</th>' in html
    assert (
        '<td style="text-align: right;"><span id="step-s1"></span><strong>Build it</strong> '
        "<span data-search-exclude>the details</span><br><em>Notes:</em> in time</td>"
    ) in html
    assert (
        '<td style="text-align: right;" data-label="Dates" data-search-exclude>'
        "2027-01-04 to 2027-02-26</td>"
    ) in html


@pytest.mark.parametrize(
    "text",
    [
        "[a link](evil.md#x)",
        "**bold** *em* __under__",
        "<script>alert(1)</script>",
        "a | b",
        "`code`",
        '" onmouseover="x',
        "<!--prepbook-island-0-->",
    ],
)
def test_yaml_text_never_becomes_markup(text: str) -> None:
    md = _table(["Name", "Label"], [escape(text), cell_label(text) + escape(text)])
    html = blocks_to_html(md, href)
    assert html.startswith("<table")
    body = html[html.index("<tbody>") :]
    assert set(re.findall(r"<(\w+)", body)) == {"tbody", "tr", "td"}
    assert body.count('"') == 2  # the data-label's quotes only


def test_a_table_with_markdown_it_does_not_know_is_left_to_the_engine() -> None:
    for cell in ("`code`", "_em_", r"a \| b", "[ref][1]"):
        md = _table(["A"], [cell])
        assert blocks_to_html(md, href) == md
    ragged = "| A | B |\n| --- | --- |\n| one |"
    assert blocks_to_html(ragged, href) == ragged


def test_islands_are_lifted_and_put_back_where_search_wants_them() -> None:
    figure = '<div class="prepbook-figure" data-search-exclude><svg id="pb-x"></svg></div>'
    read = '<table>\n<tr><td><span id="step-s1"></span>Build</td></tr>\n</table>'
    skipped = '<table data-search-exclude>\n<tr><td id="asset-a">A</td></tr>\n</table>'
    md = f"# Page\n\n{figure}\n\nText.\n\n{read}\n\n{skipped}\n"
    lifted = islands.lift(md)
    assert lifted.markdown == (
        "# Page\n\n<!--prepbook-island-0-->\n\nText.\n\n"
        "<!--prepbook-island-1-->\n\n<!--prepbook-island-2-->\n"
    )
    assert lifted.ids == {"pb-x", "step-s1", "asset-a"}
    html = "<h1>Page</h1>\n" + lifted.markdown.split("\n\n", 1)[1]
    searched = islands.restore(html, lifted, searched=True)
    assert read in searched and figure not in searched and skipped not in searched
    assert islands.restore(searched, lifted, searched=False).endswith(
        f"{figure}\n\nText.\n\n{read}\n\n{skipped}\n"
    )


def test_a_placeholder_already_in_the_page_is_never_mistaken_for_one() -> None:
    md = "Said <!--prepbook-island-0--> here.\n\n<table>\n<tr><td>x</td></tr>\n</table>\n"
    lifted = islands.lift(md)
    assert lifted.prefix != islands.PREFIX and lifted.prefix not in md
    restored = islands.restore(lifted.markdown, lifted, searched=True)
    assert restored == md


def test_served_href_is_the_address_mkdocs_serves() -> None:
    assert served_href(PAGE, "#x") == "#x"
    assert served_href(PAGE, "b.md#x") == "../b/#x"
    assert served_href(PAGE, "../index.md") == "../../"
    assert served_href(PAGE, "../persofails/privacy/2.md#c") == "../../persofails/privacy/2/#c"
    assert served_href(PAGE, "b.md#x", directory_urls=False) == "b.html#x"
    assert served_href("index.md", "playbook/workshops/a.md#x") == "playbook/workshops/a/#x"
    assert served_href(PAGE, "https://example.com/a.md") == "https://example.com/a.md"


@pytest.mark.parametrize("directory_urls", [True, False])
def test_every_link_in_the_html_tables_resolves(tmp_path: Path, directory_urls: bool) -> None:
    """MkDocs checks no link in raw HTML: the built site is checked instead, with either
    kind of address. ``--strict`` still fails on a Markdown link to an anchor inside a
    lifted block unless the plugin told MkDocs the block's anchors."""
    root = copy_repo(tmp_path)
    if not directory_urls:
        config = root / "mkdocs.yml"
        config.write_text(config.read_text() + "use_directory_urls: false\n")
    done = run(root, "mkdocs", "build", "--strict")
    assert done.returncode == 0, done.stderr
    site = root / "site"
    pages = read_site(site)
    assert broken_links(site, pages) == []  # pictures' links too, with either kind
    workshop = "playbook/workshops/northwind-retail"
    page = site / (f"{workshop}/index.html" if directory_urls else f"{workshop}.html")
    # the decisions table, as HTML (its owners are searched, the ships cell is not)
    assert '<td data-label="Ships" data-search-exclude>' in page.read_text()
    links = [
        (name, href)
        for name in pages
        if name.startswith("playbook/")
        for table in _data_tables((site / name).read_text())
        for href in re.findall(r'href="([^"]*)"', table)
    ]
    assert any(href.startswith("#") for _, href in links)  # within the page
    assert any(href.startswith("../") for _, href in links)  # to other pages
    broken = []
    for name, href in links:
        resolved = resolve(name, href)
        assert resolved is not None, href
        target, fragment = resolved
        if target not in pages or (fragment and fragment not in pages[target].ids):
            broken.append(f"{name}: {href}")
    assert broken == []
    everything = "".join(p.read_text() for p in site.rglob("*.html"))
    assert islands.PREFIX not in everything
    assert not [page["url"] for page in fragments(site) if islands.PREFIX in page["content"]]


def _data_tables(html: str) -> list[str]:
    """The page's own tables, not the pictures' data tables."""
    html = re.sub(r'<div class="prepbook-figure".*?</details></div>', "", html, flags=re.S)
    return re.findall(r"<table[^>]*>.*?</table>", html, re.S)


def _canonical(html: str) -> str:
    """HTML reduced to what a reader sees: its text, links and emphasis; spans, column
    names for phones, search marks and layout whitespace left out."""
    html = re.sub(r'<span class="pb-label"[^>]*>[^<]*</span> ', "", html)
    html = re.sub(r"</?span\b[^>]*>|</?t(?:able|head|body)\b[^>]*>", "", html)
    html = re.sub(r"<(t[hdr]|p|strong|em)\b[^>]*>", r"<\1>", html)
    return re.sub(r"\s+", " ", html).strip()


def test_the_html_reads_as_python_markdown_renders_the_markdown(example_pages) -> None:
    """Every block converted, on every page of the examples, shows what Python-Markdown
    makes of the same Markdown: the same text, emphasis (nested too) and links (given as
    MkDocs serves their pages)."""
    checked = 0
    for path, text in example_pages.items():
        uri = f"playbook/{path}"
        for block in text.split("\n\n"):
            html = blocks_to_html(block, lambda target, uri=uri: served_href(uri, target))
            if html == block:
                continue
            expected = markdown.markdown(block, extensions=["tables"])
            expected = re.sub(
                r'href="([^"]*)"', lambda m, uri=uri: f'href="{served_href(uri, m[1])}"', expected
            )
            assert _canonical(html) == _canonical(expected), (path, block[:200])
            checked += 1
    assert checked > 100


def test_pages_take_one_byte_a_character(example_pages) -> None:
    """A build holds every page at once, and CPython stores a string at the width of its
    widest character: no page holds a character past U+00FF, and what a reader sees is
    unchanged."""
    assert all(max(map(ord, text)) <= 0xFF for text in example_pages.values())
    text = "Baseline → target — ◆ `x → y` é"
    assert one_byte(text) == "Baseline &#8594; target &#8212; &#9670; `x → y` é"
    assert markdown.markdown(one_byte(text)).replace("&#8594;", "→").replace(
        "&#8212;", "—"
    ).replace("&#9670;", "◆") == markdown.markdown(text)
    fenced = "```\n→\n```\n"
    assert one_byte(fenced) == fenced


def test_only_id_attributes_are_anchors() -> None:
    block = '<table data-id="no">\n<tr><td id="yes" data-x-id="no">x</td></tr>\n</table>'
    assert islands.lift(f"# Page\n\n{block}\n").ids == {"yes"}
