"""Parsing and normalizing single values: dates, vocabularies, resident IDs, credit codes, contacts, regions."""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
import unicodedata
from typing import Literal
from decimal import Decimal
from functools import lru_cache

from ..graph.vocabulary import ALL, CONTRACT, fold_word

# -- dates ---------------------------------------------------------------------------------------
#: A time of day after a date, as database and spreadsheet exports write it (2021-03-05 14:30:00, 2021-03-05T00:00,
#: 2021/3/5 9:05, 2021-03-05T14:30:00+08:00): a date column reads the date and leaves the time
_ZONES = r"UTC|Z|[+-][0-9]{2}:?[0-9]{2}"  # a time's zone, as ISO 8601 and the workbench's export write it
_TIME = rf"(?:[ T](?:[01]?[0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\.[0-9]{{1,9}})?)?(?:\s*(?:{_ZONES}))?)?"
_DATE_PATTERNS = (
    re.compile(rf"^([0-9]{{4}})-([0-9]{{1,2}})-([0-9]{{1,2}}){_TIME}$"),
    re.compile(rf"^([0-9]{{4}})/([0-9]{{1,2}})/([0-9]{{1,2}}){_TIME}$"),
    re.compile(rf"^([0-9]{{4}})\.([0-9]{{1,2}})\.([0-9]{{1,2}}){_TIME}$"),
    re.compile(r"^([0-9]{4})([0-9]{2})([0-9]{2})$"),
    re.compile(r"^([0-9]{4})\s*年\s*([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*日$"),
)
#: The same forms without spaces, with named parts, for reading a column's distinct values in C (loaders.validate)
DATE_PATTERNS_C = (rf"^(?P<y>[0-9]{{4}})-(?P<m>[0-9]{{1,2}})-(?P<d>[0-9]{{1,2}}){_TIME}$",
                   rf"^(?P<y>[0-9]{{4}})/(?P<m>[0-9]{{1,2}})/(?P<d>[0-9]{{1,2}}){_TIME}$",
                   rf"^(?P<y>[0-9]{{4}})\.(?P<m>[0-9]{{1,2}})\.(?P<d>[0-9]{{1,2}}){_TIME}$",
                   r"^(?P<y>[0-9]{4})(?P<m>[0-9]{2})(?P<d>[0-9]{2})$",
                   r"^(?P<y>[0-9]{4})年(?P<m>[0-9]{1,2})月(?P<d>[0-9]{1,2})日$")
#: Every accepted form, for error messages (the README lists the same).
DATE_FORMS = ("YYYY-MM-DD", "2021-3-5", "YYYY/MM/DD", "2021/3/5", "YYYY.MM.DD", "2021.3.5", "YYYYMMDD",
              "2021年3月5日", "2021-03-05 14:30:00")
DATE_EXPECTED = f"a date as YYYY-MM-DD (also accepted: {', '.join(DATE_FORMS[1:])})"
DATE_EXPECTED_ZH = f"应为 YYYY-MM-DD 形式的日期（也接受：{'、'.join(DATE_FORMS[1:])}）"
MIN_DATE, MAX_DATE = dt.date(1900, 1, 1), dt.date(2100, 12, 31)
#: An end date that says the post, role or tie goes on, as appointment registers write it: read as no end date
#: (the contract's empty end_date: still in post); matched whatever its case, width and spaces (至 今, PRESENT)
OPEN_END = ("至今", "今", "现在", "现今", "在任", "现任", "至今在任", "present", "now", "ongoing")


def word_key(text: str) -> str:
    """A word as it is matched (a header, a file or sheet name, 合计, 至今): NFKC, case folded, without spaces (姓　名,
    as forms align headers with ideographic spaces, is 姓名; 合 计 is 合计)."""
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


_OPEN_END = frozenset(word_key(w) for w in OPEN_END)


def open_end(text: str) -> bool:
    """Whether an end date's text says it goes on (OPEN_END)."""
    return word_key(text) in _OPEN_END


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


def date_fault(text: str, lang: str = "en") -> tuple[Literal["form", "day", "range", "serial", "part", "month"], str]:
    """What is wrong with `text` as a date (parse_date gave None): its form ("form": not one govties reads; "serial":
    a number as Excel keeps a date; "part": a year and month, or a year, without the day; "month": 2012.1, January
    or October), the day ("day": in a
    form govties reads, but no such day) or its year ("range"); and why, in words (`lang`: "en", or "zh" for the
    workbench's Chinese page)."""
    s = unicodedata.normalize("NFKC", text).strip()
    for pattern in _DATE_PATTERNS:
        m = pattern.match(s)
        if m:
            year, month, day = int(m[1]), int(m[2]), int(m[3])
            try:
                if MIN_DATE.year <= year <= MAX_DATE.year:  # year 0 or 9999: the range is what is wrong, not the day
                    dt.date(year, month, day)
            except ValueError:
                if not 1 <= month <= 12:
                    return "day", _in(lang, f"没有{month}月（月份为1至12）",
                                      f"there is no month {month} (months are 1 to 12)")
                return "day", _in(lang, f"{year}年{month}月没有{day}日",
                                  f"there is no day {day} in month {month} of {year}")
            return "range", _in(lang, f"超出{MIN_DATE.year}–{MAX_DATE.year}年的范围",
                                f"it is outside {MIN_DATE.year}–{MAX_DATE.year}")
    if _SERIAL.fullmatch(s) and int(s) <= _LAST_SERIAL:
        kept = (_EXCEL_DAY_0 + dt.timedelta(days=int(s))).isoformat()
        return "serial", _in(lang, f"是一个数字：Excel 把日期{kept}存在未设为日期格式的单元格里就是这样",
                             f"a number, as Excel keeps the date {kept} in a cell not formatted as a date")
    if _JANUARY_OR_OCTOBER.fullmatch(s):
        return "month", _in(lang, f"{s}可能是1月，也可能是10月（数字单元格会把{s}0写成{s}）",
                            f"{s} is January or October (a number cell writes {s}0 as {s})")
    if _PART.fullmatch(s):
        return "part", _in(lang, "只有年月或年份，没有日", "a year and month, or a year, without the day")
    return "form", _in(lang, DATE_EXPECTED_ZH, f"expected {DATE_EXPECTED}")


#: A date as Excel keeps it, days from 1899-12-30 (as the 1900 date system counts from 1 March 1900 on): five
#: digits, 1927-05-18 to 2100-12-31; four digits are read as a year
_SERIAL, _EXCEL_DAY_0 = re.compile(r"[1-9][0-9]{4}"), dt.date(1899, 12, 30)
_LAST_SERIAL = (MAX_DATE - _EXCEL_DAY_0).days
#: A year and month (1984.02, 1959年3月, 1984-2) or a year (1984, 1984年): a date without its day
_PART = re.compile(r"(19|20)[0-9]{2}(\s*[-./年]\s*(0?[1-9]|1[0-2])\s*月?|\s*年)?")
_MONTH = re.compile(r"((?:19|20)[0-9]{2})\s*[-./年]\s*(0?[1-9]|1[0-2])\s*月?")
#: 2012.1: the number Excel keeps for 2012.10 as for 2012.1, so neither month is read from it
_JANUARY_OR_OCTOBER = re.compile(r"(19|20)[0-9]{2}\.1")


def whole_month(text: str, last: bool = False) -> str | None:
    """A year and month without the day (2012.07, 2012年7月), as appointment forms write a post's start, read as
    the month's first day (`last`: its last day); None for any other text."""
    plain = unicodedata.normalize("NFKC", text).strip()
    m = _MONTH.fullmatch(plain)
    if not m or _JANUARY_OR_OCTOBER.fullmatch(plain):
        return None
    year, month = int(m[1]), int(m[2])
    day = calendar.monthrange(year, month)[1] if last else 1
    return dt.date(year, month, day).isoformat()


def _in(lang: str, zh: str, en: str) -> str:
    """The words in `lang`, declared side by side (Chinese first, as every (zh, en) pair of govties)."""
    return zh if lang == "zh" else en


def date_problem(text: str, lang: str = "en") -> str:
    """Why `text` is not an accepted date, in words for a message (parse_date gave None), in `lang`."""
    return date_fault(text, lang)[1]


# a time of day after a date, as a triage file's `when` may give one: 2025-01-03 14:30, 2025/1/3T14:30:05, and as the
# workbench's export and ISO 8601 write it (2026-12-01 18:18 UTC, 2026-12-01T18:18:03.5+08:00)
_TIME_AFTER = re.compile(r"^(.*?)(?:\s+|\s*[Tt]\s*)([0-9]{1,2}):([0-9]{2})(?::([0-9]{2})(?:\.[0-9]{1,9})?)?"
                         rf"\s*({_ZONES})?$", re.IGNORECASE)  # any hour and minute, so that a wrong one is named


def parse_moment(text: str) -> str | None:
    """ISO date (YYYY-MM-DD), or date and time to the minute (YYYY-MM-DDTHH:MM) when a time follows the date
    (after a space or T), a time with a zone given in UTC (08:30+08:00 is 00:30); any date form parse_date reads.
    None when `text` is neither."""
    s = unicodedata.normalize("NFKC", text).strip()
    m = _TIME_AFTER.match(s)
    if m is None:
        return parse_date(s)
    day = parse_date(m[1])
    try:
        time = dt.time(int(m[2]), int(m[3]), int(m[4] or 0))
    except ValueError:
        return None
    if day is None:
        return None
    moment = dt.datetime.combine(dt.date.fromisoformat(day), time)
    zone = (m[5] or "").upper()
    if zone[:1] in ("+", "-"):  # an offset: the same moment in UTC, as the workbench records times
        hours, minutes = int(zone[1:3]), int(zone[-2:])
        moment -= (1 if zone[0] == "+" else -1) * dt.timedelta(hours=hours, minutes=minutes)
    return moment.strftime("%Y-%m-%dT%H:%M")


def moment_problem(text: str, lang: str = "en") -> str:
    """Why `text` is not an accepted date, or date and time, in words for a message (parse_moment gave None); in
    `lang` ("en", or "zh")."""
    s = unicodedata.normalize("NFKC", text).strip()
    m = _TIME_AFTER.match(s)
    day = s if m is None else m[1]
    if m is not None and parse_date(day) is not None:
        said = f"{m[2]}:{m[3]}" + (f":{m[4]}" if m[4] else "")
        return _in(lang, f"没有{said}这个时刻（时为0至23，分和秒为0至59）",
                   f"there is no time of day {said} (hours 0 to 23, minutes and seconds 0 to 59)")
    return date_fault(day, lang)[1]  # its form's words name the date-and-time form too


# -- vocabularies (declared once, in graph.vocabulary) ------------------------------------------------
VOCABULARIES: dict[str, dict[str, str]] = {name: v.words() for name, v in CONTRACT.items()}


def vocabulary_word(vocab: str, text: str) -> str | None:
    return VOCABULARIES[vocab].get(fold_word(text))


def vocabulary_choice(vocab: str, lang: str = "en") -> str:
    """The accepted words of a vocabulary (graph.vocabulary.ALL: the contract's, or another read from a file, such
    as triage_status), short enough to read: each id with its main Chinese word, and an example of the other words
    that are accepted too ("one of open (待核查), ..."; in Chinese "open（待核查）、…之一")."""
    terms = ALL[vocab].terms
    other = _other_word(vocab)
    if lang == "zh":
        words = "、".join(f"{t.id}（{t.zh}）" if not t.zh.isascii() else t.id for t in terms)
        return f"{words}之一" + (f"；也可写其他中文写法，如“{other}”" if other else "")
    words = ", ".join(f"{t.id} ({t.zh})" if not t.zh.isascii() else t.id for t in terms)
    return f"one of {words}" + (f"; other Chinese words such as {other} are accepted too" if other else "")


def vocabulary_expected(vocab: str, lang: str = "en") -> str:
    """What a value of a vocabulary is expected to be, in `lang` ("expected one of open (待核查), ...",
    "应为open（待核查）、…之一")."""
    return _in(lang, f"应为{vocabulary_choice(vocab, 'zh')}", f"expected {vocabulary_choice(vocab)}")


def _other_word(vocab: str) -> str | None:
    return next((a for t in ALL[vocab].terms for a in t.aliases if not a.isascii()), None)


def vocabulary_fix(vocab: str, column: str, lang: str = "en") -> str:
    first = CONTRACT[vocab].terms[0].id
    return _in(lang, f"使用其中一个词，或在 --mapping 映射文件中把您的写法对应到其中一个（values: {{{column}: "
                     f"{{您的写法: {first}}}}}）",
               f"use one of these words, or map yours to one in a --mapping file (values: {{{column}: "
               f"{{YOUR_WORD: {first}}}}})")


# -- numbers -------------------------------------------------------------------------------------
UNITS = {"": 1, "万": 10_000, "百万": 1_000_000, "千万": 10_000_000, "亿": 100_000_000}  # an amount's unit, in yuan
_AMOUNT = re.compile(r"^(?:¥|rmb|cny|人民币)?([+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?|[+-]?\.[0-9]+)"
                     r"(万|百万|千万|亿)?(?:元|圆|rmb|cny)?$")
AMOUNT_EXPECTED = ("an amount in yuan, 0 or more: digits (1500000, 1,500,000.00), with ¥ or 元 if you like, or "
                   "with 万 or 亿 (120万, 1.2亿)")
AMOUNT_EXPECTED_ZH = ("以元为单位、不小于0的金额：数字（1500000、1,500,000.00），可带 ¥ 或“元”，"
                      "也可用万、亿（120万、1.2亿）")


#: digits with spaces between them, and the one form of it an amount takes: thousands grouped by spaces (1 500 000)
_DIGIT_RUNS = re.compile(r"[0-9.]+(?:\s+[0-9.]+)+")
_SPACED = re.compile(r"[1-9][0-9]{0,2}(?: [0-9]{3})+(?:\.[0-9]+)?")
_FOREIGN_DIGIT = re.compile(r"(?![0-9])\d")  # a decimal digit of another script (١٢٣) than ASCII (full-width folds)


def parse_amount(text: str) -> float | None:
    """An amount in yuan: 1500000, 1,500,000.00, ¥1500 / ￥1500, 1500元, 120万, 1.2亿, 120万元 (exact decimal
    arithmetic for the units), or any plain number parse_number accepts."""
    folded = unicodedata.normalize("NFKC", text)
    if any(not _SPACED.fullmatch(run[0]) for run in _DIGIT_RUNS.finditer(folded)):
        return None  # two numbers in one cell (1 2, 12 00), not thousands apart (another script's digits: below)
    s = "".join(folded.split()).casefold()
    m = _AMOUNT.match(s)
    if m is None:
        return None if "," in s else parse_number(text)  # 12,00 is not grouped by thousands: not an amount
    value = float(Decimal(m[1].replace(",", "")) * UNITS[m[2] or ""])
    return value if math.isfinite(value) else None


def parse_year(text: str) -> int | None:
    """A four-digit year from 1900 to 2100 (ASCII or full-width digits, optionally followed by 年)."""
    s = text.strip().translate(_FULL_WIDTH_DIGITS).removesuffix("年").strip()
    if not re.fullmatch(r"[0-9]{4}", s):
        return None
    year = int(s)
    return year if 1900 <= year <= 2100 else None


_FULL_WIDTH_DIGITS = {0xFF10 + i: ord("0") + i for i in range(10)}


def parse_number(text: str) -> float | None:
    s = unicodedata.normalize("NFKC", text).strip().replace(",", "").replace("¥", "").replace("元", "")
    if _FOREIGN_DIGIT.search(s):  # float() reads ١٢٣; a ledger does not write it
        return None
    if "_" in s:  # float() reads 1_000; a ledger does not write it
        return None
    try:
        value = float(s)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


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
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def id_text(text: str) -> str:
    """A resident ID's text as normalize_id_number reads it: full-width characters folded, spaces dropped, upper
    case."""
    return "".join(unicodedata.normalize("NFKC", text).split()).upper()


def id_shaped(text: str) -> bool:
    """Whether `text` has a resident ID's shape (17 digits and a digit or X, read as id_text), valid or not."""
    return re.fullmatch(r"\d{17}[\dX]", id_text(text)) is not None


def normalize_id_number(text: str, lang: str = "en") -> tuple[str | None, str | None]:
    """(normalized 18-char ID, None) or (None, reason) for a resident ID (the reason in `lang`: "en" or "zh").

    Full-width characters are folded, `x` upper-cased, spaces dropped, and a 15-digit ID converted to its
    18-digit form (19 inserted after the region code, the check digit recomputed).
    """
    s = id_text(text)
    if re.fullmatch(r"\d{15}", s):
        body = s[:6] + "19" + s[6:]
        return body + id_check_char(body), None
    if not re.fullmatch(r"\d{17}[\dX]", s):
        return None, _in(lang, "身份证号应为18位（17位数字加一位数字或X）或15位数字",
                         "a resident ID has 18 characters (17 digits and a digit or X) or 15 digits")
    try:
        dt.date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        return None, _in(lang, "身份证号中的出生日期（第7至14位）不是有效日期",
                         "the birth date inside the resident ID (characters 7-14) is not a valid date")
    if id_check_char(s[:17]) != s[17]:
        return None, _in(lang, f"校验码不对（按 GB 11643 应为“{id_check_char(s[:17])}”）",
                         f"the check digit is wrong (GB 11643 gives {id_check_char(s[:17])!r})")
    return s, None


# -- unified social credit code (GB 32100) -------------------------------------------------------
_CC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_check_char(first17: str) -> str:
    total = sum(_CC_CHARS.index(c) * w for c, w in zip(first17, _CC_WEIGHTS, strict=True))
    return _CC_CHARS[(31 - total % 31) % 31]


def check_credit_code(text: str, lang: str = "en") -> tuple[str | None, str | None]:
    """(normalized code, None) or (None, reason) for a unified social credit code (the reason in `lang`)."""
    s = "".join(unicodedata.normalize("NFKC", text).split()).upper()
    if len(s) != 18 or any(c not in _CC_CHARS for c in s):
        return None, _in(lang, "统一社会信用代码应为18位，由数字0-9和除I、O、S、V、Z以外的字母A-Y组成",
                         "a unified social credit code has 18 characters from 0-9 and A-Y without I, O, S, V, Z")
    if credit_check_char(s[:17]) != s[17]:
        return None, _in(lang, f"校验码不对（按 GB 32100 应为“{credit_check_char(s[:17])}”）",
                         f"the check character is wrong (GB 32100 gives {credit_check_char(s[:17])!r})")
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
