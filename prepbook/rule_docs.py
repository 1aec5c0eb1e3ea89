"""What each method rule is for: its rationale, its fix and its examples, as the rule pages,
the findings reference and a SARIF rule's help tell them.

It sits beside the rule registry, below the report formats that quote it and the reference
pages that print it, so neither imports the other for it. The text is package data,
``prepbook/docs/rule_docs.yaml``, read once.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import yaml


@cache
def rule_docs() -> dict[str, dict[str, str]]:
    """The rationale, fix and examples of each method rule, from rule_docs.yaml."""
    text = resources.files("prepbook").joinpath("docs", "rule_docs.yaml").read_text("utf-8")
    docs: dict[str, dict[str, str]] = yaml.safe_load(text)
    return docs
