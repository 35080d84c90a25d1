"""The workbench's commands: sweeps of a stored graph are recorded (unless --no-record), the demo leaves a store
the printed serve command opens, accounts take passwords from a prompt or stdin only, triage export/import, and
serve's refusals (one line, exit status 2)."""

from __future__ import annotations

import os
import re
import select
import shutil
import signal
import socket
import subprocess

import pandas as pd
import pytest
from click.testing import CliRunner

import govties.api as gt
from govties.cli.main import main
from govties.cli.workbench_cmd import os_user

from conftest import MINIMAL, ended, write_dataset


def run(*args, input=None):
    return CliRunner().invoke(main, [str(a) for a in args], input=input)


@pytest.fixture
def store(tmp_path):
    path = tmp_path / "g.duckdb"
    res = run("load", write_dataset(tmp_path / "data", MINIMAL), "--store", path, "-q")
    ended(res, 0)
    return path


def test_sweeps_of_a_store_are_recorded_unless_told_not_to(store, tmp_path):
    res = run("sweep", "--no-load", "--store", store, "-o", tmp_path / "f.csv", "-q", "--lang", "en", "--no-record")
    ended(res, 0)
    assert "recorded" not in res.output
    with gt.open_graph(store=store) as g:
        assert g.workspace().latest_sweep() is None
    res = run("sweep", "--no-load", "--store", store, "-o", tmp_path / "f.csv", "-q", "--lang", "en")
    ended(res, 0)
    assert re.search(r"recorded sweep-\S+ in the workspace: 1 findings, 1 new", res.output)
    res = run("sweep", "--no-load", "--store", store, "-o", tmp_path / "f.csv", "-q")  # in Chinese by default
    assert "1 条线索，新增 0 条，证据有变化 0 条，重新打开 0 条" in res.output
    res = run("sweep", "--no-load", "--store", store, "-o", tmp_path / "f.csv", "-q", "--lang", "en")
    assert "1 findings, 0 new, 0 with changed evidence, 0 reopened" in res.output
    with gt.open_graph(store=store) as g:
        assert len(g.workspace().sweeps()) == 3 and g.workspace().inbox().total == 1


def test_demo_prints_the_serve_command_for_its_store(tmp_path):
    res = run("demo", "--out", tmp_path / "demo", "--lang", "en")
    ended(res, 0)
    store = tmp_path / "demo" / "graph.duckdb"
    assert f"govties serve --store {store} --lang en" in res.output
    findings = pd.read_csv(tmp_path / "demo" / "findings.csv", dtype=str)
    with gt.open_graph(store=store) as g:
        ws = g.workspace()
        assert ws.latest_sweep()["findings"] == len(findings)
        assert ws.inbox(gt.InboxQuery(size=200)).total == len(findings)


def test_accounts_take_passwords_from_stdin_or_a_prompt_only(store):
    res = run("users", "add", "li", "--role", "investigator", "--password", "secret-secret", "--store", store)
    ended(res, 2)
    assert "No such option" in res.output
    res = run("users", "add", "li", "--role", "investigator", "--password-stdin", "--store", store, input="short\n")
    ended(res, 2)
    assert "at least 8 characters" in res.output
    res = run("users", "add", "li", "--role", "investigator", "--store", store,
              input="a long password\na long password\n")  # the prompt asks twice
    ended(res, 0)
    assert "added li (investigator)" in res.output
    assert "a long password" not in res.output
    res = run("users", "add", "li", "--role", "viewer", "--password-stdin", "--store", store, input="another one\n")
    ended(res, 2)
    assert "user 'li' exists" in res.output
    res = run("users", "list", "--store", store)
    ended(res, 0)
    assert re.search(r"^li\s+investigator", res.output, re.M)
    with gt.open_graph(store=store) as g:
        assert g.workspace().verify("li", "a long password") == {"name": "li", "role": "investigator"}


def test_a_prompt_whose_input_ends_or_is_interrupted(store):
    """The end of input at the password prompt is one line with the fix and exit status 2 (click alone says
    "Aborted!", exit 1); Ctrl-C there is an interrupt: one line, exit status 130. No account is added."""
    res = run("users", "add", "wu", "--role", "viewer", "--store", store, input="")
    ended(res, 2)
    said = [line for line in res.output.splitlines() if line.startswith(("error", "Aborted"))]
    assert said == ["error: no password was given: the input ended at the prompt; fix: type it at the prompt "
                    "(twice), or pass it on one line of standard input with --password-stdin"], res.output
    proc = subprocess.Popen([shutil.which("govties"), "users", "add", "wu", "--role", "viewer", "--store", store],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    seen = b""
    while b"password:" not in seen:  # the prompt is up: the command waits for its input
        assert select.select([proc.stderr], [], [], 60)[0], seen
        part = os.read(proc.stderr.fileno(), 4096)
        assert part, seen
        seen += part
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    err = (seen + err).decode()
    assert proc.returncode == 130, err
    assert err.splitlines()[-1] == "interrupted: nothing stored was changed; files being written were left as they were"
    res = run("users", "list", "--store", store)
    ended(res, 0)
    assert "wu" not in res.output.split()


def test_triage_export_and_import(store, tmp_path):
    assert run("sweep", "--no-load", "--store", store, "-o", tmp_path / "f.csv", "-q", "--lang", "en").exit_code == 0
    fid = pd.read_csv(tmp_path / "f.csv", dtype=str).loc[0, "finding_id"]
    triage = tmp_path / "t.csv"
    triage.write_text(f"finding_id,status,note,who,when\n{fid},confirmed,ok,li,2026-11-01\n"
                      "ffffffffffffffff,dismissed,typo,li,2026-11-01\n", encoding="utf-8")
    res = run("triage", "import", triage, "--store", store)
    ended(res, 2)
    assert "t.csv, line 3, column 1 (finding_id): is not a recorded finding" in res.output
    triage.write_text(f"finding_id,status,note,who,when\n{fid},confirmed,ok,li,2026-11-01\n", encoding="utf-8")
    res = run("triage", "import", triage, "--store", store)
    ended(res, 0)
    assert "1 finding changed, 0 unchanged" in res.output
    res = run("triage", "export", "--store", store, "-o", tmp_path / "out.csv")
    ended(res, 0)
    assert f"wrote 1 triaged finding to {tmp_path / 'out.csv'}" in res.output  # singular for one
    out = pd.read_csv(tmp_path / "out.csv", dtype=str, keep_default_na=False)
    assert out.loc[0, ["finding_id", "status", "who"]].tolist() == [fid, "confirmed", "li"]
    assert len(out.loc[0, "fingerprint"]) == 16
    res = run("sweep", "--no-load", "--store", store, "-o", tmp_path / "g.csv", "-q", "--triage", tmp_path / "out.csv")
    ended(res, 0)
    assert pd.read_csv(tmp_path / "g.csv", dtype=str).loc[0, "triage_evidence"] == "unchanged"


def test_a_triage_file_without_a_column_keeps_what_is_stored_there(store, tmp_path):
    """A column the file does not have (assignee, note) leaves that field as stored; an empty cell of a column it
    has clears the note or the assignee."""
    assert run("sweep", "--no-load", "--store", store, "-o", tmp_path / "f.csv", "-q").exit_code == 0
    fid = pd.read_csv(tmp_path / "f.csv", dtype=str).loc[0, "finding_id"]

    def imported(text: str) -> list[str]:
        (tmp_path / "t.csv").write_text(f"{text}\n", encoding="utf-8")
        ended(run("triage", "import", tmp_path / "t.csv", "--store", store), 0)
        ended(run("triage", "export", "--store", store, "-o", tmp_path / "out.csv"), 0)
        return pd.read_csv(tmp_path / "out.csv", dtype=str, keep_default_na=False).loc[
            0, ["status", "note", "assignee", "who"]].tolist()

    assert imported(f"finding_id,status,note,assignee\n{fid},in_review,first,张三") == [
        "in_review", "first", "张三", os_user()]
    assert imported(f"finding_id,status,note,who,when\n{fid},confirmed,ok,li,2026-11-01") == [
        "confirmed", "ok", "张三", "li"]
    assert imported(f"finding_id,status,assignee\n{fid},dismissed,李四") == ["dismissed", "ok", "李四", os_user()]
    assert imported(f"finding_id,status,note,assignee\n{fid},dismissed,,") == ["dismissed", "", "", os_user()]


def test_a_masked_triage_export_imported_back_changes_nothing(store, tmp_path):
    """A masked export names findings by keyed ids, carries keyed fingerprints, masked notes and assignees: imported
    back, it is the same triage (the stored notes and assignees stay whole, the evidence is not taken as changed).
    A number added to it as the masked file shows numbers is refused with its line, and nothing is applied."""
    assert run("sweep", "--no-load", "--store", store, "-o", tmp_path / "f.csv", "-q").exit_code == 0
    fid = pd.read_csv(tmp_path / "f.csv", dtype=str).loc[0, "finding_id"]
    note, assignee = "called 13812345678 about ID 330102197006151234", "张 13700001111"
    (tmp_path / "t.csv").write_text(f"finding_id,status,note,assignee\n{fid},confirmed,{note},{assignee}\n",
                                    encoding="utf-8")
    ended(run("triage", "import", tmp_path / "t.csv", "--store", store), 0)
    ended(run("triage", "export", "--store", store, "-o", tmp_path / "plain.csv"), 0)
    ended(run("triage", "export", "--store", store, "-o", tmp_path / "masked.csv", "--mask"), 0)
    plain = pd.read_csv(tmp_path / "plain.csv", dtype=str, keep_default_na=False).iloc[0]
    masked = pd.read_csv(tmp_path / "masked.csv", dtype=str, keep_default_na=False).iloc[0]
    assert masked.finding_id != fid and masked.fingerprint != plain.fingerprint and len(masked.fingerprint) == 16
    assert "13812345678" not in masked.note and "330102197006151234" not in masked.note
    assert masked.assignee == "张 137****1111"
    res = run("triage", "import", tmp_path / "masked.csv", "--store", store)
    ended(res, 0)
    assert "0 findings changed, 1 unchanged" in res.output
    ended(run("triage", "export", "--store", store, "-o", tmp_path / "again.csv"), 0)
    again = pd.read_csv(tmp_path / "again.csv", dtype=str, keep_default_na=False).iloc[0]
    assert (again.note, again.assignee, again.fingerprint) == (note, assignee, plain.fingerprint)
    res = run("sweep", "--no-load", "--store", store, "-o", tmp_path / "m.csv", "-q", "--mask", "--no-record",
              "--triage", tmp_path / "masked.csv")
    ended(res, 0)
    row = pd.read_csv(tmp_path / "m.csv", dtype=str).set_index("finding_id").loc[masked.finding_id]
    assert (row.triage_status, row.triage_evidence) == ("confirmed", "unchanged")
    # a number added as the masked file shows numbers would be stored as its mask: the file is refused, its line named
    edited = pd.read_csv(tmp_path / "masked.csv", dtype=str, keep_default_na=False)
    edited.loc[0, "note"] += " 追加 135****7777"
    edited.loc[0, "status"] = "dismissed"
    edited.to_csv(tmp_path / "edited.csv", index=False)
    res = run("triage", "import", tmp_path / "edited.csv", "--store", store)
    ended(res, 2)
    assert "edited.csv, line 2, column 3 (note): holds a number as a masked file shows it" in res.output, res.output
    ended(run("triage", "export", "--store", store, "-o", tmp_path / "after.csv"), 0)
    after = pd.read_csv(tmp_path / "after.csv", dtype=str, keep_default_na=False).iloc[0]
    assert (after.status, after.note) == ("confirmed", note)  # nothing applied


def test_triage_round_trip_keeps_formula_like_values(store, tmp_path):
    """Cells the CSV writer neutralises (a leading apostrophe) are read back as they were, by import and by
    sweep --triage: a second import of the export changes nothing."""
    assert run("sweep", "--no-load", "--store", store, "-o", tmp_path / "f.csv", "-q", "--lang", "en").exit_code == 0
    fid = pd.read_csv(tmp_path / "f.csv", dtype=str).loc[0, "finding_id"]
    note, assignee = '=HYPERLINK("http://example.org","see")', "@SUM(1)"
    pd.DataFrame([{"finding_id": fid, "status": "in_review", "note": note, "who": "li", "when": "2026-11-01",
                   "assignee": assignee}]).to_csv(tmp_path / "t.csv", index=False)
    ended(run("triage", "import", tmp_path / "t.csv", "--store", store), 0)
    res = run("triage", "export", "--store", store, "-o", tmp_path / "out.csv")
    ended(res, 0)
    written = pd.read_csv(tmp_path / "out.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert written.loc[0, "note"] == "'" + note and written.loc[0, "assignee"] == "'" + assignee  # neutralised
    assert gt.read_triage(tmp_path / "out.csv").loc[fid, ["note", "assignee"]].tolist() == [note, assignee]
    res = run("triage", "import", tmp_path / "out.csv", "--store", store)
    ended(res, 0)
    assert "0 findings changed, 1 unchanged" in res.output
    with gt.open_graph(store=store) as g:
        triage = g.workspace().triage(fid)
        assert (triage["note"], triage["assignee"]) == (note, assignee)
        assert [e["kind"] for e in g.workspace().events(fid) if e["kind"] != "open"].count("import") == 3
    res = run("sweep", "--no-load", "--store", store, "-o", tmp_path / "g.csv", "-q", "--no-record",
              "--triage", tmp_path / "out.csv")
    ended(res, 0)
    swept = pd.read_csv(tmp_path / "g.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert swept.loc[0, "triage_note"] == "'" + note  # as written: neutralised again, once


def test_triage_export_never_overwrites_the_store(store):
    before = store.read_bytes()
    for target in (store, f"{store}.wal"):
        res = run("triage", "export", "--store", store, "-o", target)
        ended(res, 2)
        assert "-o" in res.output and str(store) in res.output, res.output
    assert store.read_bytes() == before
    with gt.open_graph(store=store) as g:
        assert g.counts()["person"] == 2


def test_serve_refuses_in_one_line(store, tmp_path):
    res = run("serve")
    ended(res, 2)
    assert "pass --store FILE" in res.output
    res = run("serve", "--store", tmp_path / "missing.duckdb")
    ended(res, 2)
    assert "no store file" in res.output
    res = run("serve", "--store", store, "--host", "0.0.0.0")
    ended(res, 2)
    assert "add accounts first" in res.output
    res = run("serve", "--store", store, "--host", "not-an-address")
    ended(res, 2)
    assert "not an IP address" in res.output
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        res = run("serve", "--store", store, "--port", taken.getsockname()[1])
    ended(res, 2)
    assert "cannot listen on 127.0.0.1" in res.output
    res = run("serve", "--store", store, "--timezone", "Shanghai")
    ended(res, 2)
    assert res.output.strip().splitlines() == [
        "error: --timezone 'Shanghai' is not a time zone name (did you mean Asia/Shanghai?): give an IANA name, e.g. "
        "Asia/Shanghai or UTC"], res.output


def test_a_refused_triage_file_reports_every_problem_and_says_it_was_not_read(store, tmp_path):
    """Every problem of a triage file at once, the ids that name no recorded finding with the bad rows (they were
    reported only once the rows were mended); the last line says the file was not read, not that "nothing was
    loaded", which is said of a dataset."""
    bad = tmp_path / "bad.csv"
    bad.write_text("finding_id,status,when\nffffffffffffffff,maybe,2026-13-01\n", encoding="utf-8")
    res = run("triage", "import", bad, "--store", store)
    ended(res, 2)
    said = res.output.splitlines()
    assert said[-1] == "3 problems; the triage file was not read. Fix them and run again.", res.output
    assert [line.split(":")[0] for line in said[:-1]] == ["bad.csv, line 2, column 1 (finding_id)",
                                                          "bad.csv, line 2, column 2 (status)",
                                                          "bad.csv, line 2, column 3 (when)"]
    assert "(when): there is no month 13 (months are 1 to 12) (found '2026-13-01')" in said[2]  # not the form


def test_a_triage_export_keeps_the_time_and_imports_again(store, tmp_path):
    """`when` is the date and time of the last change (as the workbench shows it), and the export imports again as
    it is; a date and time in ISO 8601 reads too, an impossible time is refused with its line."""
    assert run("sweep", "--no-load", "--store", store, "-o", tmp_path / "f.csv", "-q").exit_code == 0
    fid = pd.read_csv(tmp_path / "f.csv", dtype=str).loc[0, "finding_id"]
    triage = tmp_path / "t.csv"
    triage.write_text(f"finding_id,status,note,who,when\n{fid},confirmed,ok,li,2026-11-01T09:30:15.5+08:00\n",
                      encoding="utf-8")
    ended(run("triage", "import", triage, "--store", store), 0)
    ended(run("triage", "export", "--store", store, "-o", tmp_path / "out.csv"), 0)
    out = pd.read_csv(tmp_path / "out.csv", dtype=str, keep_default_na=False)
    # when the decision was made, as the file said (in UTC), not when it was imported; who as the file said
    assert out.loc[0, ["who", "when"]].tolist() == ["li", "2026-11-01 01:30 UTC"]
    res = run("triage", "import", tmp_path / "out.csv", "--store", store)
    ended(res, 0)
    assert "0 findings changed, 1 unchanged" in res.output
    triage.write_text(f"finding_id,status,when\n{fid},open,2026-11-01 24:10 UTC\n", encoding="utf-8")
    res = run("triage", "import", triage, "--store", store)
    ended(res, 2)
    assert ("t.csv, line 2, column 3 (when): there is no time of day 24:10 (hours 0 to 23, minutes and seconds 0 to "
            "59) (found '2026-11-01 24:10 UTC'); fix: write the date as YYYY-MM-DD (and a time, if any, as HH:MM "
            "after it)") in res.output
