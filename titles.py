"""The column titles of every table govties writes (findings, ranked tables, the resolution list, diffs), in one
table. A column's id is its English title and the name the dataset contract gives it; the Chinese title is what
an `.xlsx` (and, with `--headers lang`, a CSV) shows under `--lang zh`. Where the header shows titles, the values of
a column that holds a vocabulary's words (severity, triage status, a company role, decisions' kinds, a rank, a
relation; a rule, by its title, or a missing region, where the caller gives the titles) are shown as that
language's words too (高, not high). Readers of findings files map either title, and either word, back to the id.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from typing import TYPE_CHECKING

from .graph.vocabulary import DECISION_KIND, RANK, RELATION, ROLE, SEVERITY, TRIAGE_STATUS, Term, Vocabulary, fold_word

if TYPE_CHECKING:
    import pandas as pd

#: The findings table's contract columns (../shared/spec/dataset.md), first and in this order in every findings file.
FINDING_COLUMNS = [
    "finding_id", "rule", "severity", "score", "official_id", "official_name", "org_id", "org_name", "via_id",
    "via_name", "decision_ids", "first_date", "last_date", "explanation", "evidence",
]

T = Term
COLUMNS = Vocabulary("column", (
    # the findings table: the contract's columns
    T("finding_id", "线索编号", "finding_id"),
    T("rule", "规则", "rule"),
    T("severity", "风险等级", "severity"),
    T("score", "评分", "score"),
    T("official_id", "公职人员编号", "official_id"),
    T("official_name", "公职人员姓名", "official_name"),
    T("org_id", "单位编号", "org_id"),
    T("org_name", "单位名称", "org_name"),
    T("via_id", "中间人编号", "via_id"),
    T("via_name", "中间人姓名", "via_name"),
    T("decision_ids", "决定编号", "decision_ids"),
    T("first_date", "起始日期", "first_date"),
    T("last_date", "截止日期", "last_date"),
    T("explanation", "说明", "explanation"),
    T("evidence", "证据", "evidence"),
    T("fingerprint", "证据指纹", "fingerprint"),
    # the findings table: what a case handler sorts by, and the run's reference date
    T("rule_title", "规则名称", "rule_title"),
    T("total_amount", "涉及金额（元）", "total_amount"),
    T("decision_kinds", "决定类型", "decision_kinds"),
    T("official_post", "时任职务", "official_post"),
    T("official_rank", "时任职级", "official_rank"),
    T("relation", "关系", "relation"),
    T("as_of", "参照日期", "as_of"),
    T("triage_status", "核查状态", "triage_status"),
    T("triage_assignee", "承办人", "triage_assignee"),
    T("triage_note", "核查备注", "triage_note"),
    T("triage_who", "核查人", "triage_who"),
    T("triage_when", "核查时间", "triage_when", ("核查日期",)),  # a date and time; older files titled it 核查日期
    T("triage_evidence", "核查后证据", "triage_evidence"),
    T("triage_changes", "核查后证据变化", "triage_changes"),
    T("assignee", "承办人", "assignee"),
    # ranked tables
    T("rank", "排名", "rank"),
    T("facts", "事实数", "facts"),
    T("findings", "线索数", "findings"),
    T("high", "高风险线索数", "high"),
    T("combined_score", "综合评分", "combined_score"),
    T("companies", "关联企业数", "companies"),
    T("officials", "公职人员数", "officials"),
    T("rules", "涉及规则", "rules"),
    T("agency_id", "机关编号", "agency_id"),
    T("agency_name", "机关名称", "agency_name"),
    T("region_code", "行政区划代码", "region_code"),
    T("region", "地区", "region"),
    T("region_name", "地区名称", "region_name"),
    T("officials_flagged", "涉及公职人员数", "officials_flagged"),
    T("weighted", "加权事实数", "weighted"),
    T("index_per_10_officials", "每十名公职人员指数", "index_per_10_officials"),
    T("flagged_share", "涉及公职人员比例", "flagged_share"),
    # the entity-resolution list
    T("canonical_id", "合并后编号", "canonical_id"),
    T("person_ids", "人员编号", "person_ids"),
    T("names", "姓名", "names"),
    T("id_number", "身份证号", "id_number"),
    T("decision", "处理", "decision"),
    T("reason", "理由", "reason"),
    # roles a rule could not place for want of a start date (undated)
    T("holder_id", "任职人编号", "holder_id"),
    T("holder_name", "任职人", "holder_name"),
    T("role", "企业角色", "role"),
    T("start_date", "开始日期", "start_date"),
    T("end_date", "结束日期", "end_date"),
    T("reported_on", "首次记录日期", "reported_on"),
    # diffs and data warnings
    T("change", "变化", "change"),
    T("fields", "变化的字段", "fields"),
    T("changes", "原值 → 新值", "changes"),
    T("since_triage", "核查后证据是否变化", "since_triage"),
    T("warning", "数据警告", "warning"),
    # the `about` sheet of a workbook
    T("key", "项目", "key"),
    T("value", "内容", "value"),
))

#: a diff's change of a finding, and whether its evidence changed since its triage
CHANGE = Vocabulary("change", (T("new", "新增", "new"), T("reopened", "重新打开", "reopened"),
                               T("changed", "有变化", "changed"), T("resolved", "已消失", "resolved"),
                               T("dismissed", "已排除", "dismissed")))
#: what changed in a finding's evidence (rules.tracking.evidence_changes' `what`), and a relationship's value
#: that is there with no date or share to tell
EVIDENCE_CHANGE = Vocabulary("evidence_change", (
    T("decision", "决定", "decision"), T("amount", "金额", "amount"), T("edge", "关系", "relationship"),
    T("first_date", "最早日期", "first date"), T("last_date", "最近日期", "last date"), T("present", "有", "present")))
SINCE_TRIAGE = Vocabulary("since_triage", (T("changed", "有变化", "changed"), T("unchanged", "无变化", "unchanged")))
#: what entity resolution did with the records of a row of the resolution list
RESOLVED = Vocabulary("decision", (T("merged", "已合并", "merged"), T("possible", "疑似同一人", "possible match"),
                                   T("name", "同名待核", "same name, no resident ID")))
#: columns whose values are a vocabulary's words (several, joined by ';': decision_kinds, a diff's fields)
WORDED = {"severity": SEVERITY, "triage_status": TRIAGE_STATUS, "role": ROLE, "decision_kinds": DECISION_KIND,
          "official_rank": RANK, "relation": RELATION, "change": CHANGE, "since_triage": SINCE_TRIAGE,
          "fields": COLUMNS, "decision": RESOLVED, "triage_evidence": SINCE_TRIAGE}
#: a ranked region's code where its agencies record no region, and the words for it (a regions table under Chinese
#: titles reads 未登记地区): one of the words of values the data names (`worded`'s `words`)
NO_REGION = "(none)"
REGION = Vocabulary("region", (T(NO_REGION, "未登记地区", NO_REGION),))
#: said after a ranked region's name where the region is a province's own code (33): the row holds its
#: province-level agencies alone, not the province with its cities (浙江省（省级机关）)
PROVINCE_OWN = {"zh": "（省级机关）", "en": " (province-level agencies)"}
#: the run's parameters (api.about's keys) as the run's index page names them; a rule's parameters are
#: "params RULE" (参数 RULE). A findings workbook's about sheet keeps the keys (diff reads them back).
ABOUT_KEYS = Vocabulary("about", (
    T("source", "数据来源", "source"), T("backend", "存储后端", "backend"), T("as_of", "核查参照日期", "as of"),
    T("lang", "语言", "language"), T("profile", "规则参数方案", "profile"), T("rules", "运行的规则", "rules"),
    T("skipped", "未运行的规则（缺少输入文件）", "skipped (input files missing)"), T("params", "参数", "params"),
    T("govties", "govties 版本", "govties version"), T("masked", "脱敏", "masked"),
))
#: columns whose values are yuan: grouped by thousands in Excel (1,200,000), their values unchanged
AMOUNT_COLUMNS = frozenset({"total_amount", "amount"})
#: columns whose values are shares of one: percentages in Excel (66.7%), their values unchanged
SHARE_COLUMNS = frozenset({"flagged_share", "share"})
#: columns whose values are dates (a triage's when may carry a time): date cells in Excel, ISO dates when read back
DATE_COLUMNS = frozenset({"first_date", "last_date", "as_of", "triage_when", "start_date", "end_date", "reported_on"})

HEADERS = ("contract", "lang")


def title(column: str, lang: str, extra: Mapping[str, str] | None = None) -> str:
    """A column's title in `lang`; `extra` titles columns named by data (a rule's id -> its title)."""
    if extra and column in extra:
        return extra[column]
    return COLUMNS.label(column, lang)


def _titles(columns: list[str], lang: str, headers: str, extra: Mapping[str, str] | None) -> list[str] | None:
    """The columns' titles in `lang`, or None where the header shows the ids: under `headers="contract"`, and when
    two columns would share a title (the header falls back to the ids rather than show an ambiguous row)."""
    if headers == "contract":
        return None
    shown = [title(c, lang, extra) for c in columns]
    return shown if len(set(shown)) == len(shown) else None


def titled(columns: Iterable[str], lang: str, headers: str, extra: Mapping[str, str] | None = None) -> list[str]:
    """The header row: the column ids (`headers="contract"`, or when two titles would be the same) or their titles
    in `lang`."""
    columns = list(columns)
    return _titles(columns, lang, headers, extra) or columns


def worded(frame: pd.DataFrame, lang: str, headers: str, extra: Mapping[str, str] | None = None,
           words: Mapping[str, Mapping[str, str]] | None = None) -> pd.DataFrame:
    """The frame as a header of titles shows it: vocabulary columns in `lang`'s words (a copy). `words`: the words
    of vocabularies the data names, by column, in `lang` (a rule's id -> its title, for `rule`); a value that lists
    ids joined by ';' (a ranked table's `rules`) has each id worded. Where the header shows the ids (`titled`, given
    the same `extra`), the values stay ids: the frame itself is returned."""
    labels: dict[str, Mapping[str, str]] = {c: WORDED[c].labels(lang) for c in frame.columns if c in WORDED}
    labels.update({c: w for c, w in (words or {}).items() if c in frame.columns})
    if not labels or _titles([str(c) for c in frame.columns], lang, headers, extra) is None:
        return frame
    out = frame.copy(deep=False)  # the columns replaced are new; the others are shared
    for c, shown in labels.items():
        out[c] = out[c].map(lambda v, shown=shown: _worded(v, shown) if isinstance(v, str) else v)
    return out


def _worded(value: str, shown: Mapping[str, str]) -> str:
    if value in shown or ";" not in value:
        return shown.get(value, value)
    return ";".join(shown.get(v, v) for v in value.split(";"))


def word_ids(frame: pd.DataFrame) -> pd.DataFrame:
    """Vocabulary columns back to their ids, whichever language's words a file shows (in place; returned)."""
    for c in [c for c in frame.columns if c in WORDED]:
        words = WORDED[c].words()
        frame[c] = frame[c].map(lambda v, words=words: _word_id(v, words) if isinstance(v, str) else v)
    return frame


def _word_id(value: str, words: Mapping[str, str]) -> str:
    """A word's id; each word's of a list joined by ';' (a finding's decisions' kinds)."""
    if (found := words.get(fold_word(value))) is not None or ";" not in value:
        return found if found is not None else value
    return ";".join(words.get(fold_word(v), v) for v in value.split(";"))


def column_ids(headers: Iterable[str]) -> list[str]:
    """A header row as column ids: a title in either language becomes its id; anything else stays."""
    words = COLUMNS.words()
    return [words.get(_fold(h), h) for h in headers]


def _fold(text: str) -> str:
    return fold_word(str(text).lstrip("\ufeff"))


__all__ = ["COLUMNS", "DATE_COLUMNS", "HEADERS", "WORDED", "title", "titled", "column_ids", "word_ids", "worded"]
