"""--mask means masked everywhere, and irreversibly: no value in a masked output (a finding id is a hash of the
finding's ids, which are often resident IDs) lets anyone test guesses of the hidden digits without a secret the
output does not contain; the same key gives the same ids in every run, so diff and triage work on masked files."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import stat

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from govties.cli.main import main
from govties.loaders.findings_file import read_findings
from govties.rules.catalog import catalog
from govties.rules.engine import finding_id

from conftest import MINIMAL, write_dataset

KEY = "a-test-key-that-is-long-enough-0123456789"


def resident_id(body17: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body17 + "10X98765432"[sum(int(d) * w for d, w in zip(body17, weights, strict=True)) % 11]


OFFICIAL = resident_id("33010219700615123")  # the official's person_id is a resident ID, as in many registries
FILES = {
    **MINIMAL,
    "people.csv": f"""
        person_id,name,id_number
        {OFFICIAL},王建国,{OFFICIAL}
        R2,李梅 13812345678,
        """,
    "relatives.csv": f"person_id,relative_id,relation\n{OFFICIAL},R2,spouse\n",
    "company_roles.csv": "holder_id,org_id,role,share,start_date\nR2,C1,shareholder,0.6,2018-01-01\n",
    "decision_makers.csv": f"decision_id,person_id,role\nD1,{OFFICIAL},approver\n",
}


@pytest.fixture
def data(tmp_path):
    return write_dataset(tmp_path / "data", FILES)


@pytest.fixture(autouse=True)
def config_home(tmp_path, monkeypatch):
    """No test touches the real config folder; the key comes from GOVTIES_MASK_KEY unless a test removes it."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("GOVTIES_MASK_KEY", KEY)


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def every_text(folder) -> str:
    """Everything written under `folder`, as text: CSV, JSON lines and HTML as they are, Excel cells and Parquet
    values read back."""
    parts = []
    for p in sorted(folder.rglob("*")):
        if p.suffix == ".xlsx":
            book = openpyxl.load_workbook(p)
            parts += [str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row]
        elif p.suffix == ".parquet":
            parts.append(pd.read_parquet(p).to_json(force_ascii=False))
        elif p.is_file():
            parts.append(p.read_text(encoding="utf-8-sig"))
    return "\n".join(parts)


def candidates(masked: str):
    """Every resident ID a masked one (330102********1234) may stand for, born 1950-2005: what an attacker tries."""
    region, tail = masked[:6], masked[-4:]  # the tail is the sequence number and the check digit
    day = dt.date(1950, 1, 1)
    while day.year < 2006:
        full = resident_id(f"{region}{day:%Y%m%d}{tail[:3]}")
        if full[-1] == tail[-1]:
            yield full
        day += dt.timedelta(days=1)


def test_a_masked_finding_id_cannot_be_reversed(data, tmp_path):
    plain, masked = tmp_path / "plain.csv", tmp_path / "masked.csv"
    assert run("sweep", data, "-o", plain, "-q", "--rules", "relative-business").exit_code == 0
    assert run("sweep", data, "-o", masked, "-q", "--rules", "relative-business", "--mask").exit_code == 0
    row = read_findings(masked).iloc[0]
    assert row.official_id == OFFICIAL[:6] + "********" + OFFICIAL[-4:]
    rule = catalog()["relative-business"]

    def attack(target_id: str) -> list[str]:
        found = []
        for guess in candidates(row.official_id):
            key = tuple(guess if g == "official_id" else row[g] or None for g in rule.group_by)
            if finding_id(rule.id, key) == target_id:
                found.append(guess)
        return found

    # the attack is real: against a plain file's id it finds the official's resident ID among ~20k guesses
    assert attack(read_findings(plain).iloc[0].finding_id) == [OFFICIAL]
    assert attack(row.finding_id) == []  # the masked file's id is keyed: no guess can be tested against it


def test_a_masked_fingerprint_is_keyed_too(data, tmp_path):
    """The evidence fingerprint hashes the evidence, in which the official's resident ID appears whole: plain, it
    would let anyone test guesses of the hidden digits as the finding id would. Masked outputs carry it keyed."""
    from govties.privacy import keyed_id

    plain, masked = tmp_path / "plain.csv", tmp_path / "masked.csv"
    assert run("sweep", data, "-o", plain, "-q", "--rules", "relative-business").exit_code == 0
    assert run("sweep", data, "-o", masked, "-q", "--rules", "relative-business", "--mask").exit_code == 0
    was, now = read_findings(plain).iloc[0], read_findings(masked).iloc[0]
    assert len(was.fingerprint) == 16 and now.fingerprint != was.fingerprint
    assert now.fingerprint == keyed_id(was.fingerprint, KEY.encode())


def demo_keyed_by_id(tmp_path):
    """A copy of the demo in which the official XP0003 is keyed by his resident ID, as many registries do."""
    from conftest import DEMO

    data = tmp_path / "demo"
    data.mkdir()
    for path in DEMO.glob("*.csv"):
        (data / path.name).write_text(re.sub(r"\bXP0003\b", OFFICIAL, path.read_text(encoding="utf-8")),
                                      encoding="utf-8")
    return data


def test_the_masked_id_a_masked_list_gives_is_taken_by_around_and_path(tmp_path):
    """The masked id `view --mask` lists for a name of two people is taken by --around and --path, when it stands
    for one id of the graph; one that two ids mask as is refused, saying so."""
    data, masked = demo_keyed_by_id(tmp_path), OFFICIAL[:6] + "********" + OFFICIAL[-4:]
    listed = run("view", data, "--path", "周国平", "XO0005", "-o", tmp_path / "p.html", "--mask")
    assert listed.exit_code == 2 and "give one of these ids with --path:" in listed.output
    assert f"\n  {masked}\tperson\t周国平\t" in listed.output and OFFICIAL not in listed.output
    for args in (("--around", masked), ("--path", masked, "XO0005")):
        res = run("view", data, *args, "-o", tmp_path / "v.html", "--mask", "-q")
        assert res.exit_code == 0, res.output
        page = (tmp_path / "v.html").read_text(encoding="utf-8")
        assert "周国平" in page and masked in page and OFFICIAL not in page
    twin = OFFICIAL[:6] + "19881231" + OFFICIAL[-4:]  # masks as the official's ID does
    with open(data / "people.csv", "a", encoding="utf-8") as people:
        people.write(f"{twin},周平,,,,\n")
    res = run("view", data, "--around", masked, "-o", tmp_path / "w.html", "--mask", "-q")
    assert res.exit_code == 2 and f"error: '{masked}' is how --mask shows 2 ids of the graph, which it cannot tell " \
        "apart: run the command without --mask to choose one of the ids it lists" in res.output, res.output
    assert OFFICIAL not in res.output and twin not in res.output


def test_a_masked_views_list_of_same_named_people_hides_ids_and_birth_dates(tmp_path):
    """`view --around NAME --mask` where two people share the name lists them masked: no resident ID, and no birth
    date (it gives back the digits a masked ID hides)."""
    data = demo_keyed_by_id(tmp_path)
    people = pd.read_csv(data / "people.csv", dtype=str)
    name, born = people.loc[people.person_id == OFFICIAL, ["name", "birth_date"]].iloc[0]
    assert (people.name == name).sum() == 2  # the demo's namesake
    plain = run("view", data, "--around", name, "-o", tmp_path / "a.html")
    assert plain.exit_code == 2 and OFFICIAL in plain.output and born in plain.output
    res = run("view", data, "--around", name, "-o", tmp_path / "a.html", "--mask")
    assert res.exit_code == 2 and "matches 2 entities" in res.output
    assert OFFICIAL not in res.output and OFFICIAL[:6] + "********" + OFFICIAL[-4:] in res.output
    assert born not in res.output and "born ****-**-**" in res.output
    assert not (tmp_path / "a.html").exists()


def test_masked_outputs_hold_no_resident_id_or_phone_in_any_format(tmp_path):
    data = write_dataset(tmp_path / f"case-{OFFICIAL}", FILES)  # a folder named after the person: in the about sheet
    out = tmp_path / "out"
    for suffix in ("csv", "jsonl", "xlsx", "parquet"):
        res = run("sweep", data, "-o", out / f"f.{suffix}", "--mask", "--resolution-out", out / "r.csv",
                  "--aggregate-out", out / "ranks.xlsx", "--index", out / "run.html")
        assert res.exit_code == 0, res.output
        assert OFFICIAL not in res.output and "13812345678" not in res.output
    res = run("sweep", data, "-o", out / "ranks-csv.csv", "-q", "--mask", "--aggregate-out", out / "ranks")
    assert res.exit_code == 0
    assert run("report", data, "--out", out / "report", "--mask", "--index", "-q").exit_code == 0
    assert run("view", data, "-o", out / "v.html", "--mask", "-q").exit_code == 0
    text = every_text(out)
    assert OFFICIAL[:6] + "********" + OFFICIAL[-4:] in text and "138****5678" in text
    assert OFFICIAL not in text and "13812345678" not in text
    assert OFFICIAL[6:14] not in text  # not even the birth date the mask hides
    plain_ids = set(read_findings(_plain(data, tmp_path)).finding_id)
    assert not any(fid in text for fid in plain_ids)  # ids that are hashes of personal data appear nowhere


def _plain(data, tmp_path):
    out = tmp_path / "plain.csv"
    assert run("sweep", data, "-o", out, "-q").exit_code == 0
    return out


def test_letter_prefixed_ids_are_masked_in_every_format_and_printed_line(tmp_path):
    files = {**FILES, "organizations.csv": f"""
        org_id,name,kind,region,industry
        A1,市住建局,agency,330100,
        C1,华兴建设有限公司（法人ID{OFFICIAL}）,company,330102,construction
        """}
    data = write_dataset(tmp_path / "d", files)
    out = tmp_path / "out"
    for suffix in ("csv", "jsonl", "xlsx", "parquet"):
        res = run("sweep", data, "-o", out / f"f.{suffix}", "-q", "--mask")
        assert res.exit_code == 0 and OFFICIAL not in res.output
    assert f"ID{OFFICIAL[:6]}********{OFFICIAL[-4:]}" in every_text(out) and OFFICIAL not in every_text(out)


def test_warnings_and_errors_are_printed_masked(tmp_path):
    wrong = OFFICIAL[:-1] + ("0" if OFFICIAL[-1] != "0" else "1")  # a wrong check digit: a warning quoting it
    files = {**FILES, "people.csv": f"person_id,name,id_number\n{OFFICIAL},王建国,{OFFICIAL}\nR2,李梅,{wrong}\n"}
    data = write_dataset(tmp_path / "d", files)
    res = run("sweep", data, "-o", tmp_path / "f.csv", "--mask", "--index", tmp_path / "run.html")
    assert res.exit_code == 0, res.output
    assert "invalid resident ID" in res.output and wrong not in res.output and OFFICIAL not in res.output
    assert wrong not in (tmp_path / "run.html").read_text(encoding="utf-8")
    bad = write_dataset(tmp_path / "bad", {**files, "decisions.csv": f"decision_id,kind,date,agency_id,"
                                           f"beneficiary_id\nD1,permit,2020-05-01,A1,{wrong}\n"})
    res = run("sweep", bad, "-o", tmp_path / "g.csv", "--mask")
    assert res.exit_code == 2 and wrong not in res.output and f"{wrong[:6]}********{wrong[-4:]}" in res.output


def test_view_around_a_resident_id_is_titled_masked(data, tmp_path):
    res = run("view", data, "--around", OFFICIAL, "-o", tmp_path / "v.html", "--mask", "-q")
    assert res.exit_code == 0, res.output
    page = (tmp_path / "v.html").read_text(encoding="utf-8")
    title = re.search(r"<title>(.*?)</title>", page).group(1)
    assert OFFICIAL not in title and OFFICIAL[6:14] not in title and OFFICIAL not in page
    assert "王建国" in title  # the view's subject still named (by the name, which is no identifier)


def test_a_long_name_asked_for_and_cut_short_shows_no_part_of_an_id_under_mask(data, tmp_path):
    """A 'not found' quotes what was typed by its first 40 characters: cut inside a resident ID, the rest no longer
    reads as one, and --mask printed 7 of its 8 birth-date digits. The cut keeps no digits it ends among."""
    typed = "a" * 30 + " " + OFFICIAL.replace("330102", "110105")  # an ID this graph does not have
    res = run("view", data, "--around", typed, "-o", tmp_path / "v.html", "--mask", "-q")
    assert res.exit_code == 2, res.output
    assert "a" * 30 + "…" in res.output and "1101" not in res.output, res.output


def test_keyed_ids_are_stable_under_one_key_and_diff_and_triage_work_on_them(data, tmp_path, monkeypatch):
    monkeypatch.delenv("GOVTIES_MASK_KEY")
    a, b = tmp_path / "a.csv", tmp_path / "b.jsonl"
    assert run("sweep", data, "-o", a, "-q", "--mask").exit_code == 0
    key = tmp_path / "config" / "govties" / "mask.key"
    assert stat.S_IMODE(os.stat(key).st_mode) == 0o600 and len(key.read_text().strip()) == 64
    assert run("sweep", data, "-o", b, "-q", "--mask").exit_code == 0
    ids = read_findings(a).finding_id.tolist()
    assert ids == read_findings(b).finding_id.tolist()
    res = run("diff", a, b)
    assert res.exit_code == 0 and "new 0, reopened 0, changed 0, resolved 0, dismissed 0" in res.output
    triage = tmp_path / "t.csv"
    triage.write_text(f"finding_id,status,note\n{ids[0]},dismissed,checked\n", encoding="utf-8")
    res = run("sweep", data, "-o", tmp_path / "c.csv", "-q", "--mask", "--triage", triage)
    assert res.exit_code == 0 and read_findings(tmp_path / "c.csv").triage_status.tolist() == ["dismissed"]
    key.unlink()  # another key: other ids
    assert run("sweep", data, "-o", a, "-q", "--mask").exit_code == 0
    assert read_findings(a).finding_id.tolist() != ids
    monkeypatch.setenv("GOVTIES_MASK_KEY", "short")
    res = run("sweep", data, "-o", a, "-q", "--mask")
    assert res.exit_code == 2 and "GOVTIES_MASK_KEY is too short" in res.output


@pytest.mark.parametrize("command", [
    ["sweep", "DATA", "-o", "OUT/f.csv"], ["resolve", "DATA"], ["view", "DATA", "-o", "OUT/v.html"],
    ["report", "DATA", "-o", "OUT/r"], ["serve", "--store", "OUT/none.duckdb"],
    ["triage", "export", "--store", "OUT/none.duckdb", "-o", "OUT/t.csv"],
])
def test_a_mask_key_that_cannot_serve_is_said_before_any_data_is_read(tmp_path, monkeypatch, command):
    """Every command that takes --mask checks the key first: the dataset here is refused when read (and the store
    does not exist), yet the one line is the key's, and nothing is written."""
    bad = write_dataset(tmp_path / "data", {**FILES, "decisions.csv": "decision_id,kind,date\nD1,permit,someday\n"})
    args = [a.replace("DATA", str(bad)).replace("OUT", str(tmp_path / "out")) for a in command]
    monkeypatch.setenv("GOVTIES_MASK_KEY", "short")
    res = run(*args, "--mask")
    assert res.exit_code == 2, res.output
    assert res.output.strip().splitlines() == [
        "error: GOVTIES_MASK_KEY is too short to be a secret: give at least 16 characters (e.g. `python -c 'import "
        "secrets; print(secrets.token_hex(32))'`)"]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("name", ["x.gexf", "x.GraphML"])
def test_gexf_and_graphml_carry_the_data_as_it_is_so_a_masked_view_refuses_them_before_any_work(tmp_path, name):
    bad = write_dataset(tmp_path / "data", {**FILES, "decisions.csv": "decision_id,kind,date\nD1,permit,someday\n"})
    res = run("view", bad, "--mask", "-o", tmp_path / "out" / name)
    assert res.exit_code == 2
    assert res.output.strip().splitlines() == [
        "error: --mask applies to HTML views; GEXF and GraphML carry the data as it is; fix: name the output .html, "
        "or leave --mask out"]
    assert not (tmp_path / "out").exists()


def test_a_plain_triage_file_still_applies_to_a_masked_sweep(data, tmp_path):
    fid = read_findings(_plain(data, tmp_path)).finding_id[0]
    triage = tmp_path / "t.csv"
    triage.write_text(f"finding_id,status\n{fid},confirmed\n", encoding="utf-8")
    assert run("sweep", data, "-o", tmp_path / "m.jsonl", "-q", "--mask", "--triage", triage).exit_code == 0
    row = json.loads((tmp_path / "m.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert row["triage_status"] == "confirmed" and row["finding_id"] != fid


def test_triage_rows_that_match_no_finding_are_said(data, tmp_path):
    """A triage file keyed under another mask key (or naming findings gone since) applies to nothing: the sweep says
    how many rows were not applied, and lists their ids unless the run is masked (then keyed ids only, and none of
    those is a finding's here)."""
    plain = read_findings(_plain(data, tmp_path)).finding_id.tolist()
    triage = tmp_path / "t.csv"
    triage.write_text(f"finding_id,status\n{plain[0]},confirmed\nffffffffffffffff,dismissed\n", encoding="utf-8")
    res = run("sweep", data, "-o", tmp_path / "a.csv", "-q", "--triage", triage, "--lang", "en")
    assert res.exit_code == 0
    assert ("note: 1 row of the triage file matched no finding of this sweep, so not applied (an id from another "
            "sweep or another mask key, or a finding no longer found): ffffffffffffffff") in res.output
    assert read_findings(tmp_path / "a.csv").triage_status.tolist()[0] == "confirmed"
    res = run("sweep", data, "-o", tmp_path / "b.csv", "-q", "--triage", triage, "--lang", "en", "--mask")
    assert res.exit_code == 0 and "note: 1 row of the triage file matched no finding" in res.output
    assert "ffffffffffffffff" not in res.output and plain[0] not in res.output
    triage.write_text(f"finding_id,status\n{plain[0]},confirmed\n", encoding="utf-8")
    res = run("sweep", data, "-o", tmp_path / "c.csv", "-q", "--triage", triage, "--lang", "en")
    assert res.exit_code == 0 and "triage: open" in res.output
    assert "matched no finding" not in res.output  # its one row applies
