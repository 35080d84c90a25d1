"""Parsing and normalizing single values: dates, vocabularies, resident IDs, credit codes, contacts, regions."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import lru_cache

# -- dates ---------------------------------------------------------------------------------------
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
    re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$"),
)
DATE_EXPECTED = "a date as YYYY-MM-DD (also accepted: YYYY/MM/DD, YYYYMMDD, 2021年3月5日)"
MIN_DATE, MAX_DATE = dt.date(1900, 1, 1), dt.date(2100, 12, 31)


@lru_cache(maxsize=200_000)
def parse_date(text: str) -> str | None:
    """ISO date string, or None when `text` is not an accepted date."""
    s = unicodedata.normalize("NFKC", text).strip()
    for pattern in _DATE_PATTERNS:
        m = pattern.match(s)
        if m:
            try:
                d = dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                return None
            if not (MIN_DATE <= d <= MAX_DATE):
                return None
            return d.isoformat()
    return None


# -- vocabularies (English ids and Chinese aliases) -----------------------------------------------
def _vocab(base: tuple[str, ...], aliases: dict[str, str]) -> dict[str, str]:
    table = {v: v for v in base}
    table.update({v.replace("_", " "): v for v in base})
    table.update({v.replace("_", "-"): v for v in base})
    table.update(aliases)
    return {k.casefold(): v for k, v in table.items()}


VOCABULARIES: dict[str, dict[str, str]] = {
    "relation": _vocab(
        ("spouse", "child", "parent", "sibling", "child_spouse", "spouse_parent", "spouse_sibling",
         "sibling_spouse", "grandchild", "grandparent", "other"),
        {
            "配偶": "spouse", "妻子": "spouse", "丈夫": "spouse", "夫妻": "spouse", "wife": "spouse",
            "husband": "spouse",
            "子女": "child", "儿子": "child", "女儿": "child", "son": "child", "daughter": "child",
            "父母": "parent", "父亲": "parent", "母亲": "parent", "father": "parent", "mother": "parent",
            "兄弟姐妹": "sibling", "兄弟": "sibling", "姐妹": "sibling", "哥哥": "sibling", "弟弟": "sibling",
            "姐姐": "sibling", "妹妹": "sibling", "brother": "sibling", "sister": "sibling",
            "子女配偶": "child_spouse", "儿媳": "child_spouse", "女婿": "child_spouse",
            "配偶父母": "spouse_parent", "岳父": "spouse_parent", "岳母": "spouse_parent",
            "公公": "spouse_parent", "婆婆": "spouse_parent",
            "配偶兄弟姐妹": "spouse_sibling", "兄弟姐妹配偶": "sibling_spouse",
            "孙子女": "grandchild", "孙子": "grandchild", "孙女": "grandchild", "外孙": "grandchild",
            "外孙女": "grandchild", "外孙子女": "grandchild",
            "祖父母": "grandparent", "外祖父母": "grandparent", "爷爷": "grandparent", "奶奶": "grandparent",
            "外公": "grandparent", "外婆": "grandparent", "祖父": "grandparent", "祖母": "grandparent",
            "其他": "other", "其它": "other",
        },
    ),
    "rank": _vocab(
        ("ministerial", "bureau", "division", "section", "staff", "village"),
        {
            "省部级": "ministerial", "正部级": "ministerial", "副部级": "ministerial", "正省部级": "ministerial",
            "副省部级": "ministerial",
            "厅局级": "bureau", "正厅级": "bureau", "副厅级": "bureau", "正局级": "bureau", "副局级": "bureau",
            "地厅级": "bureau",
            "县处级": "division", "正处级": "division", "副处级": "division", "正县级": "division",
            "副县级": "division",
            "乡科级": "section", "正科级": "section", "副科级": "section", "乡镇级": "section",
            "科员及以下": "staff", "科员": "staff", "办事员": "staff", "一般干部": "staff",
            "村干部": "village", "村级": "village",
        },
    ),
    "kind": _vocab(
        ("company", "agency", "village", "other"),
        {
            "企业": "company", "公司": "company", "enterprise": "company",
            "机关": "agency", "政府机关": "agency", "行政机关": "agency", "机关单位": "agency",
            "事业单位": "agency", "government": "agency",
            "村": "village", "村委会": "village", "村民委员会": "village", "社区": "village",
            "其他": "other", "其它": "other",
        },
    ),
    "role": _vocab(
        ("shareholder", "legal_rep", "director", "supervisor", "executive", "employee"),
        {
            "股东": "shareholder", "出资人": "shareholder",
            "法定代表人": "legal_rep", "法人": "legal_rep", "法人代表": "legal_rep",
            "董事": "director", "董事长": "director", "执行董事": "director", "副董事长": "director",
            "监事": "supervisor", "监事会主席": "supervisor",
            "高管": "executive", "经理": "executive", "总经理": "executive", "副总经理": "executive",
            "高级管理人员": "executive", "财务负责人": "executive",
            "员工": "employee", "职员": "employee", "职工": "employee",
        },
    ),
    "decision_kind": _vocab(
        ("approval", "permit", "contract", "procurement", "subsidy", "land", "appointment", "other"),
        {
            "审批": "approval", "行政审批": "approval", "核准": "approval",
            "许可": "permit", "行政许可": "permit",
            "合同": "contract", "采购": "procurement", "政府采购": "procurement", "招标": "procurement",
            "补贴": "subsidy", "补助": "subsidy", "资金拨付": "subsidy",
            "土地": "land", "用地": "land", "土地出让": "land",
            "任命": "appointment", "任免": "appointment", "提拔": "appointment", "录用": "appointment",
            "其他": "other", "其它": "other",
        },
    ),
    "end_reason": _vocab(
        ("retired", "resigned", "transferred", "dismissed"),
        {
            "退休": "retired", "辞职": "resigned", "辞去公职": "resigned", "调任": "transferred",
            "调动": "transferred", "交流": "transferred", "免职": "dismissed", "撤职": "dismissed",
            "开除": "dismissed",
        },
    ),
    "maker_role": _vocab(
        ("approver", "signer", "committee"),
        {"审批人": "approver", "批准": "approver", "签发": "signer", "签字": "signer", "签批": "signer",
         "委员会": "committee", "集体决策": "committee", "党组会": "committee"},
    ),
}


def vocabulary_word(vocab: str, text: str) -> str | None:
    return VOCABULARIES[vocab].get(unicodedata.normalize("NFKC", text).strip().casefold())


def vocabulary_expected(vocab: str) -> str:
    words = sorted(set(VOCABULARIES[vocab].values()))
    return "one of " + ", ".join(words) + " (Chinese aliases accepted)"


# -- numbers -------------------------------------------------------------------------------------
def parse_number(text: str) -> float | None:
    s = unicodedata.normalize("NFKC", text).strip().replace(",", "").replace("¥", "").replace("元", "")
    try:
        value = float(s)
    except ValueError:
        return None
    return value if value == value and value not in (float("inf"), float("-inf")) else None


def parse_share(text: str) -> float | None:
    s = unicodedata.normalize("NFKC", text).strip()
    if s.endswith("%"):
        v = parse_number(s[:-1])
        return None if v is None else v / 100.0
    return parse_number(s)


BOOLEANS = {"true": True, "false": False, "1": True, "0": False, "yes": True, "no": False, "y": True,
            "n": False, "是": True, "否": False, "中标": True, "未中标": False, "t": True, "f": False}


def parse_bool(text: str) -> bool | None:
    return BOOLEANS.get(unicodedata.normalize("NFKC", text).strip().casefold())


# -- resident ID (GB 11643) ----------------------------------------------------------------------
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def id_check_char(first17: str) -> str:
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS)) % 11]


def normalize_id_number(text: str) -> tuple[str | None, str | None]:
    """(normalized 18-char ID, None) or (None, reason) for a resident ID.

    Full-width characters are folded, `x` upper-cased, spaces dropped, and a 15-digit ID converted to its
    18-digit form (19 inserted after the region code, the check digit recomputed).
    """
    s = "".join(unicodedata.normalize("NFKC", text).split()).upper()
    if re.fullmatch(r"\d{15}", s):
        body = s[:6] + "19" + s[6:]
        return body + id_check_char(body), None
    if not re.fullmatch(r"\d{17}[\dX]", s):
        return None, "a resident ID has 18 characters (17 digits and a digit or X) or 15 digits"
    try:
        dt.date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        return None, "the birth date inside the resident ID (characters 7-14) is not a valid date"
    if id_check_char(s[:17]) != s[17]:
        return None, f"the check digit is wrong (GB 11643 gives {id_check_char(s[:17])!r})"
    return s, None


# -- unified social credit code (GB 32100) -------------------------------------------------------
_CC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_check_char(first17: str) -> str:
    total = sum(_CC_CHARS.index(c) * w for c, w in zip(first17, _CC_WEIGHTS))
    return _CC_CHARS[(31 - total % 31) % 31]


def check_credit_code(text: str) -> tuple[str | None, str | None]:
    s = "".join(unicodedata.normalize("NFKC", text).split()).upper()
    if len(s) != 18 or any(c not in _CC_CHARS for c in s):
        return None, "a unified social credit code has 18 characters from 0-9 and A-Y without I, O, S, V, Z"
    if credit_check_char(s[:17]) != s[17]:
        return None, f"the check character is wrong (GB 32100 gives {credit_check_char(s[:17])!r})"
    return s, None


# -- comparison keys -----------------------------------------------------------------------------
def region_code(text: str | None) -> str:
    """A GB/T 2260 code trimmed of trailing '00' pairs ('330100' -> '3301'); '' for none."""
    if not isinstance(text, str) or not text:
        return ""
    s = "".join(ch for ch in unicodedata.normalize("NFKC", text) if ch.isdigit())
    while len(s) >= 2 and s.endswith("00"):
        s = s[:-2]
    return s


def fold(text: str | None) -> str:
    return unicodedata.normalize("NFKC", text).strip().casefold() if isinstance(text, str) else ""


def split_list(text: str | None) -> list[str]:
    if not isinstance(text, str) or not text:
        return []
    parts = re.split(r"[;；、]", text)
    return [p.strip() for p in parts if p.strip()]


def phone_key(text: str | None) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if ch.isdigit()) if isinstance(text, str) else ""


def address_key(text: str | None) -> str:
    if not isinstance(text, str):
        return ""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if ch.isalnum()).casefold()


def map_unique(series, func):
    """Apply `func` once per distinct value of a pandas Series (func(None) for missing cells)."""
    import pandas as pd

    mapping = {u: func(u) for u in series.dropna().unique()}
    default = func(None)
    fresh = isinstance(default, list)
    out = [mapping[v] if isinstance(v, str) else (list(default) if fresh else default) for v in series.tolist()]
    return pd.Series(out, index=series.index, dtype=object)
