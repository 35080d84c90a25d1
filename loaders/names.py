"""Name help where resident IDs are missing: company-role holders known only by name are offered as possible
matches of other people (same name, the same name in simplified characters, the same pinyin; and the same birth
date when both have one). A review list with the reason for each — never merged.

Simplified/traditional folding uses `zhconv` and pinyin uses `pypinyin` when installed (pip install
'govties[names]'); without them only identical names are offered, and the list says so."""

from __future__ import annotations

import datetime as dt

from dataclasses import dataclass

import pandas as pd

from .values import map_unique, normalize_id_number

MAX_GROUP = 50  # a name shared by more people than this is too common to suggest anything


@dataclass
class NameMatch:
    holder_id: str
    candidate_id: str
    holder_name: str
    candidate_name: str
    reason: str


def _variants():
    keys = [("same name", lambda n: n)]
    notes = []
    try:
        import zhconv

        keys.append(("same name in simplified characters", lambda n: zhconv.convert(n, "zh-cn")))
    except ImportError:
        notes.append("traditional/simplified variants not checked (pip install zhconv)")
    try:
        from pypinyin import lazy_pinyin

        keys.append(("same pinyin", lambda n: " ".join(lazy_pinyin(n))))
    except ImportError:
        notes.append("pinyin variants not checked (pip install pypinyin)")
    return keys, notes


def name_matches(people: pd.DataFrame | None, roles: pd.DataFrame | None) -> tuple[list[NameMatch], list[str]]:
    """`people`: the model's person table (canonical ids); `roles`: the role table."""
    if people is None or roles is None or roles.empty:
        return [], []
    valid = map_unique(people["id_number"], lambda v: bool(v) and normalize_id_number(v)[0] is not None).astype(bool)
    no_id = people[~valid]
    holders = set(roles["holder_id"]) & set(no_id["person_id"])
    if not holders:
        return [], []
    keys, notes = _variants()
    names = dict(zip(people["person_id"], people["name"], strict=True))
    births = {pid: str(b) if isinstance(b, (str, dt.date)) and b else None
              for pid, b in zip(people["person_id"], people["birth_date"], strict=True)}
    found: dict[tuple[str, str], NameMatch] = {}
    skipped = 0
    for reason, key in keys:
        groups: dict[str, list[str]] = {}
        for pid, name in names.items():
            if isinstance(name, str) and name.strip():
                groups.setdefault(key(name.strip()), []).append(pid)
        for members in groups.values():
            if len(members) < 2 or not holders.intersection(members):
                continue
            if len(members) > MAX_GROUP:
                skipped += 1
                continue
            for h in sorted(holders.intersection(members)):
                for c in sorted(members):
                    if c == h or (h, c) in found:
                        continue
                    why = reason
                    if births.get(h) and births.get(h) == births.get(c):
                        why += " and the same birth date"
                    elif births.get(h) and births.get(c):
                        continue  # both have birth dates and they differ: not the same person
                    found[(h, c)] = NameMatch(h, c, names[h], names[c], why)
    if skipped:
        notes.append(f"{skipped} name group(s) shared by more than {MAX_GROUP} people were not listed")
    return sorted(found.values(), key=lambda m: (m.holder_id, m.candidate_id)), notes


def matches_frame(matches: list[NameMatch]) -> pd.DataFrame:
    return pd.DataFrame([m.__dict__ for m in matches],
                        columns=["holder_id", "candidate_id", "holder_name", "candidate_name", "reason"])
