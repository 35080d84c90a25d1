"""The README's workbench screenshots (docs/workbench-*.png), made the way a reader would see them: the demo's graph,
one of its findings dismissed by `li`, next month's decision for the same company loaded with `load --append`
and swept (so the finding shows what changed since triage), a case by official with a note, then a real
`govties serve` and Debian's Chromium through Playwright.

    python docs/workbench_screenshots.py            # writes docs/workbench-*.png
    python docs/workbench_screenshots.py --out DIR  # elsewhere
"""

from __future__ import annotations

import argparse
import csv
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import govties.api as gt

CHROMIUM = "/usr/bin/chromium"
DOCS = Path(__file__).resolve().parent


def prepare(work: Path) -> tuple[Path, str, str]:
    """The demo's store with a dismissed finding whose evidence then grew, and a case: (store, finding, case)."""
    subprocess.run([sys.executable, "-m", "govties", "demo", "--out", str(work / "demo")], check=True,
                   stdout=subprocess.DEVNULL)
    store = work / "demo" / "graph.duckdb"
    with gt.open_graph(store=store) as g:
        ws = g.workspace()
        row = ws.inbox(gt.InboxQuery(rule=["relative-business"], official=["XP0003"], size=20)).rows[0]
        fid = row["finding_id"]
        ws.save_triage(fid, version=0, who="li", status="dismissed", assignee="li",
                       note="The company's registry extract shows the child left in 2021.")
        decision = g.backend.lookup("decision", [d for d in row["decision_ids"].split(";") if d]).iloc[0]
        increment = work / "increment"
        increment.mkdir()
        with open(increment / "decisions.csv", "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["decision_id", "kind", "date", "agency_id", "beneficiary_id", "amount", "title"])
            w.writerow(["XD9001", decision["kind"], "2024-11-30", decision["agency_id"], row["org_id"], "777000",
                        "文化产业发展专项资金"])
        with open(increment / "decision_makers.csv", "w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows([["decision_id", "person_id", "role"], ["XD9001", "XP0003", "approver"]])
        g.load(increment, append=True)
        g.sweep(gt.sweep_settings(lang="zh"))
        basis, ids = ws.group_of(fid, "official")
        case = ws.create_case(title=row["official_name"], who="li", kind="official", basis=basis, finding_ids=ids)
        ws.add_note(case, "调取工商登记档案，核实子女任职起止时间。", "li")
    return store, fid, case


def free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def shoot(store: Path, fid: str, case: str, out: Path) -> None:
    from playwright.sync_api import sync_playwright

    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "govties", "serve", "--store", str(store), "--port", str(port),
                               "--user", "li", "--timezone", "Asia/Shanghai", "-q"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            shots = [("inbox", "zh", "/findings"), ("case", "zh", f"/cases/{case}"),
                     ("finding", "en", f"/findings/{fid}"), ("entity", "en", "/entities/XP0003"),
                     ("explore", "en", "/explore?center=XP0003"), ("evaluation", "en", "/evaluation")]
            for name, lang, path in shots:
                page.goto(f"{url}{path}{'&' if '?' in path else '?'}lang={lang}")
                if name == "explore":
                    page.wait_for_selector("body[data-ready='1']")
                if name == "finding":
                    page.wait_for_selector("body[data-graph-ready='1']")
                    page.locator("section.changes-since").scroll_into_view_if_needed()
                    page.evaluate("window.scrollBy(0, -90)")
                page.wait_for_timeout(500)
                page.screenshot(path=str(out / f"workbench-{name}.png"))
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DOCS)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="govties-shots-") as tmp:
        store, fid, case = prepare(Path(tmp))
        shoot(store, fid, case, args.out)
    print(f"wrote {', '.join(sorted(p.name for p in args.out.glob('workbench-*.png')))} to {args.out}")


if __name__ == "__main__":
    main()
