"""FollowTheMoney entities (JSON lines, e.g. OpenSanctions PEP data) to a dataset in the contract's format.

Person -> people; Company, Organization, PublicBody, LegalEntity -> organizations (company, other, agency);
Position + Occupancy -> positions (a Position without an organization becomes an agency of its own);
Family -> relatives (Associate -> relation `other`); at any organization but a public body, Ownership ->
shareholder roles (percentage / 100), Directorship -> director (legal_rep when the role says so), Employment ->
employee; ContractAward (with its Contract's authority) and Payment from a public body -> decisions. Needs the
`followthemoney` package (pip install 'govties[ftm]')."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path

from .contract import FILES
from .problems import DataError, Problem
from .values import parse_date, vocabulary_word

ORG_KIND = {"Company": "company", "PublicBody": "agency", "Organization": "other", "LegalEntity": "other"}
FAMILY = {"husband": "spouse", "wife": "spouse", "partner": "spouse", "son": "child", "daughter": "child",
          "father": "parent", "mother": "parent", "brother": "sibling", "sister": "sibling",
          "son-in-law": "child_spouse", "daughter-in-law": "child_spouse", "father-in-law": "spouse_parent",
          "mother-in-law": "spouse_parent", "grandson": "grandchild", "granddaughter": "grandchild",
          "grandfather": "grandparent", "grandmother": "grandparent"}


def _model():
    try:
        from followthemoney import model
    except ImportError as exc:
        raise DataError([Problem("followthemoney", None, None, "is not installed",
                                 fix="pip install 'govties[ftm]' (or pip install followthemoney)")]) from exc
    return model


def _first(proxy, prop: str) -> str:
    values = proxy.get(prop, quiet=True)
    return values[0] if values else ""


def _date(proxy, *props: str) -> str:
    for prop in props:
        for v in proxy.get(prop, quiet=True):
            iso = parse_date(v[:10]) if len(v) >= 10 else None
            if iso:
                return iso
    return ""


def ftm_to_contract(entities: str | Path, out: str | Path) -> dict[str, int]:
    model = _model()
    from followthemoney.exc import FollowTheMoneyException

    path = Path(entities)
    proxies = {}
    problems = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                proxy = model.get_proxy(json.loads(line))
            except (ValueError, KeyError, TypeError, FollowTheMoneyException) as exc:
                problems.append(Problem(path.name, n, None, f"is not a FollowTheMoney entity ({exc})",
                                        fix="one JSON object with id, schema and properties per line"))
                continue
            proxies[proxy.id] = proxy
    if problems:
        raise DataError(problems)
    rows: dict[str, list[dict]] = defaultdict(list)
    kinds: dict[str, str] = {}
    for p in proxies.values():
        schema = p.schema.name
        if p.schema.is_a("Person"):
            rows["people.csv"].append({"person_id": p.id, "name": _first(p, "name") or p.id,
                                       "id_number": _first(p, "idNumber"), "birth_date": _date(p, "birthDate"),
                                       "gender": _first(p, "gender"), "aliases": ";".join(p.get("alias"))})
        elif schema in ORG_KIND or (p.schema.is_a("LegalEntity") and not p.schema.is_a("Person")):
            kinds[p.id] = ORG_KIND.get(schema, "company" if p.schema.is_a("Company") else "other")
            rows["organizations.csv"].append({
                "org_id": p.id, "name": _first(p, "name") or p.id, "kind": kinds[p.id],
                "credit_code": next((v for v in p.get("registrationNumber") + p.get("taxNumber") if len(v) == 18), ""),
                "address": _first(p, "address"), "phone": _first(p, "phone"), "industry": _first(p, "sector"),
                "founded_on": _date(p, "incorporationDate")})
    for p in proxies.values():
        schema = p.schema.name
        if schema == "Occupancy":
            post = proxies.get(_first(p, "post"))
            if post is None:
                continue
            org = _first(post, "organization")
            if not org or kinds.get(org) not in ("agency", "village"):
                org = post.id  # the post stands for its own agency
                if org not in kinds:
                    kinds[org] = "agency"
                    rows["organizations.csv"].append({"org_id": org, "name": _first(post, "name") or org,
                                                      "kind": "agency"})
            rows["positions.csv"].append({"person_id": _first(p, "holder"), "org_id": org,
                                          "title": _first(post, "name") or "post",
                                          "start_date": _date(p, "startDate", "date") or "1900-01-01",
                                          "end_date": _date(p, "endDate")})
        elif schema in ("Family", "Associate"):
            word = _first(p, "relationship").strip().lower()
            relation = (FAMILY.get(word) or vocabulary_word("relation", word) or "other") if schema == "Family" \
                else "other"
            rows["relatives.csv"].append({"person_id": _first(p, "person"), "relative_id": _first(p, "relative")
                                          or _first(p, "associate"), "relation": relation})
        elif schema in ("Ownership", "Directorship", "Employment"):
            holder, org = {"Ownership": ("owner", "asset"), "Directorship": ("director", "organization"),
                           "Employment": ("employee", "employer")}[schema]
            org_id = _first(p, org)
            if kinds.get(org_id) in (None, "agency", "village"):  # a role is at any organization but those
                continue
            pct = _first(p, "percentage")
            role = {"Ownership": "shareholder", "Employment": "employee"}.get(schema, "director")
            if schema == "Directorship" and "legal" in _first(p, "role").lower():
                role = "legal_rep"
            rows["company_roles.csv"].append({"holder_id": _first(p, holder), "org_id": org_id, "role": role,
                                              "share": str(float(pct) / 100) if pct and schema == "Ownership" else "",
                                              "start_date": _date(p, "startDate"), "end_date": _date(p, "endDate")})
        elif schema in ("ContractAward", "Payment"):
            if schema == "ContractAward":
                contract = proxies.get(_first(p, "contract"))
                agency, beneficiary, kind = (_first(contract, "authority") if contract else ""), _first(p, "supplier"), \
                    "contract"
            else:
                agency, beneficiary, kind = _first(p, "payer"), _first(p, "beneficiary"), "subsidy"
            date = _date(p, "date", "startDate")
            if kinds.get(agency) != "agency" or not beneficiary or not date:
                continue
            rows["decisions.csv"].append({"decision_id": p.id, "kind": kind, "date": date, "agency_id": agency,
                                          "beneficiary_id": beneficiary, "amount": _first(p, "amount"),
                                          "title": _first(p, "summary") or _first(p, "purpose")})
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    counts = {}
    for name, spec in FILES.items():
        if name not in rows and name not in ("people.csv", "organizations.csv"):
            continue
        with (out / name).open("w", newline="", encoding="utf-8") as fh:
            w = csv.DictWriter(fh, fieldnames=spec.column_names, extrasaction="ignore")
            w.writeheader()
            w.writerows(rows.get(name, []))
        counts[name] = len(rows.get(name, []))
    return counts
