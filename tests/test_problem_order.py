"""A broken row of a file others refer to is the problem to fix: it is told first, and the references it breaks are
folded into one line per referring column that names it, not a line each burying it (a new user's trial of the
demo: one extra field in people.csv gave 54 reference lines before the one that said why)."""

from __future__ import annotations

import shutil

import pandas as pd
from click.testing import CliRunner

from govties.cli.main import main

from conftest import DEMO, ended


def _validate(folder) -> list[str]:
    """The error lines of `validate`, then its summary line (the warnings told with them left out)."""
    res = CliRunner().invoke(main, ["validate", str(folder)])
    ended(res, 2)
    return [line for line in res.output.strip().splitlines() if not line.startswith("warning: ")]


def _copy(tmp_path, name: str):
    folder = tmp_path / name
    shutil.copytree(DEMO, folder)
    return folder


def _person_refs(folder, person_id: str) -> int:
    """Rows of the demo's files that name `person_id` in a column that refers to people."""
    columns = {"positions.csv": ["person_id"], "relatives.csv": ["person_id", "relative_id"],
               "decision_makers.csv": ["person_id"], "declarations.csv": ["person_id", "relative_id"],
               "company_roles.csv": ["holder_id"], "decisions.csv": ["beneficiary_id"]}
    n = 0
    for file, cols in columns.items():
        frame = pd.read_csv(folder / file, dtype=str, keep_default_na=False)
        n += sum(int((frame[c] == person_id).sum()) for c in cols if c in frame)
    return n


def _extra_field(folder) -> str:
    """people.csv's line 3 given an extra field; the id it held."""
    lines = (folder / "people.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    lost = lines[2].split(",")[0].strip('"')
    lines[2] = lines[2].rstrip("\r\n") + ',"extra"\n'
    (folder / "people.csv").write_text("".join(lines), encoding="utf-8")
    return lost


def _extra_field_and_typo(folder) -> None:
    """_extra_field, and positions.csv's first row naming P9999, an id no row holds."""
    _extra_field(folder)
    positions = pd.read_csv(folder / "positions.csv", dtype=str, keep_default_na=False)
    positions.loc[0, "person_id"] = "P9999"
    positions.to_csv(folder / "positions.csv", index=False)


def test_a_row_with_an_extra_field_is_told_first_and_the_references_it_breaks_in_a_line_per_column(tmp_path):
    folder = _copy(tmp_path, "extra")
    lost = _extra_field(folder)
    out = _validate(folder)
    assert out[0] == ("people.csv, line 3: has 7 fields but the header has 6; fix: check for a missing or extra "
                      "delimiter, or an unquoted comma")
    folded = out[1:-1]
    assert folded and all("1 row of people.csv could not be read" in line for line in folded)
    assert all(f"(found '{lost}')" in line and "fix: correct people.csv first" in line for line in folded)
    # one line per referring column, which counts every row it folds
    places = [line.split(": ")[0] for line in folded]
    assert len(set(places)) == len(places)
    counted = sum(int(line.split("this row and ")[1].split(" more")[0]) + 1 if "this row and " in line else 1
                  for line in folded)
    assert counted == _person_refs(folder, lost)
    assert out[-1] == f"{len(out) - 1} problems; nothing was loaded. Fix them and run again."


def test_a_reference_no_lost_row_can_hold_is_told_on_its_own_line(tmp_path):
    """Only the references a row that could not be read may hold are folded: a typo elsewhere is told as ever."""
    folder = _copy(tmp_path, "typo")
    _extra_field_and_typo(folder)
    out = _validate(folder)
    typo = [line for line in out if "(found 'P9999')" in line]
    assert typo == ["positions.csv, line 2, column 1 (person_id): refers to an id that people.csv does not define "
                    "(found 'P9999'); fix: add the id to people.csv, or correct the reference"]


def test_past_the_rows_whose_values_are_kept_every_reference_is_folded(tmp_path, monkeypatch):
    """The values of at most KEPT_LOST rows that could not be read are kept (a file of them all would hold every
    value twice); past that, which ids they hold is unknown, and every reference they may break is folded."""
    from govties.loaders import read

    monkeypatch.setattr(read, "KEPT_LOST", 0)
    folder = _copy(tmp_path, "many-lost")
    _extra_field_and_typo(folder)
    out = _validate(folder)
    [typo] = [line for line in out if line.startswith("positions.csv")]
    assert typo.startswith("positions.csv, line 2, column 1 (person_id): this row and ") and "(found 'P9999')" in typo


def test_a_quote_that_swallows_rows_counts_every_line_lost(tmp_path):
    folder = _copy(tmp_path, "swallow")
    people = pd.read_csv(folder / "people.csv", dtype=str, keep_default_na=False)
    text = people.to_csv(index=False)  # quoted only where a value needs it
    lines = text.splitlines(keepends=True)
    name = people.loc[1, "name"]
    lines[2] = lines[2].replace(name, '"' + name, 1)  # opened on line 3 ...
    lines[7] = lines[7].replace(people.loc[6, "name"], people.loc[6, "name"] + '"', 1)  # ... closed on line 8
    (folder / "people.csv").write_text("".join(lines), encoding="utf-8")
    out = _validate(folder)
    assert out[0].startswith("people.csv, line 3: ")
    assert "a quote opened on this line runs to line 8, and the rows on those lines were read into one value" in out[0]
    assert all("6 rows of people.csv could not be read" in line for line in out[1:-1] if "people.csv does" in line)


def test_a_closed_value_over_two_lines_with_an_extra_field_is_no_open_quote(tmp_path):
    folder = _copy(tmp_path, "closed")
    people = pd.read_csv(folder / "people.csv", dtype=str, keep_default_na=False)
    lines = people.to_csv(index=False).splitlines(keepends=True)
    name = people.loc[1, "name"]
    lines[2] = lines[2].replace(name, f'"{name}\n（曾用名）"', 1).rstrip("\n") + ",extra\n"
    (folder / "people.csv").write_text("".join(lines), encoding="utf-8")
    out = _validate(folder)
    assert out[0] == (f"people.csv, line 3: has {len(people.columns) + 1} fields but the header has "
                      f"{len(people.columns)}; fix: check for a missing or extra delimiter, or an unquoted comma")


def test_a_people_file_with_only_its_header_is_named_in_each_folded_line(tmp_path):
    folder = _copy(tmp_path, "header")
    header = (folder / "people.csv").read_text(encoding="utf-8").splitlines()[0]
    (folder / "people.csv").write_text(header + "\n", encoding="utf-8")
    out = _validate(folder)
    assert len(out) < 20  # a line per referring column (a line per row gave 580 problems)
    assert all("people.csv has a header but no rows" in line and "fix: fill people.csv" in line for line in out[:-1])


def test_a_quote_left_open_is_named_with_the_lines_it_swallowed(tmp_path):
    folder = _copy(tmp_path, "quote")
    lines = (folder / "people.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[4].rstrip("\r\n").endswith('"')
    lines[4] = lines[4].rstrip("\r\n")[:-1] + "\n"  # the last value's closing quote removed
    (folder / "people.csv").write_text("".join(lines), encoding="utf-8")
    out = _validate(folder)
    assert out[0].startswith("people.csv, line 5: has ")
    assert "a quote opened on this line runs to line 6, and the rows on those lines were read into one value" in out[0]
    assert out[0].endswith('fix: close the quote ("), or remove the stray one')


def test_a_columns_count_of_rows_not_shown_comes_after_the_rows_it_counts(tmp_path):
    folder = _copy(tmp_path, "many")
    roles = pd.read_csv(folder / "company_roles.csv", dtype=str, keep_default_na=False)
    roles["role"] = "boss"  # not a role of the contract: every row is refused
    roles.to_csv(folder / "company_roles.csv", index=False)
    out = _validate(folder)
    role = [i for i, line in enumerate(out) if "(role)" in line]
    rest = [i for i in role if "more rows" in out[i]]
    assert len(rest) == 1 and rest[0] == role[-1] and len(role) > 2
    assert out[rest[0]].startswith(f"company_roles.csv, column 3 (role): {len(roles) - (len(role) - 1)} more rows ")


def test_a_refused_sweep_lists_the_first_problems_and_validate_lists_them_all(tmp_path):
    """A dataset of 30 problems: `sweep` (as load, report and view) prints the first DataError.SHOWN and says how
    many more and where they are listed; `validate` lists every one (it printed the same 200 as the others)."""
    folder = _copy(tmp_path, "dates")
    decisions = pd.read_csv(folder / "decisions.csv", dtype=str, keep_default_na=False)
    decisions.loc[:29, "date"] = "2021-13-45"
    decisions.to_csv(folder / "decisions.csv", index=False)
    said = "decisions.csv, line {}, column 3 (date): not a date: there is no month 13"
    every = _validate(folder)
    assert [line.split(" (months")[0] for line in every[:-1]] == [said.format(n) for n in range(2, 32)]
    assert every[-1] == "30 problems; nothing was loaded. Fix them and run again."
    res = CliRunner().invoke(main, ["sweep", str(folder), "-o", str(tmp_path / "f.csv"), "-q"])
    ended(res, 2)
    told = [line for line in res.output.strip().splitlines() if not line.startswith("warning: ")]
    assert [line.split(" (months")[0] for line in told[:20]] == [said.format(n) for n in range(2, 22)]
    assert told[20:] == ["... and 10 more problems (`govties validate`, given the same input options, lists every one)",
                         "30 problems; nothing was loaded. Fix them and run again."]
    assert not (tmp_path / "f.csv").exists()
    # an append is checked against the stored graph, which validate does not read: no word of validate then
    store = tmp_path / "g.duckdb"
    ended(CliRunner().invoke(main, ["load", str(DEMO), "--store", str(store), "-q"]), 0)
    more = tmp_path / "more"
    more.mkdir()
    (more / "decisions.csv").write_text("decision_id,kind,date,agency_id,beneficiary_id\n" + "".join(
        f"ND{i},permit,2021-13-45,XO0001,XO0005\n" for i in range(30)), encoding="utf-8")
    res = CliRunner().invoke(main, ["load", str(more), "--store", str(store), "--append", "-q"])
    ended(res, 2)
    told = [line for line in res.output.strip().splitlines() if not line.startswith("warning: ")]
    assert told[20:] == ["... and 10 more problems", "30 problems; nothing was appended. Fix them and run again."]
