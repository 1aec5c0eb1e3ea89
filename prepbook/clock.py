"""The build's clock: the one date a build reads, below every stage.

The checks judge review dates by it, the pages and pictures mark it, the exports and a new
playbook carry it. Each reads it here, so no stage imports another for the time of day,
and SOURCE_DATE_EPOCH pins it for all of them at once: two builds of the same commit with
the same epoch give the same bytes.
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
