"""Who a team member is across workshops: the identity rule, and the address it gives.

A workshop's team lists people by name (or by role, where names are not used), and the
same person sits on several teams under ids that each workshop chose for itself. So a
person is known by their name alone: two team members are one person when their names
are equal once Unicode-normalised (NFKC), case-folded and with every run of white space
made one space, the ends trimmed. "Ann  Lee" and "ann lee" are one person; "Ann-Lee" and
"A. Lee" are not, as no rule could tell a spelling from a namesake.

The address follows from the name alone, never from what else the playbook holds, so a
link to a person can be written on any page (and kept by ``mkdocs serve`` when another
workshop changes) without a table of everyone.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata

# The kind of record that is a person; references to it link to the person's page.
PERSON_KIND = "member"
_SPACE = re.compile(r"\s+")
_PLAIN = re.compile(r"[a-z0-9]+(?: [a-z0-9]+)*")
# Slugs a person's page cannot take: the index of people is ``people/index.md``.
_RESERVED = frozenset({"index"})


def person_key(name: str) -> str:
    """The identity of the person a name names: normalised, case-folded, spaces made one."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", name).casefold()).strip()


@functools.lru_cache(maxsize=1 << 16)  # asked for each link to a person, on every page
def person_slug(name: str) -> str:
    """The slug of a person's page, one per identity: a name of plain letters, digits and
    spaces is its words joined by hyphens ("ann-lee"); any other keeps what it can and
    gains a digest of its identity after a double hyphen, which no plain slug holds, so
    no two identities share a page ("ann-lee--" and eight hex digits for "Ann-Lee"). A
    name that is a slug the site keeps for itself ("Index") gains the digest too."""
    key = person_key(name)
    if _PLAIN.fullmatch(key) and key not in _RESERVED:
        return key.replace(" ", "-")
    ascii_words = unicodedata.normalize("NFKD", key).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_words)
    stem = "-".join(words)[:60].strip("-") or "person"
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:8]
    return f"{stem}--{digest}"
