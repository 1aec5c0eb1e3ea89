"""``roadmap.ics``: every dated roadmap step, milestones included, as an all-day event
(RFC 5545), for a stakeholder to subscribe to.

A step's UID is made of its workshop's id and its own, which the format keeps stable when
a title or a date changes: a subscribed calendar then moves the event rather than adding
a second one. DTSTAMP is the build date, the only time in the file, so two builds of the
same commit on the same day (or with the same SOURCE_DATE_EPOCH) give the same bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from prepbook.export.context import ExportContext
from prepbook.graph import Node
from prepbook.model.kinds import reference_fields
from prepbook.model.roadmap import Roadmap, Step

LINE_OCTETS = 75  # RFC 5545 3.1: lines longer than this are folded
UID_DOMAIN = "roadmap.prepbook"
PRODID = "-//prepbook//playbook roadmap//EN"


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and line breaks escaped."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """A content line folded at 75 octets (a continuation starts with a space, which counts),
    never inside a UTF-8 character; ends with CRLF."""
    encoded = line.encode("utf-8")
    if len(encoded) <= LINE_OCTETS:
        return line + "\r\n"
    parts: list[str] = []
    start, limit = 0, LINE_OCTETS
    while start < len(encoded):
        end = min(start + limit, len(encoded))
        while end < len(encoded) and (encoded[end] & 0xC0) == 0x80:
            end -= 1  # back to the first byte of a character
        parts.append(encoded[start:end].decode("utf-8"))
        start, limit = end, LINE_OCTETS - 1
    return "\r\n ".join(parts) + "\r\n"


def _date(day: dt.date) -> str:
    """A DATE value (RFC 5545 3.3.4): always eight digits, which ``strftime("%Y")`` does not
    give a year before 1000 on every platform (glibc writes the year 1 as ``1``)."""
    return f"{day.year:04}{day.month:02}{day.day:02}"


def _label(field: str) -> str:
    """A reference field as a reader names it: ``closes_gap`` as ``Closes gap``."""
    return field.replace("_", " ").capitalize()


def _description(context: ExportContext, node: Node, step: Step, workshop_title: str) -> str:
    """What the step does, then every record it names, field by field as the model
    declares them (what it delivers, who owns it, what it depends on...)."""
    graph = context.playbook.graph
    lines = [f"Workshop: {workshop_title}", f"Status: {step.status}"]
    for field, _ in reference_fields(Step):
        named = graph.targets(node.key, field)
        if named:
            lines.append(f"{_label(field)}: " + ", ".join(n.record.display_name for n in named))
    if step.description:
        lines += ["", step.description]
    return "\n".join(lines)


def uid(workshop_id: str, step_id: str) -> str:
    """A step's UID: ids are slugs (no dot, no at sign), so two steps never share one."""
    return f"{step_id}.{workshop_id}@{UID_DOMAIN}"


def _events(context: ExportContext) -> Iterator[tuple[str, str]]:
    """Each dated step's lines, by workshop id and the step's order in its file."""
    graph = context.playbook.graph
    stamp = f"{_date(context.build_date)}T000000Z"
    for ws_id in context.workshop_ids():
        model = context.playbook.workshops[ws_id].model
        roadmap: Roadmap = model.roadmap
        for step in roadmap.steps:
            start, end = roadmap.dates_of(step)
            if start is None:
                continue  # the site lists it under "Without dates"; a calendar cannot
            last = max(end or start, start)
            node = graph.node((ws_id, step.id))
            summary = f"{'Milestone: ' if step.milestone else ''}{step.title} ({model.title})"
            lines = [
                "BEGIN:VEVENT",
                f"UID:{uid(ws_id, step.id)}",
                f"DTSTAMP:{stamp}",
                f"DTSTART;VALUE=DATE:{_date(start)}",
                f"DTEND;VALUE=DATE:{_date(last + dt.timedelta(days=1))}",
                f"SUMMARY:{escape_text(summary)}",
                f"DESCRIPTION:{escape_text(_description(context, node, step, model.title))}",
                "CATEGORIES:"
                + ",".join(
                    escape_text(c) for c in (model.title, *(["Milestone"] * step.milestone))
                ),
                "TRANSP:TRANSPARENT",
            ]
            url = context.url(context.page(ws_id, node))
            if url is not None:
                lines.append(f"URL;VALUE=URI:{url}")
            lines.append("END:VEVENT")
            yield ws_id, "".join(fold(line) for line in lines)


def roadmap_ics(context: ExportContext, name: str = "Roadmap") -> str:
    """The calendar of every dated step of the playbook."""
    head = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    events = "".join(text for _, text in _events(context))
    return "".join(fold(line) for line in head) + events + fold("END:VCALENDAR")
