"""What every export is made from, and where its records are shown on the site."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from urllib.parse import quote

from prepbook.delivery import Delivery, deliveries
from prepbook.graph import Node, RecordKey
from prepbook.history import History
from prepbook.load.playbook import Playbook
from prepbook.render import links
from prepbook.report import Report
from prepbook.report.completeness import CompletenessScore


@dataclass(frozen=True)
class ExportContext:
    """A checked playbook with its scores and build date, and how the site addresses pages.

    ``base_url`` is the absolute address of the generated folder when the configuration
    gives the site's (``site_url``), else None: links in the exports are then relative to
    the generated folder only. ``root`` is the project folder, which file paths in the
    exports are relative to, so they do not depend on the folder a build runs in.
    """

    playbook: Playbook
    report: Report
    completeness: Mapping[str, CompletenessScore]
    build_date: dt.date
    root: Path
    base_url: str | None = None
    directory_urls: bool = True
    history: History | None = None  # what the recent commits changed; None: no Changes page

    @cached_property
    def deliveries(self) -> dict[RecordKey, Delivery]:
        """Each committed priority's delivery status on the build date, by its key: the
        same derivation the pages show, computed once for every export."""
        return {d.priority.key: d for d in deliveries(self.playbook, self.build_date)}

    def workshop_ids(self) -> list[str]:
        return sorted(self.playbook.workshops)

    def page(self, workshop_id: str, node: Node | None = None) -> str:
        """Where a workshop, or one of its records, is shown: the address relative to the
        generated folder, as the engine serves it (``workshops/acme/#step-s1``)."""
        served = links.served(links.workshop_page(workshop_id), self.directory_urls)
        return f"{served}#{links.anchor_id(node)}" if node is not None else served

    def url(self, page: str) -> str | None:
        """The absolute address of ``page`` (from :meth:`page`), when the site's is known."""
        if self.base_url is None:
            return None
        path, hash_sign, fragment = page.partition("#")
        return self.base_url + quote(path) + hash_sign + fragment

    @cached_property
    def _root(self) -> str:
        return os.path.realpath(self.root)

    def file(self, path: Path | str) -> str:
        """A workshop file as the exports name it: relative to the project folder."""
        return Path(os.path.relpath(os.path.realpath(path), self._root)).as_posix()
