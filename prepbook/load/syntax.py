"""Explaining a YAML syntax error: where the problem starts, and what the fix is.

libyaml says where it gave up, in its own words. That place is often far from the cause:
an unclosed quote is noticed at the end of the file, an empty ``[]`` before list items on
the next line, an over-indented key as "mapping values are not allowed". When parsing has
failed, the file is scanned again up to that place (the tokens before an error are sound)
and the tokens just before it say what was being written. The diagnosis then stands where
the fix goes, and keeps where parsing failed as a second, labelled place when it is on
another line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import yaml
from yaml.error import Mark

from prepbook.findings import Span

try:
    from yaml import CSafeLoader as _Scanner
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _Scanner  # type: ignore[assignment]

# libyaml's words, and the hint that fits them when no cause is recognised.
_SYNTAX_HINTS: tuple[tuple[str, str], ...] = (
    ("'\\t'", "indent with spaces: YAML does not allow tabs for indentation"),
    ("mapping values are not allowed", "a value that contains ': ' must be put in quotes"),
    (
        "could not find expected ':'",
        "check this line's indentation, or quote a value that spans lines",
    ),
    ("did not find expected key", "check the indentation against the lines above"),
    ("did not find expected '-' indicator", "list items must line up under each other"),
    ("found unexpected end of stream", "a quote or bracket is not closed"),
    ("'<stream end>'", "a quote or bracket is not closed"),
    ("while scanning a quoted scalar", "a quote is not closed"),
    (
        "found unknown escape character",
        'a backslash in "..." starts an escape: write \\\\ for a backslash, or use single quotes',
    ),
    ("found undefined alias", "anchors and aliases are not allowed"),
    ("exceeded maximum nesting depth", "a workshop file never needs this depth"),
    ("found character '@'", "'@' and '`' cannot start a plain value: put it in quotes"),
    ("found character '`'", "'@' and '`' cannot start a plain value: put it in quotes"),
)
_FALLBACK_HINT = "check the indentation and quoting on this line and the one above"

# A key at the start of a line's content: plain text up to ': ' or ':' at the end.
_KEY = re.compile(r"([^\s#'\"\[\]{},&*!|>%@`-][^:#]*?|-[^\s:#][^:#]*?)\s*:(?:\s|$)")
_QUOTE_INSIDE = {'"': 'a " inside "..." is written \\"', "'": "a ' inside '...' is written ''"}
_FLOW_CLOSE = {"[": "]", "{": "}"}
_FLOW_WHAT = {"[": "list", "{": "mapping"}


@dataclass(frozen=True, slots=True)
class Diagnosis:
    """What a syntax error is, where its fix goes, and other places worth showing."""

    message: str
    hint: str
    span: Span | None
    related: tuple[tuple[Span, str], ...] = ()


def _point(mark: Mark) -> Span:
    return Span(mark.line + 1, mark.column + 1, mark.line + 1, mark.column + 2)


def _between(start: Mark, end: Mark) -> Span:
    return Span(start.line + 1, start.column + 1, end.line + 1, end.column + 1)


def _columns(count: int) -> str:
    return f"{count} column{'' if count == 1 else 's'}"


def _tokens_before(text: str, index: int) -> list[yaml.Token]:
    """The tokens that start before ``index``, as far as the file scans."""
    tokens: list[yaml.Token] = []
    scanner = _Scanner(text)
    try:
        while scanner.check_token():
            token = scanner.get_token()
            if token is None or token.start_mark.index >= index:
                break
            tokens.append(token)
    except yaml.YAMLError:
        pass  # the tokens up to the scanner's own error are the ones wanted
    finally:
        scanner.dispose()
    return tokens


def _key_before(tokens: list[yaml.Token], at: int) -> yaml.ScalarToken | None:
    """The key whose value starts at ``tokens[at]`` (``key: value``), if it is one."""
    if at >= 3 and isinstance(tokens[at - 1], yaml.ValueToken):
        key = tokens[at - 2]
        if isinstance(key, yaml.ScalarToken) and isinstance(tokens[at - 3], yaml.KeyToken):
            return key
    return None


def _unclosed_flow(tokens: list[yaml.Token]) -> yaml.Token | None:
    """The innermost '[' or '{' still open where the tokens stop."""
    stack: list[yaml.Token] = []
    for token in tokens:
        if isinstance(token, yaml.FlowSequenceStartToken | yaml.FlowMappingStartToken):
            stack.append(token)
        elif isinstance(token, yaml.FlowSequenceEndToken | yaml.FlowMappingEndToken) and stack:
            stack.pop()
    return stack[-1] if stack else None


def _line_key(line: str, column: int) -> str | None:
    """The key a line holds from ``column`` (from 0), if its content there is one."""
    match = _KEY.match(line, column)
    return match.group(1) if match else None


def _quote_fix(quote: str) -> str:
    return _QUOTE_INSIDE.get(quote, "")


def diagnose(text: str, exc: yaml.YAMLError, line_of: Callable[[int], str | None]) -> Diagnosis:
    """The diagnosis of libyaml's error ``exc`` on ``text``."""
    problem_mark: Mark | None = getattr(exc, "problem_mark", None)
    context_mark: Mark | None = getattr(exc, "context_mark", None)
    mark = problem_mark or context_mark
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    message = f"{context}: {problem}" if context else str(problem)
    words = f"{message} {exc}"
    line = line_of(mark.line + 1) if mark is not None else None
    if line is not None and mark is not None and line[mark.column : mark.column + 1] == "\t":
        words += " '\\t'"  # libyaml does not name the character; the hint needs it
    generic = Diagnosis(
        f"YAML syntax: {message}",
        next((h for needle, h in _SYNTAX_HINTS if needle in words), _FALLBACK_HINT),
        _point(mark) if mark is not None else None,
    )
    if mark is None or "'\\t'" in words or "alias" in words:
        return generic
    failed = _point(mark)
    if context == "while scanning a quoted scalar" and context_mark is not None:
        return _unclosed_quote(text, context_mark, failed, problem)
    tokens = _tokens_before(text, mark.index)
    found = (
        _empty_flow_then_items(tokens, mark, line or "", failed)
        or _unclosed_bracket(tokens, problem, failed)
        or _quote_closed_early(text, tokens, mark, problem, failed)
        or _over_indented(tokens, mark, line or "", context, context_mark)
    )
    return found or generic


def _unclosed_quote(text: str, opened: Mark, failed: Span, problem: str) -> Diagnosis:
    quote = text[opened.index : opened.index + 1]
    ends = "end of stream" in problem
    return Diagnosis(
        f"YAML syntax: the quote {quote} opened here is never closed",
        f"end the value with {quote} on the line where it ends; {_quote_fix(quote)}",
        _point(opened),
        (
            (
                failed,
                "the file ends inside the quoted value"
                if ends
                else f"parsing failed here: {problem}",
            ),
        ),
    )


def _empty_flow_then_items(
    tokens: list[yaml.Token], mark: Mark, line: str, failed: Span
) -> Diagnosis | None:
    """``team: []`` (or ``{}``) followed by the items it was meant to hold."""
    if len(tokens) < 5:
        return None
    start, end = tokens[-2], tokens[-1]
    empty_list = isinstance(start, yaml.FlowSequenceStartToken) and isinstance(
        end, yaml.FlowSequenceEndToken
    )
    empty_map = isinstance(start, yaml.FlowMappingStartToken) and isinstance(
        end, yaml.FlowMappingEndToken
    )
    key = _key_before(tokens, len(tokens) - 2)
    if not (empty_list or empty_map) or key is None or mark.line <= end.end_mark.line:
        return None
    content = line[mark.column :]
    item = content.startswith("- ") or content.rstrip() == "-"
    below = _line_key(line, mark.column)
    written = "[]" if empty_list else "{}"
    where = _between(start.start_mark, end.end_mark)
    if empty_list and item:
        return Diagnosis(
            f"YAML syntax: '{key.value}: []' makes an empty list, and list items follow it",
            f"remove the '[]' after '{key.value}:': the '- ' items below are the list",
            where,
            ((failed, "the items start here"),),
        )
    if empty_map and below is not None and mark.column > key.start_mark.column:
        return Diagnosis(
            f"YAML syntax: '{key.value}: {{}}' makes an empty mapping, and keys follow it",
            f"remove the '{{}}' after '{key.value}:' if the keys below belong to it; else "
            f"start '{below}' at column {key.start_mark.column + 1}, like '{key.value}'",
            where,
            ((failed, "the keys start here"),),
        )
    if item:  # '{}' before list items, or '[]' before items at another indentation
        return Diagnosis(
            f"YAML syntax: '{key.value}: {written}' is empty, and list items follow it",
            f"remove the '{written}' after '{key.value}:' and write its items as '- ' lines",
            where,
            ((failed, "the items start here"),),
        )
    return None


def _unclosed_bracket(tokens: list[yaml.Token], problem: str, failed: Span) -> Diagnosis | None:
    opened = _unclosed_flow(tokens)
    if opened is None:
        return None
    bracket = "[" if isinstance(opened, yaml.FlowSequenceStartToken) else "{"
    what = _FLOW_WHAT[bracket]
    return Diagnosis(
        f"YAML syntax: the '{bracket}' opened here is not closed",
        f"end the {what} with '{_FLOW_CLOSE[bracket]}' after its last item (items are "
        "separated by commas), or write it one item a line",
        _point(opened.start_mark),
        ((failed, f"parsing failed here: {problem}"),),
    )


def _quote_closed_early(
    text: str, tokens: list[yaml.Token], mark: Mark, problem: str, failed: Span
) -> Diagnosis | None:
    """A quoted value that ends elsewhere than meant: a quote left open that a later quote
    closed, or a quote inside the value that closed it early."""
    if not tokens:
        return None
    last = tokens[-1]
    if not isinstance(last, yaml.ScalarToken) or last.style not in ('"', "'"):
        return None
    quote = str(last.style)
    start, end = last.start_mark, last.end_mark
    if end.line > start.line:
        return Diagnosis(
            f"YAML syntax: the quoted value that starts here runs on to line {end.line + 1}",
            f"close the quote where the value ends on line {start.line + 1}; {_quote_fix(quote)}",
            _point(start),
            ((failed, f"parsing failed here: {problem}"),),
        )
    if mark.line == end.line and mark.index == end.index + _spaces_after(text, end.index):
        return Diagnosis(
            "YAML syntax: the quoted value ends before the text that follows it",
            f"a quote inside the value closes it early: {_quote_fix(quote)}",
            _between(start, end),
            (),
        )
    return None


def _spaces_after(text: str, index: int) -> int:
    rest = text[index : index + 200]
    return len(rest) - len(rest.lstrip(" "))


def _over_indented(
    tokens: list[yaml.Token],
    mark: Mark,
    line: str,
    context: str | None,
    context_mark: Mark | None,
) -> Diagnosis | None:
    """A key indented deeper than the keys beside it.

    Two errors say so in libyaml's words: below a ``key: value`` line, the deeper line
    continues the value, and its ': ' is "not allowed in this context"; below a line
    whose value ended (quoted, or a collection), no key is expected at that column.
    """
    indent = len(line) - len(line.lstrip(" "))
    match = _KEY.match(line, indent)
    if match is None or not tokens:
        return None
    key = match.group(1)
    sibling: yaml.ScalarToken | None = None
    if context is None:  # the deeper line ran on as the value of the key above
        last = tokens[-1]
        if isinstance(last, yaml.ValueToken):  # libyaml held the value back
            sibling = _key_before(tokens, len(tokens))
        elif isinstance(last, yaml.ScalarToken) and not last.style:
            sibling = _key_before(tokens, len(tokens) - 1)
        colon = line.index(":", match.end(1))
        if sibling is not None and (sibling.start_mark.line >= mark.line or colon != mark.column):
            sibling = None  # 'key: a: b': a value to quote, not a key
    elif context == "while parsing a block mapping" and context_mark and mark.column == indent:
        column = context_mark.column
        sibling = next(
            (
                t
                for i, t in reversed(list(enumerate(tokens)))
                if isinstance(t, yaml.ScalarToken)
                and t.start_mark.column == column
                and i > 0
                and isinstance(tokens[i - 1], yaml.KeyToken)
            ),
            None,
        )
    elif context == "while parsing a block collection" and mark.column == indent:
        sibling = _last_key(tokens)  # a list item's key, less indented than the one above
        if sibling is not None and indent >= sibling.start_mark.column:
            sibling = None
    if sibling is None or indent == sibling.start_mark.column:
        return None
    at = sibling.start_mark.column + 1
    span = Span(mark.line + 1, indent + 1, mark.line + 1, indent + 1 + len(key))
    line_above = sibling.start_mark.line + 1
    if indent < sibling.start_mark.column:
        return Diagnosis(
            f"YAML syntax: '{key}' is indented {_columns(at - 1 - indent)} less than "
            f"'{sibling.value}' above it",
            f"start '{key}' at column {at}, like '{sibling.value}' on line {line_above}",
            span,
            (),
        )
    return Diagnosis(
        f"YAML syntax: '{key}' is indented {_columns(indent + 1 - at)} deeper than "
        f"'{sibling.value}' above it",
        f"start '{key}' at column {at}, like '{sibling.value}' on line {line_above}; or, "
        f"if it belongs under '{sibling.value}', remove the value after '{sibling.value}:'",
        span,
        (),
    )


def _last_key(tokens: list[yaml.Token]) -> yaml.ScalarToken | None:
    for i in range(len(tokens) - 1, 0, -1):
        token = tokens[i]
        if isinstance(token, yaml.ScalarToken) and isinstance(tokens[i - 1], yaml.KeyToken):
            return token
    return None
