"""A deterministic generator of realistic synthetic workshops.

Each workshop has the shape of the examples: a full team, an audit of every kind, metrics
beyond clicks, persofails with mitigations, two committed priorities among four, barriers,
and a roadmap of three phases and nine steps whose first step depends on a step of the
workshop before it (a cross-workshop reference, into another company's workshop, which the
step silences for exactly that step with its reason). The same N and seed give the same
bytes.

With ``faults``, every workshop also carries one mistake of the kinds people make, taken in
turn from :data:`FAULTS`: a schema error, a reference to nothing, dates out of order, a
method warning, a missing part. A clean playbook hides what reporting costs; this one makes
every file pay for at least one finding, most of them found by the cross-file checks.

Step statuses follow the build's date (``as_of``, the clock by default): a step that ended
before it is done and the gaps it closes are ready, one under way is in progress, the rest are
planned. A fixed status would make every step of a past timeline overdue (PB380) the day it
passed, and a benchmark of clean files would measure findings instead.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from pathlib import Path
from typing import get_args

import yaml

from prepbook import clock
from prepbook.model.persofails import PersofailCategory
from prepbook.model.team import Function

_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
FUNCTIONS = list(get_args(Function))[:8]  # every function but "other"
INDUSTRIES = [
    "retail",
    "streaming",
    "banking",
    "travel",
    "insurance",
    "telecom",
    "grocery",
    "fitness",
    "publishing",
    "energy",
]
WORDS = [
    "customer",
    "journey",
    "consent",
    "catalogue",
    "cohort",
    "loyalty",
    "churn",
    "basket",
    "reminder",
    "offer",
    "segment",
    "profile",
    "checkout",
    "onboarding",
    "renewal",
    "feedback",
    "trust",
    "privacy",
    "recommendation",
    "inventory",
    "pricing",
    "channel",
    "session",
    "context",
    "audience",
    "trigger",
    "content",
    "measure",
]


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def _status(start: dt.date, end: dt.date, as_of: dt.date) -> str:
    if end < as_of:
        return "done"
    return "in-progress" if start <= as_of else "planned"


def workshop(i: int, rng: random.Random, as_of: dt.date | None = None) -> dict[str, object]:
    as_of = as_of or clock.today()
    industry = INDUSTRIES[i % len(INDUSTRIES)]
    wid = f"{industry}-{i:05d}"
    start = dt.date(2026, 1, 5) + dt.timedelta(days=7 * (i % 52))
    team = [
        {"id": f"m{k}", "name": f"Member {k} of {wid}", "role": _sentence(rng, 3), "function": f}
        for k, f in enumerate(FUNCTIONS)
    ]
    kinds = ["data", "data", "data", "talent", "talent", "technology", "technology", "market"]
    readiness = ["ready", "partial", "missing"]
    audit = [
        {
            "id": f"asset-{k}",
            "title": _sentence(rng, 4)[:-1],
            "kind": kind,
            "readiness": readiness[(k + i) % 3],
            "owner": f"m{k % 8}",
            "evidence": _sentence(rng, 14),
        }
        for k, kind in enumerate(kinds)
    ]
    categories = ["retention", "trust", "satisfaction", "engagement", "conversion"]
    metrics = [
        {
            "id": f"metric-{k}",
            "title": _sentence(rng, 4)[:-1],
            "category": c,
            "definition": _sentence(rng, 12),
            "unit": "%",
            "baseline": 10 + k,
            "target": 12 + k,
            "direction": "increase",
            "guardrail": k == 4,
            "owner": f"m{(k + 1) % 8}",
        }
        for k, c in enumerate(categories)
    ]
    priorities = []
    for k in range(4):
        score = (
            {
                "method": "rice",
                "reach": rng.randrange(1000, 90000),
                "impact": 2,
                "confidence": 80,
                "effort": rng.randrange(1, 12),
            }
            if k % 2 == 0
            else {
                "method": "ice",
                "impact": rng.randrange(1, 11),
                "confidence": rng.randrange(1, 11),
                "ease": rng.randrange(1, 11),
            }
        )
        priorities.append(
            {
                "id": f"priority-{k}",
                "title": _sentence(rng, 5)[:-1],
                "summary": _sentence(rng, 20),
                "status": "committed" if k < 2 else "candidate",
                "stage": "experiment",
                "owner": "m1",
                "votes": rng.randrange(0, 12),
                "recipe": {
                    part: _sentence(rng, 6)
                    for part in ("trigger", "audience", "context", "content", "measure")
                },
                "requires": [f"asset-{k}", f"asset-{k + 4}"],
                "measured_by": ["metric-0", f"metric-{k + 1}"],
                "score": score,
            }
        )
    persofails = [
        {
            "id": f"persofail-{k}",
            "title": _sentence(rng, 5)[:-1],
            "scenario": _sentence(rng, 30),
            "category": get_args(PersofailCategory)[k],
            "inherent": {"likelihood": 1 + (k + i) % 5, "severity": 1 + (2 * k + i) % 5},
            "residual": {"likelihood": 1, "severity": 1 + (2 * k + i) % 5},
            "threatens": [f"priority-{k % 2}"],
            "mitigations": [
                {
                    "id": f"mitigation-{k}-{j}",
                    "action": _sentence(rng, 12),
                    "owner": f"m{(k + j) % 8}",
                    "status": "planned",
                }
                for j in range(2)
            ],
            "tags": [rng.choice(["voice", "email", "app", "store"])],
        }
        for k in range(6)
    ]
    phases = [
        {
            "id": f"phase-{k}",
            "title": f"Phase {k + 1}",
            "start": str(start + dt.timedelta(days=70 * k)),
            "end": str(start + dt.timedelta(days=70 * k + 62)),
        }
        for k in range(3)
    ]
    steps = []
    for k in range(9):
        phase = k // 3
        s = start + dt.timedelta(days=70 * phase + 21 * (k % 3))
        step: dict[str, object] = {
            "id": f"step-{k}",
            "title": _sentence(rng, 5)[:-1],
            "phase": f"phase-{phase}",
            "start": str(s),
            "end": str(s + dt.timedelta(days=19)),
            "owner": f"m{k % 8}",
            "status": _status(s, s + dt.timedelta(days=19), as_of),
            "milestone": k == 8,
        }
        if k < 3:
            closes = [f"asset-{j}" for j in range(8) if (j + i) % 3 != 0 and j % 3 == k]
            step["closes_gap"] = closes
            if step["status"] == "done":  # the gaps it closed are closed
                for asset in audit:
                    if asset["id"] in closes:
                        asset["readiness"] = "ready"
        if k >= 3:
            step["depends_on"] = [f"step-{k - 3}"] + (
                [f"step-{j}" for j in range(3)] if k in (6, 7) else []
            )
        if k in (6, 7):
            step["delivers"] = [f"priority-{k - 6}"]
        steps.append(step)
    if i % 52:  # the lessons of the workshop a week before: a cross-workshop dependency
        previous = f"{INDUSTRIES[(i - 1) % len(INDUSTRIES)]}-{i - 1:05d}"
        steps[8]["depends_on"] = [*steps[8].get("depends_on", []), f"{previous}/step-0"]
        steps[8]["silence"] = [  # another company's step, shared on purpose (PB370)
            {
                "rule": "PB370",
                "reason": "The company of the workshop a week before shares its lessons.",
                "covers": [f"{previous}/step-0"],
            }
        ]
    return {
        "id": wid,
        "title": f"Personalization workshop {i} ({industry})",
        "organisation": f"{industry.capitalize()} company {i}",
        "summary": _sentence(rng, 40),
        "status": "held",
        "dates": {"start": str(start - dt.timedelta(days=14))},
        "facilitator": "m6",
        "decider": "m0",
        "team": team,
        "audit": audit,
        "metrics": metrics,
        "persofails": persofails,
        "priorities": priorities,
        "barriers": [
            {
                "id": f"barrier-{k}",
                "title": _sentence(rng, 5)[:-1],
                "overcome_by": _sentence(rng, 10),
                "owner": f"m{k}",
            }
            for k in range(3)
        ],
        "roadmap": {"phases": phases, "steps": steps},
    }


Workshop = dict[str, object]


def _records(data: Workshop, section: str) -> list[dict[str, object]]:
    records = data[section]
    assert isinstance(records, list)
    return records


def _steps(data: Workshop) -> list[dict[str, object]]:
    roadmap = data["roadmap"]
    assert isinstance(roadmap, dict)
    steps: list[dict[str, object]] = roadmap["steps"]
    return steps


def _misspelt_key(data: Workshop) -> None:
    """PB101: an asset's owner written 'ownr' (a schema error: the file is salvaged)."""
    asset = _records(data, "audit")[2]
    asset["ownr"] = asset.pop("owner")


def _bad_value(data: Workshop) -> None:
    """PB103: a readiness the format does not know (a schema error)."""
    _records(data, "audit")[5]["readiness"] = "halfway"


def _unknown_reference(data: Workshop) -> None:
    """PB204: a priority requires an asset that was never audited."""
    requires = _records(data, "priorities")[1]["requires"]
    assert isinstance(requires, list)
    requires[1] = "asset-12"


def _reversed_dates(data: Workshop) -> None:
    """PB206: a roadmap step that ends before it starts."""
    step = _steps(data)[4]
    step["start"], step["end"] = step["end"], step["start"]


def _team_gap(data: Workshop) -> None:
    """PB310: nobody from marketing in the team."""
    member = next(m for m in _records(data, "team") if m["function"] == "marketing")
    member["function"] = "other"


def _risk_raised(data: Workshop) -> None:
    """PB207: a residual risk rated higher than the inherent one."""
    persofail = _records(data, "persofails")[0]
    inherent, residual = persofail["inherent"], persofail["residual"]
    assert isinstance(inherent, dict) and isinstance(residual, dict)
    below = min(int(inherent["severity"]), 4)
    inherent["severity"], residual["severity"] = below, below + 1


def _no_decider(data: Workshop) -> None:
    """PB302: the workshop names no decider."""
    del data["decider"]


def _overdue_review(data: Workshop) -> None:
    """PB360: a record past its review date."""
    _records(data, "metrics")[2]["review_by"] = "2025-01-31"


# One mistake per workshop, in turn; each says which rules it sets off.
FAULTS: tuple[Callable[[Workshop], None], ...] = (
    _misspelt_key,
    _unknown_reference,
    _reversed_dates,
    _team_gap,
    _bad_value,
    _risk_raised,
    _no_decider,
    _overdue_review,
)


def write_playbook(
    folder: Path, n: int, seed: int = 0, *, faults: bool = False, as_of: dt.date | None = None
) -> list[Path]:
    """``n`` workshop files in ``folder``/workshops, the same bytes for the same arguments
    and build date; with ``faults``, each with a mistake of its own (see :data:`FAULTS`)."""
    target = folder / "workshops"
    target.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    paths = []
    for i in range(n):
        data = workshop(i, rng, as_of)
        if faults:
            FAULTS[i % len(FAULTS)](data)
        path = target / f"{data['id']}.yaml"
        path.write_text(yaml.dump(data, Dumper=_DUMPER, sort_keys=False, width=100), "utf-8")
        paths.append(path)
    return paths
