"""``python -m bench``: the figures of prepbook at playbook scale, as one table.

Every figure is a ratio measured in the same run (absolute times are noisy on a shared
machine), printed with its target and the command that reproduces it alone.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from bench import latency, many_findings, measure, search, site
from bench.floor import floor_build, site_weights

SIZES = (250, 500, 1000, 2000)
SERVE_SIZE = 200  # the live preview is timed at this size and at --at


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--sizes",
        default=",".join(map(str, SIZES)),
        help="playbook sizes for the scaling runs (default: %(default)s)",
    )
    parser.add_argument(
        "--at", type=int, default=1000, help="size for the ratios (default: %(default)s)"
    )
    parser.add_argument(
        "--only",
        choices=(
            "validate",
            "findings",
            "build",
            "scaling",
            "rebuild",
            "history",
            "site",
            "serve",
            "search",
        ),
        help="one figure alone",
    )
    parser.add_argument(
        "--findings",
        default=",".join(map(str, many_findings.FINDINGS)),
        help="findings in one file, for the figure of their cost (default: %(default)s)",
    )
    parser.add_argument("--work", help="folder for the playbooks (default: a temporary one)")
    parser.add_argument(
        "--commits",
        type=int,
        default=200,
        help="commits of history for the Changes page figure (default: %(default)s)",
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="prepbook-bench-"))
    rows: list[tuple[str, str, str, str, str]] = []
    at = measure.playbook(work / f"n{args.at}", args.at)
    me = f"python -m bench --at {args.at}"

    if args.only in (None, "validate"):
        faulty = measure.playbook(work / f"faults{args.at}", args.at, faults=True)
        figures = measure.validate_against_floor({"clean": at, "faults": faulty})
        for name, label in (("clean", ""), ("faults", ", a finding in every file")):
            v = figures[name]
            rows.append(
                (
                    f"validate / libyaml parse, whole processes, N={args.at}{label}",
                    f"{v.ratio:.2f}x ({v.seconds:.2f} s / {v.floor:.2f} s of CPU; "
                    f"{v.findings:,} findings in {v.files_with_findings:,} of {v.files:,} "
                    f"files; peak {v.peak_mb:.0f} MB)",
                    "<= 1.5x",
                    _ok(v.ratio <= 1.5),
                    f"{me} --only validate",
                )
            )
    if args.only in (None, "findings"):
        counts = [int(n) for n in args.findings.split(",")]
        rows.extend(_findings_rows(work, counts))
    builds: dict[int, tuple[float, float, int]] = {}
    weights: dict[int, tuple[int, int]] = {}  # bytes of HTML and of the search index
    if args.only in (None, "build", "scaling"):
        for n in sorted({*sizes, args.at} if args.only != "build" else {args.at}):
            root = at if n == args.at else measure.playbook(work / f"n{n}", n)
            seconds, peak = measure.build(root)
            builds[n] = (seconds, peak, measure.site_bytes(root))
            weights[n] = site_weights(root)
    if args.only in (None, "build"):
        plugin = builds[args.at][0]
        plain, _ = measure.plain_build(at, work / f"plain{args.at}")
        rows.append(
            (
                f"mkdocs build with plugin / plain build of the generated pages, N={args.at}",
                f"{plugin / plain:.2f}x ({plugin:.1f} s / {plain:.1f} s)",
                "<= 1.10x",
                _ok(plugin / plain <= 1.10),
                f"{me} --only build",
            )
        )
        rows.extend(_floor_rows(builds[args.at][:2], args.at, work, me))
    if args.only in (None, "scaling") and len(sizes) > 1:
        for n in sizes:
            seconds, peak, size = builds[n]
            html, search = weights[n]
            rows.append(
                (
                    f"build, N={n}",
                    f"{seconds:.1f} s, peak {peak:.0f} MB "
                    f"({peak / n * 1000:.0f} kB/workshop), site {size / n / 1024:.0f} "
                    f"kB/workshop (HTML {html / n / 1024:.0f} kB, search index "
                    f"{search / n / 1024:.1f} kB)",
                    "linear",
                    "",
                    f"{me} --only scaling --sizes {n}",
                )
            )
        high = max(sizes)
        low = high // 4 if high // 4 in sizes else min(sizes)  # 2,000 / 500 by default
        ratio = builds[high][0] / builds[low][0]
        limit = 4.4 * (high / low) / 4  # linear, with 10 % to spare
        rows.append(
            (
                f"build time {high} / {low}",
                f"{ratio:.2f}",
                f"<= {limit:.1f}",
                _ok(ratio <= limit),
                f"python -m bench --only scaling --sizes {','.join(map(str, sizes))}",
            )
        )
        peak_ratio = builds[high][1] / builds[low][1]
        rows.append(
            (
                f"peak memory {high} / {low}",
                f"{peak_ratio:.2f}",
                f"<= {high / low:.1f} (linear)",
                _ok(peak_ratio <= high / low),
                "",
            )
        )
    if args.only in (None, "rebuild"):
        numbers = measure.rebuild(at)
        cold_build = builds.get(args.at, (None,))[0] or measure.build(at)[0]
        share = numbers["warm"] / cold_build
        rows.append(
            (
                f"serve rebuild after one edit: plugin's time / cold build, N={args.at}",
                f"{share:.1%} ({numbers['warm']:.2f} s / {cold_build:.1f} s; "
                f"re-parsed {numbers['parsed']:.0f} of {numbers['cold_parsed']:.0f} "
                f"files)",
                "<= 10 %",
                _ok(share <= 0.10),
                f"{me} --only rebuild",
            )
        )
    if args.only in (None, "history"):
        with_history, without = measure.history_cost(at, work / f"history{args.at}", args.commits)
        extra = with_history / without - 1
        rows.append(
            (
                f"build with a Changes page over {args.commits} commits / without, N={args.at}",
                f"+{extra:.1%} ({with_history:.1f} s / {without:.1f} s)",
                "<= +10 %",
                _ok(extra <= 0.10),
                f"{me} --only history",
            )
        )
    if args.only == "site":  # Chromium and Zensical: asked for by name, not in the default run
        rows.extend(_site_rows(at, args.at, work, me))
    if args.only == "search":  # Chromium as well
        rows.extend(_search_rows(at, args.at, f"{me} --only search"))
    if args.only == "serve":  # Chromium and a live server: asked for by name as well
        for n in sorted({SERVE_SIZE, args.at}):
            root = at if n == args.at else measure.playbook(work / f"n{n}", n)
            rows.extend(_serve_rows(root, n, f"{me} --only serve"))
    print(
        f"prepbook benchmarks on {platform.python_implementation()} "
        f"{platform.python_version()}, {os.cpu_count()} cores, {platform.machine()}\n"
    )
    print("| figure | measured | target | met | reproduce |")
    print("| --- | --- | --- | --- | --- |")
    for row in rows:
        print("| " + " | ".join(row) + " |")


def _findings_rows(work: Path, counts: list[int]) -> list[tuple[str, str, str, str, str]]:
    """Validation of one file of each number of findings (see :mod:`bench.many_findings`),
    and how the time grows from each number to the next: linear, each finding costing at
    most half as much again at the larger number (a file seven times as large no longer
    fits the processor's caches as well: some 20 % a finding, measured; a cost that grew
    with the square would be seven times)."""
    again = f"python -m bench --only findings --findings {','.join(map(str, counts))}"
    figures = {
        n: many_findings.validate_findings(
            many_findings.playbook_of_findings(work / f"findings{n}", n)
        )
        for n in counts
    }
    rows = [
        (
            f"validate one file of {n:,} findings",
            f"{f.seconds:.2f} s of CPU ({f.per_finding * 1e6:.0f} µs a finding; file "
            f"{f.size / 1024:.0f} kB; {f.findings:,} counted, {f.listed} listed)",
            "linear",
            "",
            again,
        )
        for n, f in figures.items()
    ]
    for low, high, ratio in many_findings.growth(figures):
        limit = 1.5 * high / low
        rows.append(
            (
                f"validate time, {high:,} / {low:,} findings in one file",
                f"{ratio:.2f}",
                f"<= {limit:.1f} (linear)",
                _ok(ratio <= limit),
                again,
            )
        )
    return rows


def _floor_rows(
    plugin: tuple[float, float], n: int, work: Path, me: str
) -> list[tuple[str, str, str, str, str]]:
    """The plugin's full build against MkDocs' floor (see :mod:`bench.floor`) and its
    peak memory. Both builds hold ``n`` workshop pages, so the ratio of the totals is the
    ratio per workshop."""
    seconds, peak = plugin
    least, least_peak = floor_build(work / f"floor{n}", n)
    ratio = seconds / least
    return [
        (
            f"full build / MkDocs floor, per workshop, N={n}",
            f"{ratio:.1f}x ({seconds / n * 1000:.0f} ms / {least / n * 1000:.1f} ms; "
            f"{seconds:.1f} s / {least:.1f} s)",
            "<= 10x",
            _ok(ratio <= 10),
            f"{me} --only build",
        ),
        (
            f"peak memory, N={n}",
            f"{peak:.0f} MB (floor {least_peak:.0f} MB)",
            "<= 300 MB",
            _ok(peak <= 300),
            f"{me} --only build",
        ),
    ]


def _serve_rows(root: Path, n: int, again: str) -> list[tuple[str, str, str, str, str]]:
    """Save to reloaded page under ``mkdocs serve`` (see :mod:`bench.latency`): the
    workshop's page, then the section page that lists it."""
    rows = []
    for figure in latency.preview(root, progress=lambda line: print(line, file=sys.stderr)):
        workshop = figure.page.startswith("playbook/workshops/")
        where = "page" if workshop else f"section page {figure.page}"
        reported = figure.reported
        logged = "" if reported is None else f", of which the build logs {reported:.2f} s"
        rows.append(
            (
                f"live preview: save → reloaded {where}, N={n}",
                f"median {figure.median:.2f} s, worst {figure.worst:.2f} s over "
                f"{len(figure.rounds)} saves (rebuild {figure.build:.2f} s{logged} + rest "
                f"{figure.part('rest'):.2f} s: watch {figure.part('watch'):.2f}, settle "
                f"{figure.part('settle'):.2f}, reload {figure.part('reload'):.2f}, render "
                f"{figure.part('render'):.2f})",
                "<= 2 s",
                _ok(figure.worst <= 2),
                again,
            )
        )
    return rows


def _site_rows(root: Path, n: int, work: Path, me: str) -> list[tuple[str, str, str, str, str]]:
    """The site as a reader meets it at ``n`` workshops (see :mod:`bench.site`)."""
    if not (root / "site").is_dir():
        measure.build(root)
    middle = n // 2
    query = f"{site.synthetic_organisation(middle)}"
    f = site.site_figures(root, n, query, work / f"zensical{n}")
    again = f"{me} --only site"
    path, size = f.largest_page
    slowest = max(f.loads, key=lambda url: f.loads[url])
    sections = {u: s for u, s in f.loads.items() if not u.startswith("playbook/workshops/")}
    workshops = {u: s for u, s in f.loads.items() if u.startswith("playbook/workshops/")}
    per_workshop = f.search_index / n
    built, seconds, error = f.zensical
    rows = [
        (
            f"largest HTML page, N={n}",
            f"{size / 1024:.0f} kB ({path}; {f.html_pages} pages)",
            "<= 1 MB",
            _ok(size <= 1024 * 1024),
            again,
        ),
        (
            f"load event, slowest of {len(f.loads)} pages, N={n}",
            f"{f.loads[slowest]:.2f} s ({slowest or 'home'})",
            "< 1 s",
            _ok(f.loads[slowest] < 1),
            again,
        ),
        (
            f"load event, {len(sections)} home and section pages: median / slowest, N={n}",
            f"{_median(sections.values()):.2f} s / {max(sections.values()):.2f} s",
            "< 1 s",
            _ok(max(sections.values()) < 1),
            again,
        ),
        (
            f"load event, {len(workshops)} workshop pages: median / slowest, N={n}",
            f"{_median(workshops.values()):.2f} s / {max(workshops.values()):.2f} s"
            if workshops
            else "—",
            "< 1 s",
            _ok(not workshops or max(workshops.values()) < 1),
            again,
        ),
        (
            f"search index per workshop, N={n}",
            f"{per_workshop / 1024:.1f} kB ({f.search_index / 1024 / 1024:.1f} MB)",
            "< 10 kB",
            _ok(per_workshop < 10 * 1024),
            again,
        ),
        (
            f"first search result from page load / from typing, N={n}",
            f"{f.first_result_from_load:.2f} s / {f.first_result_from_typing:.2f} s",
            "< 2 s",
            _ok(f.first_result_from_load < 2),
            again,
        ),
        (
            f"zensical build of the generated pages, N={n}",
            f"built in {seconds:.1f} s" if built else f"failed after {seconds:.1f} s: {error}",
            "builds",
            _ok(built),
            again,
        ),
    ]
    return rows


def _search_rows(root: Path, n: int, again: str) -> list[tuple[str, str, str, str, str]]:
    """The first search result three ways over one build (see :mod:`bench.search`), and
    what the build and Pagefind's indexing in it cost. The build writes the theme's own
    index as well, for the theme's variants."""
    measure.keep_theme_index(root)
    seconds, peak = measure.build(root)
    figures, cost = search.search_figures(root / "site", site.synthetic_organisation(n // 2))
    rows = [
        (
            f"build with the Pagefind index and the theme's, N={n}",
            f"{seconds:.1f} s, peak {peak:.0f} MB; Pagefind's indexing in it, run again "
            f"alone: {cost.seconds:.1f} s, peak {cost.peak_mb:.0f} MB (its own process)",
            "",
            "",
            again,
        )
    ]
    for f in figures:
        rows.append(
            (
                f"first search result, {f.variant}, N={n}",
                f"{f.from_typing:.2f} s from typing, {f.from_load:.2f} s from the first byte; "
                f"{f.bytes_before / 1024:,.0f} kB in {f.requests_before} responses before "
                f"it; index {f.index_bytes / 1024 / 1024:.1f} MB; first: {f.first_href}",
                "<= 1 s",
                _ok(f.from_typing <= 1),
                again,
            )
        )
    return rows


def _median(values: Iterable[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2] if ordered else 0.0


def _ok(met: bool) -> str:
    return "yes" if met else "NO"


if __name__ == "__main__":
    main()
