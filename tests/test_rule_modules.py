"""One rule, one module: the registry finds each method rule by its module's name, refuses a
module that is not a rule, keeps the lower layers' declaration equal to the modules, and a
rule added as one new module (and ``prepbook refresh``) is validated, documented and
configured like the others."""

from __future__ import annotations

import os
import shutil
import types
from pathlib import Path

import pytest

from prepbook.checks import rules as registry
from prepbook.checks.rules import DEFINED, module_name
from prepbook.checks.rules.definition import EachWorkshop, RuleDoc
from prepbook.config import Settings
from prepbook.docs.rule_declarations import DECLARATIONS_FILE, declarations_text
from prepbook.load.playbook import load_blobs
from prepbook.rules import METHOD_RULES, RULES, Rule, Severity
from tests.conftest import REPO, minimal

RULES_PACKAGE = REPO / "prepbook" / "checks" / "rules"


class TestRegistry:
    def test_each_method_rule_is_the_module_named_after_it(self) -> None:
        assert tuple(DEFINED) == METHOD_RULES
        for rule_id, method in DEFINED.items():
            name = module_name(method.rule)
            assert method.module == f"prepbook.checks.rules.{name}"
            assert (RULES_PACKAGE / f"{name}.py").is_file(), rule_id
            assert name.startswith(rule_id.lower() + "_")

    def test_the_modules_are_found_without_a_list(self) -> None:
        """Every module named like a rule is one, and nothing outside the package names
        them: no list of rules to keep beside the modules."""
        named = {p.stem for p in RULES_PACKAGE.glob("pb[0-9][0-9][0-9]_*.py")}
        assert named == {module_name(m.rule) for m in DEFINED.values()}
        for path in (REPO / "prepbook").rglob("*.py"):
            if path.parent != RULES_PACKAGE:
                text = path.read_text(encoding="utf-8")
                assert not any(name in text for name in named), path

    def test_the_lower_layers_declare_the_rules_as_their_modules_define_them(self) -> None:
        assert DECLARATIONS_FILE.read_text(encoding="utf-8") == declarations_text(), (
            "run: prepbook refresh"
        )
        for rule_id, method in DEFINED.items():
            assert RULES[rule_id] == method.rule

    def test_the_checks_refuse_to_run_on_a_stale_declaration(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A rule module changed without its declaration would report at the declared
        severity, under the declared name: the checks stop, and say how to fix it."""
        moved = Rule("PB311", "facilitator-is-decider", Severity.ERROR, "Changed.")
        monkeypatch.setattr(registry, "RULES", {**RULES, "PB311": moved})
        with pytest.raises(RuntimeError, match=r"declare PB311 as .* run 'prepbook refresh'"):
            list(registry.check_method(load_blobs([]), Settings()))


def _module(name: str, **attributes: object) -> types.ModuleType:
    module = types.ModuleType(f"prepbook.checks.rules.{name}")
    module.__dict__.update(attributes)
    return module


RULE = Rule("PB399", "shouted-title", Severity.INFO, "A workshop's title is in capitals.")
DOC = RuleDoc(rationale="Capitals shout.", fix="Write it in sentence case.", failing="", passing="")
CHECK = EachWorkshop(lambda playbook, loaded, settings: iter(()))


class TestARuleModule:
    def test_one_that_defines_a_rule_is_read(self) -> None:
        method = registry._definition(
            _module("pb399_shouted_title", RULE=RULE, DOC=DOC, check=CHECK)
        )
        assert (method.rule, method.doc, method.check) == (RULE, DOC, CHECK)

    @pytest.mark.parametrize(
        ("name", "attributes", "message"),
        [
            ("pb399_shouted_title", {"DOC": DOC, "check": CHECK}, "defines no RULE"),
            ("pb399_shouted_title", {"RULE": RULE, "check": CHECK}, "defines no DOC"),
            (
                "pb399_shouted_title",
                {"RULE": RULE, "DOC": DOC, "check": lambda *a: iter(())},
                "check is none of EachWorkshop, EachCommittedPriority",
            ),
            (
                "pb399_loud_title",
                {"RULE": RULE, "DOC": DOC, "check": CHECK},
                "defines PB399 shouted-title: name it pb399_shouted_title",
            ),
            (
                "pb299_shouted_title",
                {
                    "RULE": Rule("PB299", "shouted-title", Severity.INFO, "x"),
                    "DOC": DOC,
                    "check": CHECK,
                },
                "PB299 is not a method rule",
            ),
            (
                "pb399_shouted_title",
                {
                    "RULE": Rule("PB399", "shouted-title", Severity.INFO, "x", "word"),
                    "DOC": DOC,
                    "check": CHECK,
                },
                "has a subject, and DOC names no covers",
            ),
        ],
    )
    def test_one_that_does_not_is_refused_with_the_reason(
        self, name: str, attributes: dict[str, object], message: str
    ) -> None:
        with pytest.raises(TypeError, match=message):
            registry._definition(_module(name, **attributes))

    def test_two_modules_of_one_id_are_refused(self) -> None:
        first = _module("pb399_shouted_title", RULE=RULE, DOC=DOC, check=CHECK)
        again = Rule("PB399", "loud-title", Severity.INFO, "x")
        second = _module("pb399_loud_title", RULE=again, DOC=DOC, check=CHECK)
        with pytest.raises(TypeError, match=r"pb399_loud_title and .*pb399_shouted_title both"):
            registry.collect([first, second])
        assert list(registry.collect([first])) == ["PB399"]

    def test_its_excerpts_are_kept_as_a_workshop_file_holds_them(self) -> None:
        doc = RuleDoc(
            rationale="r",
            fix="f",
            failing="""
                team:
                  - id: sue
            """,
            passing="title: Fine\n",
        )
        assert doc.failing == "team:\n  - id: sue\n"
        assert doc.passing == "title: Fine\n"
        assert doc.as_dict() == {
            "rationale": "r",
            "fix": "f",
            "failing": "team:\n  - id: sue\n",
            "passing": "title: Fine\n",
        }


# A rule as a maintainer adds one: this file, and nothing else edited. It reports each word
# apart (a subject), so the workshop schema, which lists such rules, follows from it too.
NEW_RULE = '''\
"""PB399 shouted-title: words of a workshop's title are written in capitals."""

from __future__ import annotations

from collections.abc import Iterator

from prepbook.checks.rules.definition import EachWorkshop, RuleDoc
from prepbook.config import Settings
from prepbook.findings import Finding
from prepbook.load.playbook import LoadedWorkshop, Playbook
from prepbook.rules import Rule, Severity

RULE = Rule(
    "PB399", "shouted-title", Severity.INFO, "A word of the title is in capitals.", "word"
)

DOC = RuleDoc(
    rationale="Capitals read as shouting, and nobody reads a shouted roadmap twice.",
    fix="Write the title in sentence case.",
    covers="loud",
    failing="title: A LOUD workshop",
    passing="title: A quiet workshop",
)


@EachWorkshop
def check(playbook: Playbook, loaded: LoadedWorkshop, settings: Settings) -> Iterator[Finding]:
    for word in loaded.model.title.split():
        if len(word) > 1 and word.isupper():
            yield loaded.finding(
                RULE.id,
                f"the title shouts '{word}'",
                ("title",),
                hint="write it in sentence case",
                subject=word.lower(),
            )
'''


@pytest.fixture
def source_tree(tmp_path: Path) -> Path:
    """A copy of this repository's layout, prepbook's own package inside it, run from it."""
    project = tmp_path / "project"
    shutil.copytree(
        REPO / "prepbook", project / "prepbook", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copytree(REPO / "content" / "reference", project / "content" / "reference")
    shutil.copytree(REPO / "content" / "schema", project / "content" / "schema")
    (project / "workshops").mkdir()
    (project / "workshops" / "mini.yaml").write_text(
        minimal().replace("title: Minimal workshop", "title: MINIMAL workshop"), encoding="utf-8"
    )
    (project / "mkdocs.yml").write_text("site_name: x\ndocs_dir: content\nplugins:\n  - prepbook\n")
    return project


def test_a_rule_added_as_one_module_is_run_documented_and_configured(cli, source_tree) -> None:
    project = source_tree
    env = {**os.environ, "PYTHONPATH": str(project)}
    assert cli("refresh", "--check", cwd=project, env=env).code == 0
    (project / "prepbook" / "checks" / "rules" / "pb399_shouted_title.py").write_text(NEW_RULE)

    stale = cli("refresh", "--check", cwd=project, env=env)
    assert stale.code == 1
    assert "prepbook/method_rules.py is out of date: run 'prepbook refresh'" in stale.err
    assert "content/reference/rules/pb399.md is missing: run 'prepbook refresh' to write it" in (
        stale.err
    )
    assert "content/reference/rules.md is out of date" in stale.err
    schema = project / "content" / "schema" / "workshop.schema.json"
    assert "PB399: words" not in schema.read_text()
    early = cli("validate", cwd=project, env=env)  # the declaration not yet written
    assert early.code == 3 and "run 'prepbook refresh'" in early.err

    written = cli("refresh", cwd=project, env=env)
    assert written.code == 0, written.err
    assert "wrote prepbook/method_rules.py" in written.err
    assert "wrote content/reference/rules/pb399.md" in written.err
    # the schema follows from the new declaration too, in the same run
    assert cli("refresh", "--check", cwd=project, env=env).code == 0
    assert "PB394: items, PB399: words)" in schema.read_text()
    page = (project / "content" / "reference" / "rules" / "pb399.md").read_text()
    assert page.startswith("# PB399 shouted-title\n")
    assert "Capitals read as shouting" in page and "title: A LOUD workshop" in page
    assert "covers: [loud]" in page
    assert "| `PB399` | [shouted-title](rules/pb399.md) | info |" in (
        (project / "content" / "reference" / "rules.md").read_text()
    )

    found = cli("validate", cwd=project, env=env)
    assert found.code == 0, found.err  # info, the rule's default severity
    assert "PB399" in found.out and "the title shouts 'MINIMAL'" in found.out
    (project / "mkdocs.yml").write_text(
        "site_name: x\ndocs_dir: content\nplugins:\n  - prepbook:\n"
        "      rules:\n        shouted-title: error\n"
    )
    configured = cli("validate", cwd=project, env=env)
    assert configured.code == 1 and "error" in configured.out and "PB399" in configured.out
