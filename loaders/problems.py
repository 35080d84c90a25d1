"""Problems found in input data: where (file, line, column), what was found, what was expected, how to fix it. A
problem is said in English (what the command line prints), and in Chinese where its maker declares the Chinese beside
the English (`zh=Zh(message, fix)`; every problem the loaders make does, as tests/test_problems_zh.py checks): on
the workbench's and a run's index page in Chinese (`Problem.text("zh")`), with the words around it (line, column,
found, fix) from WORDS."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from ..cells import quoted
from ..errors import GovtiesError
from ..graph.vocabulary import counted

MAX_PER_COLUMN = 100  # problems listed per column (of one kind); the rest are counted
TOLD = 20  # rows a file's loader skips or takes (repeated headers, page lines, repeated records) told a line each


def more_rows(n: int, message: str, message_zh: str) -> tuple[str, str]:
    """The line that counts a column's rows past those listed one by one, saying their problem again (en, zh)."""
    return f"{n} more rows: {message}", f"另有{n}行：{message_zh}"


class Zh(NamedTuple):
    """A problem's message and fix in Chinese, declared where the English ones are (`Problems.add(..., zh=Zh(...))`),
    for the workbench's Chinese page. A problem without them is said whole in English in every language."""

    message: str
    fix: str | None = None


class _Words(NamedTuple):
    """The words around a problem's message in one language: where it is, what was found, how to fix it."""

    line: str
    column: str  # a column by its position and header name
    named: str  # a column by its header name alone
    said: str  # between the place and the message
    found: str
    fix: str


#: A problem's words in each language it can be said in (the English is what the command line prints).
WORDS = {"en": _Words(", line {}", ", column {} ({})", ", column {}", ": ", " (found {!r})", "; fix: {}"),
         "zh": _Words("，第{}行", "，第{}列（{}）", "，{}列", "：", "（文件中为“{}”）", "；改正方法：{}")}


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int | None  # 1-based line in the file (the header is line 1); None for file-level problems
    column: str | None  # the column's header name
    message: str  # what is wrong and what was expected
    value: str | None = None
    fix: str | None = None
    col_no: int | None = None  # 1-based column position
    level: str = "error"  # "error" stops the load; "warning" is reported and the row is handled as documented
    zh: Zh | None = field(default=None, compare=False)  # the message and the fix in Chinese

    def __post_init__(self) -> None:
        if self.zh is not None and bool(self.zh.fix) != bool(self.fix):
            raise TypeError(f"a problem's Chinese has a fix exactly when its English has one: {self.message!r}")

    def location(self, lang: str = "en") -> str:
        words = WORDS[lang if self.zh is not None else "en"]
        where = self.file
        if self.line is not None:
            where += words.line.format(self.line)
        if self.column is not None:
            where += words.column.format(self.col_no, self.column) if self.col_no else words.named.format(self.column)
        return where

    def text(self, lang: str = "en") -> str:
        """The problem as one line in `lang` ("en" or "zh"): where, what, the value found, the fix. In English
        when it has no Chinese (`zh`): a line is never half translated."""
        zh = self.zh if lang == "zh" else None
        words = WORDS["zh" if zh is not None else "en"]
        text = self.location(lang) + words.said + (zh.message if zh is not None else self.message)
        if self.value is not None:
            shown = self.value if len(self.value) <= 80 else self.value[:77] + "..."
            text += words.found.format(shown if zh is None else quoted(shown))
        fix = zh.fix if zh is not None else self.fix
        if fix:
            text += words.fix.format(fix)
        return text

    def __str__(self) -> str:
        return self.text("en")


@dataclass
class Problems:
    items: list[Problem] = field(default_factory=list)
    #: files whose problems come first, in this order (a dataset's: the files others refer to before them); the
    #: others' after, by name
    first: tuple[str, ...] = ()
    #: files of a dataset folder not read although they look like data: name -> the contract file it is named
    #: after (None: a workbook, which may hold any)
    unread: dict[str, str | None] = field(default_factory=dict)

    def add(self, *args, **kwargs) -> None:
        self.items.append(Problem(*args, **kwargs))

    def warn(self, file: str, line: int | None, column: str | None, message: str, value: str | None = None,
             fix: str | None = None, col_no: int | None = None, zh: Zh | None = None) -> None:
        self.items.append(Problem(file, line, column, message, value, fix, col_no, level="warning", zh=zh))

    @property
    def errors(self) -> list[Problem]:
        return self._sorted("error")

    @property
    def warnings(self) -> list[Problem]:
        return self._sorted("warning")

    def _sorted(self, level: str) -> list[Problem]:
        """A file's problems together, the files in `first`'s order, then by name; in a file, what concerns it
        whole first, then its rows by line, then each column's count of rows not shown one by one."""
        rank = {f: i for i, f in enumerate(self.first)}

        def order(p: Problem):
            place = 0 if p.line is None and p.column is None else 2 if p.line is None else 1
            return (rank.get(p.file, len(rank)), p.file, place, p.line or 0, p.col_no or 0, p.message)

        return sorted((p for p in self.items if p.level == level), key=order)


class DataError(GovtiesError):
    """The input has errors; nothing was done with it (`outcome`: what, for the last line: a dataset is not
    loaded). `problems` lists every one of them; the message (what a notebook shows) is the report of the first
    SHOWN, each with its file, line, column and fix."""

    SHOWN = 20
    NOT_LOADED = "nothing was loaded"  # the outcome of a dataset refused

    def __init__(self, problems: list[Problem], outcome: str = NOT_LOADED,
                 warnings: list[Problem] | None = None):
        self.problems = problems
        self.outcome = outcome
        self.warnings = warnings or []  # found beside the errors: told with them, so one run shows everything
        super().__init__(counted(f"{len(problems)} problem(s) in the input; {outcome}", len(problems)))

    def __str__(self) -> str:
        return self.report()

    def report(self, limit: int | None = SHOWN, more: str = "") -> str:
        """Every problem a line (the first `limit`; None: all), then how many and what was done; one problem is
        one line. The warnings found beside them follow the problems, `warning: ` before each (the first `limit`),
        so that one run tells everything. `more`: said after the count of problems or warnings not listed (where
        the rest are listed)."""
        n, limit = len(self.problems), len(self.problems) + len(self.warnings) if limit is None else limit
        told = [f"warning: {w}" for w in self.warnings[:limit]]
        if len(self.warnings) > limit:
            told.append(f"... and {len(self.warnings) - limit} more warnings{more}")
        if n == 1:
            return "\n".join([f"{self.problems[0]} ({self.outcome})", *told])
        lines = [str(p) for p in self.problems[:limit]]
        if n > limit:
            lines.append(f"... and {n - limit} more problems{more}")
        lines += told
        lines.append(counted(f"{n} problem(s); {self.outcome}. Fix {'it' if n == 1 else 'them'} and run again.", n))
        return "\n".join(lines)
