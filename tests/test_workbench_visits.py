"""Early warning through a real `govties serve` in a real Chromium, on both backends: a user looks at the
workbench, the monthly `load --append` and a sweep run, and the user's next visit shows what is new since they
marked what is new as seen — for every finding, and for what they watch — whether their browser kept its session
or not; it stays new, in a new session too, until they mark it seen, and then nothing is new again."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import neo4j_available_or_skip
from workbench_support import Server, Watched, artifacts, cli, launch_browser, province

browser = pytest.fixture(scope="module")(launch_browser)


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    return province(tmp_path_factory.mktemp("visits"))


@pytest.fixture(params=["duckdb", "neo4j"])
def graph_args(request, tmp_path):
    if request.param == "neo4j":
        neo4j_available_or_skip()
        import govties.api as gt

        with gt.open_graph("neo4j", create=True) as g:
            g.backend.wipe()
            g.workspace().store.clear()
        return ["--backend", "neo4j"]
    return ["--store", str(tmp_path / "graph.duckdb")]


def _count(page, section):
    return int(page.locator(f"#{section} h2 .count").inner_text())


def test_the_next_visit_shows_what_an_append_and_a_sweep_found(prepared, graph_args, browser, tmp_path):
    backend = "neo4j" if "neo4j" in graph_args else "duckdb"
    shots = artifacts("workbench-visits", backend)
    cli("load", str(prepared["data"]), *graph_args, "-q")
    cli("sweep", "--no-load", *graph_args, "-o", str(tmp_path / "before.csv"), "-q")
    before = pd.read_csv(tmp_path / "before.csv", dtype=str, keep_default_na=False)
    planted = before[(before.rule == "relative-business") & (before.official_id == "XP0003")
                     & (before.org_id == "XO0005")].iloc[0]["finding_id"]
    server = Server(graph_args, extra=["--user", "bob"]).start()  # bob has never looked
    try:
        kept = Watched(browser, server.url)  # a browser whose session outlives the server's restart
        page = kept.page
        page.goto(f"{server.url}/entities/XP0003")
        page.click("#watch")  # bob watches the official
        page.wait_for_selector("span.badge")
        page.goto(f"{server.url}/warnings")  # his first visit (its second page): the most recent findings
        assert _count(page, "changed") == 0 and _count(page, "new") > 0
        server.stop()  # a DuckDB store belongs to one process at a time: the monthly load runs between sessions
        cli("load", str(prepared["increment"]), *graph_args, "--append", "-q")
        cli("sweep", "--no-load", *graph_args, "-o", str(tmp_path / "after.csv"), "-q")
        server.start()
        page.goto(f"{server.url}/warnings")  # the same session, after the sweep: what it found since he looked
        assert _count(page, "changed") == 1
        assert page.locator(f"#changed tr[data-finding-id='{planted}']").count() == 1
        assert page.locator(f"#watched tr[data-finding-id='{planted}']").count() == 1  # and for what he watches
        page.screenshot(path=str(shots / "warnings-after-sweep.png"))
        page.goto(f"{server.url}/findings")  # his session keeps counting from before the sweep while it lasts
        page.goto(f"{server.url}/warnings")
        assert page.locator(f"#changed tr[data-finding-id='{planted}']").count() == 1
        kept.check()
        kept.close()
        later = Watched(browser, server.url)  # a new session, having looked but marked nothing: still new
        later.page.goto(f"{server.url}/warnings")
        assert later.page.locator(f"#changed tr[data-finding-id='{planted}']").count() == 1
        later.page.click("form[action='/warnings/seen'] button")  # he marks it seen
        later.page.wait_for_load_state()
        assert _count(later.page, "changed") == 0 and _count(later.page, "new") == 0
        later.check()
        later.close()
        again = Watched(browser, server.url)  # a new session after he marked it seen: nothing new since
        again.page.goto(f"{server.url}/warnings")
        assert _count(again.page, "changed") == 0 and _count(again.page, "new") == 0
        assert again.page.locator("#watched tr[data-finding-id]").count() == 0
        again.check()
        again.close()
        server.stop()  # another month: a new session (the browser closed meanwhile) shows that sweep's changes
        extra = prepared["template"].copy()
        extra["decision_id"], extra["date"], extra["amount"] = "ZD9002", "2024-12-15", "123000"
        month = tmp_path / "month"
        month.mkdir()
        pd.DataFrame([extra]).to_csv(month / "decisions.csv", index=False)
        pd.DataFrame([{"decision_id": "ZD9002", "person_id": "XP0003", "role": "approver"}]).to_csv(
            month / "decision_makers.csv", index=False)
        cli("load", str(month), *graph_args, "--append", "-q")
        cli("sweep", "--no-load", *graph_args, "-o", str(tmp_path / "month.csv"), "-q")
        server.start()
        fresh = Watched(browser, server.url)
        fresh.page.goto(f"{server.url}/warnings")
        assert fresh.page.locator(f"#changed tr[data-finding-id='{planted}']").count() == 1
        assert fresh.page.locator(f"#watched tr[data-finding-id='{planted}']").count() == 1
        fresh.check()
        fresh.close()
    finally:
        server.stop()
