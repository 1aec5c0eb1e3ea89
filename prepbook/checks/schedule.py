"""The roadmap as a schedule: dependency cycles, and dates that contradict each other."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from prepbook.config import Settings
from prepbook.findings import Finding, YamlPath
from prepbook.load.playbook import LoadedWorkshop, Playbook
from prepbook.model.roadmap import Phase, Step

StepKey = tuple[str, str]  # (workshop id, step id)
Dependencies = dict[StepKey, list[tuple[StepKey, YamlPath]]]  # each step's, and where


def check_schedule(playbook: Playbook, settings: Settings) -> Iterator[Finding]:
    for loaded in playbook.workshops.values():
        yield from _date_ranges(loaded)
        yield from _phase_windows(loaded)
    dependencies = _dependencies(playbook)
    yield from _cycles(playbook, dependencies)
    yield from _dependency_order(playbook, dependencies)


def _end_before_start(
    loaded: LoadedWorkshop, path: YamlPath, start: dt.date | None, end: dt.date | None, what: str
) -> Iterator[Finding]:
    if start is not None and end is not None and end < start:
        yield loaded.finding(
            "PB206",
            f"{what} ends on {end}, before it starts on {start}",
            (*path, "end"),
            expected=f"an end on or after {start}",
            hint="swap or correct the dates",
        )


def _date_ranges(loaded: LoadedWorkshop) -> Iterator[Finding]:
    model = loaded.model
    if model.dates is not None:
        yield from _end_before_start(
            loaded, ("dates",), model.dates.start, model.dates.end, "the workshop"
        )
    for i, phase in enumerate(model.roadmap.phases):
        yield from _end_before_start(
            loaded, ("roadmap", "phases", i), phase.start, phase.end, f"the phase '{phase.id}'"
        )
    for i, step in enumerate(model.roadmap.steps):
        yield from _end_before_start(
            loaded, ("roadmap", "steps", i), step.start, step.end, f"the step '{step.id}'"
        )


def _phase_windows(loaded: LoadedWorkshop) -> Iterator[Finding]:
    """Phases listed out of time order, and steps dated outside their phase's window."""
    phases = loaded.model.roadmap.phases
    previous: Phase | None = None
    previous_start: dt.date | None = None
    for i, phase in enumerate(phases):
        if phase.start is not None:
            if previous is not None and previous_start and phase.start < previous_start:
                yield loaded.finding(
                    "PB206",
                    f"the phase '{phase.id}' starts on {phase.start}, before the "
                    f"phase listed above it, '{previous.id}' ({previous.start})",
                    ("roadmap", "phases", i, "start"),
                    hint="list the phases in the order of time",
                )
            previous, previous_start = phase, phase.start
    windows = {p.id: p for p in phases}
    for i, step in enumerate(loaded.model.roadmap.steps):
        window = windows.get(step.phase) if step.phase else None
        if window is None:
            continue
        phase = window
        for name, day in (("start", step.start), ("end", step.end)):
            if day is None:
                continue
            if (phase.start and day < phase.start) or (phase.end and day > phase.end):
                yield loaded.finding(
                    "PB208",
                    f"the step '{step.id}' has {name} {day}, outside the window of "
                    f"its phase '{phase.id}' ({phase.start or '…'} to {phase.end or '…'})",
                    ("roadmap", "steps", i, name),
                    hint="move the step to the phase that holds its dates, or fix the dates",
                )


def _dependencies(playbook: Playbook) -> Dependencies:
    """Each step's resolved dependencies, with the path of the entry that names each."""
    graph = playbook.graph
    return {
        node.key: [(edge.target, edge.path) for edge in graph.edges_from(node.key, "depends_on")]
        for node in graph.nodes.values()
        if node.kind == "step"
    }


def _strongly_connected(graph: Dependencies) -> list[list[StepKey]]:
    """Tarjan's algorithm, iterative so that a long chain cannot exhaust the stack."""
    index: dict[StepKey, int] = {}
    low: dict[StepKey, int] = {}
    on_stack: set[StepKey] = set()
    stack: list[StepKey] = []
    components: list[list[StepKey]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work: list[tuple[StepKey, int]] = [(root, 0)]
        while work:
            node, edge_i = work.pop()
            if edge_i == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            edges = graph.get(node, [])
            if edge_i < len(edges):
                work.append((node, edge_i + 1))
                child = edges[edge_i][0]
                if child not in index:
                    work.append((child, 0))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(component)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return components


def _cycle_path(graph: Dependencies, members: set[StepKey], start: StepKey) -> list[StepKey]:
    """One concrete cycle through ``start`` inside a strongly connected component."""
    parents: dict[StepKey, StepKey] = {}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for child, _ in graph[node]:
            if child == start:
                path = [node]
                while path[-1] != start:
                    path.append(parents[path[-1]])
                return [start, *reversed(path[:-1]), start] if node != start else [start, start]
            if child in members and child not in parents:
                parents[child] = node
                queue.append(child)
    return [start, start]


def _cycles(playbook: Playbook, graph: Dependencies) -> Iterator[Finding]:
    for component in _strongly_connected(graph):
        members = set(component)
        start = min(members)
        if len(members) == 1 and not any(c == start for c, _ in graph[start]):
            continue
        cycle = _cycle_path(graph, members, start)
        home = start[0]
        names = " -> ".join(s if w == home else f"{w}/{s}" for w, s in cycle)
        path = next(p for c, p in graph[start] if c == cycle[1])
        loaded = playbook.workshops[home]
        yield loaded.finding(
            "PB205",
            f"the roadmap steps form a dependency cycle: {names}",
            path,
            expected="dependencies that lead back to no step",
            hint="remove one of these depends_on entries; a cycle can never be scheduled",
        )


def _finish(step: Step) -> dt.date | None:
    return step.end or step.start


def _dependency_order(playbook: Playbook, graph: Dependencies) -> Iterator[Finding]:
    """A step may not start before what it depends on ends, in dates or in phase order."""
    for (ws_id, step_id), edges in graph.items():
        loaded = playbook.workshops[ws_id]
        step = loaded.records[step_id].record
        assert isinstance(step, Step)
        phase_order = {p.id: i for i, p in enumerate(loaded.model.roadmap.phases)}
        for (dep_ws, dep_id), path in edges:
            dep = playbook.workshops[dep_ws].records[dep_id].record
            assert isinstance(dep, Step)
            finish = _finish(dep)
            if step.start is not None and finish is not None and step.start < finish:
                yield loaded.finding(
                    "PB206",
                    f"the step '{step_id}' starts on {step.start}, before "
                    f"'{dep.id}', which it depends on, ends on {finish}",
                    path,
                    expected=f"a start on or after {finish}",
                    hint="move this step later, or drop the dependency",
                )
            elif (
                dep_ws == ws_id
                and step.phase
                and dep.phase
                and phase_order.get(dep.phase, -1) > phase_order.get(step.phase, -1)
            ):
                yield loaded.finding(
                    "PB206",
                    f"the step '{step_id}' in phase '{step.phase}' depends on "
                    f"'{dep.id}' in the later phase '{dep.phase}'",
                    path,
                    hint="move one of the steps, or drop the dependency",
                )
