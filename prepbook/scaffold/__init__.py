"""``prepbook init``: a complete playbook repository, ready to validate, build and publish.

The files are templates shipped in the package (``files/``), so a playbook can be started
right after installing prepbook, with no access to this repository or the network. They
are filled in with a few values only (the site's name, the installed version of prepbook
for the pins, the starter's dates and its schema path), by plain replacement: the GitHub
workflows are full of ``${{ }}`` that a template language would take for its own.

The starter workshop's dates are counted from the build's date (``SOURCE_DATE_EPOCH`` when
set), so it is written with no finding at all, and its review date lies a year ahead.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import posixpath
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path, PurePosixPath

from prepbook.clock import today
from prepbook.docs import schema
from prepbook.docs.skeleton import DEFAULT_REFERENCE
from prepbook.version import __version__

DOCS_DIR = "docs"
WORKSHOPS_DIR = "workshops"
STARTER_ID = "first-workshop"
STARTER = f"{WORKSHOPS_DIR}/{STARTER_ID}.yaml"
SCHEMA = f"{DOCS_DIR}/{schema.SCHEMA_FILE}"

# template in files/ -> where it goes in the new playbook. The templates have no leading
# dot in their names: a packaged file called .gitignore is easily left out of a wheel.
TEMPLATES: dict[str, str] = {
    "mkdocs.yml": "mkdocs.yml",
    "index.md": f"{DOCS_DIR}/index.md",
    "starter.yaml": STARTER,
    "README.md": "README.md",
    "gitignore": ".gitignore",
    "gitattributes": ".gitattributes",
    "pre-commit-config.yaml": ".pre-commit-config.yaml",
    "review.yml": ".github/workflows/review.yml",
    "publish.yml": ".github/workflows/publish.yml",
    "fetch.yml": ".github/workflows/fetch.yml",
}

_PLACEHOLDER = re.compile(
    r"__DATE\+(?P<days>\d+)__|__(?:SITE_NAME|VERSION|REQUIREMENT|STARTER|SCHEMA|REFERENCE)__"
)
# Where the site of a new playbook shows the format reference: the generated folder's
# copy, as the plugin's default options place it (the docs hold no reference of their own).
REFERENCE = DEFAULT_REFERENCE


@dataclass(frozen=True)
class Scaffold:
    """What goes into a new playbook: the text of each file, by its path in the playbook."""

    files: dict[str, str]

    def conflicts(self, folder: Path) -> list[str]:
        """The files that already exist in ``folder`` (or stand where a folder must go)."""
        taken = []
        for path in self.files:
            parts = PurePosixPath(path).parts
            ancestors = [folder.joinpath(*parts[:i]) for i in range(1, len(parts))]
            if folder.joinpath(*parts).exists() or any(
                a.exists() and not a.is_dir() for a in ancestors
            ):
                taken.append(path)
        return taken

    def write(self, folder: Path) -> None:
        """Write every file, none replacing one that exists (even one created a moment ago)."""
        for path, text in self.files.items():
            target = folder.joinpath(*PurePosixPath(path).parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("x", encoding="utf-8", newline="\n") as handle:
                handle.write(text)


def site_name_for(folder: Path) -> str:
    """A site name made from a folder's name: ``my-playbook`` gives ``My playbook``."""
    words = re.sub(r"[-_.\s]+", " ", folder.resolve().name).strip()
    return words[:1].upper() + words[1:] if words else "Playbook"


def scaffold(
    site_name: str, day: dt.date | None = None, requirement: str = f"prepbook=={__version__}"
) -> Scaffold:
    """The files of a new playbook called ``site_name``, its starter dated from ``day``
    (default: the build's date), installing prepbook by ``requirement`` (see
    :mod:`prepbook.scaffold.requirement`)."""
    start = day or today()
    # as the editor resolves it: relative to the starter's folder
    starter_schema = posixpath.relpath(SCHEMA, posixpath.dirname(STARTER))
    values = {
        "__SITE_NAME__": site_name,
        "__VERSION__": __version__,
        "__REQUIREMENT__": requirement,
        "__STARTER__": STARTER_ID,
        "__SCHEMA__": starter_schema,
        "__REFERENCE__": REFERENCE,
    }
    files = {}
    for template, path in TEMPLATES.items():
        # in YAML the name is written as a quoted string, so any name reads back as is; in
        # Markdown as text, never as a tag
        quoted = {
            "__SITE_NAME__": json.dumps(site_name)
            if path.endswith(".yml")
            else html.escape(site_name, quote=False)
        }

        def fill(match: re.Match[str], quoted: dict[str, str] = quoted) -> str:
            # one pass over the template: a value is data, never read for placeholders
            if match["days"] is not None:
                return (start + dt.timedelta(days=int(match["days"]))).isoformat()
            return quoted.get(match[0], values[match[0]])

        files[path] = _PLACEHOLDER.sub(fill, _template(template))
    files[SCHEMA] = schema.PACKAGED_SCHEMA.read_text(encoding="utf-8")
    return Scaffold(dict(sorted(files.items())))


def _template(name: str) -> str:
    return resources.files("prepbook.scaffold").joinpath("files", name).read_text("utf-8")
