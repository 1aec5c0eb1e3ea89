"""What changed between two versions of a playbook, in the method's terms.

Records are matched by workshop, kind and id, never by position, so reordering a file
changes nothing and a renamed title is a rename, not a removal and an addition.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from prepbook.history import ChangeLine
from prepbook.load.playbook import LoadedWorkshop
from prepbook.model import Asset, Persofail, Priority, Step
from prepbook.model.base import Record
from prepbook.model.kinds import KINDS, iter_records
from prepbook.report import Report
from prepbook.rules import RULES, Severity

if TYPE_CHECKING:
    from prepbook.build import Checked

SECTIONS: dict[str, str] = {
    "workshops": "Workshops added or removed",
    "added": "Added",
    "removed": "Removed",
    "renamed": "Renamed",
    "moved": "Moved",
    "slipped": "Slipped",
    "pulled_in": "Pulled in",
    "rescored": "Re-scored priorities",
    "status": "Status changes",
    "owner": "Owner changes",
    "risk": "Persofail risk changes",
    "readiness": "Audit readiness changes",
    "findings_introduced": "Findings introduced",
    "findings_fixed": "Findings fixed",
    "problems": "Files that could not be read",
}
_KIND_ORDER = {kind: i for i, kind in enumerate(["workshop", *KINDS])}
_LINE_NUMBERS = re.compile(r"\s*\(?(?:first )?at line \d+\)?")


@dataclass(frozen=True)
class Change:
    section: str
    workshop: str
    kind: str
    record: str
    title: str
    detail: str = ""
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def sort_key(self) -> tuple[int, str, int, str, str]:
        return (
            list(SECTIONS).index(self.section),
            self.workshop,
            _KIND_ORDER.get(self.kind, 99),
            self.record,
            self.detail,
        )


@dataclass
class Diff:
    base: str
    head: str
    changes: list[Change]

    def count(self, section: str) -> int:
        return sum(1 for c in self.changes if c.section == section)

    def max_days(self, section: str) -> int:
        days = [abs(c.data["days"]) for c in self.changes if c.section == section]
        return max(days, default=0)

    def summary(self) -> str:
        added = self.count("added") + sum(
            1 for c in self.changes if c.section == "workshops" and c.data.get("change") == "added"
        )
        removed = self.count("removed") + sum(
            1
            for c in self.changes
            if c.section == "workshops" and c.data.get("change") == "removed"
        )
        parts = []
        if added:
            parts.append(f"+{added} added")
        if removed:
            parts.append(f"-{removed} removed")
        for section, words in (("renamed", "renamed"), ("moved", "moved")):
            if self.count(section):
                parts.append(f"{self.count(section)} {words}")
        if self.count("slipped"):
            parts.append(f"{self.count('slipped')} slipped (max +{self.max_days('slipped')} d)")
        if self.count("pulled_in"):
            parts.append(
                f"{self.count('pulled_in')} pulled in (max -{self.max_days('pulled_in')} d)"
            )
        for section, words in (
            ("rescored", "re-scored"),
            ("status", "status changed"),
            ("owner", "owner changed"),
            ("risk", "risk changed"),
            ("readiness", "readiness changed"),
            ("findings_introduced", "findings introduced"),
            ("findings_fixed", "findings fixed"),
            ("problems", "files unreadable"),
        ):
            if self.count(section):
                parts.append(f"{self.count(section)} {words}")
        return ", ".join(parts) or "no changes"


def _ranks(loaded: LoadedWorkshop) -> dict[str, int]:
    scored = sorted(
        (p for p in loaded.model.priorities if p.score),
        key=lambda p: (-(p.score.value if p.score else 0), p.id),
    )
    return {p.id: i + 1 for i, p in enumerate(scored)}


def _finding_keys(report: Report) -> dict[tuple[str, str, str, str], str]:
    """Findings of a side, keyed without positions (lines move when nothing changed)."""
    keys = {}
    for finding in report.findings:
        if finding.workshop is None or finding.severity == Severity.INFO:
            continue
        message = _LINE_NUMBERS.sub("", finding.message)
        keys[(finding.workshop, finding.rule, finding.record or "", message)] = str(
            finding.severity
        )
    return keys


def compare(old_side: Checked, new_side: Checked, base: str, head: str) -> Diff:
    """What changed between two checked playbooks, ``base`` and ``head`` being their names."""
    old, new = old_side.playbook, new_side.playbook
    changes: list[Change] = []
    for label, side in ((base, old_side), (head, new_side)):
        for finding in side.report.findings:
            if finding.rule < "PB200" and finding.severity == Severity.ERROR:
                changes.append(
                    Change(
                        "problems",
                        finding.workshop or finding.file,
                        "file",
                        finding.file,
                        finding.file,
                        f"at {label}: {finding.message}"
                        + (f" (line {finding.span.line})" if finding.span else ""),
                        {"side": label, "rule": finding.rule},
                    )
                )
    unreadable = old.broken_ids | new.broken_ids
    for change, mine, theirs in (("added", new, old), ("removed", old, new)):
        for ws_id in sorted(set(mine.workshops) - set(theirs.workshops) - unreadable):
            changes.append(
                Change(
                    "workshops",
                    ws_id,
                    "workshop",
                    "",
                    mine.workshops[ws_id].model.title,
                    change,
                    {"change": change},
                )
            )
    for ws_id in sorted(set(old.workshops) & set(new.workshops)):
        changes.extend(_workshop_changes(old.workshops[ws_id], new.workshops[ws_id]))
    old_findings, new_findings = _finding_keys(old_side.report), _finding_keys(new_side.report)
    compared = set(old.workshops) & set(new.workshops)
    for section, ours, others in (
        ("findings_introduced", new_findings, old_findings),
        ("findings_fixed", old_findings, new_findings),
    ):
        for (ws_id, rule, record, message), severity in ours.items():
            if ws_id in compared and (ws_id, rule, record, message) not in others:
                changes.append(
                    Change(
                        section,
                        ws_id,
                        "finding",
                        record,
                        rule,
                        f"{severity} {rule} {RULES[rule].name}: {message}",
                        {"rule": rule, "severity": severity},
                    )
                )
    return Diff(base, head, sorted(changes, key=lambda c: c.sort_key))


def _workshop_changes(old: LoadedWorkshop, new: LoadedWorkshop) -> list[Change]:
    ws = new.id
    out: list[Change] = []
    if old.model.title != new.model.title:
        out.append(
            Change(
                "renamed",
                ws,
                "workshop",
                "",
                new.model.title,
                f"{old.model.title!r} → {new.model.title!r}",
                {"before": old.model.title, "after": new.model.title},
            )
        )
    if old.model.status != new.model.status:
        out.append(
            Change(
                "status",
                ws,
                "workshop",
                "",
                new.model.title,
                f"{old.model.status} → {new.model.status}",
                {"before": old.model.status, "after": new.model.status},
            )
        )
    before = {(loc.kind, loc.record.id): loc.record for loc in iter_records(old.model)}
    after = {(loc.kind, loc.record.id): loc.record for loc in iter_records(new.model)}
    for kind, rid in sorted(set(after) - set(before)):
        out.append(Change("added", ws, kind, rid, after[(kind, rid)].display_name))
    for kind, rid in sorted(set(before) - set(after)):
        out.append(Change("removed", ws, kind, rid, before[(kind, rid)].display_name))
    old_ranks, new_ranks = _ranks(old), _ranks(new)
    for key in sorted(set(before) & set(after)):
        out.extend(_record_changes(ws, key[0], before[key], after[key], old_ranks, new_ranks))
    return out


def _record_changes(
    ws: str,
    kind: str,
    old: Record,
    new: Record,
    old_ranks: dict[str, int],
    new_ranks: dict[str, int],
) -> list[Change]:
    rid, title = new.id, new.display_name
    out: list[Change] = []

    def add(section: str, detail: str, **data: Any) -> None:
        out.append(Change(section, ws, kind, rid, title, detail, data))

    if old.display_name != title:
        add("renamed", f"{old.display_name!r} → {title!r}", before=old.display_name, after=title)
    for name, section in (("status", "status"), ("owner", "owner")):
        before, after = getattr(old, name, None), getattr(new, name, None)
        if before != after:
            add(section, f"{before or 'none'} → {after or 'none'}", before=before, after=after)
    if isinstance(old, Step) and isinstance(new, Step):
        if old.phase != new.phase:
            add(
                "moved",
                f"phase {old.phase or 'none'} → {new.phase or 'none'}",
                before=old.phase,
                after=new.phase,
            )
        for name in ("end", "start") if (old.end and new.end) else ("start", "end"):
            was, now = getattr(old, name), getattr(new, name)
            if was and now and was != now:
                days = (now - was).days
                add(
                    "slipped" if days > 0 else "pulled_in",
                    f"{name} {was} → {now} ({days:+d} d)",
                    field=name,
                    before=str(was),
                    after=str(now),
                    days=days,
                )
                break
    if isinstance(old, Priority) and isinstance(new, Priority):
        was = old.score.value if old.score else None
        now = new.score.value if new.score else None
        if was != now or (old.score and new.score and old.score.method != new.score.method):
            rank = f", rank {old_ranks.get(rid, 'none')} → {new_ranks.get(rid, 'none')}"
            add(
                "rescored",
                f"score {was if was is not None else 'none'} → "
                f"{now if now is not None else 'none'}{rank}",
                before=was,
                after=now,
                rank_before=old_ranks.get(rid),
                rank_after=new_ranks.get(rid),
            )
    if isinstance(old, Persofail) and isinstance(new, Persofail):
        pairs = (
            ("inherent", old.inherent.score, new.inherent.score),
            ("residual", old.effective_residual.score, new.effective_residual.score),
        )
        moved = [f"{name} risk {a} → {b}" for name, a, b in pairs if a != b]
        if moved:
            add(
                "risk",
                ", ".join(moved),
                **{f"{n}_before": a for n, a, _ in pairs},
                **{f"{n}_after": b for n, _, b in pairs},
            )
    if isinstance(old, Asset) and isinstance(new, Asset) and old.readiness != new.readiness:
        add(
            "readiness",
            f"{old.readiness} → {new.readiness}",
            before=old.readiness,
            after=new.readiness,
        )
    return out


def history_line(change: Change) -> ChangeLine:
    """A change as the site's history shows it: where, how much, and what, in words."""
    kind = change.kind if change.kind in KINDS else "workshop"
    record = change.record if kind != "workshop" else ""
    what = f"{SECTIONS[change.section]}: {change.title}"
    return ChangeLine(change.workshop, kind, record, "", f"{what} {change.detail}".strip())
