"""What the workbench's browser tests share: a generated province with hostile names and next month's increment,
the `govties` command run in this process, a real `govties serve` in a subprocess on a free port (started,
stopped, restarted), and Playwright pages that record every request, console error and dialog."""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import zoneinfo
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
from click.testing import CliRunner
from conftest import launch_browser  # noqa: F401  (the workbench's browser tests take it from here)

from govties.cli.main import main

PAYLOAD = "<img src=x onerror=window.__pwned=1;alert(1)>"
SCRIPT_PAYLOAD = "</script><script>window.__pwned=2</script>宏达"
PASSWORDS = {"li": "li-password-1", "zhao": "zhao-password-2", "wang": "wang-password-3"}


def cli(*args: str, input: str | None = None) -> str:
    """`govties ARGS` in this process; fails the test with the output unless it exits 0."""
    res = CliRunner().invoke(main, list(args), input=input)
    assert res.exit_code == 0, f"govties {' '.join(args)} -> {res.exit_code}\n{res.output}"
    return res.output


def stored(data: Path, store: Path, findings: Path, *sweep_args: str) -> list[str]:
    """Load `data` into the store file and sweep it there (recording its findings, written to `findings` too);
    returns the store's options for later commands."""
    graph_args = ["--store", str(store)]
    cli("load", str(data), *graph_args, "-q")
    cli("sweep", "--no-load", *graph_args, "-o", str(findings), "-q", *sweep_args)
    return graph_args


def province(root: Path) -> dict:
    """A small generated province whose planted relative-business finding (official XP0003, company XO0005,
    spouse XP0004) carries hostile names, and an increment adding one more decision to that finding."""
    data = root / "province"
    cli("generate", "--out", str(data), "--people", "300")
    people = pd.read_csv(data / "people.csv", dtype=str, keep_default_na=False)
    people.loc[people.person_id == "XP0004", "name"] = PAYLOAD
    people.to_csv(data / "people.csv", index=False)
    orgs = pd.read_csv(data / "organizations.csv", dtype=str, keep_default_na=False)
    orgs.loc[orgs.org_id == "XO0005", "name"] = SCRIPT_PAYLOAD
    orgs.to_csv(data / "organizations.csv", index=False)
    decisions = pd.read_csv(data / "decisions.csv", dtype=str, keep_default_na=False)
    makers = pd.read_csv(data / "decision_makers.csv", dtype=str, keep_default_na=False)
    mine = decisions[decisions.beneficiary_id.eq("XO0005")
                     & decisions.decision_id.isin(makers[makers.person_id == "XP0003"].decision_id)]
    assert len(mine), "the generator's planted decision for XO0005 by XP0003 is missing"
    template = mine.iloc[0]
    inc = root / "increment"
    inc.mkdir()
    new = template.copy()
    new["decision_id"], new["date"], new["amount"] = "ZD9001", "2024-11-30", "777000"
    pd.DataFrame([new]).to_csv(inc / "decisions.csv", index=False)
    pd.DataFrame([{"decision_id": "ZD9001", "person_id": "XP0003", "role": "approver"}]).to_csv(
        inc / "decision_makers.csv", index=False)
    official = people.loc[people.person_id == "XP0003", "name"].iloc[0]
    return {"data": data, "increment": inc, "official_name": official, "template": template}


@contextmanager
def province_server(root: Path) -> Iterator[Server]:
    """`govties serve` on the stored graph of the test province, made in `root`; stopped when the block ends."""
    prepared = province(root)
    running = Server(stored(prepared["data"], root / "graph.duckdb", root / "findings.csv")).start()
    try:
        yield running
    finally:
        running.stop()


def artifacts(*parts: str) -> Path:
    """Where the browser tests keep their screenshots after the run (for people to look at, and for CI to
    collect): $GOVTIES_ARTIFACTS, else out/test-artifacts in the repository; one folder per test module and
    backend."""
    root = Path(os.environ.get("GOVTIES_ARTIFACTS") or Path(__file__).resolve().parents[1] / "out" / "test-artifacts")
    folder = root.joinpath(*parts)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def free_port(host: str = "127.0.0.1") -> int:
    s = socket.socket()
    s.bind((host, 0))
    port = s.getsockname()[1]
    s.close()
    return port


ZONE = "Asia/Shanghai"  # the zone test servers show times in (--timezone)


def shown_since(start: dt.datetime) -> str:
    """A pattern of the times a test server's page may show (in ZONE, to the minute) for a change made between
    `start` (UTC) and now: the page's zone, not UTC, eight hours apart."""
    zone = zoneinfo.ZoneInfo(ZONE)
    first = start.astimezone(zone).replace(second=0, microsecond=0)
    last = dt.datetime.now(dt.UTC).astimezone(zone)
    minutes = []
    while first <= last:
        minutes.append(re.escape(f"{first:%Y-%m-%d %H:%M}"))
        first += dt.timedelta(minutes=1)
    return "(?:" + "|".join(minutes) + ")"


class Server:
    """`govties serve` in a subprocess (its own session: Ctrl-C reaches it alone)."""

    def __init__(self, graph_args: list[str], host: str = "127.0.0.1", extra: list[str] | None = None,
                 env: dict[str, str] | None = None):
        self.graph_args = graph_args
        self.host = host
        self.port = free_port(host)
        # pages show times in ZONE (UTC+8), where a time shown in UTC would read wrong, unless the test gives a zone
        # (--timezone) or an environment (TZ: the machine's own zone)
        self.extra = list(extra or [])
        if "--timezone" not in self.extra and env is None:
            self.extra += ["--timezone", ZONE]
        self.env = env
        self.proc: subprocess.Popen | None = None
        self.output: list[str] = []

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self, timeout: float = 120) -> Server:
        cmd = [sys.executable, "-c", "from govties.cli.main import main; main()", "serve", *self.graph_args,
               "--host", self.host, "--port", str(self.port), "--lang", "en", "--user", "alice", "-q", *self.extra]
        self.output = []
        env = {**os.environ, **self.env} if self.env is not None else None
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                     start_new_session=True, env=env)
        threading.Thread(target=self._read, args=(self.proc,), daemon=True).start()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError("govties serve exited:\n" + "".join(self.output))
            if any("govties workbench: http://" in line for line in self.output):
                try:
                    with socket.create_connection((self.host, self.port), timeout=1):
                        return self
                except OSError:
                    pass
            time.sleep(0.2)
        self.stop()
        raise AssertionError("govties serve did not start:\n" + "".join(self.output))

    def _read(self, proc: subprocess.Popen) -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            self.output.append(line)

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGINT)  # what Ctrl-C does
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        assert self.proc.returncode == 130, (self.proc.returncode, "".join(self.output))  # as Ctrl-C ends it
        assert "Traceback" not in "".join(self.output), "".join(self.output)

    def restart(self) -> Server:
        self.stop()
        return self.start()


class Watched:
    """A browser context whose pages record requests, console errors, page errors and dialogs."""

    def __init__(self, browser, origin: str):
        self.origin = origin
        self.context = browser.new_context(viewport={"width": 1400, "height": 1000})
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page = self.new_page()

    def new_page(self):
        page = self.context.new_page()
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        return page

    def check(self) -> None:
        """Nothing left the page's origin, no script error, no dialog."""
        foreign = [u for u in self.requests if not u.startswith(self.origin + "/")]
        assert foreign == [], foreign
        assert self.errors == [] and self.dialogs == [], (self.errors, self.dialogs)

    def close(self) -> None:
        self.context.close()


def login(watched: Watched, name: str) -> None:
    page = watched.page
    page.goto(watched.origin + "/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORDS[name])
    page.click("main.login button[type=submit]")
    page.wait_for_url(watched.origin + "/findings")


def click_node(page, node_id):
    """Click a node of the exploration graph where it is drawn, and wait for the expansion it starts. The page may
    still be moving its view (its opening zoom is animated): a click that landed beside the node because the view
    moved meanwhile is made again where the node now is (at most three times)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    before = page.evaluate("Number(document.body.dataset.expanded || 0)")
    for _ in range(3):
        where = node_on_screen(page, node_id)
        page.mouse.click(where["x"], where["y"])
        try:
            page.wait_for_selector(f"body[data-expanded='{before + 1}']", state="attached", timeout=10000)
            return
        except PlaywrightTimeout:
            continue
    raise AssertionError(f"clicking {node_id} three times expanded nothing")


def node_on_screen(page, node_id) -> dict:
    """Where a node of the exploration graph is on the screen, the graph stopped and fitted in view first."""
    where = page.evaluate("""(id) => { const n = window.govtiesExplore.network; n.stopSimulation();
        n.fit({animation: false}); return n.canvasToDOM(n.getPositions([id])[id]); }""", node_id)
    box = page.locator("#explore-graph").bounding_box()
    assert 0 <= where["x"] <= box["width"] and 0 <= where["y"] <= box["height"], (where, box)
    return {"x": box["x"] + where["x"], "y": box["y"] + where["y"]}


def explore_opened(browser, server, path: str, width: int = 1400, height: int = 1000) -> Watched:
    """A watched page of `server` at `path` (the Explore page), at width x height, once its graph is drawn."""
    w = Watched(browser, server.url)
    w.page.set_viewport_size({"width": width, "height": height})
    w.page.goto(server.url + path)
    w.page.wait_for_selector("body[data-ready='1']")
    return w
