"""Persofail risk ratings that contradict each other."""

from __future__ import annotations

from collections.abc import Iterator

from prepbook.config import Settings
from prepbook.findings import Finding
from prepbook.load.playbook import Playbook


def check_residual_risk(playbook: Playbook, settings: Settings) -> Iterator[Finding]:
    """A mitigation can lower a risk, never raise it: residual must not exceed inherent."""
    for loaded in playbook.workshops.values():
        for i, persofail in enumerate(loaded.model.persofails):
            residual = persofail.residual
            if residual is None:
                continue
            for name in ("likelihood", "severity"):
                before, after = getattr(persofail.inherent, name), getattr(residual, name)
                if after > before:
                    yield (
                        loaded.finding(
                            "PB207",
                            f"the residual {name} of '{persofail.id}' ({after}) is higher "
                            f"than its inherent {name} ({before})",
                            ("persofails", i, "residual", name),
                            expected=f"at most {before}",
                            hint="mitigations lower a risk; raise the inherent rating if the risk "
                            "is worse than first thought",
                        )
                    )
