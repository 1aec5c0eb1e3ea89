"""MkDocs' floor: what a build of ``n`` pages costs with no plugin at all.

The plugin's build is judged against the least any MkDocs site of the same size costs: the
same theme, search and navigation as :data:`bench.measure.MKDOCS_YML`, and one page a
workshop, each a heading and one paragraph, out of the navigation as the workshop pages
are. Both builds run in the same session, so the ratio holds on a loaded machine where
absolute seconds do not.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from bench.measure import MKDOCS_YML, run
from bench.synthetic import INDUSTRIES

# The pages of the navigation, present in the floor so that its navigation is the same.
SECTIONS = ("playbook", "playbook/audit", "playbook/persofails", "playbook/roadmap")
PARAGRAPH = (
    "The team met for a day to agree which personalization to build first, what data and "
    "skills it needs, how it could go wrong for a customer, and how success is measured."
)


def workshop_id(i: int) -> str:
    """The id :mod:`bench.synthetic` gives its ``i``-th workshop."""
    return f"{INDUSTRIES[i % len(INDUSTRIES)]}-{i:05d}"


def floor_site(folder: Path, n: int) -> Path:
    """A MkDocs project of ``n`` one-paragraph pages at the workshops' addresses."""
    if folder.exists():
        shutil.rmtree(folder)
    docs = folder / "docs"
    pages = docs / "playbook" / "workshops"
    pages.mkdir(parents=True)
    (docs / "index.md").write_text("# Benchmark playbook\n")
    for section in SECTIONS:
        (docs / section).mkdir(parents=True, exist_ok=True)
        title = section.rpartition("/")[2].capitalize()
        (docs / section / "index.md").write_text(f"# {title}\n\n{PARAGRAPH}\n")
    for i in range(n):
        name = workshop_id(i)
        (pages / f"{name}.md").write_text(f"# Workshop {name}\n\n{PARAGRAPH}\n")
    (folder / "mkdocs.yml").write_text(without_plugin(MKDOCS_YML))
    return folder


def without_plugin(config: str) -> str:
    plain = config.replace("  - prepbook\n", "")
    if plain == config:
        raise ValueError("the benchmark's mkdocs.yml no longer lists the plugin as expected")
    return plain


def floor_build(folder: Path, n: int) -> tuple[float, float]:
    """Seconds and peak MB of ``mkdocs build`` of :func:`floor_site`."""
    return run(floor_site(folder, n), "mkdocs", "build", "--quiet")


def site_weights(root: Path) -> tuple[int, int]:
    """Bytes of HTML in the built site and of its search index: what a reader downloads
    page by page, and what the search reads from."""
    site = root / "site"
    html = sum(page.stat().st_size for page in site.rglob("*.html"))
    return html, search_bytes(site)


def search_bytes(site: Path) -> int:
    """Bytes of a built site's search index: Pagefind's folder, of which a query reads a
    few chunks, where prepbook made one; else the theme's index, downloaded whole."""
    pagefind = site / "pagefind"
    if pagefind.is_dir():
        return sum(p.stat().st_size for p in pagefind.rglob("*") if p.is_file())
    return (site / "search" / "search_index.json").stat().st_size
