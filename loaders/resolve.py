"""Entity resolution: the same human under several person_ids, merged by normalized resident ID only.

- Rows whose normalized `id_number`s are equal are one person (full-width folded, x upper-cased, 15 -> 18 digits).
- An ID with a wrong check digit is reported (by validation) and never merges.
- Names never merge people. Name plus birth date is offered as a *possible* match: reported, not merged.
The canonical id of a merged person is the smallest of its person_ids, so it is the same on every run.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .values import normalize_id_number


@dataclass
class Merge:
    canonical: str
    ids: list[str]
    names: list[str]
    id_number: str


@dataclass
class PossibleMatch:
    ids: list[str]
    name: str
    birth_date: str
    reason: str = "same name and birth date, different or missing resident IDs (not merged)"


@dataclass
class Resolution:
    canonical: dict[str, str] = field(default_factory=dict)  # person_id -> canonical id (merged ids only)
    merges: list[Merge] = field(default_factory=list)
    possible: list[PossibleMatch] = field(default_factory=list)

    def map(self, pid):
        return self.canonical.get(pid, pid) if pid is not None else None

    def summary(self) -> str:
        merged = sum(len(m.ids) for m in self.merges)
        return (f"entity resolution: {merged} person records merged into {len(self.merges)} people by resident ID; "
                f"{len(self.possible)} possible matches by name and birth date listed for review (not merged)")

    def frame(self) -> pd.DataFrame:
        rows = [{"canonical_id": m.canonical, "person_ids": ";".join(m.ids), "names": ";".join(m.names),
                 "id_number": m.id_number, "decision": "merged", "reason": "same resident ID after normalization"}
                for m in self.merges]
        rows += [{"canonical_id": "", "person_ids": ";".join(p.ids), "names": p.name, "id_number": "",
                  "decision": "possible", "reason": p.reason} for p in self.possible]
        return pd.DataFrame(rows, columns=["canonical_id", "person_ids", "names", "id_number", "decision", "reason"])


def birth_from_id(key: str | None) -> str | None:
    if not isinstance(key, str) or len(key) != 18:
        return None
    return f"{key[6:10]}-{key[10:12]}-{key[12:14]}"


def resolve(people: pd.DataFrame) -> Resolution:
    """`people` has person_id, name, id_number, birth_date (ISO text or None)."""
    res = Resolution()
    ids = people["person_id"].tolist()
    raw = people["id_number"].tolist()
    cache: dict[str, str | None] = {}
    keys = []
    for v in raw:
        if not isinstance(v, str) or not v:
            keys.append(None)
            continue
        if v not in cache:
            cache[v] = normalize_id_number(v)[0]
        keys.append(cache[v])
    by_key: dict[str, list[int]] = {}
    for i, k in enumerate(keys):
        if k:
            by_key.setdefault(k, []).append(i)
    names = people["name"].tolist()
    for key, rows in sorted(by_key.items()):
        if len(rows) < 2:
            continue
        members = sorted(ids[i] for i in rows)
        canonical = members[0]
        for pid in members[1:]:
            res.canonical[pid] = canonical
        res.merges.append(Merge(canonical, members, sorted({names[i] for i in rows if names[i]}), key))
    # Possible matches: same name and birth date (the column, or the date inside a valid ID) across people.
    births = people["birth_date"].tolist()
    groups: dict[tuple[str, str], set[str]] = {}
    for i, pid in enumerate(ids):
        birth = births[i] if isinstance(births[i], str) else birth_from_id(keys[i])
        if isinstance(names[i], str) and birth:
            groups.setdefault((names[i], birth), set()).add(res.map(pid))
    for (name, birth), members in sorted(groups.items()):
        if len(members) > 1:
            res.possible.append(PossibleMatch(sorted(members), name, birth))
    return res


def join_stored(res: Resolution, people: pd.DataFrame | None, known, problems) -> list[tuple[str, str, str]]:
    """Incremental loads: new person records whose resident ID is a stored person's join that person (under
    its stored id), references to stored merged ids point to their person, and a record that would change a
    stored person's canonical id (a smaller id) is refused — a full load is needed for that."""
    updates: list[tuple[str, str, str]] = []
    if people is not None:
        for pid, idn, name in zip(people["person_id"], people["id_number"], people["name"]):
            key = normalize_id_number(idn)[0] if isinstance(idn, str) and idn else None
            stored = known.id_keys.get(key) if key else None
            if stored is None:
                continue
            if min(pid, res.map(pid)) < stored:
                problems.add("people.csv", None, "person_id", f"record {pid} has the resident ID of stored person "
                             f"{stored}, and its smaller id would become that person's id",
                             fix="run a full load (without --append) to re-resolve people")
                continue
            res.canonical[pid] = stored
            updates.append((stored, pid, name))
        # new records merged among themselves and into a stored person follow it too
        for pid, canon in list(res.canonical.items()):
            res.canonical[pid] = res.canonical.get(canon, canon)
    for alias, canon in known.alias.items():
        res.canonical.setdefault(alias, canon)
    return updates
