"""The time zone the workbench shows times in. The workspace records every change in UTC (ISO text, so that it
sorts as text on both backends) and triage files write `when` in UTC, saying so; the pages show the same times in
the zone of the people reading them: `govties serve --timezone Asia/Shanghai`, by default this machine's own zone
(the TZ variable, else /etc/localtime). Each page names the zone once, in its footer."""

from __future__ import annotations

import datetime as dt
import os
import zoneinfo
from pathlib import Path

from ..errors import GovtiesError

LOCALTIME = Path("/etc/localtime")


class UnknownZone(GovtiesError):
    """A time zone name that is none of the IANA database's; the message names it and the fix."""


def named_zone(name: str) -> zoneinfo.ZoneInfo:
    """An IANA time zone (Asia/Shanghai, UTC) by its name; UnknownZone when the database has none of that name."""
    try:
        return zoneinfo.ZoneInfo(name.strip())
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        near = sorted(z for z in zoneinfo.available_timezones() if z.lower().endswith(name.strip().lower()))[:3]
        hint = f" (did you mean {', '.join(near)}?)" if near else ""
        raise UnknownZone(f"--timezone {name!r} is not a time zone name{hint}: give an IANA name, e.g. "
                          "Asia/Shanghai or UTC") from None


def local_zone() -> dt.tzinfo:
    """This machine's zone: the TZ variable's, else /etc/localtime's (a link into the zone database), else the
    offset the clock has now (a zone with no name: DST changes before now are not known)."""
    for name in (os.environ.get("TZ", "").lstrip(":"), _linked_name()):
        if name:
            try:
                return zoneinfo.ZoneInfo(name)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                continue
    zone = dt.datetime.now().astimezone().tzinfo
    return zone if zone is not None else dt.UTC


def _linked_name() -> str:
    """The zone /etc/localtime links to (…/zoneinfo/Asia/Shanghai -> Asia/Shanghai), or "" when it is no link."""
    try:
        target = os.readlink(LOCALTIME)
    except OSError:
        return ""
    _, found, name = target.partition("zoneinfo/")
    return name if found else ""


def zone_label(zone: dt.tzinfo) -> str:
    """A zone as a page names it: its name and its offset now (Asia/Shanghai UTC+08:00), UTC, or the offset alone."""
    offset = dt.datetime.now(zone).utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    shown = f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    name = getattr(zone, "key", None)
    if name in ("UTC", "Etc/UTC", "Etc/UCT", "UCT", "Zulu", "Etc/Zulu"):
        return "UTC"
    return f"{name} {shown}" if name else shown


def shown_in(at: str | None, zone: dt.tzinfo) -> str:
    """A recorded time (ISO text in UTC; a time with no offset is read as UTC, as triage files write it) as a page
    shows it: its date and minutes in `zone`, 2026-12-01 18:18; a date, or other text, as it is."""
    text = str(at or "")
    if "T" not in text:
        return text
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return text
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")


__all__ = ["UnknownZone", "local_zone", "named_zone", "shown_in", "zone_label"]
