"""Provinces of other shapes than the default: dense in findings, with many records per human, with dirty but
valid values. `Shape()` is the default province, byte for byte: each option draws from a generator of its own and
changes nothing when it is off.

- `density`: findings per 1,000 input rows to aim at (the default province has about 1; real registers of an
  under-supervised province several). The patterns the rules look for are added on top of the background, each
  on rows the background already has: relatives and officials holding roles in companies the officials decided
  for, roles taken after leaving office at such a company, shares held while in post, contracts split below the
  threshold, two bidders of one tender with a common holder, relatives appointed, village decisions for cadres'
  relatives. The density reached is near the aim (within about a fifth from 20k people up).
- `merged`: the share of people records that are one human recorded more than once, with the resident ID in
  another form entity resolution folds (the 15-digit form, full-width digits, lower-case x, spaces); about half
  of each human's roles, kinships and decisions name the second record. A tenth as many records again share a
  name and birth date with another person but give no resident ID (possible matches, listed and never merged).
- `dirty`: the share of cells written in another form the loader accepts: Chinese vocabulary words (公司, 股东,
  配偶 ...), dates as 2021/3/5, 2021年3月5日 or 2021.03.05, full-width digits, amounts as 120.5万, 1,205,000 or
  ¥1205000, bids won as 中标/未中标. The loaded graph, and so every finding, is the same as without it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..graph.vocabulary import CONTRACT, fold_word
from ..loaders.contract import FILES
from ..loaders.values import VOCABULARIES

Tables = dict[str, dict[str, np.ndarray]]

BACKGROUND_DENSITY = 1.06  # findings per 1,000 input rows of the default province (100k people: 2,724 / 2.57M)


@dataclass(frozen=True)
class Shape:
    density: float | None = None  # findings per 1,000 input rows to aim at; None: the background's own
    merged: float = 0.0  # share of people records that merge with another by resident ID
    dirty: float = 0.0  # share of cells written in another accepted form

    def check(self) -> None:
        if self.density is not None and not 0 <= self.density <= 50:
            raise ValueError(f"density {self.density}: give findings per 1,000 input rows, from 0 to 50")
        for name in ("merged", "dirty"):
            if not 0 <= getattr(self, name) <= 0.5:
                raise ValueError(f"{name} {getattr(self, name)}: give a share from 0 to 0.5")


def apply(out: Tables, shape: Shape, seed: int) -> None:
    """Reshape a background province (examples.generator.background) in place."""
    shape.check()
    if shape.density is not None:
        _dense(out, shape.density, np.random.default_rng(seed + 10))
    if shape.merged:
        _merge(out, shape.merged, np.random.default_rng(seed + 11))
    if shape.dirty:
        _dirty(out, shape.dirty, np.random.default_rng(seed + 12))


# -- density --------------------------------------------------------------------------------------------------------
#: Each pattern: its share of the findings to add, and the findings one copy of it makes (measured: see the bench).
PATTERNS = {"relative_role": (0.25, 3.0), "own_role": (0.15, 2.0), "after_office": (0.10, 1.0),
            "split": (0.10, 1.0), "common_holder": (0.10, 2.0), "appointed": (0.10, 2.0),
            "village_kin": (0.10, 1.0), "shares_in_post": (0.10, 1.0)}
LAST_DAY = np.datetime64("2024-12-31")  # nothing is added after the background's latest date, so as_of stays


def _rows(out: Tables) -> int:
    return sum(len(next(iter(t.values()))) for t in out.values())


def _dense(out: Tables, density: float, rng) -> None:
    extra = max(0.0, density - BACKGROUND_DENSITY) * _rows(out) / 1000
    w = _World(out, rng)
    for name, (share, makes) in PATTERNS.items():
        count = int(round(extra * share / makes))
        if count:
            getattr(w, name)(count)
    w.flush()


def _days(rng, n: int, lo: int, hi: int) -> np.ndarray:
    return rng.integers(lo, hi, n).astype("timedelta64[D]")


class _World:
    """The background's officials, their kin, posts and decisions, indexed for drawing patterns from."""

    def __init__(self, out: Tables, rng):
        self.out, self.rng = out, rng
        posts, kin = out["positions.csv"], out["relatives.csv"]
        self.officials = len(posts["person_id"])  # one background post per official, officials first
        self.post_org = posts["org_id"]
        self.post_start = posts["start_date"].astype("datetime64[D]")
        ended = posts["end_date"] != ""
        self.post_end = np.where(ended, posts["end_date"], "2100-01-01").astype("datetime64[D]")
        self.ended = ended
        self.village = posts["rank"] == "village"
        # each official's spouse and child (the background writes all spouses first, then all children)
        self.kin = kin["relative_id"][: 2 * self.officials].reshape(2, self.officials)
        decisions, makers = out["decisions.csv"], out["decision_makers.csv"]
        k = len(decisions["decision_id"])
        self.d_id, self.d_kind = decisions["decision_id"], decisions["kind"]
        self.d_date = decisions["date"].astype("datetime64[D]")
        self.d_benef, self.d_agency = decisions["beneficiary_id"], decisions["agency_id"]
        self.maker = person_index(makers["person_id"][:k])  # the background's one maker of each decision, in order
        self.to_company = np.char.startswith(self.d_benef, "O")
        orgs = out["organizations.csv"]
        self.companies = orgs["org_id"][orgs["kind"] == "company"]
        self.people = len(out["people.csv"]["person_id"])
        self.next_decision = k
        self.adds: dict[str, list[dict[str, np.ndarray]]] = {}

    def add(self, file: str, **cols: np.ndarray) -> None:
        self.adds.setdefault(file, []).append({c: np.asarray(v).astype(str) for c, v in cols.items()})

    def flush(self) -> None:
        for file, parts in self.adds.items():
            for rows in parts:
                append_rows(self.out[file], rows)

    def _decided(self, n: int, where: np.ndarray) -> np.ndarray:
        """n of the background's decisions (by row) for which `where` holds."""
        pool = np.flatnonzero(where)
        return self.rng.choice(pool, size=min(n, len(pool)), replace=False) if len(pool) else pool

    def _role(self, holder, org, start, roles=("shareholder", "legal_rep", "director", "supervisor")) -> None:
        n = len(holder)
        role = np.array(roles)[self.rng.integers(0, len(roles), n)]
        share = np.where(role == "shareholder", np.round(self.rng.uniform(0.05, 0.9, n), 2).astype(str), "")
        self.add("company_roles.csv", holder_id=holder, org_id=org, role=role, share=share,
                 start_date=np.minimum(start, LAST_DAY).astype(str))

    def relative_role(self, n: int) -> None:
        """A spouse or child holds a role in a company the official decided for, from before the decision."""
        j = self._decided(n, self.to_company)
        o = self.maker[j]
        kin = self.kin[self.rng.integers(0, 2, len(j)), o]
        self._role(kin, self.d_benef[j], np.maximum(self.d_date[j] - _days(self.rng, len(j), 30, 3000),
                                                   np.datetime64("2000-01-01")))

    def own_role(self, n: int) -> None:
        """The official holds a role in a company they decide for."""
        j = self._decided(n, self.to_company)
        self._role(_pid(self.maker[j]), self.d_benef[j], self.d_date[j] - _days(self.rng, len(j), 30, 2000),
                   ("shareholder", "legal_rep", "director", "executive"))

    def after_office(self, n: int) -> None:
        """Within two years of leaving office the official joins a company they decided for in office."""
        o = self.maker
        in_post = (self.post_start[o] <= self.d_date) & (self.d_date <= self.post_end[o])
        inside = self.to_company & self.ended[o] & in_post
        j = self._decided(n, inside)
        start = self.post_end[self.maker[j]] + _days(self.rng, len(j), 40, 700)
        self._role(_pid(self.maker[j]), self.d_benef[j], start, ("director", "executive"))

    def _officials(self, n: int, village: bool) -> np.ndarray:
        pool = np.flatnonzero(self.village == village)
        return self.rng.choice(pool, size=n) if len(pool) else pool

    def shares_in_post(self, n: int) -> None:
        """An agency official holds shares in some company while in post."""
        o = self._officials(n, False)
        n = len(o)
        span = np.maximum((np.minimum(self.post_end[o], LAST_DAY) - self.post_start[o]).astype(int), 2)
        start = self.post_start[o] + (self.rng.random(n) * (span - 1)).astype(int).astype("timedelta64[D]")
        self._role(_pid(o), self.companies[self.rng.integers(0, len(self.companies), n)], start, ("shareholder",))

    def _decisions(self, kind, date, agency, benef, amount, maker, title="") -> None:
        n = len(kind)
        ids = np.char.add("D", np.char.zfill(np.arange(self.next_decision, self.next_decision + n).astype(str), 7))
        self.next_decision += n
        self.add("decisions.csv", decision_id=ids, kind=kind, date=np.minimum(date, LAST_DAY).astype(str),
                 agency_id=agency, beneficiary_id=benef, amount=amount, title=np.full(n, title))
        self.add("decision_makers.csv", decision_id=ids, person_id=maker, role=np.full(n, "approver"))

    def split(self, n: int) -> None:
        """Three contracts for one company within 80 days, each below 1,000,000 yuan, together above it."""
        j = self._decided(n, self.to_company)
        day = np.repeat(self.d_date[j], 3) + np.tile([0, 1, 2], len(j)) * _days(self.rng, 3 * len(j), 0, 40)
        self._decisions(np.full(3 * len(j), "contract"), day, np.repeat(self.d_agency[j], 3),
                        np.repeat(self.d_benef[j], 3), self.rng.integers(350_000, 480_000, 3 * len(j)),
                        np.repeat(_pid(self.maker[j]), 3))

    def common_holder(self, n: int) -> None:
        """One person holds roles, from before the tender, in two of its bidders."""
        bids = self.out["bids.csv"]
        tenders = len(bids["tender_id"]) // 3  # three bidders each, in order
        t = self.rng.choice(tenders, size=min(n, tenders), replace=False)
        first, second = bids["org_id"][3 * t], bids["org_id"][3 * t + 1]
        t = t[first != second]
        first, second = bids["org_id"][3 * t], bids["org_id"][3 * t + 1]
        date = self.d_date[np.searchsorted(self.d_id, bids["tender_id"][3 * t])]
        holder = _pid(self.rng.integers(3 * self.officials, self.people, len(t)))
        start = date - _days(self.rng, len(t), 30, 2000)
        self._role(np.concatenate([holder, holder]), np.concatenate([first, second]), np.concatenate([start, start]),
                   ("legal_rep", "shareholder"))

    def _in_post(self, o: np.ndarray) -> np.ndarray:
        span = np.maximum((np.minimum(self.post_end[o], LAST_DAY) - self.post_start[o]).astype(int), 2)
        return self.post_start[o] + (self.rng.random(len(o)) * (span - 1)).astype(int).astype("timedelta64[D]")

    def appointed(self, n: int) -> None:
        """An agency official approves the appointment of their spouse or child at the agency."""
        o = self._officials(n, False)
        n = len(o)
        kin = self.kin[self.rng.integers(0, 2, n), o]
        self._decisions(np.full(n, "appointment"), self._in_post(o), self.post_org[o], kin, np.full(n, ""), _pid(o),
                        "人员录用")

    def village_kin(self, n: int) -> None:
        """A village cadre's village grants a subsidy to the cadre's spouse or child."""
        o = self._officials(n, True)
        n = len(o)
        kin = self.kin[self.rng.integers(0, 2, n), o]
        self._decisions(np.full(n, "subsidy"), self._in_post(o), self.post_org[o], kin,
                        self.rng.integers(5_000, 80_000, n), _pid(o), "困难补助")


def _pid(index: np.ndarray) -> np.ndarray:
    return np.char.add("P", np.char.zfill(np.asarray(index).astype(str), 7))


def person_index(pids: np.ndarray) -> np.ndarray:
    """Row numbers of the background's person ids (P0000123 -> 123)."""
    return np.char.lstrip(pids.astype(str), "P").astype(np.int64)


def append_rows(table: dict[str, np.ndarray], rows: dict[str, np.ndarray]) -> None:
    """Add `rows` to a file's columns; a column one side lacks is empty there."""
    n = len(next(iter(table.values())))
    m = len(next(iter(rows.values())))
    for col in set(table) | set(rows):
        table[col] = np.concatenate([table.get(col, np.full(n, "")).astype(str),
                                     rows.get(col, np.full(m, "")).astype(str)])


# -- many records per human -----------------------------------------------------------------------------------------
PERSON_REFS = {"company_roles.csv": "holder_id", "relatives.csv": "relative_id", "decision_makers.csv": "person_id",
               "decisions.csv": "beneficiary_id"}
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _merge(out: Tables, merged: float, rng) -> None:
    people = out["people.csv"]
    n = len(people["person_id"])
    with_id = np.flatnonzero(people["id_number"] != "")
    copies = min(int(round(merged * n / 2)), len(with_id))
    first = rng.choice(with_id, size=copies, replace=False)
    # a tenth of them are recorded a third time
    again = first[rng.random(copies) < 0.1]
    original = np.concatenate([first, again])
    new_ids = _pid(np.arange(n, n + len(original)))
    forms = _id_forms(people["id_number"][original], rng)
    append_rows(people, {"person_id": new_ids, "name": people["name"][original], "id_number": forms,
                     "birth_date": np.where(rng.random(len(original)) < 0.5, people["birth_date"][original], ""),
                     "gender": people["gender"][original]})
    # about half of the rows that name one of these humans name the new record instead
    alias = dict(zip(people["person_id"][original].tolist(), new_ids.tolist(), strict=True))
    for file, col in PERSON_REFS.items():
        refs = out[file][col].astype(object)
        hit = np.flatnonzero(np.isin(refs, people["person_id"][original]) & (rng.random(len(refs)) < 0.5))
        refs[hit] = [alias[r] for r in refs[hit].tolist()]
        out[file][col] = refs.astype(str)
    # possible matches: the same name and birth date, no resident ID
    born = np.flatnonzero(people["birth_date"][:n] != "")
    twins = rng.choice(born, size=min(max(1, copies // 5), len(born)), replace=False)
    m = len(people["person_id"])
    append_rows(people, {"person_id": _pid(np.arange(m, m + len(twins))), "name": people["name"][twins],
                     "birth_date": people["birth_date"][twins], "gender": people["gender"][twins]})


def _id_forms(ids: np.ndarray, rng) -> np.ndarray:
    """Each ID in a form entity resolution folds back to it: 15 digits (born in the 1900s), full-width digits,
    lower-case x (IDs ending in X), or spaces between its parts."""
    out = []
    for value, pick in zip(ids.tolist(), rng.integers(0, 4, len(ids)).tolist(), strict=True):
        if pick == 0 and value[6:8] == "19":
            value = value[:6] + value[8:17]
        elif pick == 1:
            value = value.translate(FULL_WIDTH)
        elif pick == 2 and value.endswith("X"):
            value = value.lower()
        else:
            value = f"{value[:6]} {value[6:14]} {value[14:]}"
        out.append(value)
    return np.array(out, dtype=str)


# -- dirty but valid ------------------------------------------------------------------------------------------------
def _dirty(out: Tables, share: float, rng) -> None:
    for file, table in out.items():
        for col in FILES[file].columns:
            cells = table.get(col.name)
            if cells is None:
                continue
            at = np.flatnonzero((cells != "") & (rng.random(len(cells)) < share))
            if not len(at):
                continue
            values = cells[at].tolist()
            picks = rng.integers(0, 4, len(at)).tolist()
            if col.kind == "date":
                new = [_date(v, p) for v, p in zip(values, picks, strict=True)]
            elif col.kind.startswith("vocab:"):
                words = _words(col.kind.split(":", 1)[1])
                new = [words[v][p % len(words[v])] if v in words else v for v, p in zip(values, picks, strict=True)]
            elif col.kind == "amount":
                new = [_amount(v, p) for v, p in zip(values, picks, strict=True)]
            elif col.kind == "bool":
                new = [{"true": ("是", "中标"), "false": ("否", "未中标")}.get(v, (v, v))[p % 2]
                       for v, p in zip(values, picks, strict=True)]
            elif col.kind == "year":
                new = [v + "年" for v in values]
            elif col.kind == "id_number":
                new = [v.translate(FULL_WIDTH) if p % 2 else f"{v[:6]} {v[6:14]} {v[14:]}"
                       for v, p in zip(values, picks, strict=True)]
            else:
                continue
            table[col.name] = cells.astype(object)
            table[col.name][at] = new
            table[col.name] = table[col.name].astype(str)


def _date(iso: str, pick: int) -> str:
    y, m, d = iso.split("-")
    return (f"{y}/{int(m)}/{int(d)}", f"{y}年{int(m)}月{int(d)}日", f"{y}.{m}.{d}", iso.translate(FULL_WIDTH))[pick]


def _amount(text: str, pick: int) -> str:
    if not text.isdigit():
        return text
    value = int(text)
    if pick == 0:
        whole, rest = divmod(value, 10_000)
        return f"{whole}.{rest:04d}".rstrip("0").rstrip(".") + "万"
    return (text, f"{value:,}", f"¥{value}", text.translate(FULL_WIDTH))[pick]  # 0 is 万, above


def _words(vocab: str) -> dict[str, tuple[str, ...]]:
    """Each word of a vocabulary -> the Chinese words the loader reads as it."""
    reads = VOCABULARIES[vocab]
    return {t.id: tuple(w for w in (t.zh, *t.aliases) if not w.isascii() and reads.get(fold_word(w)) == t.id)
            or (t.id,) for t in CONTRACT[vocab].terms}
