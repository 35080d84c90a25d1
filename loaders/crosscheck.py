"""Checks across files: unique ids, references to defined ids, organization kinds, date order, self-relations,
and ages that are implausible (warned about, never refused)."""

from __future__ import annotations

import datetime
from collections.abc import Collection, Mapping

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..graph.vocabulary import ORG_KIND, counted
from .headers import column_zh, file_zh
from .problems import MAX_PER_COLUMN, TOLD, Problem, Problems, Zh, more_rows
from .read import RawTable, line_array, line_number
from .validate import Checked, list_rows
from .resolve import births
from .vector import (concat_strings, first_seen, found_in, found_with, lookup, mask, not_found_in_each, positions,
                     strings)

POST_ORG_KINDS = ["agency", "village"]
_KIND_FIX_ZH = "改正 org_id，或在 organizations.csv 中改正该单位的类型（kind）"
#: Where a company role may be: any organization but where posts are (the contract's company_roles.csv org_id).
ROLE_ORG_KINDS = [k for k in ORG_KIND.ids if k not in POST_ORG_KINDS]
ID_FILES = {"people.csv": "person_id", "organizations.csv": "org_id", "decisions.csv": "decision_id"}


def _emit(problems: Problems, checked: Checked, column: str, bad, message: str, fix: str, zh: Zh,
          level: str = "error") -> None:
    list_rows(problems, checked.file, checked.lines, checked.label(column), checked.col_no.get(column), positions(bad),
              checked.column(column), message, fix, zh, level)


def _named(checked: Checked, column: str) -> str:
    """A column of a checked file as a Chinese message names it (org_id（单位编号）)."""
    return column_zh(checked.spec.name, column)


def _files_zh(targets: tuple[str, ...]) -> str:
    return "或 ".join(file_zh(t) for t in targets)


def check_ids(files: dict[str, Checked], problems: Problems, known=None) -> dict[str, pa.Array]:
    """Unique ids within and across people, organizations and decisions (and, when appending, the stored
    graph's); returns file -> its ids, stored ones included."""
    owner: dict[str, pa.Array] = {}
    stored = {f: strings(sorted(known.ids_for(f))) for f in ID_FILES} if known else {}
    seen = list(stored.values())
    for file, col in ID_FILES.items():
        checked = files.get(file)
        if checked is None:
            continue
        ids = checked.column(col)
        repeats = first_seen(ids)
        if repeats.any():
            repeats = _drop_whole_repeats(problems, checked, col, repeats)
            ids = checked.column(col)
            _repeated_ids(problems, checked, col, repeats)
        before = concat_strings(seen)
        clash = found_in(ids, before)
        _emit(problems, checked, col, clash,
              "this id is already defined in another file or in the stored graph (ids are unique)",
              "use distinct ids for people, organizations and decisions; to change stored rows, run a full load",
              Zh("该编号已在另一个文件或已存储的图中定义（编号必须唯一）",
                 "人员、单位和决定使用互不相同的编号；要修改已存储的行，请完整加载一次（不用 --append）"))
        mine = pc.drop_null(ids.filter(pa.array(~clash)))  # repeats do no harm where these are looked up
        owner[file] = mine
        seen.append(mine)
    for f, index in stored.items():
        owner[f] = concat_strings([owner[f], index]) if f in owner else index
    return owner


def _firsts(checked: Checked, col: str, rows: np.ndarray) -> np.ndarray:
    """The first row holding each of these rows' ids."""
    ids = checked.column(col)
    return pc.index_in(ids.take(pa.array(rows, pa.int64())), value_set=ids).to_numpy(zero_copy_only=False)


def _drop_whole_repeats(problems: Problems, checked: Checked, col: str, repeats: np.ndarray) -> np.ndarray:
    """Of the rows whose id an earlier row has (`repeats`), those that repeat that row whole, every value read and
    every extra column alike (two exports that overlap), are taken out of `checked` with a warning: the record is
    counted once. Returns the rest, a repeated id with other values (an error), as the rows left are placed."""
    at = np.flatnonzero(repeats)
    firsts = _firsts(checked, col, at)
    frame = checked.frame
    same = _same_rows(frame, at, firsts)
    if not same.any():
        return repeats
    lines = line_array(checked.lines, frame.num_rows)
    for i, first in list(zip(at[same], firsts[same], strict=True))[:TOLD]:
        problems.warn(checked.file, int(lines[i]), checked.label(col), f"repeats line {int(lines[first])} whole (two "
                      "exports that overlap?): the record is counted once", str(checked.column(col)[int(i)].as_py()),
                      "none needed; remove the repeated row to silence this warning", checked.col_no.get(col),
                      zh=Zh(f"与第{int(lines[first])}行完全相同（是否两份导出有重叠？）：该记录只计一次",
                            "无需处理；删除重复的行即可不再出现此警告"))
    if same.sum() > TOLD:
        n = int(same.sum()) - TOLD
        problems.warn(checked.file, None, checked.label(col), f"{n} more rows repeat an earlier row whole: each "
                      "record is counted once", fix="none needed", col_no=checked.col_no.get(col),
                      zh=Zh(f"另有{n}行与前面某行完全相同：每条记录只计一次", "无需处理"))
    keep = np.ones(frame.num_rows, dtype=bool)
    keep[at[same]] = False
    kept = pa.array(keep)
    checked.frame = frame.filter(kept)
    checked.lines = lines[keep]
    checked.keys = {k: v.filter(kept) for k, v in checked.keys.items()}
    return repeats[keep]


def _same_rows(frame: pa.Table, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Whether row a[k] holds what row b[k] does in every column (both empty counts as alike), a column at a time."""
    same = np.ones(len(a), dtype=bool)
    left, right = pa.array(a, pa.int64()), pa.array(b, pa.int64())
    for name in frame.column_names:
        cells = frame.column(name).combine_chunks()
        if pa.types.is_list(cells.type):  # a person's aliases: alike when joined alike
            cells = pc.binary_join(cells, "\x1f")
        x, y = cells.take(left), cells.take(right)
        same &= mask(pc.or_kleene(pc.equal(x, y), pc.and_(pc.is_null(x), pc.is_null(y))))
    return same


def _repeated_ids(problems: Problems, checked: Checked, col: str, repeats: np.ndarray) -> None:
    """An error for each row whose id an earlier row has with other values, naming that row's line."""
    if not repeats.any():
        return
    at = np.flatnonzero(repeats)
    lines = line_array(checked.lines, checked.frame.num_rows)
    frame, label, col_no = checked.frame, checked.label(col), checked.col_no.get(col)
    fix = "give each row its own id, or correct or remove one of the two rows"
    fix_zh = "每行用自己的编号，或改正、删除两行中的一行"
    shown = at[:MAX_PER_COLUMN]
    for i, f in zip(shown, _firsts(checked, col, shown), strict=True):  # each row against the first with its id
        mine, theirs = frame.slice(int(i), 1).to_pylist()[0], frame.slice(int(f), 1).to_pylist()[0]
        c = next((c for c in frame.column_names if c not in (col, "props") and mine[c] != theirs[c]), None)
        differs, differs_zh = (f"{checked.label(c)}: {_shown(theirs[c])!r} there, {_shown(mine[c])!r} here",
                               f"{checked.label(c)}：那里为“{_shown(theirs[c])}”，此处为“{_shown(mine[c])}”") if c \
            else ("its extra columns", "其附加列")
        problems.items.append(Problem(
            checked.file, int(lines[i]), label, f"duplicate {col}: line {int(lines[f])} has this id with other values "
            f"({differs}; each id must be unique across the whole dataset)", str(mine[col]), fix, col_no, "error",
            Zh(f"{_named(checked, col)}重复：第{int(lines[f])}行已有此编号且其他值不同（{differs_zh}；"
               "每个编号在整个数据集中必须唯一）", fix_zh)))
    if len(at) > len(shown):
        more, more_zh = more_rows(len(at) - len(shown), f"duplicate {col}: each id must be unique across the whole "
                                  "dataset", f"{_named(checked, col)}重复：每个编号在整个数据集中必须唯一")
        problems.items.append(Problem(checked.file, None, label, more, None, fix, col_no, "error", Zh(more_zh, fix_zh)))


def _shown(value) -> str:
    """A cell as a message quotes it: a date as written YYYY-MM-DD, empty as empty."""
    if value is None:
        return ""
    return value.isoformat()[:10] if hasattr(value, "isoformat") else str(value)


REF_TARGETS = {"person": ("people.csv",), "org": ("organizations.csv",),
               "entity": ("people.csv", "organizations.csv"), "decision": ("decisions.csv",)}


def check_references(files: dict[str, Checked], owner: dict[str, pa.Array], problems: Problems,
                     unread: Collection[str] = (), broken: Mapping[str, RawTable] | None = None) -> None:
    """Every reference to an id that its target files define; the columns that refer to the same files are looked
    up together (one query each), the problems told file by file, column by column. References into a file that
    was given but could not be read (`unread`: its own problem says why) are not checked: every one of them would
    be reported, burying the one problem to fix. References not found in a file read in part (`broken`: rows of
    it could not be read, or it has none) are told in one line per column, which names that file's fault."""
    broken = broken or {}
    refs = [(checked, col.name, targets) for checked in files.values() for col in checked.spec.columns
            if (targets := REF_TARGETS.get(col.kind)) and col.name in checked.col_no
            and not set(targets) & set(unread)]
    missing: dict[int, np.ndarray] = {}  # a reference's place in refs -> its rows whose id is not defined
    for targets in dict.fromkeys(t for _, _, t in refs):
        at = [i for i, ref in enumerate(refs) if ref[2] == targets]
        defined = concat_strings([owner[t] for t in targets if t in owner])
        missing.update(zip(at, not_found_in_each([refs[i][0].column(refs[i][1]) for i in at], defined), strict=True))
    for i, (checked, name, targets) in enumerate(refs):
        what = " or ".join(targets)
        bad = missing[i]
        if bad.any() and not any(t in owner for t in targets):  # no such file given (nor stored): one line
            _absent(problems, checked, name, bad, targets)
            continue
        cause = next((broken[t] for t in targets if t in broken), None)
        if cause is not None and bad.any():
            lost = _in_lost_rows(checked.column(name), cause)
            _folded(problems, checked, name, bad & lost, targets, cause)
            bad = bad & ~lost  # an id no lost row holds is wrong whatever that file's fault
        _emit(problems, checked, name, bad, f"refers to an id that {what} does not define",
              f"add the id to {what}, or correct the reference",
              Zh(f"引用的编号在 {_files_zh(targets)}中没有定义", f"在 {_files_zh(targets)}中添加该编号，或改正引用"))


def _absent(problems: Problems, checked: Checked, column: str, bad: np.ndarray, targets: tuple[str, ...]) -> None:
    """One problem for a column whose references point into a file the dataset does not have (every one of them
    would be told otherwise, and none would say that the file is missing); in a workbook, the sheet to add."""
    rows = positions(bad)
    n = len(rows)
    refer, refer_zh = _refer(n)
    what, what_zh = " or ".join(targets), _files_zh(targets)
    book = "[" in checked.file  # a workbook's sheet: book.xlsx[decision_makers]
    sheets = [t[:-4] for t in targets]
    add = f"add a sheet named {' or '.join(sheets)} to the workbook" if book else f"add {what} to the dataset"
    add_zh = f"在工作簿中添加名为 {'或'.join(sheets)} 的工作表" if book else f"在数据集中添加 {what_zh}"
    problems.add(checked.file, line_number(checked.lines, rows[0]), checked.label(column),
                 f"{refer} in {what}, which the dataset does not have", str(checked.column(column)[rows[0]].as_py()),
                 f"{add} (it defines the ids these rows refer to)", checked.col_no.get(column),
                 zh=Zh(f"{refer_zh}应在 {what_zh}中定义，但数据集中没有该文件",
                       f"{add_zh}（其中定义这些行引用的编号）"))


def _refer(n: int) -> tuple[str, str]:
    """The references of a row and `n` - 1 more, as a message begins with them, in English and in Chinese."""
    if n > 1:
        return f"this row and {n - 1} more refer to ids", f"此行及另外{n - 1}行引用的编号"
    return "refers to an id", "引用的编号"


def _in_lost_rows(values: pa.Array, cause: RawTable) -> np.ndarray:
    """Which references name an id that the rows `cause` could not read may hold (any value of theirs; every id,
    when the file has no rows at all or too many such rows to keep their values)."""
    if not cause.table.num_rows or cause.dropped_text is None:
        return np.ones(len(values), dtype=bool)
    return mask(pc.is_in(values, value_set=strings(sorted(cause.dropped_text))))


def _folded(problems: Problems, checked: Checked, column: str, bad: np.ndarray, targets: tuple[str, ...],
            cause: RawTable) -> None:
    """One problem for a column's references that a file read in part does not define and that its rows not read
    may hold: they are found once those rows are read."""
    rows = positions(bad)
    if not rows:
        return
    n = len(rows)
    if cause.dropped:
        fault = counted(f"{cause.dropped} row(s) of {cause.file} could not be read", cause.dropped)
        fix = f"correct {cause.file} first (its own problems say how), then run again"
        fault_zh = f"{cause.file} 有{cause.dropped}行无法读取"
        fix_zh = f"先改正 {cause.file}（其自身的问题说明了怎样改），再重新运行"
    else:
        fault, fix = f"{cause.file} has a header but no rows", f"fill {cause.file} (was its export cut short?)"
        fault_zh, fix_zh = f"{cause.file} 只有表头，没有数据行", f"补全 {cause.file}（导出时是否被截断？）"
    refer, refer_zh = _refer(n)
    what = " or ".join(targets)
    problems.add(checked.file, line_number(checked.lines, rows[0]), checked.label(column),
                 f"{refer} that {what} does not define, and {fault}", str(checked.column(column)[rows[0]].as_py()),
                 fix, checked.col_no.get(column),
                 zh=Zh(f"{refer_zh}在 {_files_zh(targets)}中没有定义，而 {fault_zh}", fix_zh))


_AGENCY_OR_VILLAGE_ZH = f"{ORG_KIND.label('agency', 'zh')}或{ORG_KIND.label('village', 'zh')}"


def check_semantics(files: dict[str, Checked], problems: Problems, known=None) -> None:
    ids, kinds = [], []
    if known:
        ids.append(strings(list(known.org_kind)))
        kinds.append(strings(list(known.org_kind.values())))
    if "organizations.csv" in files:
        orgs = files["organizations.csv"]
        ids.append(orgs.column("org_id"))
        kinds.append(orgs.column("kind"))
    ids_all, kinds_all = concat_strings(ids), concat_strings(kinds)

    pos = files.get("positions.csv")
    if pos is not None:
        _emit(problems, pos, "org_id", found_with(pos.column("org_id"), ids_all, kinds_all, POST_ORG_KINDS),
              "a post must be at an organization of kind agency or village",
              "correct org_id, or the organization's kind in organizations.csv",
              Zh(f"任职所在单位的类型必须是 agency（{ORG_KIND.label('agency', 'zh')}）或 village"
                 f"（{ORG_KIND.label('village', 'zh')}）", _KIND_FIX_ZH))
    roles = files.get("company_roles.csv")
    if roles is not None:
        _emit(problems, roles, "org_id", found_with(roles.column("org_id"), ids_all, kinds_all, ROLE_ORG_KINDS),
              "a company role cannot be at an agency or a village (it may be at a "
              f"{', '.join(ROLE_ORG_KINDS[:-1])} or {ROLE_ORG_KINDS[-1]} organization)",
              "correct org_id, or the organization's kind in organizations.csv; a post at an agency or village "
              "belongs in positions.csv",
              Zh(f"企业角色所在单位不能是{_AGENCY_OR_VILLAGE_ZH}：只能是"
                 f"{'、'.join(ORG_KIND.label(k, 'zh') for k in ROLE_ORG_KINDS[:-1])}或"
                 f"{ORG_KIND.label(ROLE_ORG_KINDS[-1], 'zh')}",
                 f"{_KIND_FIX_ZH}；在{_AGENCY_OR_VILLAGE_ZH}的职务应填入 {file_zh('positions.csv')}"))
        share_wrong = pc.and_(pc.is_valid(roles.column("share")), pc.not_equal(roles.column("role"), "shareholder"))
        _emit(problems, roles, "share", share_wrong, "a share is given for a role that is not shareholder; "
              "it is kept but not used", "move the share to the shareholder row",
              Zh("角色不是股东（shareholder）却填了持股比例；比例保留，但不使用", "把持股比例移到股东那一行"),
              level="warning")
    rel = files.get("relatives.csv")
    if rel is not None:
        _emit(problems, rel, "relative_id", pc.equal(rel.column("person_id"), rel.column("relative_id")),
              "a person cannot be their own relative", "correct person_id or relative_id",
              Zh("人员不能是自己的亲属", "改正 person_id 或 relative_id"))
    for name in ("positions.csv", "company_roles.csv", "relatives.csv"):
        checked = files.get(name)
        if checked is None:
            continue
        _emit(problems, checked, "end_date", pc.less(checked.column("end_date"), checked.column("start_date")),
              "the end date is before the start date", "swap or correct the dates",
              Zh("结束日期早于开始日期", "对调或改正这两个日期"))
    check_ages(files, problems)
    check_future(files, problems)


#: Dates that set a sweep's reference date (the latest of them up to today): one after today is warned about.
DATED = {"decisions.csv": "date", "positions.csv": "start_date", "company_roles.csv": "start_date"}


def check_future(files: dict[str, Checked], problems: Problems, today: str | None = None) -> None:
    """Warnings (the rows are kept): a decision, or the start of a post or role, after today, most often a mistyped
    year. A sweep's default reference date is the latest date up to today, so such a date does not move it."""
    today = today or datetime.date.today().isoformat()
    for file, column in DATED.items():
        checked = files.get(file)
        if checked is not None:
            _emit(problems, checked, column, pc.greater(checked.column(column), today),
                  f"the date lies after today ({today}); the row is kept, and a sweep's reference date stays at the "
                  "latest date up to today unless --as-of is given", "correct the date from the source record",
                  Zh(f"日期晚于今天（{today}）；该行保留，除非用 --as-of 指定，扫描的参照日期仍取截至今天的最晚日期",
                     "按原始记录改正日期"), level="warning")


POST_AGE = 16  # a post that starts before its holder is this old is warned about
#: Relations (from person_id to relative_id) whose relative is of a younger or an older generation.
YOUNGER, OLDER = ("child", "grandchild"), ("parent", "grandparent")


def check_ages(files: dict[str, Checked], problems: Problems) -> None:
    """Warnings, never errors (the rows are kept): a post that starts before its holder's 16th birthday, and a
    child (or grandchild) born before the parent (grandparent). Births come from people.csv's birth_date, else
    from a valid resident ID; a person without either is not checked."""
    people = files.get("people.csv")
    if people is None:
        return
    born = births(people.frame, people.keys.get("id_number", pa.nulls(people.frame.num_rows, pa.string())))
    ids = people.column("person_id")
    pos = files.get("positions.csv")
    if pos is not None:
        birth = lookup(pos.column("person_id"), ids, born)
        year = pc.cast(pc.add(pc.cast(pc.utf8_slice_codeunits(birth, 0, 4), pa.int64()), POST_AGE), pa.string())
        sixteenth = pc.binary_join_element_wise(year, pc.utf8_slice_codeunits(birth, 4, 10), "")
        _emit(problems, pos, "start_date", pc.less(pos.column("start_date"), sixteenth),
              f"the post starts before its holder's {POST_AGE}th birthday (by the birth date in people.csv or the "
              "resident ID); the row is kept", "check the start date, and the holder's birth date and resident ID in "
              "people.csv", Zh(f"任职开始时任职人未满{POST_AGE}周岁（按 people.csv 中的出生日期或身份证号）；该行保留",
                               "核对任职开始日期，以及 people.csv 中任职人的出生日期和身份证号"), level="warning")
    rel = files.get("relatives.csv")
    if rel is not None:
        both = lookup(concat_strings([rel.column("person_id"), rel.column("relative_id")]), ids,
                      born)  # one lookup: the people's ids hashed once
        person, relative = both[:rel.frame.num_rows], both[rel.frame.num_rows:]
        relation = rel.column("relation")
        for words, wrong, said, said_zh in (
                (YOUNGER, pc.less(relative, person), "born before the person whose child (or grandchild) it is said "
                 "to be", "亲属出生早于本人，却记为本人的子女（或孙子女）"),
                (OLDER, pc.greater(relative, person), "born after the person whose parent (or grandparent) it is "
                 "said to be", "亲属出生晚于本人，却记为本人的父母（或祖父母）")):
            generation = pc.is_in(relation, value_set=strings(list(words)))
            _emit(problems, rel, "relative_id", pc.and_kleene(generation, wrong), f"the relative is {said}; the row "
                  "is kept", "check the relation's direction (person_id's relative_id is their child, parent ...) "
                  "and both people's birth dates and resident IDs in people.csv",
                  Zh(f"{said_zh}；该行保留", "核对关系的方向（relative_id 是 person_id 的子女、父母……），"
                     "以及 people.csv 中两人的出生日期和身份证号"), level="warning")
