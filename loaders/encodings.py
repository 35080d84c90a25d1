"""Decoding a file's bytes: UTF-8 (with or without BOM), GB18030/GBK, Big5. A guess is always reported, never
silent; Big5 (Traditional Chinese) is told apart from GB18030, which decodes almost any bytes into nonsense."""

from __future__ import annotations

import re
from itertools import islice
from typing import Any

from .problems import Problem, Problems, Zh

#: The encodings --encoding names, with the codec each reads with (cp950: Big5 as Windows writes it). No other:
#: a codec such as latin-1 decodes any bytes, into nonsense that would be read as names.
CODECS = {"utf-8": "utf-8-sig", "utf8": "utf-8-sig", "gb18030": "gb18030", "gbk": "gb18030", "gb2312": "gb18030",
          "big5": "cp950", "cp950": "cp950"}
ADVICE = "give --encoding utf-8, gb18030 or big5"
ADVICE_ZH = "用 --encoding utf-8、gb18030 或 big5 指明编码"
#: the advice for a file read by a command that takes no --encoding (its encoding is detected)
RESAVE, RESAVE_ZH = "re-save the file as UTF-8", "将文件另存为 UTF-8"


def _advised(option: bool, message_zh: str, fix: str, fix_zh: str) -> dict[str, Any]:
    """A decoding problem's fix, and its Chinese (Problems.add's fix= and zh=): the fix naming --encoding when the
    command reading the file takes it (`option`), else the advice to re-save the file as UTF-8."""
    return dict(fix=fix, zh=Zh(message_zh, fix_zh)) if option else dict(fix=RESAVE, zh=Zh(message_zh, RESAVE_ZH))


def unknown_encoding(where: str, encoding: str) -> Problem | None:
    """The problem of an --encoding that is not one of CODECS' names (None when it is one)."""
    if encoding.lower().replace("_", "-") in CODECS:
        return None
    return Problem(where, None, None, f"unknown encoding {encoding!r}",
                   fix="use utf-8, gb18030 or big5, or leave the encoding to be detected",
                   zh=Zh(f"未知的编码“{encoding}”", "使用 utf-8、gb18030 或 big5，或者不指定、由程序识别"))
_SAMPLE = 1 << 16  # bytes looked at to tell Big5 from GB18030


def decode(data: bytes, file: str, problems: Problems, encoding: str | None = None, *,
           option: bool = False) -> tuple[str, str] | None:
    """(text, encoding used) or None with a problem recorded. Never guesses silently: a guess is reported.
    `option`: the command reading the file takes --encoding (a dataset's files), and the advice names it; a file
    read without one (a findings, triage or FtM file: their encoding is detected) is advised to be re-saved."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # the byte order mark of UTF-16, as Excel's "Unicode text" saves
        problems.add(file, None, None, "is UTF-16 (Excel's \"Unicode text\"), which govties does not read",
                     fix="save it from Excel as \"CSV UTF-8\", or re-export it as UTF-8",
                     zh=Zh("是 UTF-16 编码（Excel 的“Unicode 文本”），govties 不读取这种编码",
                           "在 Excel 中另存为“CSV UTF-8”，或重新导出为 UTF-8"))
        return None
    if encoding:
        unknown = unknown_encoding(file, encoding)
        if unknown is not None:
            problems.items.append(unknown)
            return None
        codec = CODECS[encoding.lower().replace("_", "-")]
        if codec != "utf-8-sig" and _plainly_utf8(data, codec):
            problems.add(file, None, None, f"is UTF-8, not {encoding}: its Chinese text reads as UTF-8, and read as "
                         f"{encoding} (--encoding) it would be other characters",
                         fix="leave --encoding out (UTF-8 is read, and other encodings detected), or give it for "
                             "files in that encoding only",
                         zh=Zh(f"是 UTF-8 编码，不是 {encoding}：其中文按 UTF-8 读取无误，按 {encoding}"
                               "（--encoding）读取则成了别的字",
                               "不用 --encoding（UTF-8 直接读取，其他编码自动识别），或只对该编码的文件指定"))
            return None
        try:
            return data.decode(codec), encoding
        except UnicodeDecodeError as exc:
            problems.add(file, None, None, f"cannot be decoded as {encoding}: bad byte at offset {exc.start}",
                         **_advised(option, f"无法按 {encoding} 解码：第{exc.start}字节（从0计）有误",
                                    f"{ADVICE} for this file, or re-save the file as UTF-8",
                                    f"为此文件{ADVICE_ZH}，或将文件另存为 UTF-8"))
            return None
    bom = 3 if data.startswith(b"\xef\xbb\xbf") else 0  # offsets are said in the file's bytes, its BOM counted
    data = data[bom:]
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    # Mostly valid UTF-8 multi-byte text with a few bad bytes is a damaged UTF-8 file, not GB18030.
    lenient = data.decode("utf-8", errors="replace")
    bad = lenient.count("\ufffd")
    good = sum(1 for ch in lenient if ord(ch) > 127) - bad
    if good >= 2 * bad:
        byte = f"0x{data[utf8_error.start]:02x}"
        problems.add(file, None, None,
                     f"is not valid UTF-8: undecodable byte {byte} at byte offset {utf8_error.start + bom}",
                     fix="repair the file, or re-export it as UTF-8"
                         + ("; use --encoding gb18030 or big5 for those files" if option else ""),
                     zh=Zh(f"不是有效的 UTF-8 文本：第{utf8_error.start + bom}字节处（从0计）的 {byte} 无法解码",
                           "修复文件，或重新导出为 UTF-8"
                           + ("；GB18030 或 Big5 编码的文件用 --encoding gb18030 或 big5" if option else "")))
        return None
    if looks_big5(data):
        try:
            text = data.decode("cp950")
        except UnicodeDecodeError as exc:
            problems.add(file, None, None, "looks like Big5 (Traditional Chinese) but has a byte Big5 cannot decode "
                         f"at byte offset {exc.start + bom}", fix="re-save the file as UTF-8",
                         zh=Zh(f"看似 Big5（繁体中文）编码，但第{exc.start + bom}字节（从0计）无法按 Big5 解码",
                               "将文件另存为 UTF-8"))
            return None
        problems.warn(file, None, None, "was not UTF-8; its text is Traditional Chinese in Big5: read it as Big5 "
                      "(detected)", **_advised(option, "不是 UTF-8 编码；识别为 Big5 编码的繁体中文，已按 Big5 读取",
                                               "pass --encoding big5 to make this explicit, or re-save as UTF-8",
                                               "用 --encoding big5 明确指定，或另存为 UTF-8"))
        return text, "big5"
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        problems.add(file, None, None, f"is neither UTF-8 nor GB18030: undecodable byte at byte offset "
                     f"{utf8_error.start + bom} (UTF-8) / {exc.start + bom} (GB18030)",
                     **_advised(option, f"既不是 UTF-8 也不是 GB18030 编码：按 UTF-8 第{utf8_error.start + bom}字节、"
                                f"按 GB18030 第{exc.start + bom}字节（从0计）无法解码",
                                f"re-export the file as UTF-8, or {ADVICE}", f"将文件重新导出为 UTF-8，或{ADVICE_ZH}"))
        return None
    problems.warn(file, None, None, "was not UTF-8; read it as GB18030 (detected)",
                  **_advised(option, "不是 UTF-8 编码；识别为 GB18030，已按 GB18030 读取",
                             "pass --encoding gb18030 to make this explicit, or re-save as UTF-8",
                             "用 --encoding gb18030 明确指定，或另存为 UTF-8"))
    return text, "gb18030"


#: Chinese characters (CJK ideographs) a file that decodes as UTF-8 has at least, for it to be taken as UTF-8 whatever
#: --encoding says, when nearly all its characters beyond ASCII are frequent ones read as UTF-8 and far fewer read in
#: the encoding given. GB18030 or Big5 text is valid UTF-8 by chance only where each character's bytes fit, and then
#: reads as rare ideographs, Latin, Greek or Cyrillic letters (濮鸿博 in GB18030 reads 姺販): such a file is read
#: as --encoding says.
_UTF8_HANZI = 2
_HANZI = re.compile("[\u4e00-\u9fff]")


def _plainly_utf8(data: bytes, codec: str) -> bool:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    hanzi = list(islice(_HANZI.finditer(text), _UTF8_HANZI))
    if len(hanzi) < _UTF8_HANZI:
        return False
    first = hanzi[0].start()  # both readings are compared from the first ideograph on (ids and dates come first)
    start = len(text[:first].encode("utf-8"))
    as_utf8 = _share(text[first:first + _SAMPLE], _frequent)
    as_given = _share(data[start:start + _SAMPLE].decode(codec, errors="replace"), _frequent)
    return as_utf8 >= 0.9 and as_utf8 - as_given >= 0.3


def _frequent(ch: str) -> bool:
    """A frequent character of Simplified or Traditional Chinese text (or its punctuation)."""
    return _frequent_gb(ch) or _frequent_big5(ch)


def looks_big5(data: bytes) -> bool:
    """Big5 rather than GB18030: decoded as Big5, nearly every character is one of Big5's frequent characters
    (A440-C67E), while decoded as GB18030 many are not GB2312's frequent characters (B0A1-D7F9) but kana, Greek,
    private-use or rare characters. GB text decoded either way does the opposite."""
    sample = data[:_SAMPLE]
    big5 = _share(sample.decode("cp950", errors="replace"), _frequent_big5)
    if big5 < 0.9:
        return False
    return big5 - _share(sample.decode("gb18030", errors="replace"), _frequent_gb) >= 0.3


def _share(text: str, frequent) -> float:
    wide = [ch for ch in text if ord(ch) > 127]
    return sum(1 for ch in wide if frequent(ch)) / len(wide) if wide else 0.0


def _frequent_gb(ch: str) -> bool:
    try:
        b = ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return 0xB0 <= b[0] <= 0xD7 or b[0] in (0xA1, 0xA3)  # level-1 hanzi, punctuation, full-width ASCII


def _frequent_big5(ch: str) -> bool:
    try:
        b = ch.encode("cp950")
    except UnicodeEncodeError:
        return False
    return len(b) == 2 and (0xA440 <= (b[0] << 8 | b[1]) <= 0xC67E or b[0] == 0xA1)  # frequent hanzi, punctuation
