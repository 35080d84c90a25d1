"""Entity resolution: the same human under several person_ids, merged by normalized resident ID only.

- Rows whose normalized `id_number`s are equal are one person (full-width folded, x upper-cased, 15 -> 18 digits).
- An ID with a wrong check digit is reported (by validation) and never merges.
- Names never merge people. Name plus birth date is offered as a *possible* match: reported, not merged.
The canonical id of a merged person is the smallest of its person_ids, so it is the same on every run.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..graph.vocabulary import MATCH_REASON, filled, match_reason
from .codes import resident_ids
from .problems import Zh
from .vector import column, mask


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
    code: str = "name_birth"  # the reason, as graph.vocabulary.match_reason reads it

    @property
    def reason(self) -> str:
        return match_reason(self.code, "en")


@dataclass
class Resolution:
    canonical: dict[str, str] = field(default_factory=dict)  # person_id -> canonical id (merged ids only)
    merges: list[Merge] = field(default_factory=list)
    possible: list[PossibleMatch] = field(default_factory=list)
    joined: dict[str, str] = field(default_factory=dict)  # appended record -> the stored person it joined

    def map(self, pid):
        return self.canonical.get(pid, pid) if pid is not None else None

    def summary(self) -> str:
        merged = sum(len(m.ids) for m in self.merges)
        people = "person" if len(self.merges) == 1 else "people"
        joined = ""
        if self.joined:
            stored = len(set(self.joined.values()))
            joined = filled("; {records} new person record(s) joined {stored} stored {people} by resident ID",
                            records=len(self.joined), stored=stored, people="person" if stored == 1 else "people")
        merges = (filled(f"{{records}} person record(s) merged into {{people}} {people} by resident ID",
                         records=merged, people=len(self.merges)) if self.merges else "no person records merged")
        return filled(f"entity resolution: {merges}{joined}; {{possible}} possible match(es) by name and birth date "
                      "listed for review (not merged)", possible=len(self.possible))

    def frame(self, lang: str = "en") -> pd.DataFrame:
        """The merges and the possible matches, a row each; `decision` an id (merged, possible), `reason` in
        `lang`."""
        merged = MATCH_REASON.label("resident_id", lang)
        rows = [{"canonical_id": m.canonical, "person_ids": ";".join(m.ids), "names": ";".join(m.names),
                 "id_number": m.id_number, "decision": "merged", "reason": merged} for m in self.merges]
        rows += [{"canonical_id": "", "person_ids": ";".join(p.ids), "names": p.name, "id_number": "",
                  "decision": "possible", "reason": match_reason(p.code, lang)} for p in self.possible]
        return pd.DataFrame(rows, columns=["canonical_id", "person_ids", "names", "id_number", "decision", "reason"])


def birth_from_id(key: str | None) -> str | None:
    if not isinstance(key, str) or len(key) != 18:
        return None
    return f"{key[6:10]}-{key[10:12]}-{key[12:14]}"


def births(people: pa.Table, keys: pa.Array) -> pa.Array:
    """The birth_date column, or else the date inside a valid resident ID."""
    from_id = pc.binary_join_element_wise(pc.utf8_slice_codeunits(keys, 6, 10), pc.utf8_slice_codeunits(keys, 10, 12),
                                          pc.utf8_slice_codeunits(keys, 12, 14), "-")
    return pc.coalesce(column(people, "birth_date"), from_id)


def _repeated(values: pa.Array) -> np.ndarray:
    """Rows whose (non-null) value occurs more than once."""
    enc = pc.dictionary_encode(values)
    idx = pc.fill_null(enc.indices, 0).to_numpy(zero_copy_only=False)
    valid = mask(pc.is_valid(values))
    counts = np.bincount(idx[valid], minlength=len(enc.dictionary))
    out = np.zeros(len(values), dtype=bool)
    out[valid] = counts[idx[valid]] > 1
    return out


def resolve(people: pa.Table | pd.DataFrame, keys: pa.Array | None = None) -> Resolution:
    """`people` has person_id, name, id_number, birth_date (ISO text or null); `keys` are the normalized
    resident IDs when validation already has them."""
    if isinstance(people, pd.DataFrame):
        people = pa.Table.from_pandas(people.astype(object).where(people.notna(), None), preserve_index=False)
    res = Resolution()
    if keys is None:
        keys, _ = resident_ids(column(people, "id_number"))
    rows = np.flatnonzero(_repeated(keys))
    ids = column(people, "person_id").take(pa.array(rows, type=pa.int64())).to_pylist()
    names = column(people, "name").take(pa.array(rows, type=pa.int64())).to_pylist()
    by_key: dict[str, list[int]] = {}
    for j, k in enumerate(keys.take(pa.array(rows, type=pa.int64())).to_pylist()):
        by_key.setdefault(k, []).append(j)
    for key, members_at in sorted(by_key.items()):
        members = sorted(ids[j] for j in members_at)
        canonical = members[0]
        for pid in members[1:]:
            res.canonical[pid] = canonical
        res.merges.append(Merge(canonical, members, sorted({names[j] for j in members_at if names[j]}), key))
    # Possible matches: same name and birth date (the column, or the date inside a valid ID) across people.
    pair = pc.binary_join_element_wise(column(people, "name"), births(people, keys), "\x1f")
    rows = pa.array(np.flatnonzero(_repeated(pair)), type=pa.int64())
    groups: dict[str, set[str]] = {}
    for p, pid in zip(pair.take(rows).to_pylist(), column(people, "person_id").take(rows).to_pylist(), strict=True):
        groups.setdefault(p, set()).add(res.map(pid))
    for p, grouped in sorted(groups.items(), key=lambda kv: tuple(kv[0].split("\x1f"))):
        if len(grouped) > 1:
            name, birth = p.split("\x1f")
            res.possible.append(PossibleMatch(sorted(grouped), name, birth))
    return res


def join_stored(res: Resolution, people: pa.Table | None, known, problems,
                keys: pa.Array | None = None) -> list[tuple[str, str, str, dict]]:
    """Incremental loads: new person records whose resident ID is a stored person's join that person (under
    its stored id), references to stored merged ids point to their person, and a record that would change a
    stored person's canonical id (a smaller id) is refused — a full load is needed for that.

    Returns (stored person, new record's id, its name, its fields) in record-id order; the fields (gender,
    birth_date, id_number) fill the stored person's empty ones, as a full load would."""
    updates: list[tuple[str, str, str, dict]] = []
    if people is not None and known.id_keys:
        if keys is None:
            keys, _ = resident_ids(column(people, "id_number"))
        rows = pa.array(np.flatnonzero(mask(pc.is_in(keys, value_set=pa.array(list(known.id_keys))))),
                        type=pa.int64())
        born = births(people, keys).take(rows).to_pylist()
        genders = column(people, "gender").take(rows).to_pylist()
        for j, (pid, key, name) in enumerate(zip(column(people, "person_id").take(rows).to_pylist(),
                                                 keys.take(rows).to_pylist(),
                                                 column(people, "name").take(rows).to_pylist(), strict=True)):
            stored = known.id_keys[key]
            if min(pid, res.map(pid)) < stored:
                problems.add("people.csv", None, "person_id", f"record {pid} has the resident ID of stored person "
                             f"{stored}, and its smaller id would become that person's id",
                             fix="run a full load (without --append) to re-resolve people",
                             zh=Zh(f"记录 {pid} 的身份证号与已存储的人员 {stored} 相同，而它的编号更小，"
                                   "会成为该人员的编号",
                                   "完整加载一次（不用 --append），重新按身份证号合并人员"))
                continue
            res.canonical[pid] = res.joined[pid] = stored
            updates.append((stored, pid, name, {"gender": genders[j], "birth_date": born[j], "id_number": key}))
        # new records merged among themselves and into a stored person follow it too
        for pid, canon in list(res.canonical.items()):
            res.canonical[pid] = res.canonical.get(canon, canon)
    for alias, canon in known.alias.items():
        res.canonical.setdefault(alias, canon)
    return sorted(updates, key=lambda u: u[1])
