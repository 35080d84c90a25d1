"""Name help where resident IDs are missing: company-role holders known only by name are offered as possible
matches of other people (same name, the same name in simplified characters, the same pinyin; and the same birth
date when both have one). A review list with the reason for each — never merged.

Simplified/traditional folding uses `zhconv` and pinyin uses `pypinyin` when installed (pip install
'govties[names]'); without them only identical names are offered, and the list says so."""

from __future__ import annotations

import datetime as dt

from dataclasses import dataclass

import pandas as pd
import pyarrow as pa

from ..graph.vocabulary import match_basis
from .codes import resident_ids

MAX_GROUP = 50  # a name shared by more people than this is too common to suggest anything


@dataclass
class NameMatch:
    holder_id: str
    candidate_id: str
    holder_name: str
    candidate_name: str
    basis: str  # graph.vocabulary.NAME_BASES: same_name, same_simplified or same_pinyin
    birth_date: str | None = None  # when both have it

    @property
    def code(self) -> str:
        """The reason as graph.vocabulary.match_reason reads it: the basis, `+birth` with the same birth date."""
        return self.basis + ("+birth" if self.birth_date else "")

    @property
    def reason(self) -> str:
        """What the match rests on, in English ("same pinyin and the same birth date")."""
        return match_basis(self.code, "en")


def variants():
    """(basis, key) for each way two names are compared, and notes on those not available."""
    keys = [("same_name", lambda n: n)]
    notes = []
    try:
        import zhconv

        keys.append(("same_simplified", lambda n: zhconv.convert(n, "zh-cn")))
    except ImportError:
        notes.append("traditional/simplified variants not checked (pip install zhconv)")
    try:
        from pypinyin import lazy_pinyin

        keys.append(("same_pinyin", lambda n: " ".join(lazy_pinyin(n))))
    except ImportError:
        notes.append("pinyin variants not checked (pip install pypinyin)")
    return keys, notes


def name_matches(people: pd.DataFrame | None, roles: pd.DataFrame | None) -> tuple[list[NameMatch], list[str]]:
    """`people`: the model's person table (canonical ids); `roles`: the role table."""
    if people is None or roles is None or roles.empty:
        return [], []
    ids = people["id_number"]
    keys_of_ids, _ = resident_ids(pa.array(ids.astype(object).where(ids.notna(), None), type=pa.string()))
    no_id = people["person_id"][keys_of_ids.is_null().to_numpy(zero_copy_only=False)]
    holders = set(roles["holder_id"].dropna().unique()) & set(no_id)
    if not holders:
        return [], []
    keys, notes = variants()
    names = dict(zip(people["person_id"], people["name"], strict=True))
    births = {pid: str(b) if isinstance(b, (str, dt.date)) and b else None
              for pid, b in zip(people["person_id"], people["birth_date"], strict=True)}
    named = {pid: name.strip() for pid, name in names.items() if isinstance(name, str) and name.strip()}
    found: dict[tuple[str, str], NameMatch] = {}
    skipped = 0
    for basis, key in keys:
        keyed = {name: key(name) for name in set(named.values())}  # each name once (many people share one)
        groups: dict[str, list[str]] = {}
        for pid, name in named.items():
            groups.setdefault(keyed[name], []).append(pid)
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
                    same = births.get(h) if births.get(h) and births.get(h) == births.get(c) else None
                    if births.get(h) and births.get(c) and not same:
                        continue  # both have birth dates and they differ: not the same person
                    found[(h, c)] = NameMatch(h, c, names[h], names[c], basis, same)
    if skipped:
        notes.append(f"{skipped} name group(s) shared by more than {MAX_GROUP} people were not listed")
    return sorted(found.values(), key=lambda m: (m.holder_id, m.candidate_id)), notes


def matches_frame(matches: list[NameMatch]) -> pd.DataFrame:
    return pd.DataFrame([{"holder_id": m.holder_id, "candidate_id": m.candidate_id, "holder_name": m.holder_name,
                          "candidate_name": m.candidate_name, "reason": m.reason} for m in matches],
                        columns=["holder_id", "candidate_id", "holder_name", "candidate_name", "reason"])
