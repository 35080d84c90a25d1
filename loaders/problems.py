"""Problems found in input data: where (file, line, column), what was found, what was expected, how to fix it."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import GovtiesError
from ..graph.vocabulary import counted


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

    def location(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", line {self.line}"
        if self.column is not None:
            where += f", column {self.col_no} ({self.column})" if self.col_no else f", column {self.column}"
        return where

    def __str__(self) -> str:
        text = f"{self.location()}: {self.message}"
        if self.value is not None:
            shown = self.value if len(self.value) <= 80 else self.value[:77] + "..."
            text += f" (found {shown!r})"
        if self.fix:
            text += f"; fix: {self.fix}"
        return text


@dataclass
class Problems:
    items: list[Problem] = field(default_factory=list)

    def add(self, *args, **kwargs) -> None:
        self.items.append(Problem(*args, **kwargs))

    def warn(self, file: str, line: int | None, column: str | None, message: str, value: str | None = None,
             fix: str | None = None, col_no: int | None = None) -> None:
        self.items.append(Problem(file, line, column, message, value, fix, col_no, level="warning"))

    @property
    def errors(self) -> list[Problem]:
        return sorted((p for p in self.items if p.level == "error"), key=_order)

    @property
    def warnings(self) -> list[Problem]:
        return sorted((p for p in self.items if p.level == "warning"), key=_order)


def _order(p: Problem):
    return (p.file, p.line or 0, p.col_no or 0, p.message)


class DataError(GovtiesError):
    """The input has errors; nothing was done with it (`outcome`: what, for the last line: a dataset is not
    loaded). `problems` lists every one of them; the message (what a notebook shows) is the report of the first
    SHOWN, each with its file, line, column and fix."""

    SHOWN = 20

    def __init__(self, problems: list[Problem], outcome: str = "nothing was loaded"):
        self.problems = problems
        self.outcome = outcome
        super().__init__(counted(f"{len(problems)} problem(s) in the input; {outcome}", len(problems)))

    def __str__(self) -> str:
        return self.report(self.SHOWN)

    def report(self, limit: int = 200) -> str:
        """Every problem a line (at most `limit`), then how many and what was done; one problem is one line."""
        n = len(self.problems)
        if n == 1:
            return f"{self.problems[0]} ({self.outcome})"
        lines = [str(p) for p in self.problems[:limit]]
        if n > limit:
            lines.append(f"... and {n - limit} more problems")
        lines.append(counted(f"{n} problem(s); {self.outcome}. Fix {'it' if n == 1 else 'them'} and run again.", n))
        return "\n".join(lines)
