"""Inputs that exhaust memory or time, run through the real command in a bounded child process (4 GB of address
space, a time limit): each gives one line and exit status 2 (or loads, with a warning), quickly and within the
memory, instead of a MemoryError, an abort or a hang."""

from __future__ import annotations

import os
import zipfile

import openpyxl
import pytest

from cli_process import problem_lines, run_cli
from conftest import MINIMAL, write_dataset

TIMEOUT = 60


def _book(path, sheets: dict[str, str] | None = None):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, text in (sheets or {n[:-4]: t for n, t in MINIMAL.items()}).items():
        ws = book.create_sheet(name)
        for line in text.strip().splitlines():
            ws.append([c.strip() for c in line.split(",")])
    book.save(path)
    return path


def _rewrite(src, dst, part: str, edit) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            zout.writestr(info.filename, edit(data) if info.filename == part else data)


def _sheet_part(path, title: str) -> str:
    book = openpyxl.load_workbook(path, read_only=True)
    index = book.sheetnames.index(title)
    book.close()
    return f"xl/worksheets/sheet{index + 1}.xml"


def test_a_sheet_declaring_the_whole_grid_with_one_far_cell_costs_one_cell(tmp_path):
    good = _book(tmp_path / "good.xlsx")
    bomb = tmp_path / "grid.xlsx"
    far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    _rewrite(good, bomb, _sheet_part(good, "people"),
             lambda d: d.replace(b'<dimension ref="A1:C3"', b'<dimension ref="A1:XFD1048576"')
             .replace(b"</sheetData>", far))
    assert bomb.stat().st_size < 10_000
    res = run_cli("validate", bomb, timeout=TIMEOUT)
    assert res.returncode == 0, res.stderr[-2000:]
    assert ("warning: grid.xlsx[people], line 1048576: 1 row(s) have values to the right of the header's last "
            "column (C); those cells are not read; fix: give those columns a header, or delete the stray cells"
            ) in res.stdout.splitlines()


def test_many_rows_of_far_cells_are_not_widened(tmp_path):
    good = _book(tmp_path / "good.xlsx")
    wide = tmp_path / "wide.xlsx"
    rows = b"".join(b'<row r="%d"><c r="XFD%d"><v>1</v></c></row>' % (n, n) for n in range(10, 200_010))
    _rewrite(good, wide, _sheet_part(good, "relatives"), lambda d: d.replace(b"</sheetData>", rows + b"</sheetData>"))
    res = run_cli("validate", wide, timeout=TIMEOUT)
    assert res.returncode == 0, res.stderr[-2000:]
    assert "warning: wide.xlsx[relatives], line 10: 200000 row(s) have values to the right of the header's last " \
           "column (C)" in res.stdout


def test_a_workbook_inflating_beyond_the_limit_is_refused_before_it_is_read(tmp_path):
    good = _book(tmp_path / "good.xlsx")
    big = tmp_path / "big.xlsx"
    filler = b'<row r="%d"><c r="Z%d" t="inlineStr"><is><t>' + b"x" * 1000 + b"</t></is></c></row>"
    rows = b"".join(filler % (n, n) for n in range(10, 3010))  # ~3 MB of XML in a few KB
    _rewrite(good, big, _sheet_part(good, "decisions"), lambda d: d.replace(b"</sheetData>", rows + b"</sheetData>"))
    res = run_cli("validate", big, timeout=TIMEOUT, env={**os.environ, "GOVTIES_XLSX_MAX_MB": "1"})
    assert res.returncode == 2
    assert problem_lines(res.stderr) == [
        "big.xlsx: would inflate to 3 MB, over the 1 MB govties reads from a workbook; fix: split the workbook, save "
        "its sheets as CSV files, or raise the limit with GOVTIES_XLSX_MAX_MB=MB"]
    assert run_cli("validate", big, timeout=TIMEOUT).returncode == 0  # under the default limit it is data


def test_the_zip_directory_is_checked_not_trusted_to_be_small(tmp_path):
    """A directory declaring a 4 GB part is refused from the directory alone; one declaring less than the part
    holds cannot make more be read (zipfile stops at the declared size and the CRC fails): damaged."""
    good = _book(tmp_path / "good.xlsx")
    data = bytearray(good.read_bytes())
    with zipfile.ZipFile(good) as z:
        info = z.getinfo(_sheet_part(good, "people"))
    at = data.find(info.filename.encode(), data.find(b"PK\x01\x02"))  # the part's central directory entry
    entry = at - 46
    assert data[entry:entry + 4] == b"PK\x01\x02"
    forged = bytearray(data)
    forged[entry + 24:entry + 28] = ((4 << 30) - 1).to_bytes(4, "little")  # uncompressed size: 4 GB
    (tmp_path / "forged.xlsx").write_bytes(bytes(forged))
    res = run_cli("validate", tmp_path / "forged.xlsx", timeout=TIMEOUT)
    assert res.returncode == 2
    assert problem_lines(res.stderr)[0].startswith("forged.xlsx: would inflate to 4,096 MB, over the 1,024 MB")


def test_a_yaml_alias_bomb_in_a_mapping_is_refused_at_once(tmp_path, minimal_dataset):
    levels = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        levels.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 10) + "]")
    mapping = tmp_path / "bomb.yaml"
    mapping.write_text("\n".join(levels) + "\nfiles: {people: {file: people.csv, values: {gender: {x: *i}}}}\n",
                       encoding="utf-8")
    assert mapping.stat().st_size < 1200
    res = run_cli("validate", minimal_dataset, "--mapping", mapping, timeout=TIMEOUT)
    assert res.returncode == 2
    assert problem_lines(res.stderr) == ["bomb.yaml: expands (through its aliases) to more than 100,000 values; fix: "
                                         "write the mapping out without YAML anchors and aliases (& and *)"]


def test_a_csv_header_of_a_million_columns_is_refused_before_the_parser(tmp_path):
    folder = write_dataset(tmp_path / "d", MINIMAL)
    (folder / "people.csv").write_text(",".join(f"c{i}" for i in range(1_000_000)) + "\n", encoding="utf-8")
    res = run_cli("validate", folder, timeout=TIMEOUT)
    assert res.returncode == 2, res.stderr[-500:]
    assert problem_lines(res.stderr) == [
        "people.csv, line 1: has 1,000,000 columns in its header; govties reads at most 16,384 (Excel's limit); fix: "
        "check the delimiter and the header line: a contract file has a few dozen columns at most"]


@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
def test_what_is_not_a_regular_file_is_refused_wherever_a_file_is_read(tmp_path, kind):
    folder = write_dataset(tmp_path / "d", MINIMAL)

    def plant(path):
        path.unlink(missing_ok=True)
        if kind == "fifo":
            os.mkfifo(path)
        else:
            path.symlink_to("/dev/zero")
        return path

    what = "a named pipe (FIFO)" if kind == "fifo" else "a device"
    fix = "give a regular file (copy the data into a file first)"
    plant(folder / "relatives.csv")
    res = run_cli("validate", folder, timeout=TIMEOUT)
    assert res.returncode == 2 and problem_lines(res.stderr) == [f"relatives.csv: is {what}, not a regular file; "
                                                                 f"fix: {fix}"]
    folder = write_dataset(tmp_path / "ok", MINIMAL)
    res = run_cli("validate", plant(tmp_path / "book.xlsx"), timeout=TIMEOUT)
    assert res.returncode == 2 and problem_lines(res.stderr) == [f"book.xlsx: is {what}, not a regular file; fix: "
                                                                 "give a regular file"]
    res = run_cli("validate", folder, "--mapping", plant(tmp_path / "m.yaml"), timeout=TIMEOUT)
    assert res.returncode == 2 and problem_lines(res.stderr) == [f"m.yaml: is {what}, not a regular file; fix: {fix}"]
    res = run_cli("sweep", folder, "-o", tmp_path / "f.csv", "-c", plant(tmp_path / "c.toml"), timeout=TIMEOUT)
    assert res.returncode == 2 and len(res.stderr.strip().splitlines()) == 1
    assert res.stderr.startswith(f"error: the config file {tmp_path / 'c.toml'}") and f"is {what}, not a regular " \
        "file" in res.stderr
    res = run_cli("sweep", folder, "-o", tmp_path / "f.csv", "-q", "--triage", plant(tmp_path / "t.csv"),
                  timeout=TIMEOUT)
    assert res.returncode == 2 and problem_lines(res.stderr) == [f"t.csv: is {what}, not a regular file; fix: {fix}"]
