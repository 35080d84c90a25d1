"""Evidence fingerprints: stable for the same evidence, different when an amount, a date or an edge changes (the
finding_id stays); and a confirmed or dismissed finding whose evidence changed since triage shows as changed in
`sweep --triage` and as reopened in `diff`, with what changed (old → new)."""

from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner

from govties.cli.main import main
from govties.graph.duckdb_backend import DuckDBBackend
from govties.loaders import load_dataset
from govties.rules.catalog import catalog
from govties.rules.engine import sweep
from govties.rules.findings import facts_of
from govties.rules.tracking import diff_frames, evidence_changes, facts_from_row

from conftest import MINIMAL, write_dataset


def _findings(folder):
    b = DuckDBBackend()
    b.load(load_dataset(folder).tables)
    out = {f["finding_id"]: f for f in sweep(b, list(catalog().values())).findings}
    b.close()
    return out


def test_fingerprint_follows_the_evidence_not_the_id(tmp_path):
    base = _findings(write_dataset(tmp_path / "a", MINIMAL))
    again = _findings(write_dataset(tmp_path / "b", MINIMAL))
    assert {k: f["fingerprint"] for k, f in base.items()} == {k: f["fingerprint"] for k, f in again.items()}
    richer = {**MINIMAL, "decisions.csv": MINIMAL["decisions.csv"].replace("2000000", "2500000")}
    changed = _findings(write_dataset(tmp_path / "c", richer))
    assert set(changed) == set(base)  # same finding ids
    (fid,) = base
    assert changed[fid]["fingerprint"] != base[fid]["fingerprint"]
    assert evidence_changes(facts_of(base[fid]), facts_of(changed[fid])) == [
        {"what": "amount", "item": "D1", "old": "2,000,000", "new": "2,500,000"}]
    dated = {**MINIMAL, "company_roles.csv": MINIMAL["company_roles.csv"].replace("2018-01-01", "2017-01-01")}
    moved = _findings(write_dataset(tmp_path / "d", dated))
    assert moved[fid]["fingerprint"] != base[fid]["fingerprint"]
    assert [c["what"] for c in evidence_changes(facts_of(base[fid]), facts_of(moved[fid]))] == ["edge"]


def _runner_sweep(folder, out, *extra):
    res = CliRunner().invoke(main, ["sweep", str(folder), "-o", str(out), "-q", "--lang", "en", *extra])
    assert res.exit_code == 0, res.output
    return res


def test_sweep_and_diff_show_evidence_changed_since_triage(tmp_path):
    old_out, new_out = tmp_path / "old.csv", tmp_path / "new.csv"
    _runner_sweep(write_dataset(tmp_path / "a", MINIMAL), old_out)
    old = pd.read_csv(old_out, dtype=str, keep_default_na=False)
    (fid,) = old["finding_id"]
    triage = tmp_path / "triage.csv"
    triage.write_text(f"finding_id,status,note,who,when,fingerprint\n{fid},dismissed,known,li,2026-11-01,"
                      f"{old['fingerprint'][0]}\n", encoding="utf-8")
    more = {**MINIMAL,
            "decisions.csv": MINIMAL["decisions.csv"] + "        D2,permit,2021-06-01,A1,C1,500000\n",
            "decision_makers.csv": MINIMAL["decision_makers.csv"] + "        D2,P1,approver\n"}
    res = _runner_sweep(write_dataset(tmp_path / "b", more), new_out, "--triage", str(triage))
    new = pd.read_csv(new_out, dtype=str, keep_default_na=False)
    assert new.loc[0, "finding_id"] == fid and new.loc[0, "triage_status"] == "dismissed"
    assert new.loc[0, "triage_evidence"] == "changed"
    assert "evidence changed since triage (triage_evidence = changed): 1 confirmed or dismissed" in res.output
    # the same triage on the old findings: unchanged
    same = _runner_sweep(write_dataset(tmp_path / "c", MINIMAL), tmp_path / "same.csv", "--triage", str(triage))
    assert pd.read_csv(tmp_path / "same.csv", dtype=str, keep_default_na=False).loc[0, "triage_evidence"] \
        == "unchanged"
    assert "evidence changed since triage" not in same.output
    res = CliRunner().invoke(main, ["diff", str(old_out), str(new_out), "--triage", str(triage)])
    assert res.exit_code == 0, res.output
    assert f"reopened  {fid}" in res.output and "(was dismissed; evidence changed since triage)" in res.output
    assert "D2: — → present" in res.output
    assert "new 0, reopened 1, changed 0, resolved 0, dismissed 0" in res.output
    table = diff_frames(old, new.drop(columns=[c for c in new.columns if c.startswith("triage_")]),
                        pd.read_csv(triage, dtype=str, keep_default_na=False).set_index("finding_id"))
    assert table.loc[0, "since_triage"] == "changed" and table.loc[0, "change"] == "reopened"


def test_a_triage_file_without_fingerprints_reads_as_before(tmp_path):
    out = tmp_path / "f.csv"
    _runner_sweep(write_dataset(tmp_path / "a", MINIMAL), out)
    fid = pd.read_csv(out, dtype=str).loc[0, "finding_id"]
    triage = tmp_path / "t.csv"
    triage.write_text(f"finding_id,status,note,who,when\n{fid},confirmed,ok,li,2026-11-01\n", encoding="utf-8")
    _runner_sweep(write_dataset(tmp_path / "b", MINIMAL), out, "--triage", str(triage))
    row = pd.read_csv(out, dtype=str, keep_default_na=False).loc[0]
    assert row["triage_status"] == "confirmed" and row["triage_evidence"] == ""


def test_facts_from_a_row_compare_edges_and_decisions():
    old = {"evidence": '{"edges": [{"type": "HOLDS_ROLE", "src": "P2", "dst": "C1", "label": "shareholder", '
                       '"share": 0.6, "start": "2018-01-01", "end": null}]}', "decision_ids": "D1",
           "first_date": "2020-05-01", "last_date": "2020-05-01"}
    new = {**old, "evidence": old["evidence"].replace('"end": null', '"end": "2021-01-01"'),
           "decision_ids": "D1;D2", "last_date": "2021-06-01"}
    changes = evidence_changes(facts_from_row(old), facts_from_row(new))
    assert changes == [
        {"what": "decision", "item": "D2", "old": None, "new": "present"},
        {"what": "edge", "item": "HOLDS_ROLE P2→C1 (shareholder)", "old": "60% 2018-01-01–",
         "new": "60% 2018-01-01–2021-01-01"},
        {"what": "last_date", "item": "last_date", "old": "2020-05-01", "new": "2021-06-01"}]


def test_source_records_keep_the_file_lines(tmp_path):
    """Where each person, organization and decision record came from: its file and line, also below title lines, and the
    entity a merged record became."""
    import textwrap

    from govties.loaders import load_dataset

    files = {name: "干部监督台账\n\n" + textwrap.dedent(text).lstrip("\n") for name, text in MINIMAL.items()}
    files["people.csv"] += "P3,王建国,330102197001010013\n"  # the same resident ID as P1: merged into it
    rows = load_dataset(write_dataset(tmp_path / "d", files), header_row=3).records.to_pylist()
    found = {(r["record_id"], r["entity_id"], r["file"], r["line"]) for r in rows if r["kind"] == "person"}
    assert found == {("P1", "P1", "people.csv", 4), ("P2", "P2", "people.csv", 5), ("P3", "P1", "people.csv", 6)}
    decisions = {(r["record_id"], r["entity_id"], r["file"], r["line"]) for r in rows if r["kind"] == "decision"}
    assert decisions == {("D1", "D1", "decisions.csv", 4)}
    orgs = [r for r in load_dataset(write_dataset(tmp_path / "e", MINIMAL)).records.to_pylist()
            if r["kind"] == "organization"]
    assert [(r["record_id"], r["line"]) for r in orgs] == [("A1", 2), ("C1", 3)]


def test_diff_tells_each_change_once_and_not_an_open_span_moving_with_the_date(tmp_path):
    """A decision dated anew changes a finding's first and last dates: each is told once (not again among the
    evidence's changes). A span still open (a role held on both sweeps' dates) runs to each sweep's date: with
    only the date moved, that is no change."""
    from conftest import DEMO

    def swept(folder, out, *extra):
        res = CliRunner().invoke(main, ["sweep", str(folder), "-o", str(out), "-q", *extra])
        assert res.exit_code == 0, res.output
        return pd.read_csv(out, dtype=str, keep_default_na=False)

    before = swept(DEMO, tmp_path / "a.csv")
    later = swept(DEMO, tmp_path / "b.csv", "--as-of", "2026-06-01")
    open_spans = later[(later.rule == "in-office-business") & (later.last_date == "2026-06-01")]
    assert len(open_spans)  # the demo's officials still in business on both dates
    assert diff_frames(before, later).empty
    moved = tmp_path / "moved"
    moved.mkdir()
    for path in DEMO.glob("*.csv"):
        (moved / path.name).write_bytes(path.read_bytes())
    decisions = pd.read_csv(moved / "decisions.csv", dtype=str, keep_default_na=False)
    decisions.loc[decisions.decision_id == "XD0006", "date"] = "2021-05-20"
    decisions.to_csv(moved / "decisions.csv", index=False)
    table = diff_frames(before, swept(moved, tmp_path / "c.csv"))
    [row] = table[table.changes.str.contains("XD0006")].itertuples()
    assert row.changes.count("first_date:") == 1 and row.changes.count("last_date:") == 1, row.changes
    assert "evidence: " in row.changes and "→ 2021-05-20" in row.changes


@pytest.mark.parametrize("rule,holder", [("in-office-business", "official_id"), ("relative-in-jurisdiction", "via_id")])
def test_an_open_span_keeps_its_fingerprint_when_the_sweeps_date_moves_and_not_when_it_ends(tmp_path, rule, holder):
    """A business role still held in office (the official's own, or a relative's in the post's jurisdiction) runs
    to the sweep's date: a later --as-of moves its last_date but not its evidence, so its fingerprint stays and a
    confirmed finding stays unchanged since triage; the role ending changes the evidence."""
    from conftest import DEMO

    def swept(folder, out, *extra):
        res = CliRunner().invoke(main, ["sweep", str(folder), "-o", str(out), "-q", *extra])
        assert res.exit_code == 0, res.output
        return pd.read_csv(out, dtype=str, keep_default_na=False).set_index("finding_id")

    now = swept(DEMO, tmp_path / "a.csv", "--as-of", "2026-01-01")
    later = swept(DEMO, tmp_path / "b.csv", "--as-of", "2026-06-01")
    spans = later[(later.rule == rule) & (later.last_date == "2026-06-01")]
    assert len(spans) and set(spans.index) <= set(now.index)
    assert (now.loc[spans.index, "last_date"] == "2026-01-01").all()
    assert (now.loc[spans.index, "fingerprint"] == spans["fingerprint"]).all()
    fid = spans.index[0]
    triage = tmp_path / "triage.csv"
    triage.write_text(f"finding_id,status,note,who,when,fingerprint\n{fid},confirmed,seen,li,2026-01-02,"
                      f"{now.loc[fid, 'fingerprint']}\n", encoding="utf-8")
    again = swept(DEMO, tmp_path / "c.csv", "--as-of", "2026-06-01", "--triage", str(triage))
    assert again.loc[fid, "triage_evidence"] == "unchanged", again.loc[fid].to_dict()
    ended = tmp_path / "ended"
    ended.mkdir()
    for path in DEMO.glob("*.csv"):
        (ended / path.name).write_bytes(path.read_bytes())
    roles = pd.read_csv(ended / "company_roles.csv", dtype=str, keep_default_na=False)
    held = roles[(roles.holder_id == spans.loc[fid, holder]) & (roles.org_id == spans.loc[fid, "org_id"])]
    roles.loc[held.index, "end_date"] = "2026-03-01"
    roles.to_csv(ended / "company_roles.csv", index=False)
    closed = swept(ended, tmp_path / "d.csv", "--as-of", "2026-06-01", "--triage", str(triage))
    assert closed.loc[fid, "last_date"] == "2026-03-01"
    assert closed.loc[fid, "fingerprint"] != now.loc[fid, "fingerprint"]
    assert closed.loc[fid, "triage_evidence"] == "changed"


def test_a_finding_of_several_spans_one_of_them_open_keeps_its_fingerprint_as_the_date_moves(tmp_path):
    """One role overlapping two posts, the first ended and the second still held: one finding of two atoms, whose
    last date is the sweep's; its fingerprint stays when the sweep's date moves, and changes when the role ends."""
    files = {**MINIMAL,
             "company_roles.csv": "holder_id,org_id,role,share,start_date\nP1,C1,shareholder,0.6,2018-01-01\n",
             "positions.csv": "person_id,org_id,title,start_date,end_date\nP1,A1,局长,2015-01-01,2019-12-31\n"
                              "P1,A1,副市长,2020-01-01,\n"}
    rule = [catalog()["in-office-business"]]

    def swept(found, as_of):
        b = DuckDBBackend()
        b.load(load_dataset(found).tables)
        [f] = sweep(b, rule, {}, lang="en", as_of=as_of).findings
        b.close()
        return f

    held = write_dataset(tmp_path / "held", files)
    now, later = swept(held, "2026-01-01"), swept(held, "2026-06-01")
    assert (now["first_date"], now["last_date"], later["last_date"]) == ("2018-01-01", "2026-01-01", "2026-06-01")
    assert now["finding_id"] == later["finding_id"] and now["fingerprint"] == later["fingerprint"]
    ended = write_dataset(tmp_path / "ended", {**files, "company_roles.csv": files["company_roles.csv"].replace(
        "start_date\n", "start_date,end_date\n").replace("2018-01-01\n", "2018-01-01,2025-03-01\n")})
    closed = swept(ended, "2026-06-01")
    assert closed["last_date"] == "2025-03-01" and closed["fingerprint"] != now["fingerprint"]
