"""The zone the workbench shows times in (workbench/clock.py): which zone a machine's TZ or /etc/localtime names,
how a recorded UTC time reads in it, how a footer names it, the names --timezone refuses with their hints, and a
server started without --timezone showing the machine's zone."""

from __future__ import annotations

import datetime as dt
import shutil
import time
import zoneinfo
from pathlib import Path

import pytest
import tzdata
from workbench_http_support import minimal_store, request
from workbench_support import Server

from govties.workbench.clock import UnknownZone, local_zone, named_zone, offset_at, shown_in, zone_label


@pytest.fixture
def tz(monkeypatch):
    """Set TZ for this process, as a machine's environment would at start (the C library reads it again)."""
    def set_tz(value: str) -> None:
        monkeypatch.setenv("TZ", value)
        time.tzset()

    yield set_tz
    monkeypatch.undo()
    time.tzset()


TZDATA = Path(tzdata.__file__).parent / "zoneinfo"  # the zone files of the tzdata package (a dependency)


@pytest.mark.parametrize("value,expected", [("Asia/Tokyo", 9), (":Asia/Tokyo", 9),
                                            (f"{TZDATA}/Asia/Tokyo", 9), ("CST-8", 8), ("", 0)])
def test_a_machines_tz_names_the_zone_pages_show_times_in(tz, value, expected):
    """TZ as a zone name, a path into the database or the C library's own form (CST-8: eight hours east of UTC,
    the form older Chinese hosts set); an empty TZ is UTC. /etc/localtime is not read when TZ is set."""
    tz(value)
    zone = local_zone()
    assert dt.datetime(2026, 1, 15, tzinfo=zone).utcoffset() == dt.timedelta(hours=expected)
    assert shown_in("2026-01-15T00:30:00.000001+00:00", zone) == f"2026-01-15 {expected:02d}:30"


@pytest.mark.parametrize("how", ["link", "copy"])
def test_a_tz_naming_a_zone_file_keeps_its_rules(tz, tmp_path, how):
    """TZ=:/etc/localtime and the like: a zone file named by its path, a link into the database (named as the zone
    it links to) or a copy (read with its rules): July's time is summer time, January's is not, as the zone says."""
    local = tmp_path / "localtime"
    if how == "link":
        local.symlink_to(TZDATA / "America" / "New_York")
    else:
        shutil.copyfile(TZDATA / "America" / "New_York", local)
    tz(f":{local}")
    zone = local_zone()
    assert shown_in("2026-07-01T12:00:00+00:00", zone) == "2026-07-01 08:00"
    assert shown_in("2026-01-01T12:00:00+00:00", zone) == "2026-01-01 07:00"
    assert (getattr(zone, "key", None) == "America/New_York") == (how == "link")


def test_a_recorded_time_reads_in_the_zone_or_is_left_as_it_is():
    shanghai = named_zone("Asia/Shanghai")
    assert shown_in("2026-12-01T10:18:00.123456+00:00", shanghai) == "2026-12-01 18:18"
    assert shown_in("2026-11-01T01:30", shanghai) == "2026-11-01 09:30"  # no offset: UTC, as triage files write it
    assert shown_in("2026-11-01", shanghai) == "2026-11-01"  # a date is a date
    for text in ("9999-12-31T23:00:00+00:00", "0001-01-01T01:00+00:00", "T-not-a-time"):  # out of its range
        assert shown_in(text, shanghai if text.startswith("9") else named_zone("America/New_York")) == text
    assert offset_at("2026-07-01T00:00:00+00:00", named_zone("America/New_York")) == "UTC-04:00"
    assert offset_at("2026-01-01T00:00:00+00:00", named_zone("America/New_York")) == "UTC-05:00"


def test_a_footer_names_the_zone_and_says_when_its_offset_is_todays_only():
    assert zone_label(named_zone("Asia/Shanghai")) == "Asia/Shanghai (UTC+08:00)"
    assert zone_label(named_zone("Asia/Shanghai"), "zh") == "Asia/Shanghai时区（UTC+08:00）"
    assert zone_label(named_zone("Africa/Casablanca")).startswith("Africa/Casablanca (now UTC")  # changes in spring
    assert zone_label(dt.timezone(dt.timedelta(0))) == "UTC"  # a fixed zero offset, as TZ=utc gives
    assert zone_label(named_zone("UTC")) == zone_label(named_zone("Etc/UTC"), "zh") == zone_label(dt.UTC) == "UTC"
    now = dt.datetime.now(named_zone("America/New_York")).strftime("%z")
    assert zone_label(named_zone("America/New_York")) == f"America/New_York (now UTC{now[:3]}:{now[3:]})"
    assert zone_label(dt.timezone(dt.timedelta(hours=-3, minutes=-30))) == "UTC-03:30"


@pytest.mark.parametrize("name,hint", [
    ("Shanghai", " (did you mean Asia/Shanghai?)"), ("Beijing", " (did you mean Asia/Shanghai?)"),
    ("北京", " (did you mean Asia/Shanghai?)"), ("UTC+8", " (did you mean Asia/Shanghai?)"),
    ("UTC+5", " (did you mean Etc/GMT-5?)"), ("gmt-3", " (did you mean Etc/GMT+3?)"), ("", ""), ("ab", ""),
    ("UTC+08", " (did you mean Asia/Shanghai?)"), ("UTC +0800", " (did you mean Asia/Shanghai?)"),
    ("China Standard Time", " (did you mean Asia/Shanghai?)"), ("Asia/Beijing", " (did you mean Asia/Shanghai?)"),
    ("asia/shanghai", " (did you mean Asia/Shanghai?)"), ("New York", " (did you mean America/New_York?)"),
    ("UTC-13", ""), ("UTC+05:30", ""),
    ("Nowhere", ""), ("localtime", ""), ("posix/Asia/Shanghai", ""), ("../../etc/passwd", "")])
def test_a_name_that_is_no_zone_is_refused_with_what_it_may_mean(name, hint):
    """Names only the database lists: not a file beside its zones (localtime, posix/…), not a path."""
    with pytest.raises(UnknownZone) as refused:
        named_zone(name)
    assert str(refused.value) == (f"--timezone {name!r} is not a time zone name{hint}: give an IANA name, e.g. "
                                  "Asia/Shanghai or UTC")


def test_pages_show_times_in_the_machines_zone_by_default(tmp_path):
    """Without --timezone, pages show recorded times (kept in UTC) in this machine's zone, here the TZ variable's,
    and name it in their footer; the sweep banner's time is the recorded sweep's, moved to that zone."""
    import govties.api as gt

    made = minimal_store(tmp_path)
    with gt.open_graph(store=made["path"]) as g:
        recorded = g.workspace().latest_sweep()["at"]
    zone = zoneinfo.ZoneInfo("America/New_York")
    server = Server(["--store", str(made["path"])], env={"TZ": "America/New_York"}).start()
    try:
        page = request(server, "GET", "/findings").text
    finally:
        server.stop()
    there = dt.datetime.fromisoformat(recorded).astimezone(zone)
    assert f"Latest sweep: {there:%Y-%m-%d %H:%M} (data as of" in page
    offset = dt.datetime.now(zone).strftime("%z")  # the offset now: the zone's changes in the year, so said so
    assert f"Times on this page are in America/New_York (now UTC{offset[:3]}:{offset[3:]})</span>" in page
