"""The method's rules (PB3xx), one module each, and the order they are asked in.

A module of this package whose name is a rule's id and name (``pb310_team_functions``) is a
rule: it is found here by that name, with no list to edit, and defines ``RULE``, ``DOC``
and ``check`` (see :mod:`prepbook.checks.rules.definition`). The other modules help them.
The rules are kept in id order, whatever order the file system lists the modules in.

The layers below the checks (the model, the findings, the settings) know each rule by its
declaration in :mod:`prepbook.method_rules`, which ``prepbook refresh`` writes from these
modules; the test suite fails while the two differ.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from types import ModuleType

from prepbook.checks.rules.definition import (
    CHECK_KINDS,
    EachCommittedPriority,
    EachSilence,
    EachWorkshop,
    MethodRule,
    RuleDoc,
    WholePlaybook,
)
from prepbook.checks.silences import SilenceOutcome
from prepbook.config import Settings
from prepbook.findings import Finding
from prepbook.load.playbook import LoadedWorkshop, Playbook
from prepbook.rules import RULES, Rule

_RULE_MODULE = re.compile(r"pb\d{3}_\w+")


def module_name(rule: Rule) -> str:
    """The name of the module that defines ``rule``: its id and name, ``pb310_team_functions``."""
    return f"{rule.id.lower()}_{rule.name.replace('-', '_')}"


def _definition(module: ModuleType) -> MethodRule:
    """What a rule module defines, refused with the reason when it is not a rule."""
    name = module.__name__.rsplit(".", 1)[-1]
    rule, doc, check = (getattr(module, attr, None) for attr in ("RULE", "DOC", "check"))
    if not isinstance(rule, Rule):
        raise TypeError(f"{module.__name__} defines no RULE, a prepbook.rules.Rule")
    if not isinstance(doc, RuleDoc):
        raise TypeError(f"{module.__name__} defines no DOC, a RuleDoc")
    if not isinstance(check, CHECK_KINDS):
        kinds = ", ".join(kind.__name__ for kind in CHECK_KINDS)
        raise TypeError(f"{module.__name__}: check is none of {kinds}")
    if not rule.configurable:
        raise TypeError(f"{module.__name__}: {rule.id} is not a method rule (PB3xx)")
    if name != module_name(rule):
        raise TypeError(
            f"{module.__name__} defines {rule.id} {rule.name}: name it {module_name(rule)}"
        )
    if rule.subject is not None and doc.covers is None:
        raise TypeError(f"{module.__name__}: {rule.id} has a subject, and DOC names no covers")
    return MethodRule(rule, doc, check, module.__name__)


def collect(modules: Iterable[ModuleType]) -> dict[str, MethodRule]:
    """The rules ``modules`` define, by id in id order; two modules of one id are refused."""
    found: dict[str, MethodRule] = {}
    for module in modules:
        method = _definition(module)
        other = found.get(method.rule.id)
        if other is not None:
            raise TypeError(f"{method.module} and {other.module} both define {method.rule.id}")
        found[method.rule.id] = method
    return dict(sorted(found.items()))


def _rule_modules() -> Iterator[ModuleType]:
    for info in pkgutil.iter_modules(__path__):
        if _RULE_MODULE.fullmatch(info.name):
            yield importlib.import_module(f"{__name__}.{info.name}")


DEFINED: dict[str, MethodRule] = collect(_rule_modules())
"""Every method rule as its module defines it, by id, in id order."""


def check_method(playbook: Playbook, settings: Settings) -> Iterator[Finding]:
    """The findings of every method rule but those about silences, unconfigured (the
    policy applies the playbook's settings). For each workshop that loaded whole, its rules
    in id order, those about a committed priority asked together where the first of them
    stands, priority by priority; then the rules that look at the whole playbook."""
    _require_declared()
    rules = tuple(DEFINED.values())
    for loaded in playbook.workshops.values():
        if loaded.partial:
            continue  # a file with schema errors is judged once it is whole
        priorities_asked = False
        for method in rules:
            check = method.check
            if isinstance(check, EachWorkshop):
                yield from check.run(playbook, loaded, settings)
            elif isinstance(check, EachCommittedPriority) and not priorities_asked:
                priorities_asked = True
                yield from _committed_priorities(playbook, loaded, settings, rules)
    for method in rules:
        if isinstance(method.check, WholePlaybook):
            yield from method.check.run(playbook, settings)


def _require_declared() -> None:
    """Refuse to run a rule whose declaration differs from its module: its findings would
    get another severity, or no name at all, from the layers that read the declaration."""
    declared = {rule_id: rule for rule_id, rule in RULES.items() if rule.configurable}
    defined = {rule_id: method.rule for rule_id, method in DEFINED.items()}
    if declared != defined:
        differ = sorted(
            r for r in declared.keys() | defined.keys() if declared.get(r) != defined.get(r)
        )
        raise RuntimeError(
            f"prepbook/method_rules.py does not declare {', '.join(differ)} as the rule "
            "modules define them: run 'prepbook refresh'"
        )


def _committed_priorities(
    playbook: Playbook, loaded: LoadedWorkshop, settings: Settings, rules: tuple[MethodRule, ...]
) -> Iterator[Finding]:
    asked = [m.check for m in rules if isinstance(m.check, EachCommittedPriority)]
    for i, priority in enumerate(loaded.model.priorities):
        if priority.status != "committed":
            continue
        for check in asked:
            yield from check.run(playbook, loaded, priority, ("priorities", i), settings)


def judge_silence(
    playbook: Playbook, outcome: SilenceOutcome, settings: Settings
) -> Iterator[Finding]:
    """What the rules about silences find in one silence entry, at the severities the
    playbook sets them to; nothing from a rule it turned off."""
    for method in DEFINED.values():
        if not isinstance(method.check, EachSilence):
            continue
        severity = settings.severity_of(method.rule.id)
        if severity is None:
            continue
        for finding in method.check.run(playbook, outcome, settings):
            yield replace(finding, severity=severity)
