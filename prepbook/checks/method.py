"""The build's date, which the review rule (PB360) judges review dates against and the
pages, the calendar and a new playbook's starter are dated from. The method's rules
themselves are one module each, in :mod:`prepbook.checks.rules`.
"""

from __future__ import annotations

import datetime as dt
import os


def today() -> dt.date:
    """The build's date: SOURCE_DATE_EPOCH when set, so a rebuild gives the same site."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.datetime.now(tz=dt.UTC).date()
