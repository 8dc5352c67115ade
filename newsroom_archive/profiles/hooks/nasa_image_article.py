"""NASA (www.nasa.gov, WordPress): the time of publication.

The only timestamp of a post's publication is Parse.ly's ``parsely-pub-date``, in UTC
(``2024-01-17T19:55:24Z``); the page shows the day only (``Jan 17, 2024``), in
Washington's time. Read as UTC, a post published after 19:00 Eastern would get the
next day, so the stamp is given the offset of Washington, where the day shown is.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from newsroom_archive.normalise.dates import parse_iso

WASHINGTON = ZoneInfo("America/New_York")


def eastern_time(value: str | None) -> str | None:
    """A UTC (or any offset) ISO timestamp as the same moment in Washington's time;
    text that is not one is passed on for the date reader to judge."""
    moment = parse_iso(value.strip()) if value else None
    if moment is None or moment.tzinfo is None:
        return value
    return moment.astimezone(WASHINGTON).isoformat()


HOOKS = {"eastern_time": eastern_time}
