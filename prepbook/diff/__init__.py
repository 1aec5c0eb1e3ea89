"""``prepbook diff``: what a change does to the playbook, in the method's terms."""

from prepbook.diff.compare import compare
from prepbook.diff.document import Change, Diff
from prepbook.diff.output import DIFF_FORMATS

__all__ = ["DIFF_FORMATS", "Change", "Diff", "compare"]
