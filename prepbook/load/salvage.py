"""A partial model for a file that failed schema validation.

One typo in a team member must not hide a dangling reference in the roadmap: "all problems
in one run". The records that failed are set aside (their ids remembered, so references to
them are not reported as missing), unknown keys are dropped, and what remains is validated
again so the cross-record checks can run on it. A partial model is never rendered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from prepbook.findings import YamlPath
from prepbook.model import Workshop
from prepbook.model.kinds import TOP_LEVEL

# Lists of records, by their path in the file.
_SECTIONS: tuple[YamlPath, ...] = tuple(kind.home for kind in TOP_LEVEL)
_PLACEHOLDERS: dict[str, str] = {
    "title": "(invalid)",
    "organisation": "(invalid)",
    "status": "draft",
}


@dataclass
class Salvaged:
    model: Workshop
    # For each section, the original index of each record that was kept.
    kept: dict[YamlPath, list[int]] = field(default_factory=dict)
    broken_ids: set[str] = field(default_factory=set)

    def original_path(self, path: YamlPath) -> YamlPath:
        for section, indices in self.kept.items():
            n = len(section)
            index = path[n] if len(path) > n else None
            if path[:n] == section and isinstance(index, int):
                return (*section, indices[index], *path[n + 1 :])
        return path


def _section_of(loc: tuple[str | int, ...]) -> YamlPath | None:
    return next((s for s in _SECTIONS if loc[: len(s)] == s), None)


def salvage(data: dict[str, Any], errors: list[Any], fallback_id: str) -> Salvaged | None:
    """The valid part of ``data``, or None when too little of it is sound to check.
    ``data`` is left as it was: only the containers on the way to what is changed are
    copied, not the whole file (a deep copy was most of the cost of a salvage)."""
    data = dict(data)
    owned = {id(data)}
    drop: dict[YamlPath, set[int]] = {}
    for error in errors:
        loc = tuple(error["loc"])
        section = _section_of(loc)
        if section is not None and len(loc) > len(section) and isinstance(loc[len(section)], int):
            if error["type"] == "extra_forbidden" and len(loc) == len(section) + 2:
                record = _own(data, (*section, loc[len(section)]), owned)
                if isinstance(record, dict):
                    record.pop(str(loc[-1]), None)
                    continue
            drop.setdefault(section, set()).add(int(loc[len(section)]))
        elif section is not None or loc[:1] == ("roadmap",):
            _set(data, section or ("roadmap",), [] if section else {}, owned)
        elif len(loc) >= 1 and isinstance(loc[0], str):
            if loc[0] == "id":
                data["id"] = fallback_id
            elif loc[0] in _PLACEHOLDERS:
                data[loc[0]] = _PLACEHOLDERS[loc[0]]
            else:
                data.pop(loc[0], None)
    salvaged_kept: dict[YamlPath, list[int]] = {}
    broken: set[str] = set()
    for section, indices in drop.items():
        items = _at(data, section)
        if not isinstance(items, list):
            continue
        for i in indices:
            if isinstance(items[i], dict) and isinstance(items[i].get("id"), str):
                broken.add(items[i]["id"])
        salvaged_kept[section] = [i for i in range(len(items)) if i not in indices]
        _set(data, section, [items[i] for i in salvaged_kept[section]], owned)
    try:
        model = Workshop.model_validate(data)
    except ValidationError:
        return None
    return Salvaged(model, salvaged_kept, broken)


def _at(data: Any, path: YamlPath) -> Any:
    for part in path:
        if isinstance(data, dict) and isinstance(part, str):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return None
    return data


def _own(data: dict[str, Any], path: YamlPath, owned: set[int]) -> Any:
    """The container at ``path``, as ``_at`` finds it, made salvage's own to change: each
    container on the way that is still the caller's is replaced by a shallow copy, once."""
    node: Any = data
    for part in path:
        in_mapping = isinstance(node, dict) and isinstance(part, str) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if not (in_mapping or in_list):
            return None
        child = node[part]
        if isinstance(child, dict | list) and id(child) not in owned:
            child = dict(child) if isinstance(child, dict) else list(child)
            node[part] = child
            owned.add(id(child))
        node = child
    return node


def _set(data: dict[str, Any], path: YamlPath, value: Any, owned: set[int]) -> None:
    parent = _own(data, path[:-1], owned)
    if isinstance(parent, dict):
        parent[str(path[-1])] = value
