"""``prepbook diff``: what a change does to the playbook, in the method's terms.

The comparison itself is :func:`prepbook.diff.compare.compare`; it is not imported here,
so that a command which only names the diff's formats (every command's parser does) does
not import the checks and views the comparison needs."""

from prepbook.diff.document import Change, Diff
from prepbook.diff.output import DIFF_FORMATS

__all__ = ["DIFF_FORMATS", "Change", "Diff"]
