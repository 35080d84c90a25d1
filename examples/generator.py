"""A synthetic province in the dataset contract's format, at any size, with planted scenarios.

    python -m govties.examples.generator --out data/ --people 10000

Background sizes follow the issue's province: per person, 2 organizations, 10 company roles and 5 decisions;
one person in ten holds a post. Like real registers, it also has institutions and associations (advisers among
their roles), company roles known only from the date a source recorded them, and large decisions mostly taken by
a committee. The background is random (seeded), so it also produces some findings of its
own; the planted scenarios (examples/planted.py, listed in planted.csv) are the ones a test can check.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from ..files import atomic_paths
from ..loaders.contract import ANSWER_KEY, FILES
from .planted import plant_all
from .shapes import Shape, append_rows, apply as apply_shape, person_index

SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈")
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力斌宁波东晨阳凯雪琳")
REGIONS = ["330102", "330105", "330106", "330108", "330109", "330110", "330111", "330122", "330127", "330182",
           "330203", "330205", "330212", "330302", "330402", "330502", "330602", "330702", "330802", "330902"]
INDUSTRIES = ["construction", "real estate", "mining", "energy", "environment", "trade", "logistics", "finance",
              "agriculture", "media", "it", "catering", "healthcare", "education", "transport"]
RANKS = np.array(["bureau", "division", "section", "staff", "staff", "section"])
ROLES = np.array(["shareholder", "shareholder", "shareholder", "legal_rep", "director", "supervisor", "executive",
                  "employee"])
KINDS = np.array(["approval", "permit", "contract", "procurement", "subsidy", "land", "other"])
WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])
CHECK = np.array(list("10X98765432"))


def _dates(rng, n, start="2005-01-01", end="2024-12-31") -> np.ndarray:
    lo, hi = np.datetime64(start), np.datetime64(end)
    days = rng.integers(0, int(hi.astype(int) - lo.astype(int)), n)  # the span in days
    return (lo + days.astype("timedelta64[D]")).astype(str)


def _ids(prefix: str, n: int) -> np.ndarray:
    return np.char.add(prefix, np.char.zfill(np.arange(n).astype(str), 7))


def _resident_ids(rng, births: np.ndarray) -> np.ndarray:
    n = len(births)
    region = np.array(REGIONS)[rng.integers(0, len(REGIONS), n)]
    seq = np.char.zfill(rng.integers(0, 1000, n).astype(str), 3)
    return id_numbers(region, births, seq)


def id_numbers(region: np.ndarray, births: np.ndarray, seq: np.ndarray) -> np.ndarray:
    """18-character resident IDs: region code, birth date (from ISO dates), sequence number, check digit."""
    body = np.char.add(np.char.add(region, np.char.replace(births, "-", "")), seq)
    digits = np.frombuffer(body.astype("S17").tobytes(), dtype=np.uint8).reshape(len(body), 17) - 48
    return np.char.add(body, CHECK[(digits.astype(np.int64) @ WEIGHTS) % 11])


def background(people: int, seed: int = 7) -> dict[str, dict[str, np.ndarray]]:
    rng = np.random.default_rng(seed)
    n = max(people, 50)
    n_agency, n_village = max(5, n // 400), max(3, n // 800)
    n_company = 2 * n - n_agency - n_village
    n_org = n_agency + n_village + n_company
    officials = n // 10
    pid = _ids("P", n)
    births = _dates(rng, n, "1945-01-01", "2003-12-31")
    names = np.char.add(np.array(SURNAMES)[rng.integers(0, len(SURNAMES), n)],
                        np.char.add(np.array(GIVEN)[rng.integers(0, len(GIVEN), n)],
                                    np.array(GIVEN)[rng.integers(0, len(GIVEN), n)]))
    idn = _resident_ids(rng, births)
    idn = np.where(rng.random(n) < 0.15, "", idn)
    out: dict[str, dict[str, np.ndarray]] = {}
    out["people.csv"] = {"person_id": pid, "name": names, "id_number": idn,
                         "birth_date": np.where(rng.random(n) < 0.3, "", births),
                         "gender": np.array(["男", "女"])[rng.integers(0, 2, n)]}
    oid = _ids("O", n_org)
    kind = np.array(["agency"] * n_agency + ["village"] * n_village + ["company"] * n_company)
    region = np.array(REGIONS)[rng.integers(0, len(REGIONS), n_org)]
    street = rng.integers(1, 20000, n_org).astype(str)
    out["organizations.csv"] = {
        "org_id": oid,
        "name": np.char.add(np.char.add("合成单位", oid), np.where(kind == "company", "有限公司", "")),
        "kind": kind, "region": region,
        "industry": np.where(kind == "company", np.array(INDUSTRIES)[rng.integers(0, len(INDUSTRIES), n_org)], ""),
        "address": np.char.add(np.char.add("浙江省某市某路", street), "号"),
        "phone": np.char.add("0571-8", np.char.zfill(rng.integers(0, 10_000_000, n_org).astype(str), 7)),
    }
    # posts: officials are the first tenth of the people; agencies and villages hold them
    opid = pid[:officials]
    at = rng.integers(0, n_agency + n_village, officials)
    start = _dates(rng, officials, "1995-01-01", "2018-12-31")
    ended = rng.random(officials) < 0.3
    end = np.where(ended, _dates(rng, officials, "2019-01-01", "2024-06-30"), "")
    out["positions.csv"] = {
        "person_id": opid, "org_id": oid[at], "title": np.where(at < n_agency, "科长", "村委委员"),
        "rank": np.where(at < n_agency, RANKS[rng.integers(0, len(RANKS), officials)], "village"),
        "start_date": start, "end_date": end,
        "end_reason": np.where(ended, "retired", ""),
        "portfolio": np.array(INDUSTRIES)[rng.integers(0, len(INDUSTRIES), officials)],
    }
    # relatives: a spouse and a child for every official, drawn from the next fifth of the population;
    # company roles are held by the rest, except a few (n/100) that link officials and their kin to companies
    kin_hi = min(n, officials + 2 * officials)
    others = rng.integers(officials, kin_hi, 2 * officials)
    out["relatives.csv"] = {"person_id": np.concatenate([opid, opid]), "relative_id": pid[others],
                            "relation": np.array(["spouse"] * officials + ["child"] * officials)}
    keep = out["relatives.csv"]["person_id"] != out["relatives.csv"]["relative_id"]
    out["relatives.csv"] = {k: v[keep] for k, v in out["relatives.csv"].items()}
    # company roles: 10 per person; 80% held by people, 20% by companies
    m = 10 * n
    by_person = rng.random(m) < 0.8
    holder_idx = rng.integers(kin_hi, n, m) if kin_hi < n else rng.integers(0, n, m)
    noise = rng.random(m) < 0.001
    holder_idx = np.where(noise, rng.integers(0, kin_hi, m), holder_idx)
    holder = np.where(by_person, pid[holder_idx], oid[n_agency + n_village + rng.integers(0, n_company, m)])
    target = oid[n_agency + n_village + rng.integers(0, n_company, m)]
    role = ROLES[rng.integers(0, len(ROLES), m)]
    share = np.where(role == "shareholder", np.round(rng.uniform(0.01, 1.0, m), 3).astype(str), "")
    rstart = _dates(rng, m, "2000-01-01", "2024-06-30")
    rend = np.where(rng.random(m) < 0.2, _dates(rng, m, "2024-07-01", "2025-12-31"), "")
    keep = holder != target
    out["company_roles.csv"] = {"holder_id": holder[keep], "org_id": target[keep], "role": role[keep],
                                "share": share[keep], "start_date": rstart[keep], "end_date": rend[keep]}
    # decisions: 5 per person, by agencies, mostly for companies, one official deciding each
    k = 5 * n
    did = _ids("D", k)
    dkind = KINDS[rng.integers(0, len(KINDS), k)]
    to_person = rng.random(k) < 0.05
    benef = np.where(to_person, pid[rng.integers(officials, n, k)],
                     oid[n_agency + n_village + rng.integers(0, n_company, k)])
    dkind = np.where(to_person, "subsidy", dkind)
    out["decisions.csv"] = {
        "decision_id": did, "kind": dkind, "date": _dates(rng, k, "2010-01-01", "2024-12-31"),
        "agency_id": oid[rng.integers(0, n_agency, k)], "beneficiary_id": benef,
        "amount": np.round(np.exp(rng.normal(12, 1.5, k))).astype(np.int64).astype(str),
    }
    out["decision_makers.csv"] = {"decision_id": did, "person_id": opid[rng.integers(0, officials, k)],
                                  "role": np.array(["approver", "signer", "committee"])[rng.integers(0, 3, k)]}
    tenders = did[dkind == "procurement"]
    t = np.repeat(tenders, 3)
    bidders = oid[n_agency + n_village + rng.integers(0, n_company, len(t))]
    out["bids.csv"] = {"tender_id": t, "org_id": bidders,
                       "amount": rng.integers(100_000, 5_000_000, len(t)).astype(str),
                       "won": np.tile(np.array(["true", "false", "false"]), len(tenders))}
    out["declarations.csv"] = {"person_id": opid, "year": np.full(officials, "2023"),
                               "relative_id": np.full(officials, ""), "org_id": np.full(officials, ""),
                               "role": np.full(officials, "")}
    _registers(out, np.random.default_rng(seed + 1), pid, officials, kin_hi)
    _plausible(out, births, idn, np.random.default_rng(seed + 2))
    return out


ADULT_DAYS = 6575  # 18 years are at most this many days


def _plausible(out: dict[str, dict[str, np.ndarray]], births: np.ndarray, idn: np.ndarray, rng) -> None:
    """Nobody holds a post before 18, and children are born at least 18 years after their parents: the births
    that break either are moved (drawn from a generator of their own, so every other value stays as it was), and
    the resident IDs that carry them follow."""
    born = births.astype("datetime64[D]")
    people, posts, kin = out["people.csv"], out["positions.csv"], out["relatives.csv"]
    holder = person_index(posts["person_id"])
    latest = posts["start_date"].astype("datetime64[D]") - np.timedelta64(ADULT_DAYS, "D")
    early = np.zeros(len(born), dtype=bool)
    np.logical_or.at(early, holder, born[holder] > latest)
    limit = np.full(len(born), np.datetime64("2100-01-01"))
    np.minimum.at(limit, holder, latest)
    moved = np.flatnonzero(early)
    born[moved] = np.maximum(limit[moved] - rng.integers(0, 9000, len(moved)).astype("timedelta64[D]"),
                             np.datetime64("1940-01-01"))
    child = kin["relation"] == "child"
    parent, young = person_index(kin["person_id"][child]), person_index(kin["relative_id"][child])
    floor = np.full(len(born), np.datetime64("1800-01-01"))
    np.maximum.at(floor, young, born[parent] + np.timedelta64(ADULT_DAYS, "D"))
    late = np.flatnonzero(born < floor)
    born[late] = np.minimum(floor[late] + rng.integers(0, 5000, len(late)).astype("timedelta64[D]"),
                            np.maximum(floor[late], np.datetime64("2024-06-30")))
    changed = np.flatnonzero(born.astype(str) != births)
    if not len(changed):
        return
    iso = born[changed].astype(str)
    people["birth_date"][changed] = np.where(people["birth_date"][changed] == "", "", iso)
    old = idn[changed]
    has = old != ""
    fresh = id_numbers(_slice(old, 0, 6), iso, _slice(old, 14, 17))
    people["id_number"][changed] = np.where(has, fresh, "")


def _slice(values: np.ndarray, start: int, stop: int) -> np.ndarray:
    return np.array([v[start:stop] for v in values.tolist()], dtype=f"U{stop - start}")


def _registers(out: dict[str, dict[str, np.ndarray]], rng, pid: np.ndarray, officials: int, kin_hi: int) -> None:
    """What real registers add, drawn from a generator of its own (the rest of the background stays as it was):
    institutions and associations that employ people, advisers among them; company roles whose start no source
    gives, only the date one first recorded them; and a second, collective maker for most large decisions."""
    orgs, n = out["organizations.csv"], len(pid)
    companies = out["company_roles.csv"]["org_id"]  # the background's companies with roles
    n_inst, n_assoc = max(2, n // 200), max(2, n // 300)
    first = len(orgs["org_id"])
    oid = _ids("O", first + n_inst + n_assoc)[first:]
    kind = np.array(["institution"] * n_inst + ["association"] * n_assoc)
    append_rows(orgs, {
        "org_id": oid, "kind": kind,
        "name": np.char.add(np.where(kind == "institution", "合成事业单位", "合成社会组织"), oid),
        "region": np.array(REGIONS)[rng.integers(0, len(REGIONS), len(oid))],
        "industry": np.where(kind == "institution", np.array(["education", "healthcare"])[rng.integers(0, 2, len(oid))],
                             ""),
        "address": np.char.add(np.char.add("浙江省某市某街", rng.integers(1, 20000, len(oid)).astype(str)), "号"),
    })
    # roles at institutions and associations: advisers, directors, employees; one in ten held by an official
    m = max(10, n // 10)
    holder = np.where(rng.random(m) < 0.1, pid[rng.integers(0, max(officials, 1), m)], pid[rng.integers(0, n, m)])
    append_rows(out["company_roles.csv"], {
        "holder_id": holder, "org_id": oid[rng.integers(0, len(oid), m)],
        "role": np.array(["adviser", "adviser", "director", "employee"])[rng.integers(0, 4, m)],
        "start_date": _dates(rng, m, "2005-01-01", "2024-06-30"),
    })
    # company roles without a start date, only the date a source first recorded them
    k = max(10, n // 20)
    holder = np.where(rng.random(k) < 0.2, pid[rng.integers(0, max(kin_hi, 1), k)], pid[rng.integers(0, n, k)])
    append_rows(out["company_roles.csv"], {
        "holder_id": holder, "org_id": companies[rng.integers(0, len(companies), k)],
        "role": ROLES[rng.integers(0, len(ROLES), k)], "reported_on": _dates(rng, k, "2012-01-01", "2024-12-31"),
    })
    # most decisions of 5,000,000 yuan or more are taken by a committee: a second maker
    decisions, makers = out["decisions.csv"], out["decision_makers.csv"]
    large = decisions["amount"].astype(np.int64) >= 5_000_000
    collective = decisions["decision_id"][large & (rng.random(len(large)) < 0.9)]
    second = pid[rng.integers(0, max(officials, 1), len(collective))]
    keep = second != makers["person_id"][np.searchsorted(makers["decision_id"], collective)]
    append_rows(makers, {"decision_id": collective[keep], "person_id": second[keep],
                     "role": np.full(int(keep.sum()), "committee")})


def write_dataset(out_dir: str | Path, people: int, seed: int = 7, planted: bool = True,
                  shape: Shape | None = None) -> dict[str, int]:
    """The province's files in `out_dir`; `shape` (examples.shapes) makes it dense, merged or dirty."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tables = background(people, seed)
    if shape is not None:
        apply_shape(tables, shape, seed)
    plant = plant_all() if planted else None
    counts = {}
    names = [*FILES, *([ANSWER_KEY] if plant else []), "README.txt"]
    # every file written beside its target and all renamed at the end: an interrupted run (--force over a dataset)
    # leaves the previous files as they were, never a mix of two provinces
    with atomic_paths([out / name for name in names]) as written:
        tmp = dict(zip(names, written, strict=True))
        for name, spec in FILES.items():
            cols = tables.get(name, {})
            extra = plant.rows.get(name, []) if plant else []
            arrays = {}
            for col in spec.column_names:
                base = cols.get(col)
                if base is None:
                    n = len(next(iter(cols.values()))) if cols else 0
                    base = np.full(n, "", dtype=object)
                arrays[col] = np.concatenate([base.astype(str),
                                              np.array([str(r.get(col, "")) for r in extra], dtype=str)])
            table = pa.table({c: pa.array(v.tolist(), type=pa.string()) for c, v in arrays.items()})
            pacsv.write_csv(table, tmp[name], pacsv.WriteOptions(quoting_style="needed"))
            counts[name] = table.num_rows
        if plant:
            import csv

            with tmp[ANSWER_KEY].open("w", newline="", encoding="utf-8") as fh:
                w = csv.DictWriter(fh, fieldnames=list(plant.manifest[0]))
                w.writeheader()
                w.writerows(plant.manifest)
        about = f"people={people}, seed={seed}" + ("" if shape in (None, Shape()) else f", {shape}")
        tmp["README.txt"].write_text(
            f"Synthetic data made by govties ({about}). Not real people or companies.\n"
            "planted.csv lists the planted scenarios and whether each rule must fire on them (yes, no, or undated: "
            "no\nfinding, the rule lists the role as one it could not place for want of a start date).\n",
            encoding="utf-8")
    return counts


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--density", type=float, help="findings per 1,000 input rows to aim at (default ~0.3)")
    parser.add_argument("--merged", type=float, default=0.0, help="share of people records recorded twice")
    parser.add_argument("--dirty", type=float, default=0.0, help="share of cells in another accepted form")
    args = parser.parse_args(argv)
    shape = Shape(args.density, args.merged, args.dirty)
    print(json.dumps(write_dataset(args.out, args.people, args.seed, shape=shape), indent=1))


if __name__ == "__main__":
    main()
