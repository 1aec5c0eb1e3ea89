"""Which workshops are of one organisation, for the rule about references into another
organisation's workshop (PB370) and the hints about references.

A playbook may hold the workshops of several companies, or of several business units of one
group. A reference to a record of another workshop of the same organisation is how a
playbook shares a platform or a roadmap; a reference into another organisation's workshop is
almost always a slip.

"Another organisation" is read from the workshops' ``organisation`` field, compared after
normalisation: Unicode compatibility form, case and runs of white space do not count, so
"Northwind Retail" and "northwind  retail" are one organisation, and "Northwind Retail Ltd"
is another (a playbook that means them as one writes them alike).
"""

from __future__ import annotations

import unicodedata


def organisation_key(name: str) -> str:
    """The organisation's name as compared: the same company written the same way up to
    case, Unicode form and spacing."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())
