"""Text on its way to a terminal, a log, a page or a document: what a hostile file wrote
there must never act on the reader's screen.

A workshop file, a file name or a value in ``mkdocs.yml`` may hold an ESC sequence that
clears the screen or sets the window's title, a C1 control that a terminal takes for one, or
a bidirectional override that makes a line read backwards. Every output of prepbook goes
through one of these two functions on its way out: ``printable`` for what a person reads
(the findings, ``prepbook show`` and so the git diff driver, ``prepbook diff``, the error
page under ``mkdocs serve``, log lines and command-line errors), ``json_text`` for
documents, which keep the same text as escapes.

Colour is decided here too (``use_colour``), and painted (``paint``) only onto text that
has been through ``printable``: our own ESC sequences survive, a file's never do.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from typing import TextIO

REPLACEMENT = "\N{REPLACEMENT CHARACTER}"
# The SGR colour of each severity; a diff's levels take the colour of the severity they
# stand for (major as error, minor as warning), so one palette reads the same everywhere.
SEVERITY_SGR = {"error": "31", "warning": "33", "info": "36"}
COLOUR_CHOICES = ("auto", "always", "never")
_NOT_PLAIN = re.compile(r"[^\x20-\x7e\n]")


def _visible(match: re.Match[str]) -> str:
    ch = match.group()
    return ch if ch.isprintable() else REPLACEMENT


def printable(text: str, *, keep: str = "") -> str:
    """``text`` with every character that is not printable (C0 and C1 controls, DEL,
    bidirectional and other format characters, line and paragraph separators) replaced by
    a visible mark; characters in ``keep`` (such as a line break) are left as they are."""
    if text.isprintable():  # nearly always: one pass in C instead of one a character
        return text
    if keep:
        return "".join(ch if ch.isprintable() or ch in keep else REPLACEMENT for ch in text)
    return _NOT_PLAIN.sub(_visible, text) if _NOT_PLAIN.search(text) else text


def printable_lines(text: str) -> str:
    """Text of several lines (a diff, ``prepbook show``): each line neutralised, its line
    breaks and tabs kept (a tab moves the cursor, and nothing else)."""
    return printable(text, keep="\n\t")


def _escape_unprintable(match: re.Match[str]) -> str:
    ch = match.group()
    if ch.isprintable():
        return ch
    code = ord(ch)
    if code > 0xFFFF:  # a surrogate pair, as JSON writes characters beyond the BMP
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def json_text(document: object) -> str:
    """JSON for a file or a terminal: UTF-8 kept readable, but every character that is not
    printable (DEL, C1 controls, bidirectional overrides, which ``json.dumps`` leaves as
    they are) written as an escape; the parsed document is the same."""
    text = json.dumps(document, indent=2, ensure_ascii=False)
    return _NOT_PLAIN.sub(_escape_unprintable, text) + "\n"


def use_colour(choice: str, stream: TextIO, environ: Mapping[str, str] | None = None) -> bool:
    """Whether to paint what goes to ``stream``: ``--colour always`` or ``never`` as said;
    in ``auto``, FORCE_COLOR (any value but empty) turns it on even off a terminal (a CI
    log that shows colour), else NO_COLOR (the same) turns it off, else a terminal that is
    not ``TERM=dumb`` gets it. The option wins over both variables, as the more specific
    wish; FORCE_COLOR wins over NO_COLOR, as a job's setting over a shell's habit."""
    if choice != "auto":
        return choice == "always"
    env = os.environ if environ is None else environ
    if env.get("FORCE_COLOR"):
        return True
    if env.get("NO_COLOR"):
        return False
    try:
        return stream.isatty() and env.get("TERM") != "dumb"
    except ValueError:  # a closed stream shows nothing, in colour or not
        return False


def paint(text: str, sgr: str) -> str:
    """``text`` in the SGR colour ``sgr``. Paint only what is already printable: a file's
    own ESC sequences must be neutralised first, so only ours ever reach the terminal."""
    return f"\x1b[{sgr}m{text}\x1b[0m"
