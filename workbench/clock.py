"""The time zone the workbench shows times in. The workspace records every change in UTC (ISO text, so that it
sorts as text on both backends) and triage files write `when` in UTC, saying so; the pages show the same times in
the zone of the people reading them: `govties serve --timezone Asia/Shanghai`, by default this machine's own zone
(the TZ variable when it is set, else /etc/localtime). Each page names the zone once, in its footer."""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
import zoneinfo
from pathlib import Path

from ..errors import GovtiesError

LOCALTIME = Path("/etc/localtime")
# what people type for China's zone, which has no city of its name in the database (compared in lower case)
CHINA = frozenset({"beijing", "北京", "北京时间", "china", "中国", "prc", "cst", "asia/beijing", "china standard time",
                   "china time", "utc+8", "gmt+8"})
OFFSET = re.compile(r"(?:utc|gmt)\s*([+-])\s*(\d{1,2})(?::?(\d\d))?", re.I)
UTC_NAMES = frozenset({"UTC", "Etc/UTC", "Etc/UCT", "UCT", "Zulu", "Etc/Zulu", "Universal", "Etc/Universal"})


@functools.cache
def zones() -> frozenset[str]:
    """The zones the IANA database lists (the system's, else the tzdata package's), not the files beside them."""
    return frozenset(zoneinfo.available_timezones()) - {"localtime", "posixrules", "Factory"}


class UnknownZone(GovtiesError):
    """A time zone name that is none of the IANA database's; the message names it and the fix."""


def named_zone(name: str) -> zoneinfo.ZoneInfo:
    """An IANA time zone (Asia/Shanghai, UTC) by its name, one the database lists (not a file beside its zones,
    such as localtime or posix/…); UnknownZone otherwise, naming those it may mean."""
    given = name.strip()
    if given in zones():
        return zoneinfo.ZoneInfo(given)
    near = _meant(given)
    hint = f" (did you mean {', '.join(near)}?)" if near else ""
    raise UnknownZone(f"--timezone {name!r} is not a time zone name{hint}: give an IANA name, e.g. Asia/Shanghai "
                      "or UTC")


def _meant(given: str) -> list[str]:
    """The zones a name that is none may mean, each one the database lists: China's for its usual names and for
    UTC+8; Etc/GMT-N for another whole offset (the database's sign is the other way round); the zone it names in
    another case or with spaces (asia/shanghai, New York); a zone whose city it names (Shanghai). None for a name of
    fewer than three characters."""
    lower = " ".join(given.lower().split())
    offset = OFFSET.fullmatch(lower.replace(" ", ""))
    if offset:
        hours, minutes = int(offset[2]), int(offset[3] or 0)
        if (offset[1], hours, minutes) == ("+", 8, 0):
            return ["Asia/Shanghai"]
        meant = ["UTC"] if hours == minutes == 0 else [f"Etc/GMT{'-' if offset[1] == '+' else '+'}{hours}"]
        return [z for z in meant if z in zones() and not minutes]
    if lower in CHINA:
        return ["Asia/Shanghai"]
    if len(lower) < 3:
        return []
    key = lower.replace(" ", "_")
    same = sorted(z for z in zones() if z.lower() == key)
    return same or sorted(z for z in zones() if z.lower().endswith("/" + key))[:3]


def local_zone() -> dt.tzinfo:
    """This machine's zone. When TZ is set, its: a zone name, or a zone file (a path, :/etc/localtime, read with
    its rules), else what the C library reads in it (CST-8: a fixed offset, its DST rules unknown); an empty TZ is
    UTC. Else /etc/localtime's; else the offset the clock has now."""
    if "TZ" in os.environ:
        text = os.environ["TZ"].lstrip(":").strip()
        if not text:
            return dt.UTC
        if text in zones():
            return zoneinfo.ZoneInfo(text)
        if os.path.isabs(text):
            return _zone_file(Path(text)) or _clock_zone()
        return _clock_zone()
    return _zone_file(LOCALTIME) or _clock_zone()


def _zone_file(path: Path) -> dt.tzinfo | None:
    """The zone a zone file holds: by its name when it is (or links to) one of the database's files
    (…/zoneinfo/Asia/Shanghai, posix/ and right/ read as the zone itself), else read from the file with its rules;
    None when there is no such file."""
    real = os.path.realpath(path)
    name = real.partition("zoneinfo/")[2]
    for prefix in ("posix/", "right/"):
        name = name.removeprefix(prefix)
    if name in zones():
        return zoneinfo.ZoneInfo(name)
    try:
        with open(real, "rb") as f:
            return zoneinfo.ZoneInfo.from_file(f, key=None)
    except (OSError, ValueError):
        return None


def _clock_zone() -> dt.tzinfo:
    zone = dt.datetime.now().astimezone().tzinfo
    return zone if zone is not None else dt.UTC


def _offset(delta: dt.timedelta | None) -> str:
    minutes = int((delta or dt.timedelta(0)).total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def zone_label(zone: dt.tzinfo, lang: str = "en") -> str:
    """A zone as a page's footer names it: UTC (any zone always at UTC); its name and offset (Asia/Shanghai
    (UTC+08:00), Asia/Shanghai时区（UTC+08:00）); for a zone whose offset changes in the year, its offset now
    (America/New_York (now UTC-05:00)), since times of the other season are shown in theirs; a zone with no name,
    its offset (and its name for none: UTC)."""
    now = dt.datetime.now(zone)
    seasons = {dt.datetime(now.year, month, 15, tzinfo=zone).utcoffset() for month in range(1, 13)}
    name = getattr(zone, "key", None)
    if name in UTC_NAMES or seasons == {dt.timedelta(0)}:
        return "UTC"
    offset = _offset(now.utcoffset())
    if not name:
        return offset
    if lang == "zh":
        return f"{name}时区（{'现为' if len(seasons) > 1 else ''}{offset}）"
    return f"{name} ({'now ' if len(seasons) > 1 else ''}{offset})"


def shown_in(at: str | None, zone: dt.tzinfo) -> str:
    """A recorded time (ISO text in UTC; a time with no offset is read as UTC, as triage files write it) as a page
    shows it: its date and minutes in `zone`, 2026-12-01 18:18; a date, or other text (a time the zone cannot
    hold, year 9999 moved east), as it is."""
    text = str(at or "")
    if "T" not in text:
        return text
    try:
        moment = dt.datetime.fromisoformat(text)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
        return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")
    except (ValueError, OverflowError):
        return text


def offset_at(at: str | None, zone: dt.tzinfo) -> str:
    """The offset a recorded time is shown in (UTC+08:00): a printed sheet says it beside its time."""
    try:
        moment = dt.datetime.fromisoformat(str(at or ""))
        return _offset((moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)).astimezone(zone).utcoffset())
    except (ValueError, OverflowError):
        return ""


__all__ = ["UnknownZone", "local_zone", "named_zone", "offset_at", "shown_in", "zone_label"]
