"""A report or a view drawn from a folder says the load's warnings as a sweep does: each on the command line, and
on the report page (the case file's copy) a note at the top whose link lands on the list at its end; the index
page has the same note. Under --mask, a resident ID a warning quotes is masked on the page."""

from __future__ import annotations

import html
import re

import pytest
from click.testing import CliRunner

from govties.cli.main import main

from conftest import MINIMAL, write_dataset

# line 3 repeats the header (two exports pasted into one file); P2's resident ID has a wrong check digit
PEOPLE = ("person_id,name,id_number\nP1,王建国,330102197001010013\nperson_id,name,id_number\n"
          "P2,李梅,330102197202020024\n")
PASTED = "people.csv, line 3: repeats the header row (two exports pasted into one file?): skipped"
ID = "people.csv, line 4, column 3 (id_number): invalid resident ID: the check digit is wrong"


@pytest.fixture
def data(tmp_path):
    return write_dataset(tmp_path / "d", {**MINIMAL, "people.csv": PEOPLE})


def _warning_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("warning: ")]


def test_report_tells_the_warnings_and_its_page_lists_them_under_a_note_that_links_there(tmp_path, data):
    res = CliRunner().invoke(main, ["report", str(data), "--out", str(tmp_path / "r"), "--lang", "en", "--index"])
    assert res.exit_code == 0, res.output
    told = _warning_lines(res.output)
    assert len(told) == 2 and told[0].startswith(f"warning: {PASTED}") and told[1].startswith(f"warning: {ID}")
    for name in ("report.html", "index.html"):
        page = (tmp_path / "r" / name).read_text(encoding="utf-8")
        note = re.search(r'<p class="note">The load gave 2 data warnings, listed at the end of this page: '
                         r'<a href="#warnings">Data warnings</a></p>', page)
        assert note, name
        listed = page.split('<h2 id="warnings">Data warnings</h2>')[1]  # where the link lands
        assert html.escape(PASTED) in listed and html.escape(ID) in listed, name
        assert page.index('href="#warnings"') < page.index('id="warnings"'), name


def test_a_report_under_mask_masks_the_id_a_warning_quotes(tmp_path, data, monkeypatch):
    monkeypatch.setenv("GOVTIES_MASK_KEY", "k" * 32)
    res = CliRunner().invoke(main, ["report", str(data), "--out", str(tmp_path / "r"), "--lang", "zh", "--mask"])
    assert res.exit_code == 0, res.output
    page = (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
    assert "本次载入有 2 条数据警告，列在本页末尾：" in page and "校验码不对" in page
    assert "330102197202020024" not in page and "330102197202020024" not in res.output


def test_a_report_without_warnings_has_no_note_and_no_list(tmp_path):
    data = write_dataset(tmp_path / "clean", MINIMAL)
    res = CliRunner().invoke(main, ["report", str(data), "--out", str(tmp_path / "r"), "--lang", "en"])
    assert res.exit_code == 0 and not _warning_lines(res.output), res.output
    page = (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
    assert 'id="warnings"' not in page and "data warning" not in page


def test_view_tells_the_warnings_of_the_folder_it_draws(tmp_path, data):
    res = CliRunner().invoke(main, ["view", str(data), "--around", "P1", "-o", str(tmp_path / "v.html"), "-q"])
    assert res.exit_code == 0, res.output
    told = _warning_lines(res.output)
    assert len(told) == 2 and told[0].startswith(f"warning: {PASTED}"), res.output
