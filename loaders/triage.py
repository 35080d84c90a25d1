"""Triage files: an investigator's decisions on findings (finding id -> open | in_review | confirmed | dismissed,
note, who, when — a date, or a date and time; optionally the assignee and the fingerprint of the evidence the
decision was made on), honoured by later sweeps and diffs, and exported and imported by the workbench."""

from __future__ import annotations

from collections.abc import Callable, Collection
from pathlib import Path

import pandas as pd

from ..cells import restore
from ..graph.vocabulary import TRIAGE_STATUS, fold_word
from .problems import DataError, Problem, Problems, Zh
from .read import read_csv
from .values import moment_problem, parse_moment, vocabulary_expected

STATUSES = TRIAGE_STATUS.ids
COLUMNS = ("finding_id", "status", "note", "who", "when", "assignee", "fingerprint")
_WORDS = TRIAGE_STATUS.words()
NOT_READ = "the triage file was not read"  # what a refused triage file's last line says was done with it
# Each problem's English and Chinese are declared together (the workbench shows the Chinese on its Chinese page).


def not_recorded(file: str, line: int | None, fid: str, col_no: int | None = None) -> Problem:
    """The problem of a row whose finding id names no recorded finding."""
    return Problem(file, line, "finding_id", "is not a recorded finding", fid,
                   "check the id against the findings inbox (a sweep records them)", col_no,
                   zh=Zh("不是已记录的线索编号", "请对照线索列表核对编号（线索由扫描记录）"))


def masked_number(file: str, line: int | None, column: str, value: str, col_no: int | None = None) -> Problem:
    """The problem of a row of a masked file whose note or assignee holds a masked number that is not the stored
    one (a number typed as a masked page or file shows it): stored, it would record the mask."""
    return Problem(file, line, column, "holds a number as a masked file shows it, which is not the stored one: "
                   "stored, only the mask would be recorded", value,
                   "type the number in full, or remove it", col_no,
                   zh=Zh("含有脱敏显示的号码，且不是已存的号码：照此导入将只记下脱敏后的号码",
                         "请填写完整号码，或删去它"))


def not_shown(file: str, line: int | None, fid: str, col_no: int | None = None) -> Problem:
    """The problem of a row, uploaded to a masked workbench, whose finding id is none the workbench shows: it takes
    finding ids as it shows them, keyed, and `fid` is the file's id as it quotes it (masking.FindingKeys.uploaded)."""
    return Problem(file, line, "finding_id", "is not a finding id as this workbench shows them", fid,
                   "this workbench takes finding ids as it shows them (keyed ids, as its triage download writes "
                   "them); check the id against the findings inbox", col_no,
                   zh=Zh("不是本工作台显示的线索编号",
                         "本工作台只接受它显示的线索编号（脱敏后的编号，与其下载的核查记录文件中的一致）；请对照线索列表核对编号"))


def shown_time(at: str | None) -> str:
    """A recorded time (ISO text in UTC, as the workspace records changes) as people read it and as a triage
    file's `when` holds it: its date and minutes, 2026-12-01 18:18 UTC; a date, or other text, as it is."""
    text = str(at or "")
    return (text[:16].replace("T", " ") + " UTC") if "T" in text else text


def read_triage_file(path: str | Path, unrecorded: Callable[[list[str]], Collection[str]] | None = None,
                     given: Callable[[list[str]], list[str]] | None = None,
                     unknown: Callable[[str, int | None, str, int | None], Problem] = not_recorded) -> pd.DataFrame:
    """A triage file, checked whole: every bad row is a problem with its line, and with `unrecorded` (the ids,
    of those given, that name no recorded finding) so is every row naming no finding, in the same report, as
    `unknown` says it (not_recorded; a masked workbench's not_shown). `given`: the finding ids as the reader takes
    them (keyed ids as the plain ids they key), before any check, so that a problem names an id as taken. `when`
    comes back in one form, YYYY-MM-DD or YYYY-MM-DDTHH:MM (UTC) (whatever date form the file wrote), or empty. An
    optional column the file does not have (note, who, when, assignee, fingerprint) comes back as None in every
    row, told apart from an empty cell (""): not given, so that an import leaves the stored value as it is."""
    problems = Problems()
    raw = read_csv(Path(path), problems)
    if raw is None:
        raise DataError(problems.errors, NOT_READ)
    name = Path(path).name
    header = [h.strip().lstrip("\ufeff") for h in raw.header]
    for col in ("finding_id", "status"):
        if col not in header:
            problems.add(name, 1, col, f"the required column {col!r} is missing",
                         fix="a triage file has the columns finding_id and status, and may have note, assignee, "
                             "who, when and fingerprint (a column it does not have leaves what is stored)",
                         zh=Zh(f"缺少必需的列“{col}”", "核查记录文件须有 finding_id、status 两列，可有 note、assignee、"
                               "who、when、fingerprint（文件没有的列，已存的内容不变），表头须用这些英文列名"))
    for col in COLUMNS:
        if header.count(col) > 1:
            problems.add(name, 1, col, f"the column {col!r} appears {header.count(col)} times",
                         fix="keep one column of each name",
                         zh=Zh(f"列“{col}”出现了{header.count(col)}次", "同名的列只保留一列"))
    if problems.errors:
        raise DataError(problems.errors, NOT_READ)
    frame = raw.frame.rename(columns=dict(zip(raw.frame.columns, header, strict=True))).fillna("")
    for col in COLUMNS:
        if col not in frame.columns:
            frame[col] = None  # a column the file does not have gives no value: an import keeps what is stored
    # a cell the CSV writer neutralised (a leading apostrophe before =, +, -, @) is read as it was written
    frame = frame[list(COLUMNS)].astype(object).map(restore)
    if given is not None:
        frame["finding_id"] = given([str(fid) for fid in frame["finding_id"]])
    for i, row in enumerate(frame.itertuples(index=False)):
        line = raw.line(i)
        when = str(row.when or "")  # every cell is text (read as text, blanks filled with ""), or None
        if not str(row.finding_id).strip():
            problems.add(name, line, "finding_id", "a finding id is required", fix="copy it from the findings table",
                         col_no=header.index("finding_id") + 1, zh=Zh("缺少线索编号", "从线索列表中复制编号"))
        if fold_word(str(row.status)) not in _WORDS:
            problems.add(name, line, "status", vocabulary_expected(TRIAGE_STATUS.name), row.status,
                         "write one of these words", header.index("status") + 1,
                         zh=Zh(vocabulary_expected(TRIAGE_STATUS.name, "zh"), "填写其中一个词"))
        if when.strip() and parse_moment(when) is None:
            problems.add(name, line, "when", moment_problem(when), when,
                         "write the date as YYYY-MM-DD (and a time, if any, as HH:MM after it)",
                         header.index("when") + 1 if "when" in header else None,
                         zh=Zh(moment_problem(when, "zh"), "日期写作 YYYY-MM-DD（如有时间，在其后写 HH:MM）"))
    if unrecorded is not None:
        named = [str(fid) for fid in frame["finding_id"] if str(fid).strip()]
        none = set(unrecorded(list(dict.fromkeys(named))))
        for i, fid in enumerate(frame["finding_id"]):
            if str(fid) in none:
                problems.items.append(unknown(name, raw.line(i), str(fid), header.index("finding_id") + 1))
    dup = frame["finding_id"].duplicated(keep="last")
    if dup.any():
        problems.warn(name, None, "finding_id", f"{int(dup.sum())} finding id(s) appear more than once; the last "
                      "row of each counts", zh=Zh(f"{int(dup.sum())}个线索编号重复出现；每个编号以最后一行为准"))
    if problems.errors:
        raise DataError(problems.errors, NOT_READ)
    frame["status"] = frame["status"].map(lambda v: _WORDS[fold_word(v)])
    # one form, whatever form each row wrote: YYYY-MM-DD, or YYYY-MM-DDTHH:MM[:SS] (sortable, a date cell in Excel)
    frame["when"] = frame["when"].map(lambda v: parse_moment(v) if v and v.strip() else v)
    frame["line"] = [raw.line(i) for i in range(len(frame))]
    out = frame.drop_duplicates("finding_id", keep="last").set_index("finding_id")
    out.attrs["col_no"] = {col: header.index(col) + 1 for col in COLUMNS if col in header}  # where a problem is
    return out


__all__ = ["NOT_READ", "STATUSES", "not_recorded", "not_shown", "read_triage_file", "shown_time"]
