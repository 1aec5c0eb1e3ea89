"""The command line's options as a Markdown table, read off the parser itself.

README.md holds this table between two marker comments, and a test compares the two: the
table a reader sees is the one ``--help`` prints, and an option added to the parser without
help text, or without the README following, fails the suite rather than going unnoticed.
"""

from __future__ import annotations

import argparse

from prepbook.docs.markers import Region

REGION = Region("cli table")
TABLE_START, TABLE_END = REGION.start, REGION.end
EVERY_COMMAND = "every command"


def commands_of(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """Each command's parser by its name."""
    for action in parser._actions:  # argparse keeps its subparsers in a private action
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _cell(text: str) -> str:
    """Text for one cell: a pipe would end it."""
    return text.replace("|", "\\|")


def _value(action: argparse.Action) -> str:
    """What follows an option, or stands for a positional: its choices, else its metavar."""
    if action.choices is not None and not isinstance(action.metavar, str):
        shown = "|".join(map(str, action.choices))
    else:
        shown = str(action.metavar or action.dest.upper())
    if action.nargs == "*":
        return f"[{shown} …]"
    if action.nargs == "?":
        return f"[{shown}]"
    return shown


def _option(action: argparse.Action) -> str:
    """An option as a user types it, its other spellings after it in brackets."""
    takes_value = action.nargs != 0
    if not action.option_strings:
        return f"`{_cell(_value(action))}`"
    first, *others = action.option_strings
    short = [o for o in action.option_strings if not o.startswith("--")]
    if short:  # -q, --quiet: the short one first, as --help shows it
        first, others = short[0], [o for o in action.option_strings if o != short[0]]
    value = f" {_value(action)}" if takes_value else ""
    shown = f"`{_cell(first + value)}`"
    if others:
        shown += " (" + ", ".join(f"`{o}`" for o in others) + ")"
    if action.required:
        shown += ", required"
    return shown


def _rows(parser: argparse.ArgumentParser, skip: set[tuple[str, ...]]) -> list[tuple[str, str]]:
    rows = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            continue
        if tuple(action.option_strings) in skip and action.option_strings:
            continue
        rows.append((_option(action), _cell(action.help or "")))
    return rows


def shared_options(parser: argparse.ArgumentParser) -> set[tuple[str, ...]]:
    """The options every command takes (by their spellings), with the same meaning."""
    helps: list[dict[tuple[str, ...], str | None]] = [
        {tuple(a.option_strings): a.help for a in sub._actions if a.option_strings}
        for sub in commands_of(parser).values()
    ]
    if not helps:
        return set()
    common = set(helps[0]).intersection(*helps[1:])
    return {o for o in common if len({h[o] for h in helps}) == 1}


def options_table(parser: argparse.ArgumentParser) -> str:
    """Every option of every command, with its help, as a Markdown table: first the ones
    every command takes (before or after its name), then each command's own."""
    prog = parser.prog
    shared = shared_options(parser)
    lines = ["| command | option | what it does |", "| --- | --- | --- |"]
    top = [a for a in parser._actions if tuple(a.option_strings) in shared]
    lines += [f"| {EVERY_COMMAND} | {_option(a)} | {_cell(a.help or '')} |" for a in top]
    for option, meaning in _rows(parser, shared):
        lines.append(f"| `{prog}` | {option} | {meaning} |")
    for name, sub in commands_of(parser).items():
        lines.append(f"| `{prog} {name}` | | {_cell(sub.description or '')} |")
        lines += [f"| | {option} | {meaning} |" for option, meaning in _rows(sub, shared)]
    return "\n".join(lines) + "\n"


def between_markers(text: str) -> str | None:
    """What a document holds between TABLE_START and TABLE_END, or None without them."""
    return REGION.held(text)
