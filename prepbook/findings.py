"""Findings: what validation reports, in a shape people and machines can both read."""

from __future__ import annotations

import difflib
from dataclasses import asdict, dataclass, field

from prepbook.rules import RULES, Severity

# Where a value stands in a YAML document: keys and list indices from the root.
YamlPath = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Span:
    """A region of a source file; lines and columns count from 1."""

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True, slots=True)
class Related:
    """Another place a finding points at, with what happens there.

    A syntax error is often caused well before the parser notices it: an unclosed quote is
    found at the end of the file. The finding stands where the fix goes; this keeps where
    the parser gave up, so neither position is lost.
    """

    span: Span
    label: str
    source_line: str | None = None


@dataclass(frozen=True, slots=True)
class LeftOut:
    """The findings of one file past the cap (:mod:`prepbook.cap`) that its closing finding
    stands for: how many of each severity, and the rules they are of, so that the summary
    counts them and the completeness score still sees a method rule broken only there."""

    errors: int = 0
    warnings: int = 0
    infos: int = 0
    rules: tuple[str, ...] = ()  # sorted

    @property
    def count(self) -> int:
        return self.errors + self.warnings + self.infos

    def of(self, severity: Severity) -> int:
        return {Severity.ERROR: self.errors, Severity.WARNING: self.warnings}.get(
            severity, self.infos
        )

    @property
    def severity(self) -> Severity:
        """The highest severity among them: the run fails if any of them would fail it."""
        if self.errors:
            return Severity.ERROR
        return Severity.WARNING if self.warnings else Severity.INFO


@dataclass(frozen=True, slots=True)
class Fact:
    """Something a finding states about one thing, in terms another finding can state too:
    the ground on which :mod:`prepbook.checks.causes` folds a finding under the one it
    follows from. ``kind`` names the fact (the table in that module says which facts tie),
    ``key`` the thing it is about, ``detail`` what the fold may need beside (the key a
    misspelling was meant to be). Facts are never shown: each output says the folding."""

    kind: str
    key: tuple[str, ...]
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem: which rule, where, what was expected, and how to fix it."""

    rule: str
    message: str
    file: str
    span: Span | None = None
    yaml_path: str = ""
    expected: str | None = None
    hint: str | None = None
    source_line: str | None = None
    severity: Severity = field(default=Severity.ERROR)
    workshop: str | None = None  # the workshop it is about, for the site and the score
    record: str | None = None  # the record it is about, which may silence it
    # what on the record it is about, for a rule that can find several things on one
    # record (RULES[rule].subject says what): a silence names the subjects it covers
    subject: str | None = None
    related: tuple[Related, ...] = ()  # other places that explain it, each with a label
    # only on the closing finding of a file over the cap: the findings it stands for
    left_out: LeftOut | None = None
    # the findings that only follow from this one, folded under it (prepbook.checks.causes)
    follows: tuple[Finding, ...] = ()
    # what it states, for the fold; compared and shown nowhere
    facts: tuple[Fact, ...] = field(default=(), compare=False, repr=False)

    @classmethod
    def of(cls, rule_id: str, message: str, file: str, **kwargs: object) -> Finding:
        """A finding at the rule's default severity."""
        return cls(rule_id, message, file, severity=RULES[rule_id].severity, **kwargs)  # type: ignore[arg-type]

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        line, column = (self.span.line, self.span.column) if self.span else (0, 0)
        return (self.file, line, column, self.rule, self.message)

    def every(self) -> tuple[Finding, ...]:
        """This finding and those folded under it."""
        return (self, *self.follows)

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        for entry in (data, *data["follows"]):
            entry.pop("facts", None)
        data["severity"] = str(self.severity)
        data["rule_name"] = RULES[self.rule].name
        return data


def format_path(path: YamlPath) -> str:
    """``("priorities", 0, "requires", 1)`` as ``priorities[0].requires[1]``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


def closest(word: str, options: list[str]) -> str | None:
    """The option most like ``word``, for a "did you mean" hint, if any is close enough."""
    match = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return match[0] if match else None


def follow_count(finding: Finding) -> str:
    """What a cause holds, counted, as every output says it: "and 3 findings that follow
    from this"."""
    count = len(finding.follows)
    if count == 1:
        return "and 1 finding that follows from this"
    return f"and {count} findings that follow from this"
