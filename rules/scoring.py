"""The severity and score model (documented in README "Scores and severity").

score = rule weight (rule.toml `weight`)
      + closeness of the relation in between (spouse/child/self +15, child's spouse/parent +10,
        sibling +8, other kin +5, none 0)
      + amount of the decisions involved (>= 10M yuan +15, >= 1M +10, >= 100k +5)
      + recency of the evidence against the sweep's `as_of` date (last date within 3 years before it, or after
        it, +5; more than 10 years before -10)
clamped to 0..100. Severity starts at the rule's severity, is raised one step at score >= 85 and
lowered one step below 40.
"""

from __future__ import annotations

import datetime as dt

CLOSENESS = {"self": 15, "spouse": 15, "child": 15, "child_spouse": 10, "parent": 10, "sibling": 8,
             "spouse_parent": 5, "spouse_sibling": 5, "sibling_spouse": 5, "grandchild": 5, "grandparent": 5,
             "other": 0, None: 0}
LEVELS = ("low", "medium", "high")


def closeness(relations: list[str | None]) -> tuple[int, str | None]:
    best = max(relations, key=lambda r: CLOSENESS.get(r, 0), default=None)
    return CLOSENESS.get(best, 0), best


def amount_points(total: float | None) -> int:
    if not total:
        return 0
    if total >= 10_000_000:
        return 15
    if total >= 1_000_000:
        return 10
    if total >= 100_000:
        return 5
    return 0


def recency_points(last_date: str | None, as_of: str | None) -> int:
    if not last_date or not as_of:
        return 0
    age = (dt.date.fromisoformat(as_of) - dt.date.fromisoformat(last_date)).days / 365.25
    if age <= 3:
        return 5
    if age > 10:
        return -10
    return 0


def score(weight: int, relations: list[str | None], amount: float | None, last_date: str | None,
          as_of: str | None) -> int:
    total = weight + closeness(relations)[0] + amount_points(amount) + recency_points(last_date, as_of)
    return max(0, min(100, int(total)))


class Scores:
    """score() for the findings of one rule's sweep: each last date's recency is worked out once."""

    def __init__(self, weight: int, as_of: str | None):
        self.weight, self.as_of = weight, as_of
        self.recency: dict[str | None, int] = {}

    def __call__(self, relations: list[str | None], amount: float | None, last_date: str | None) -> int:
        recency = self.recency.get(last_date)
        if recency is None:
            recency = self.recency[last_date] = recency_points(last_date, self.as_of)
        near = CLOSENESS.get(relations[0], 0) if len(relations) == 1 else closeness(relations)[0]
        total = self.weight + near + amount_points(amount) + recency
        return max(0, min(100, int(total)))


def severity(base: str, value: int) -> str:
    i = LEVELS.index(base)
    if value >= 85:
        i = min(i + 1, 2)
    elif value < 40:
        i = max(i - 1, 0)
    return LEVELS[i]
