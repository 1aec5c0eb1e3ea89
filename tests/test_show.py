"""``prepbook show`` as git's diff driver: every change of meaning shows in ``git diff`` and
``git log -p`` as exactly the lines of the fields it changed, and a reordering shows nothing.

Each edit is one commit in a real repository with the driver configured as the README says;
each test compares the lines git shows for that commit with the lines it must show.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from prepbook.diff.textconv import textconv
from prepbook.load.playbook import load_files
from prepbook.model.facts import facts
from prepbook.model.kinds import KINDS, iter_records
from tests.conftest import EXAMPLES, PLAYBOOK_YML, REPO
from tests.test_diff import GIT_ENV, edit, git

FILE = "workshops/northwind-retail.yaml"
DRIVER = f"{sys.executable} -m prepbook show"

Edit = Callable[[Path], None]


def replace(*pairs: tuple[str, str]) -> Edit:
    return lambda path: edit(path, *pairs)


def _reversed(node: object) -> object:
    if isinstance(node, dict):
        return {key: _reversed(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_reversed(item) for item in reversed(node)]
    return node


def reorder(path: Path) -> None:
    """Every list, of records and of references, in reverse order; the YAML rewritten."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    path.write_text(yaml.safe_dump(_reversed(data), sort_keys=False, width=200), encoding="utf-8")


# (name, edit, the lines git shows for it); the edits apply one after the other.
EDITS: list[tuple[str, Edit, list[str]]] = [
    (
        "dates moved",
        replace(
            (
                "dates:\n  start: 2026-09-22\n  end: 2026-09-23",
                "dates:\n  start: 2026-10-06\n  end: 2026-10-07",
            ),
            (
                "      start: 2026-10-05\n      end: 2026-11-20",
                "      start: 2026-10-12\n      end: 2026-11-27",
            ),
        ),
        [
            "-workshop northwind-retail dates.start: 2026-09-22",
            "-workshop northwind-retail dates.end: 2026-09-23",
            "+workshop northwind-retail dates.start: 2026-10-06",
            "+workshop northwind-retail dates.end: 2026-10-07",
            "-step consent-backfill start: 2026-10-05",
            "-step consent-backfill end: 2026-11-20",
            "+step consent-backfill start: 2026-10-12",
            "+step consent-backfill end: 2026-11-27",
        ],
    ),
    (
        "review_by moved",
        replace(("review_by: 2027-03-31", "review_by: 2027-06-30")),
        [
            "-workshop northwind-retail review_by: 2027-03-31",
            "+workshop northwind-retail review_by: 2027-06-30",
        ],
    ),
    (
        "silence added",
        replace(
            (
                "  - id: replenishment-reminders\n",
                "  - id: replenishment-reminders\n    silence:\n      - rule: PB331\n"
                "        reason: The pilot computes the intervals by hand; no step is needed.\n",
            )
        ),
        [
            "-priority replenishment-reminders silence: []",
            "+priority replenishment-reminders silence: [rule=PB331; reason=The pilot "
            "computes the intervals by hand; no step is needed.]",
        ],
    ),
    (
        "description rewritten",
        replace(
            (
                "        through the account centre and the next order confirmation.",
                "        through the account centre only.",
            )
        ),
        [
            "-step consent-backfill description: Reconcile Braze and the account centre, then "
            "ask customers who were never asked, through the account centre and the next "
            "order confirmation.",
            "+step consent-backfill description: Reconcile Braze and the account centre, then "
            "ask customers who were never asked, through the account centre only.",
        ],
    ),
    (
        "evidence rewritten",
        replace(
            (
                "      36 months of history for 2.4 million identified customers. 64% of store",
                "      24 months of history for 2.4 million identified customers. 64% of store",
            )
        ),
        [
            "-asset order-history evidence: 36 months of history for 2.4 million identified "
            "customers. 64% of store transactions are linked to a loyalty card; the rest are "
            "anonymous and cannot be matched to a customer.",
            "+asset order-history evidence: 24 months of history for 2.4 million identified "
            "customers. 64% of store transactions are linked to a loyalty card; the rest are "
            "anonymous and cannot be matched to a customer.",
        ],
    ),
    (
        "scenario rewritten",
        replace(
            (
                "one she bought, as if Northwind had not noticed the order at all.",
                "one she bought.",
            )
        ),
        [
            "-persofail toilet-seat-loop scenario: A customer buys a soft-close toilet seat. "
            "For the next six weeks the homepage, the product-page carousels and three separate "
            "e-mails show her toilet seats, including the one she bought, as if Northwind had "
            "not noticed the order at all.",
            "+persofail toilet-seat-loop scenario: A customer buys a soft-close toilet seat. "
            "For the next six weeks the homepage, the product-page carousels and three separate "
            "e-mails show her toilet seats, including the one she bought.",
        ],
    ),
    (
        "notes rewritten over two lines",
        replace(
            (
                "    notes: Sponsor of the personalization budget; made the final call on the two "
                "priorities.",
                "    notes: |-\n      Sponsor of the personalization budget.\n"
                "      Made the final call on the two priorities.",
            )
        ),
        [
            "-member helen-okafor notes: Sponsor of the personalization budget; made the final "
            "call on the two priorities.",
            "+member helen-okafor notes: Sponsor of the personalization budget.\\nMade the final "
            "call on the two priorities.",
        ],
    ),
    (
        "recipe trigger changed",
        replace(
            (
                "      trigger: An online order is delivered, or a store purchase",
                "      trigger: An online order is dispatched, or a store purchase",
            )
        ),
        [
            "-priority post-purchase-recommendations recipe.trigger: An online order is "
            "delivered, or a store purchase is linked to a loyalty card",
            "+priority post-purchase-recommendations recipe.trigger: An online order is "
            "dispatched, or a store purchase is linked to a loyalty card",
        ],
    ),
    (
        "role changed",
        replace(("Senior Product Manager, Ecommerce", "Head of Ecommerce Product")),
        [
            "-member tom-gallagher role: Senior Product Manager, Ecommerce",
            "+member tom-gallagher role: Head of Ecommerce Product",
        ],
    ),
    (
        "metric target changed",
        replace(("    baseline: 41\n    target: 55", "    baseline: 41\n    target: 60")),
        [
            "-metric recommendation-trust target: 55",
            "+metric recommendation-trust target: 60",
        ],
    ),
    (
        "requires entry removed",
        replace(("      - recommendation-service\n      - data-science-capacity\n", "")),
        [
            "-priority post-purchase-recommendations requires: [data-science-capacity, "
            "marketing-consent, order-history, product-attributes, recommendation-service]",
            "+priority post-purchase-recommendations requires: [marketing-consent, "
            "order-history, product-attributes]",
        ],
    ),
    (
        "mitigation status changed",
        replace(
            (
                "        owner: aisha-khan\n        status: in-progress",
                "        owner: aisha-khan\n        status: done",
            )
        ),
        [
            "-mitigation toilet-seat-loop/suppress-durables status: in-progress",
            "+mitigation toilet-seat-loop/suppress-durables status: done",
        ],
    ),
    (
        "reference list reordered",
        replace(
            (
                "      - order-history\n      - repurchase-intervals\n      - marketing-consent\n",
                "      - marketing-consent\n      - repurchase-intervals\n      - order-history\n",
            )
        ),
        [],
    ),
    ("records and lists reordered, YAML rewritten", reorder, []),
]


def changed_lines(diff: str) -> list[str]:
    return [
        line
        for line in diff.splitlines()
        if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))
    ]


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A repository with the driver on and one commit per edit: its root and the commits."""
    root = tmp_path_factory.mktemp("show") / "playbook"
    shutil.copytree(EXAMPLES, root / "workshops")
    shutil.copy(REPO / ".gitattributes", root / ".gitattributes")
    (root / "mkdocs.yml").write_text(PLAYBOOK_YML)
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "diff.prepbook.textconv", DRIVER)
    git(root, "config", "diff.prepbook.cachetextconv", "true")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "The examples")
    commits = {}
    for name, change, _ in EDITS:
        change(root / FILE)
        git(root, "commit", "-q", "-am", name)
        commits[name] = git(root, "rev-parse", "HEAD").strip()
    return root, commits


@pytest.mark.parametrize(("name", "expected"), [(name, lines) for name, _, lines in EDITS])
def test_git_diff_shows_exactly_the_changed_fields(
    history: tuple[Path, dict[str, str]], name: str, expected: list[str]
) -> None:
    root, commits = history
    commit = commits[name]
    assert git(root, "diff", "--no-textconv", f"{commit}^", commit, "--", FILE), "no edit"
    diff = git(root, "diff", f"{commit}^", commit, "--", FILE)
    assert sorted(changed_lines(diff)) == sorted(expected), diff
    if not expected:
        assert diff == ""


def test_git_log_p_shows_each_change(history: tuple[Path, dict[str, str]]) -> None:
    root, commits = history
    log = git(root, "log", "-p", f"main~{len(EDITS)}..main", "--", FILE)
    assert sorted(changed_lines(log)) == sorted(line for _, _, lines in EDITS for line in lines)
    one = git(root, "log", "-p", "-1", commits["metric target changed"], "--", FILE)
    assert changed_lines(one) == [
        "-metric recommendation-trust target: 55",
        "+metric recommendation-trust target: 60",
    ]


def _readme_textconv_commands() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r'git config diff\.prepbook\.textconv "[^"]+"', readme)
    assert any("python -m prepbook show" in c for c in commands), commands
    assert any("/bin/prepbook show" in c for c in commands), commands
    assert "git config diff.prepbook.cachetextconv true" in readme
    return sorted(set(commands))


@pytest.mark.skipif(
    sys.prefix == sys.base_prefix or not Path(sys.prefix, "bin", "prepbook").exists(),
    reason="the documented setup names a virtual environment with prepbook installed",
)
@pytest.mark.parametrize("command", _readme_textconv_commands())
def test_documented_driver_works_without_the_environment_on_path(
    tmp_path: Path, command: str
) -> None:
    """The README's commands, run from the top of a clone whose ``.venv`` holds prepbook,
    with a PATH that knows nothing of it."""
    root = tmp_path / "playbook"
    shutil.copytree(EXAMPLES, root / "workshops")
    shutil.copy(REPO / ".gitattributes", root / ".gitattributes")
    (root / "mkdocs.yml").write_text(PLAYBOOK_YML)
    (root / ".venv").symlink_to(sys.prefix, target_is_directory=True)
    env = {**GIT_ENV, "PATH": "/usr/bin:/bin"}

    def run(script: str) -> str:
        done = subprocess.run(
            ["sh", "-c", script], cwd=root, env=env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    run("git init -q -b main && git add . && git commit -q -m examples")
    run(f"{command} && git config diff.prepbook.cachetextconv true")
    edit(root / FILE, ("review_by: 2027-03-31", "review_by: 2027-06-30"))
    expected = [
        "-workshop northwind-retail review_by: 2027-03-31",
        "+workshop northwind-retail review_by: 2027-06-30",
    ]
    assert changed_lines(run(f"git diff -- {FILE}")) == expected
    run("git commit -q -am 'Review later'")
    assert changed_lines(run(f"git log -p -1 -- {FILE}")) == expected


def test_every_field_of_every_record_is_shown() -> None:
    """The view is read off the models: one line per fact of each record, none left out."""
    playbook = load_files([EXAMPLES / "northwind-retail.yaml"])
    lines = textconv(playbook).splitlines()
    (loaded,) = playbook.workshops.values()
    located = list(iter_records(loaded.model))
    expected = len(facts(loaded.model)) - 1 + sum(len(facts(r.record)) - 1 for r in located)
    assert len(lines) == expected == len(set(lines))
    assert {line.split(" ", 1)[0] for line in lines} == {"workshop", *KINDS}
    assert "mitigation toilet-seat-loop/suppress-durables owner: aisha-khan" in lines
    assert "persofail toilet-seat-loop inherent.score: 20" in lines  # a computed field
    rank = {kind: index for index, kind in enumerate(["workshop", *KINDS])}
    order = [rank[line.split(" ", 1)[0]] for line in lines]
    assert order == sorted(order)
