"""The prose the MkDocs adapter writes as HTML itself (paragraphs, lists, quotes, the tables
with code): byte for byte what Python-Markdown makes of the Markdown, on every page of the
examples and of a synthetic playbook, and left to the engine whenever it is not sure."""

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
from prepbook.render.prose_html import known, prose_to_html
from tests.conftest import EXAMPLES

# MkDocs' own extensions and the example playbook's
EXTENSIONS = ["toc", "tables", "fenced_code", "admonition"]
PAGE = "playbook/workshops/a.md"


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Every page of the examples and of twelve synthetic workshops, by its docs path."""
    from prepbook.render.site import render_site

    synthetic = tmp_path_factory.mktemp("synthetic")
    out = {}
    for prefix, files in (
        ("playbook/", sorted(EXAMPLES.glob("*.yaml"))),
        ("synthetic/", write_playbook(synthetic, 12)),
    ):
        playbook = load_files(files)
        for path, text in render_site(playbook, run_checks(playbook, Settings())).pages.items():
            out[prefix + path] = text
    return out


def _served(uri: str, html: str) -> str:
    """Links as MkDocs rewrites them after Python-Markdown (it leaves raw HTML alone)."""
    return re.sub(r'href="([^"]*)"', lambda m: f'href="{served_href(uri, m[1])}"', html)


def _through_engine(uri: str, text: str, *, prose: bool) -> tuple[str, str]:
    """A page as the plugin hands it to Python-Markdown and as it comes out, with the
    lifted blocks put back: the HTML, and the Markdown the engine had to read."""
    href = lambda target: served_href(uri, target)  # noqa: E731
    html = blocks_to_html(text, href)
    if prose:
        html = prose_to_html(html, href)
    lifted = islands.lift(html)
    out = _served(uri, markdown.markdown(lifted.markdown, extensions=EXTENSIONS))
    out = islands.restore(out, lifted, searched=True)
    return islands.restore(out, lifted, searched=False), lifted.markdown


def _md(text: str) -> str:
    return _served(PAGE, markdown.markdown(text, extensions=EXTENSIONS))


def _converted(text: str) -> str:
    """``text`` through the conversion, lifted and put back: what the page shows."""
    lifted = islands.lift(prose_to_html(text, lambda target: served_href(PAGE, target)))
    out = _served(PAGE, markdown.markdown(lifted.markdown, extensions=EXTENSIONS))
    return islands.restore(islands.restore(out, lifted, searched=True), lifted, searched=False)


def test_every_page_comes_out_byte_for_byte_as_python_markdown_makes_it(
    pages: dict[str, str],
) -> None:
    """The HTML of every page is the same with the prose converted as without, and the
    Markdown left for the engine to read is a fraction of what it was."""
    before = after = 0
    for uri, text in pages.items():
        plain, left_before = _through_engine(uri, text, prose=False)
        converted, left_after = _through_engine(uri, text, prose=True)
        assert converted == plain, uri
        before += len(left_before)
        after += len(left_after)
    assert after < before / 2, (before, after)


@pytest.mark.parametrize(
    "text",
    [
        "- one\n- two",  # tight
        "- one\n\n- two\n\n- three",  # loose: each item a paragraph
        "- a\n- b\n\n- c\n- d\n\n- e",  # Python-Markdown's mix of both
        "Intro:\n\n- a\n\n\n- b\n\nAfter.",  # two blank lines do not end a list
        "> **If** this\n> then **that**\n\n> and more",  # one quote of two paragraphs
        "**Requires:** [Asset](b.md#asset-x) (ready), *maybe* `code_id`",
        '<span id="x"></span>\n\n## Heading\n\n<span class="s">A</span> · b &#40;c&#41;',
        "| Priority | Status |\n| --- | ---: |\n| [P](b.md#p) (`p-0`) | ok |\n| &nbsp; | |",
        "Text\n\n<!--note-->\n\n- list after a raw block\n\n<table>\n<tr><td>x</td></tr>\n</table>",
    ],
)
def test_a_construct_prepbook_writes_becomes_the_html_python_markdown_makes(text: str) -> None:
    assert islands.PROSE in prose_to_html(text, lambda target: served_href(PAGE, target))
    assert _converted(text) == _md(text)


@pytest.mark.parametrize(
    "text",
    [
        "_underscored_ text",  # Markdown this module does not convert
        "A line\n# a heading inside",
        "A line\n---",  # a setext heading
        "Trailing spaces  \nmake a line break",
        "- item\n\n    indented: part of the item",
        "    code\n\n- a list after an indented block",
        "- item\n  - nested",
        "* another marker",
        "1. numbered",
        "[a link](b.md 'with a title')",
        "a < b",
        "x | y",
        "Tom & Jerry",
    ],
)
def test_what_it_is_not_sure_of_is_left_to_the_engine(text: str) -> None:
    """Left as it was, and with it every block Python-Markdown would join to it."""
    assert prose_to_html(text, lambda target: served_href(PAGE, target)) == text
    assert _converted(text) == _md(text)


def test_a_link_the_engine_would_warn_about_leaves_its_block_to_the_engine() -> None:
    """MkDocs warns about a link to no page of the site; the block stays Markdown so that
    it still does, and a list or quote with it."""
    text = "See [a](missing.md).\n\n- [b](here.md)\n\n- [c](missing.md)\n\nEnd [d](here.md)."

    def resolve(target: str) -> str | None:
        return None if target.startswith("missing") else served_href(PAGE, target)

    converted = prose_to_html(text, resolve)
    assert converted.count(islands.PROSE) == 1  # only the last paragraph
    assert "[a](missing.md)" in converted and "- [b](here.md)" in converted
    assert converted.endswith('<p>End <a href="../here/">d</a>.</p>')


def test_only_the_extensions_known_to_leave_plain_markdown_alone_allow_it() -> None:
    assert known(["toc", "tables", "fenced_code", "admonition", "markdown.extensions.attr_list"])
    assert not known(["toc", "pymdownx.magiclink"])  # it would link bare addresses
    assert not known(["smarty"])  # it would curl the quotes
    assert not known(["toc", markdown.extensions.Extension()])  # added by a plugin


def test_prose_that_is_lifted_loses_the_blank_line_a_raw_block_gets() -> None:
    """Python-Markdown writes a blank line after a raw HTML block and none after a
    paragraph: the placeholder of converted prose takes the line break with it."""
    text = "First.\n\n| A |\n| --- |\n| `x` |\n\n## Next"
    assert _converted(text) == _md(text)
    assert "</p>\n<table>" in _converted(text)


def test_runs_of_lifted_blocks_share_one_placeholder() -> None:
    text = "One.\n\n- two\n\nThree.\n\n## Heading\n\nFour."
    lifted = islands.lift(prose_to_html(text, lambda target: served_href(PAGE, target)))
    assert lifted.markdown == ("<!--prepbook-island-0-->\n\n## Heading\n\n<!--prepbook-island-1-->")


def test_the_site_links_and_anchors_of_lifted_prose_are_checked_by_mkdocs(
    tmp_path: Path,
) -> None:
    """A link in converted prose is written as MkDocs would write it, and the anchors it
    names are handed to MkDocs' check; a link to no page is left to MkDocs to warn about."""
    from mkdocs.structure.files import File, Files

    from prepbook.site_build import _resolve

    def file(uri: str) -> File:
        return File(uri, src_dir=str(tmp_path), dest_dir=str(tmp_path), use_directory_urls=True)

    page, other = file("playbook/workshops/a.md"), file("playbook/people/b.md")
    files = Files([page, other])
    linked: dict[File, dict[str, str]] = {}
    assert _resolve(page, files, linked, "../people/b.md#role") == "../../people/b/#role"
    assert _resolve(page, files, linked, "#decided") == "#decided"
    assert _resolve(page, files, linked, "https://example.com/x.md") == "https://example.com/x.md"
    assert _resolve(page, files, linked, "../people/none.md") is None
    assert _resolve(page, files, linked, "/absolute.md") is None
    assert linked == {other: {"role": "../people/b.md#role"}, page: {"decided": "#decided"}}


def test_once_put_back_the_blocks_search_reads_are_let_go() -> None:
    """MkDocs holds every page's HTML from its conversion to its template: the lifted
    blocks already back in it are not held a second time."""
    figure = '<div class="prepbook-figure" data-search-exclude><svg></svg></div>'
    text = f"Read this.\n\n- and this\n\n## Heading\n\n{figure}\n\nAnd this."
    lifted = islands.lift(prose_to_html(text, lambda target: served_href(PAGE, target)))
    html = markdown.markdown(lifted.markdown, extensions=EXTENSIONS)
    searched = islands.restore(html, lifted, searched=True)
    rest = islands.skipped(lifted)
    assert [i.html for i in rest.islands if i.searched] == ["", ""]
    assert figure in [i.html for i in rest.islands]
    assert islands.restore(searched, rest, searched=False) == islands.restore(
        searched, lifted, searched=False
    )
    assert islands.restore(searched, rest, searched=False) == _md(text)
