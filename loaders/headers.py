"""Chinese headers and file names mapped to the contract out of the box (a mapping file can add more)."""

from __future__ import annotations

import difflib
import re

from .contract import FileSpec
from .values import word_key as _key

FILE_ALIASES = {
    "people.csv": ("people", "人员", "人员信息", "干部", "干部信息", "自然人"),
    "organizations.csv": ("organizations", "orgs", "单位", "机构", "单位信息", "企业", "企业信息", "组织"),
    "positions.csv": ("positions", "任职", "任职信息", "职务", "干部任职"),
    "relatives.csv": ("relatives", "亲属", "亲属关系", "家庭成员"),
    "company_roles.csv": ("company_roles", "roles", "企业角色", "股东及高管", "企业人员", "工商登记"),
    "decisions.csv": ("decisions", "决定", "审批", "审批事项", "决策事项"),
    "decision_makers.csv": ("decision_makers", "决定人", "审批人", "经办人"),
    "bids.csv": ("bids", "投标", "投标信息"),
    "declarations.csv": ("declarations", "申报", "个人有关事项", "个人有关事项报告"),
}

_COMMON = {"人员编号": "person_id", "人员id": "person_id", "人员代码": "person_id", "单位编号": "org_id",
           "企业编号": "org_id", "机构编号": "org_id", "单位id": "org_id", "单位代码": "org_id",
           "开始日期": "start_date", "起始日期": "start_date", "开始时间": "start_date", "起始时间": "start_date",
           "结束日期": "end_date", "终止日期": "end_date", "截止日期": "end_date", "结束时间": "end_date",
           "终止时间": "end_date"}

HEADER_ALIASES: dict[str, dict[str, str]] = {
    "people.csv": {"姓名": "name", "名字": "name", "人员姓名": "name", "身份证号": "id_number",
                   "身份证号码": "id_number", "公民身份号码": "id_number", "证件号码": "id_number",
                   "身份证件号码": "id_number", "居民身份证号码": "id_number", "公民身份证号码": "id_number",
                   "证件号": "id_number", "出生日期": "birth_date", "出生年月": "birth_date",
                   "出生年月日": "birth_date", "性别": "gender", "曾用名": "aliases", "别名": "aliases"},
    "organizations.csv": {"单位名称": "name", "企业名称": "name", "名称": "name", "机构名称": "name",
                          "类型": "kind", "单位类型": "kind", "统一社会信用代码": "credit_code",
                          "信用代码": "credit_code",
                          "行政区划": "region", "行政区划代码": "region", "地区代码": "region", "行业": "industry",
                          "所属行业": "industry", "地址": "address", "注册地址": "address", "住所": "address",
                          "住址": "address", "电话": "phone", "联系电话": "phone", "联系方式": "phone",
                          "成立日期": "founded_on", "成立时间": "founded_on", "注册日期": "founded_on",
                          "单位性质": "kind", "机构类型": "kind", "所在行政区划": "region",
                          "统一社会信用代码证号": "credit_code", "国民经济行业": "industry", "行业类别": "industry"},
    "positions.csv": {"职务": "title", "职务名称": "title", "现任职务": "title", "职位": "title", "职级": "rank",
                      "职务级别": "rank", "级别": "rank", "职务层次": "rank", "任职开始": "start_date",
                      "任职开始日期": "start_date", "任职时间": "start_date", "任职日期": "start_date",
                      "任现职时间": "start_date", "任职结束": "end_date", "任职结束日期": "end_date",
                      "免职时间": "end_date", "免职日期": "end_date", "离任时间": "end_date", "离任日期": "end_date",
                      "离任原因": "end_reason", "免职原因": "end_reason", "辖区": "region", "管辖区域": "region",
                      "分管领域": "portfolio", "分管行业": "portfolio", "分管工作": "portfolio"},
    "relatives.csv": {"亲属编号": "relative_id", "亲属人员编号": "relative_id", "关系": "relation", "称谓": "relation",
                      "亲属关系": "relation", "与本人关系": "relation"},
    "company_roles.csv": {"持有人编号": "holder_id", "股东编号": "holder_id", "人员或单位编号": "holder_id",
                          "股东": "holder_id", "出资人": "holder_id", "法定代表人": "holder_id", "法人": "holder_id",
                          "董事": "holder_id", "监事": "holder_id", "高管": "holder_id",
                          "角色": "role", "身份": "role", "职务": "role", "担任职务": "role", "持股比例": "share",
                          "出资比例": "share", "认缴出资比例": "share", "任职开始": "start_date",
                          "任职结束": "end_date"},
    "decisions.csv": {"决定编号": "decision_id", "审批编号": "decision_id", "事项编号": "decision_id",
                      "决定类型": "kind", "类型": "kind", "审批事项": "title", "事项名称": "title",
                      "审批日期": "date", "决定日期": "date", "日期": "date", "审批机关": "agency_id",
                      "机关编号": "agency_id", "受益方": "beneficiary_id", "受益方编号": "beneficiary_id",
                      "申请人": "beneficiary_id", "受益单位": "beneficiary_id", "金额": "amount",
                      "金额（元）": "amount", "金额(元)": "amount", "项目金额": "amount", "合同金额": "amount",
                      "事项类型": "kind", "审批类型": "kind", "项目名称": "title", "批准日期": "date",
                      "行政区划": "region", "行业": "industry"},
    "decision_makers.csv": {"决定编号": "decision_id", "审批编号": "decision_id", "审批人": "person_id",
                            "审批人编号": "person_id", "决策人": "person_id", "签批人": "person_id",
                            "角色": "role"},
    "bids.csv": {"招标编号": "tender_id", "项目编号": "tender_id", "投标人": "org_id", "投标人编号": "org_id",
                 "投标单位": "org_id", "投标金额": "amount", "投标报价": "amount", "金额": "amount",
                 "中标": "won", "是否中标": "won"},
    "declarations.csv": {"年度": "year", "报告年度": "year", "申报年度": "year", "年份": "year",
                         "亲属编号": "relative_id", "角色": "role", "身份": "role"},
}


# A header that names a role (a shareholder list with a 股东 column) implies that role when no role column is given.
IMPLIED = {
    "company_roles.csv": {"股东": {"role": "shareholder"}, "出资人": {"role": "shareholder"},
                          "法定代表人": {"role": "legal_rep"}, "法人": {"role": "legal_rep"},
                          "董事": {"role": "director"}, "监事": {"role": "supervisor"}, "高管": {"role": "executive"}},
}


def chinese_header(contract_file: str, column: str) -> str | None:
    """The Chinese header a contract column is first known by in its file (people.csv's name: 姓名), or None."""
    for table in (HEADER_ALIASES.get(contract_file, {}), _COMMON):  # the file's own headers before the common ones
        found = next((header for header, name in table.items() if name == column), None)
        if found:
            return found
    return None


def column_zh(contract_file: str, column: str) -> str:
    """A contract column as a Chinese message names it: its name, then its Chinese header (name（姓名）)."""
    header = chinese_header(contract_file, column)
    return f"{column}（{header}）" if header else column


def file_zh(contract_file: str) -> str:
    """A contract file as a Chinese message names it: its name, then its Chinese name (people.csv（人员）)."""
    chinese = next((a for a in FILE_ALIASES.get(contract_file, ()) if not a.isascii()), None)
    return f"{contract_file}（{chinese}）" if chinese else contract_file


def implied_columns(contract_file: str, header: list[str]) -> dict[str, str]:
    """Constant columns a source's headers imply (e.g. role = shareholder for a 股东 column)."""
    out: dict[str, str] = {}
    table = {_key(k): v for k, v in IMPLIED.get(contract_file, {}).items()}
    for h in header:
        for col, value in table.get(_key(h), {}).items():
            out.setdefault(col, value)
    return out


def contract_file_for(name: str) -> str | None:
    """The contract file a source file or sheet name stands for ('人员.xlsx' sheet '人员' -> people.csv)."""
    stem = _key(name.rsplit(".", 1)[0] if name.lower().endswith((".csv", ".xlsx")) else name)
    for contract, aliases in FILE_ALIASES.items():
        if stem in {_key(a) for a in aliases}:
            return contract
    return None


def header_aliases(contract_file: str) -> dict[str, str]:
    table = {_key(k): v for k, v in _COMMON.items()}
    table.update({_key(k): v for k, v in HEADER_ALIASES.get(contract_file, {}).items()})
    return table


def _aliases(spec: FileSpec, columns: dict[str, str] | None) -> dict[str, str]:
    """Header key -> contract column: the file's aliases, then a mapping file's (`columns`)."""
    aliases = header_aliases(spec.name)
    aliases.update({_key(k): v for k, v in (columns or {}).items()})
    return aliases


def header_key(text: str) -> str:
    return _key(text)


def locate(spec: FileSpec, header: list[str], columns: dict[str, str] | None = None
           ) -> tuple[dict[str, int], list[tuple[str, str]]]:
    """Which header cell fills each contract column ({column: index}, the first cell that names it), and the
    (source header, column) pairs where the names differ. `columns`: a mapping file's extra header names."""
    lookup, mapped, _ = locate_all(spec, header, columns)
    return lookup, mapped


def locate_all(spec: FileSpec, header: list[str], columns: dict[str, str] | None = None
               ) -> tuple[dict[str, int], list[tuple[str, str]], list[tuple[int, str]]]:
    """locate's answer, and the header cells that name a contract column an earlier cell fills already (index,
    column): 姓名 beside name, or name twice."""
    aliases = _aliases(spec, columns)
    contract_names = {_key(c.name): c.name.casefold() for c in spec.columns}  # ｎａｍｅ, Name: name
    lookup: dict[str, int] = {}
    mapped: list[tuple[str, str]] = []
    again: list[tuple[int, str]] = []
    for i, h in enumerate(header):
        name = contract_names.get(_key(h)) or aliases.get(_key(h))
        if name and name in lookup:
            again.append((i, name))
        elif name:
            lookup[name] = i
            if name != h.casefold():
                mapped.append((h, name))
    return lookup, mapped, again


def namings(spec: FileSpec, header: list[str], lookup: dict[str, int],
            columns: dict[str, str] | None = None) -> dict[int, set[str]]:
    """For each headed cell, the header keys (header_key) that name what it is read as (`lookup`: locate_all's, the
    cell each contract column is read from): every alias of the contract column it fills (a second export's 姓名
    names the column an English header's `name` fills), or its own."""
    aliases = _aliases(spec, columns)
    filled = {i: name for name, i in lookup.items()}
    out: dict[int, set[str]] = {}
    for i, h in enumerate(header):
        if not h:
            continue
        name = filled.get(i)
        out[i] = {_key(h)} if name is None else {_key(name)} | {k for k, v in aliases.items() if v == name}
    return out


def missing_required(spec: FileSpec, header: list[str], columns: dict[str, str] | None = None) -> list[str]:
    """The required contract columns a header does not fill (after aliases, the mapping and implied columns)."""
    header = [h.strip().lstrip("\ufeff") for h in header]
    lookup, _ = locate(spec, header + list(implied_columns(spec.name, header)), columns)
    return [c.name for c in spec.columns if c.required and c.name.casefold() not in lookup]


# Words a header for a contract column often contains; a header that is not mapped but holds one is reported as
# probably meaning that column (the word nearest the end wins: 职务级别 is a 级别, a rank).
HINTS: dict[str, tuple[str, ...]] = {
    "id_number": ("证件", "身份证", "证号"), "birth_date": ("出生", "生日"), "gender": ("性别",),
    "aliases": ("曾用名", "别名"), "name": ("姓名", "名称"), "kind": ("类型", "性质", "类别"),
    "credit_code": ("信用代码", "社会信用"), "region": ("区划", "辖区", "地区代码"), "industry": ("行业",),
    "address": ("地址", "住所", "住址"), "phone": ("电话", "手机"), "founded_on": ("成立",),
    "title": ("职务", "职位"), "rank": ("级别", "职级", "层次"), "start_date": ("开始", "起始", "任职时间", "任职日期"),
    "end_date": ("结束", "终止", "截止", "免职", "离任"), "end_reason": ("原因",), "portfolio": ("分管",),
    "relation": ("关系", "称谓"), "role": ("角色", "身份", "职务"), "share": ("比例", "持股"),
    "amount": ("金额", "数额", "价款", "报价"), "date": ("日期", "时间"), "won": ("中标",), "year": ("年度", "年份"),
    "holder_id": ("股东", "持有人", "出资人"), "beneficiary_id": ("受益", "申请人", "申请单位"), "agency_id": ("机关",),
    "relative_id": ("亲属",),
}


def lookalike(spec: FileSpec, header: str, unfilled: set[str]) -> str | None:
    """The contract column (among `unfilled`) that a header which maps to none probably means, or None."""
    key = _key(header)
    if not key:
        return None
    best, score = None, (-1, -1)
    for col in spec.columns:
        if col.name not in unfilled:
            continue
        for word in HINTS.get(col.name, ()):
            at = key.rfind(word)
            if at >= 0 and (at + len(word), len(word)) > score:
                best, score = col.name, (at + len(word), len(word))
    if best or not key.isascii():
        return best
    plain = re.sub(r"[^a-z0-9]", "", key)
    names = {c.name.replace("_", ""): c.name for c in spec.columns if c.name in unfilled}
    if plain in names:
        return names[plain]
    close = difflib.get_close_matches(plain, list(names), n=1, cutoff=0.8)
    return names[close[0]] if close else None
