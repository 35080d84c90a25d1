"""Corrupt, disguised and inconsistent workbooks: each is one exact problem line and exit status 2, never a
traceback, and never a workbook called valid with a sheet silently dropped."""

from __future__ import annotations

import zipfile

import openpyxl
import pytest
from click.testing import CliRunner

from govties.cli.main import main
from govties.loaders import values as V

from cli_process import problem_lines
from conftest import MINIMAL

SAVE = "fix: open it in Excel or WPS and save it again as .xlsx"
ENTITIES = "".join(f'<!ENTITY {n} "{("&" + p + ";") * 10}">' for p, n in zip("abcdefgh", "bcdefghi", strict=True))
BOMB = f'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">{ENTITIES}]>'


def _good(path, extra: dict[str, list[list]] | None = None):
    book = openpyxl.Workbook()
    book.remove(book.active)
    sheets = {n[:-4]: [[c.strip() for c in line.split(",")] for line in t.strip().splitlines()]
              for n, t in MINIMAL.items()}
    for name, rows in {**sheets, **(extra or {})}.items():
        ws = book.create_sheet(name)
        for row in rows:
            ws.append(row)
    book.save(path)
    return path


def _part(path, title: str) -> str:
    book = openpyxl.load_workbook(path, read_only=True)
    index = book.sheetnames.index(title)
    book.close()
    return f"xl/worksheets/sheet{index + 1}.xml"


def _edit(src, dst, part: str | None, edit, compression=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", compression) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == part:
                data = edit(data)
                if data is None:
                    continue
            zout.writestr(info.filename, data)
    return dst


def cut_sheet(tmp):
    good = _good(tmp / "good.xlsx")
    return _edit(good, tmp / "cut.xlsx", _part(good, "people"), lambda d: d[:len(d) // 2])


def crc_error(tmp):
    good = _good(tmp / "good.xlsx")
    path = _edit(good, tmp / "crc.xlsx", None, None, zipfile.ZIP_STORED)
    data = bytearray(path.read_bytes())
    at = data.find(b"<t>P1</t>")
    data[at + 4] = ord("9")  # stored: the bytes change, the recorded CRC does not
    path.write_bytes(bytes(data))
    return path


def bad_deflate(tmp):
    good = _good(tmp / "good.xlsx")
    data = bytearray(good.read_bytes())
    with zipfile.ZipFile(good) as z:
        info = z.getinfo(_part(good, "people"))
    at = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[at:at + 4] = b"\xff\xff\xff\xff"
    (tmp / "deflate.xlsx").write_bytes(bytes(data))
    return tmp / "deflate.xlsx"


def truncated(tmp):
    data = _good(tmp / "good.xlsx").read_bytes()
    (tmp / "truncated.xlsx").write_bytes(data[:len(data) // 2])
    return tmp / "truncated.xlsx"


def xls(tmp):
    (tmp / "old.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096)
    return tmp / "old.xlsx"


def encrypted(tmp):
    body = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 512
    (tmp / "locked.xlsx").write_bytes(body)
    return tmp / "locked.xlsx"


def csv_renamed(tmp):
    (tmp / "people.xlsx").write_text("person_id,name\nP1,王建国\n", encoding="utf-8")
    return tmp / "people.xlsx"


def empty(tmp):
    (tmp / "empty.xlsx").write_bytes(b"")
    return tmp / "empty.xlsx"


def entity_bomb(tmp):
    good = _good(tmp / "good.xlsx")
    return _edit(good, tmp / "bomb.xlsx", _part(good, "people"),
                 lambda d: BOMB.encode() + d.replace(b"<t>P1</t>", b"<t>&i;</t>", 1))


def external_entity(tmp):
    good = _good(tmp / "good.xlsx")
    head = b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    return _edit(good, tmp / "xxe.xlsx", _part(good, "people"), lambda d: head + d.replace(b"<t>P1</t>", b"<t>&x;</t>"))


def missing_part(tmp):
    good = _good(tmp / "good.xlsx")
    return _edit(good, tmp / "missing.xlsx", _part(good, "relatives"), lambda d: None)


def two_people_sheets(tmp):
    return _good(tmp / "two.xlsx", {"人员": [["person_id", "name"], ["P9", "张三"]]})


def row_beyond_excel(tmp):
    good = _good(tmp / "good.xlsx")
    return _edit(good, tmp / "rows.xlsx", _part(good, "relatives"),
                 lambda d: d.replace(b"</sheetData>",
                                     b'<row r="2000000"><c r="A2000000"><v>1</v></c></row></sheetData>'))


def column_beyond_excel(tmp):
    good = _good(tmp / "good.xlsx")
    return _edit(good, tmp / "cols.xlsx", _part(good, "relatives"),
                 lambda d: d.replace(b"</sheetData>", b'<row r="9"><c r="ZZZ9"><v>1</v></c></row></sheetData>'))


CORPUS = {
    cut_sheet: "cut.xlsx[people]: is damaged and cannot be read (ParseError: unclosed token: line 1, column 4",
    crc_error: "crc.xlsx: is not a readable Excel workbook (BadZipFile: Bad CRC-32 for file 'xl/worksheets/sheet1.xml')"
               f"; {SAVE}",
    bad_deflate: "deflate.xlsx: is not a readable Excel workbook (zlib: Error -3 while decompressing data: ",
    truncated: "truncated.xlsx: is not a complete .xlsx workbook: the zip is cut or damaged (BadZipFile: File is not "
               "a zip file); fix: copy or download it again, or open it in Excel or WPS and save it again as .xlsx",
    xls: f"old.xlsx: is an Excel 97-2003 (.xls) workbook, which govties does not read; {SAVE}",
    encrypted: "locked.xlsx: is an encrypted (password-protected) workbook; fix: remove the password in Excel or WPS "
               "(File > Info > Protect Workbook) and save again",
    csv_renamed: "people.xlsx: is text, not an Excel workbook (a CSV file renamed .xlsx?); fix: rename it to .csv and "
                 "put it in the dataset folder with the other CSV files",
    empty: "empty.xlsx: is empty, not an Excel workbook; fix: export the workbook again",
    entity_bomb: "bomb.xlsx[people]: is damaged and cannot be read (ParseError: limit on input amplification factor "
                 "(from DTD and entities) breached: line 1, column ",
    external_entity: "xxe.xlsx[people]: is damaged and cannot be read (ParseError: undefined entity &x;: line 1, "
                     "column ",
    missing_part: "missing.xlsx[relatives]: is listed in the workbook but its part xl/worksheets/sheet3.xml is missing:"
                  f" the workbook is damaged; {SAVE}",
    two_people_sheets: "two.xlsx[人员]: also fills people.csv, already filled by sheet people; fix: keep one sheet per "
                       "contract file, or map them apart in the mapping file",
    row_beyond_excel: "rows.xlsx[relatives], line 2000000: is damaged: row number 2000000 is outside Excel's 1 to "
                      f"1,048,576; {SAVE}",
    column_beyond_excel: "cols.xlsx[relatives], line 9: is damaged: a cell in column 18278 is beyond Excel's 16,384 "
                         f"columns; {SAVE}",
}


@pytest.mark.parametrize("make", list(CORPUS), ids=[f.__name__ for f in CORPUS])
def test_a_bad_workbook_is_one_exact_line_and_exit_2(tmp_path, make):
    path = make(tmp_path)
    res = CliRunner().invoke(main, ["validate", str(path)])
    assert isinstance(res.exception, SystemExit) and res.exit_code == 2, res.output
    problems = res.output.splitlines()
    assert len(problems) == 1 and problems[0].endswith(" (nothing was loaded)"), res.output
    assert problems[0].startswith(CORPUS[make]), problems[0]


def test_a_missing_part_of_a_sheet_no_contract_file_needs_is_a_warning(tmp_path):
    good = _good(tmp_path / "good.xlsx", {"说明": [["本表由系统导出"]]})
    path = _edit(good, tmp_path / "notes.xlsx", _part(good, "说明"), lambda d: None)
    res = CliRunner().invoke(main, ["validate", str(path)])
    assert res.exit_code == 0, res.output
    assert ("warning: notes.xlsx[说明]: is listed in the workbook but its part xl/worksheets/sheet7.xml is missing: "
            f"the workbook is damaged; {SAVE}") in res.output.splitlines()


def test_a_date_serial_beyond_any_date_is_a_cell_problem_not_a_python_warning(tmp_path):
    import datetime as dt

    good = _good(tmp_path / "good.xlsx")
    book = openpyxl.load_workbook(good)
    book["decisions"]["C2"] = dt.datetime(2020, 5, 1)
    book.save(good)
    path = _edit(good, tmp_path / "serial.xlsx", _part(good, "decisions"),
                 lambda d: d.replace(b"<v>43952</v>", b"<v>99999999999</v>"))
    res = CliRunner().invoke(main, ["validate", str(path)])
    assert res.exit_code == 2
    assert "UserWarning" not in res.output and "warn(" not in res.output
    assert [line for line in problem_lines(res.output) if not line.startswith("warning: ")] == [
        f"serial.xlsx[decisions], line 2, column 3 (date): expected {V.DATE_EXPECTED}, between 1900 and 2100 (found "
        "'#VALUE!'); fix: write the date as YYYY-MM-DD"]
