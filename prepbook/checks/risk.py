"""Persofail risk ratings that contradict each other."""

from __future__ import annotations

from prepbook.load.playbook import Playbook


def check_residual_risk(playbook: Playbook) -> None:
    """A mitigation can lower a risk, never raise it: residual must not exceed inherent."""
    for loaded in playbook.workshops.values():
        for i, persofail in enumerate(loaded.model.persofails):
            residual = persofail.residual
            if residual is None:
                continue
            for name in ("likelihood", "severity"):
                before, after = getattr(persofail.inherent, name), getattr(residual, name)
                if after > before:
                    playbook.findings.append(
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
