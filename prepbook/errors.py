"""The one family of prepbook's errors: what it refuses on purpose, in words a person acts on.

Every exception prepbook raises on purpose is a ``PrepbookError``, through the class of the
layer that raises it, so an adapter catches the family once at its edge, whatever stage
refused: the command line says the message in one line and exits with 2 (a usage or input
problem), the MkDocs plugin hands it to MkDocs as a ``PluginError``, and a program calling
the build service catches ``PrepbookError``. Anything else that escapes is a bug in
prepbook (the command line's exit code 3).

The message is the whole story (where, what was expected, what to do), so no edge adds
to it or shows a traceback. The concrete classes live beside the code that raises them
and derive from one class here; a layer with a single kind of refusal raises its class
from here directly.
"""

from __future__ import annotations


class PrepbookError(Exception):
    """A problem prepbook refuses to go on with, said in one message meant for a person."""


class UsageError(PrepbookError):
    """A command was given something it cannot use: an option, a path, a folder it will
    not write into."""


class LoadError(PrepbookError):
    """A file prepbook was handed could not be read as asked (see ``prepbook.load``)."""


class ConfigError(PrepbookError):
    """The configuration (``mkdocs.yml`` and the plugin's options) cannot be used."""


class ReportError(PrepbookError):
    """What a report is compared with (a baseline) cannot be used."""


class RenderError(PrepbookError):
    """A template could not be rendered: a playbook's override has a mistake."""


class GitError(PrepbookError):
    """Git said no (or is not installed): the last line it printed, as the reason."""


class DiffError(PrepbookError):
    """What a diff was asked to compare does not exist (a revision, a folder)."""


class OutputError(PrepbookError):
    """A result cannot be written where it was asked for, or not the way it must be."""


class FetchError(PrepbookError):
    """A tracker's export could not be taken again (`prepbook fetch`, the one command that
    uses the network): the source's answer or silence, in words."""
