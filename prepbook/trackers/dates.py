"""The times exports write, read strictly: when an export was taken, when an item closed.

Each parser returns the value or, for text it cannot read, None: the reader says where,
with :data:`INSTANT_FORM` or :data:`JIRA_DATE_FORM` as what was expected. Nothing is
guessed: a time without a time zone, or a day that could be read month-first as well as
day-first, is not read at all.
"""

from __future__ import annotations

import datetime as dt
import re

INSTANT_FORM = "a time in ISO 8601 with its time zone, such as 2026-12-01T09:00:00Z, or a day"
TAKEN_EXAMPLE = "2026-12-01T09:00:00Z"
# YYYY-MM-DD, optionally a time (minutes, seconds, any fraction) and then a zone.
_INSTANT = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?))?"
)
_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}
# Jira writes dates in its users' format; the default, which every Jira CSV export that
# keeps its defaults has, is 14/Jul/25 3:42 PM (d/MMM/yy h:mm a). ISO dates are read too.
_JIRA = re.compile(
    r"(\d{1,2})/([A-Za-z]{3})/(\d{2}|\d{4})(?:\s+(\d{1,2}):(\d{2})(?::\d{2})?\s*([AaPp][Mm])?)?"
)
JIRA_DATE_FORM = "a date as Jira writes it by default (14/Jul/25 3:42 PM), or YYYY-MM-DD"


def parse_instant(text: str) -> dt.datetime | None:
    """An ISO 8601 time with its zone (``Z``, ``+01:00``), in UTC; a day alone is its
    midnight in UTC. None for anything else, a time without a zone included."""
    found = _INSTANT.fullmatch(text.strip())
    if found is None:
        return None
    year, month, day, hour, minute, second, fraction, zone = found.groups()
    try:
        if hour is None:
            return dt.datetime(int(year), int(month), int(day), tzinfo=dt.UTC)
        micro = int((fraction or "0").ljust(6, "0")[:6])
        moment = dt.datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second or 0), micro
        )
        return moment.replace(tzinfo=_zone(zone)).astimezone(dt.UTC)
    except ValueError:  # 2026-02-30, 25:00, +25:00
        return None


def _zone(zone: str) -> dt.timezone:
    if zone == "Z":
        return dt.UTC
    sign = -1 if zone[0] == "-" else 1
    digits = zone[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    return dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))


def day_of(text: str) -> dt.date | None:
    """The day of an ISO time (in UTC) or of an ISO day; None for anything else."""
    moment = parse_instant(text)
    return moment.date() if moment is not None else None


def jira_day(text: str) -> dt.date | None:
    """The day of a date in a Jira CSV export: Jira's default form or ISO."""
    text = text.strip()
    found = _JIRA.fullmatch(text)
    if found is None:
        iso = re.match(r"(\d{4})-(\d{2})-(\d{2})(?:$|[T ])", text)
        if iso is None:
            return None
        try:
            return dt.date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        except ValueError:
            return None
    day, month_name, year = found.group(1), found.group(2).lower(), found.group(3)
    month = _MONTHS.get(month_name)
    if month is None:
        return None
    try:
        return dt.date(int(year) + (2000 if len(year) == 2 else 0), month, int(day))
    except ValueError:
        return None


# Some Linear exports write a time as JavaScript's Date.toString() does:
# "Thu May 23 2024 16:06:19 GMT+0000 (Coordinated Universal Time)".
_SCRIPT_TIME = re.compile(
    r"[A-Za-z]{3},? ([A-Za-z]{3}) (\d{1,2}),? (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT([+-]\d{4})"
    r"(?: \([^)]*\))?"
)
LINEAR_DATE_FORM = "a time in ISO 8601, such as 2026-12-01T09:00:00.000Z"


def linear_day(text: str) -> dt.date | None:
    """The day (in UTC) of a time in a Linear CSV export: ISO, or JavaScript's form."""
    found = _SCRIPT_TIME.fullmatch(text.strip())
    if found is None:
        return day_of(text)
    month = _MONTHS.get(found.group(1).lower())
    if month is None:
        return None
    year, day = int(found.group(3)), int(found.group(2))
    hour, minute, second = (int(found.group(i)) for i in (4, 5, 6))
    try:
        moment = dt.datetime(year, month, day, hour, minute, second, tzinfo=_zone(found.group(7)))
    except ValueError:
        return None
    return moment.astimezone(dt.UTC).date()
