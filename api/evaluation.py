"""Quantified evaluation (科学量化评价, 晾晒比拼): agencies and regions ranked by the comparable index of
rules/aggregate.py (facts weighted high 3 / medium 2 / low 1 per 10 officials who held posts there in the period),
its trend by year (each year's index over that year's post holders), and two periods compared, so that a
supervisor sees which units improve. A finding counts in the year of the last date of its evidence."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..errors import GovtiesError
from ..rules.aggregate import RANKED_FIELDS, aggregate, post_spans

LEVELS = {"agencies": "agency_id", "regions": "region"}


class EvaluationError(GovtiesError):
    """An evaluation request cannot be answered as asked."""


def _in(findings: list[dict[str, Any]], start: str | None, end: str | None) -> list[dict[str, Any]]:
    """The findings whose evidence ends in [start, end]; without a period, every finding (an undated one too, as
    the report's and rankings' tables count it)."""
    if not start and not end:
        return findings
    return [f for f in findings if f.get("last_date") and (not start or f["last_date"] >= start)
            and (not end or f["last_date"] <= end)]


class Evaluation:
    """Mixin of api.workspace.Workspace."""

    store: Any
    backend: Any

    def _recorded(self) -> tuple[Any, int]:
        """What the recorded findings are as of now (the latest sweep, how many): the key of what is made of them
        and kept (an object's id would be another's once it is gone)."""
        sweep = self.latest_sweep()  # type: ignore[attr-defined]
        return sweep["sweep_id"] if sweep else None, self.store.count("finding")

    def _current(self) -> list[dict[str, Any]]:
        return self.cached(("findings", *self._recorded()), lambda: [  # type: ignore[attr-defined]
            {c: r[c] for c in RANKED_FIELDS} for r in self.store.select("finding", order=[("finding_id", False)])])

    def _tables(self, findings: list[dict[str, Any]], period: tuple[str | None, str | None]
                ) -> dict[str, pd.DataFrame]:
        """The agencies' and regions' tables of the findings of one period (both made at once: a page shows one
        level, and the other is a click away), officials counted from the posts read once per recorded sweep; a
        period without findings ranks every unit with officials then at 0."""
        posts = self.cached(("posts", *self._recorded()), lambda: post_spans(self.backend))  # type: ignore
        tables = aggregate(self.backend, findings, sorted({f["rule"] for f in findings}), period, posts)
        return {level: tables[level] for level in LEVELS}

    def ranking(self, level: str = "agencies", start: str | None = None, end: str | None = None) -> pd.DataFrame:
        """Units ranked by the index (findings whose evidence ends in [start, end], or all)."""
        if level not in LEVELS:
            raise EvaluationError(f"evaluate agencies or regions, not {level!r}")
        findings = self._current()
        key = ("ranking", start, end, *self._recorded())
        return self.cached(key, lambda: self._tables(_in(findings, start, end), (start, end)))[level]  # type: ignore

    def finding_years(self) -> list[str]:
        """Every year some recorded finding counts in (its evidence's last date), earliest first."""
        findings = self._current()
        return self.cached(("years", *self._recorded()), lambda: sorted(  # type: ignore[attr-defined]
            {f["last_date"][:4] for f in findings if f.get("last_date")}))

    def year_span(self) -> list[str]:
        """Every year from the first some recorded finding counts in to the last, those with none between too."""
        found = self.finding_years()
        return [str(y) for y in range(int(found[0]), int(found[-1]) + 1)] if found else []

    def trend(self, level: str = "agencies", years: int | None = 6, top: int = 15) -> tuple[list[str], pd.DataFrame]:
        """The index per unit and year over the last `years` years of the span of the findings (None: every year
        of it; a year without findings is a column of 0, not left out), for the `top` units of the whole ranking
        that have findings: (years, a table unit -> index per year; a unit with no finding that year has 0)."""
        present = self.year_span()
        present = present[-years:] if years else present
        overall = self.ranking(level)
        if overall.empty:
            return present, pd.DataFrame()
        key = LEVELS[level]
        units = overall[overall["findings"] > 0][key].head(top).tolist()  # not the units ranked at 0
        table = overall.set_index(key).loc[units, [c for c in ("agency_name",) if c in overall.columns]].copy()
        found = set(self.finding_years())
        for year in present:
            if year not in found:  # no finding counts in it: every unit is at 0, no ranking to make
                table[year] = 0.0
                continue
            ranked = self.ranking(level, f"{year}-01-01", f"{year}-12-31")
            index = ranked.set_index(key)["index_per_10_officials"] if not ranked.empty else pd.Series(dtype=float)
            table[year] = index.reindex(units).fillna(0.0).to_numpy()
        return present, table.reset_index()

    def compare(self, level: str, a: tuple[str | None, str | None], b: tuple[str | None, str | None]) -> pd.DataFrame:
        """The index of each unit with findings in period a or in period b, in each, and the change (negative:
        fewer or milder findings per official in b), units that improved most first."""
        ra, rb = self.ranking(level, *a), self.ranking(level, *b)
        key = LEVELS[level]
        cols = [key] + (["agency_name"] if "agency_name" in ra.columns or "agency_name" in rb.columns else [])
        left = ra[[*cols, "index_per_10_officials", "findings"]] if not ra.empty else pd.DataFrame(
            columns=[*cols, "index_per_10_officials", "findings"])
        right = rb[[*cols, "index_per_10_officials", "findings"]] if not rb.empty else pd.DataFrame(
            columns=[*cols, "index_per_10_officials", "findings"])
        both = left.merge(right, on=cols, how="outer", suffixes=("_a", "_b"))
        for c in ("index_per_10_officials_a", "index_per_10_officials_b", "findings_a", "findings_b"):
            both[c] = pd.to_numeric(both[c], errors="coerce").fillna(0)
        both = both[(both["findings_a"] > 0) | (both["findings_b"] > 0)].copy()  # none in either: nothing to compare
        both["change"] = (both["index_per_10_officials_b"] - both["index_per_10_officials_a"]).round(2)
        return both.sort_values(["change", key]).reset_index(drop=True)


__all__ = ["Evaluation", "EvaluationError", "LEVELS"]
