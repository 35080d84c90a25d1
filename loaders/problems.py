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
    """The dataset has errors; nothing was stored. `problems` lists every one of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the input; nothing was loaded")

    def report(self, limit: int = 200) -> str:
        lines = [str(p) for p in self.problems[:limit]]
        if len(self.problems) > limit:
            lines.append(f"... and {len(self.problems) - limit} more problems")
        lines.append(counted(f"{len(self.problems)} problem(s); nothing was loaded. Fix them and run again.",
                             len(self.problems)))
        return "\n".join(lines)
