"""Entity pages: search people and organizations by name (Chinese, or pinyin with govties[names]), id, resident ID
in any accepted form or credit code; and everything about one entity — posts with dates and ranks, relatives,
company roles, decisions with amounts, findings, a timeline, and the source records behind it (file or sheet and
line, including the records resolution merged into it) with the possible matches it did not merge."""

from __future__ import annotations

from collections.abc import Collection
import re
from typing import Any

import pandas as pd

from ..graph import find_keys
from ..graph.workspace import Cond
from ..loaders.names import name_matches, variants
from ..loaders.values import check_credit_code, id_text, normalize_id_number
from ..privacy import DASH

MAX_LISTED = 300  # rows per section of an entity page; the page says when there are more


def _pinyin_key(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


class NoConverter(Exception):
    """A name in Chinese characters, but zhconv (part of govties[names]) is not installed to read it in the other
    script."""


ID_PART = re.compile(r"[0-9]{6,17}X?")  # part of a resident ID: 6 or more of its digits in a row
CODE_PART = re.compile(r"[0-9A-Z]{6,17}")  # part of a credit code: 6 to 17 of its digits and letters
DASHES = re.compile(f"[{DASH}]")  # what a typed ID or code may hold between its characters, with spaces


def squeezed(text: str) -> str:
    """`text` as an ID or a code is stored: read as the loader reads an ID (values.id_text: full-width characters,
    no spaces, upper-case), and without hyphens and dashes."""
    return DASHES.sub("", id_text(text))


def typed_keys(text: str, dashed_ids: bool = True) -> tuple[str | None, str | None]:
    """(the resident ID, the credit code) `text` is, each None when it is not one: read as the loader reads them,
    or written with hyphens or dashes between its characters (330102-19650312-1018, as forms print it). Without
    `dashed_ids` (a masked reader, whose search text has no 6 digits in a row but may have them between dashes)
    a resident ID so written is not read."""
    id_key, _ = normalize_id_number(text)
    code, _ = check_credit_code(text)
    if not id_key and not code and DASHES.search(text):
        id_key, code = typed_keys(squeezed(text))
        return (id_key if dashed_ids else None), code
    return id_key, code


def id_part(text: str) -> str | None:
    """`text` as a part of a resident ID (six or more of its digits in a row, its final X with them: what a masked
    workbench never searches for), squeezed; None when it cannot be one."""
    part = squeezed(text)
    return part if ID_PART.fullmatch(part) and len(part) <= 17 else None


def code_part(text: str) -> str | None:
    """`text` as a part of a credit code (6 to 17 of its digits and letters, 4 or more of them digits: not a word),
    squeezed; None when it cannot be one."""
    part = squeezed(text)
    return part if CODE_PART.fullmatch(part) and sum(c.isdigit() for c in part) >= 4 else None


def other_script(text: str) -> tuple[str, str] | None:
    """(how, text) of the text in the other script — simplified characters when it has traditional ones, else
    traditional when it has simplified ones — when that differs (with zhconv, part of govties[names]); else None.
    Raises NoConverter for Chinese text when zhconv is not installed."""
    if not re.search(r"[\u3400-\u9fff]", text):
        return None
    try:
        import zhconv
    except ImportError:
        raise NoConverter() from None
    for how, script in (("simplified", "zh-hans"), ("traditional", "zh-hant")):  # the script, not the words
        other = zhconv.convert(text, script)
        if other != text:
            return how, other
    return None


class Entities:
    """Mixin of api.workspace.Workspace."""

    store: Any
    backend: Any

    def _pinyin_index(self) -> dict[str, list[str]] | None:
        """pinyin (letters only) -> names, when pypinyin is installed: the name keys' pinyin (each name spelled
        once per graph state, for the search and the possible matches alike) without the spaces between syllables."""
        spelled = next((index for basis, _, index in self._name_keys() if basis == "same_pinyin"), None)
        if spelled is None:
            return None

        def build() -> dict[str, list[str]]:
            index: dict[str, list[str]] = {}
            for syllables, names in spelled.items():
                index.setdefault(_pinyin_key(syllables), []).extend(names)
            return index

        return self.cached(("pinyin", self.backend.version()), build)  # type: ignore[attr-defined]

    def _name_keys(self) -> list[tuple[str, Any, dict[str, list[str]]]]:
        """(basis, key, key -> names) for each way names are compared (loaders.names.variants), over every person
        name of the graph; built once per graph state, when a person's page first asks."""
        key_of = ("name-keys", self.backend.version())

        def build() -> list[tuple[str, Any, dict[str, list[str]]]]:
            names = find_keys.person_names(self.backend)
            out = []
            for basis, key in variants()[0]:
                index: dict[str, list[str]] = {}
                for name in names:
                    index.setdefault(key(name.strip()), []).append(name)
                out.append((basis, key, index))
            return out

        return self.cached(key_of, build)  # type: ignore[attr-defined]

    def name_matches_of(self, person_id: str, name: str | None) -> list[dict[str, Any]]:
        """The company-role holders without a resident ID whose name matches this person's (or, for such a holder,
        the people whose name matches its own), as `govties resolve` lists them (loaders.names.name_matches), found
        among the people whose name has one of this name's keys: the same matches, for one person."""
        if not name or not name.strip():
            return []
        names = sorted({n for _, key, index in self._name_keys() for n in index.get(key(name.strip()), [])})
        hits = find_keys.find_by_keys(self.backend, "", names=names, limit=100_000)
        ids = sorted({h["id"] for h in hits if h["type"] == "person"})
        if len(ids) < 2:
            return []
        people = pd.DataFrame([plain_row(r) for _, r in self.backend.lookup("person", ids).iterrows()],
                              columns=["person_id", "name", "id_number", "birth_date"])  # dates as ISO text
        holders = sorted({e["src"] for e in self.backend.edges_of(ids) if e["type"] == "HOLDS_ROLE"} & set(ids))
        found, _ = name_matches(people, pd.DataFrame({"holder_id": holders}))
        return [{"match_id": f"{m.holder_id}|{m.candidate_id}", "entity_ids": [m.holder_id, m.candidate_id],
                 "name": "、".join(dict.fromkeys((m.holder_name, m.candidate_name))), "birth_date": m.birth_date,
                 "reason": m.code} for m in found if person_id in (m.holder_id, m.candidate_id)]

    def search(self, text: str, limit: int = 30, by_id_part: bool = True, dashed_ids: bool | None = None
               ) -> dict[str, Any]:
        """Entities matching `text`, best first: by id, name or alias (Backend.find), by resident ID in any
        accepted form, by credit code, and by pinyin and in the other script, simplified or traditional (with
        govties[names]); `as` says how the text was read, and `notes` holds "pinyin" when a pinyin search was
        wanted but is unavailable, "script" when a name in Chinese characters found nothing and could not be read in
        the other script for want of govties[names] (a name found as typed needs no word of it). A part of a
        resident ID (id_part) finds the people whose ID holds it unless `by_id_part` is False (a masked reader:
        an answer would confirm a guess of the hidden digits); a part of a credit code (code_part) finds the
        organizations whose code holds it. Hits matched by a part say so ("resident_id_part", "credit_code_part")
        and come after whole matches, ids and names. A resident ID written with dashes is read unless `dashed_ids`
        is False (by default as `by_id_part`: a masked reader's text keeps no 6 digits in a row, but may keep them
        between dashes)."""
        text = (text or "").strip()
        out: dict[str, Any] = {"text": text, "as": [], "hits": [], "notes": []}
        if not text:
            return out
        id_key, code = typed_keys(text, dashed_ids=by_id_part if dashed_ids is None else dashed_ids)
        names: list[str] = []
        if id_key:
            out["as"].append("resident_id")
        if code:
            out["as"].append("credit_code")
        if re.fullmatch(r"[A-Za-z][A-Za-z\s']*", text):
            index = self._pinyin_index()
            if index is None:
                out["notes"].append("pinyin")
            else:
                names = index.get(_pinyin_key(text), [])[:200]
                if names:
                    out["as"].append("pinyin")
        part = id_part(text) if by_id_part and not id_key and not code else None
        keyed = find_keys.find_by_keys(self.backend, text, id_key=id_key, code=code, names=names, id_part=part,
                                       limit=limit)
        found = self.backend.find(text, limit)
        typed = code_part(text) if not code else None
        if typed and typed.lower() != text.lower():  # a code's part typed spaced or full-width: find reads it whole
            known = {hit["id"] for hit in found}
            found += [h for h in self.backend.find(typed, limit)
                      if h["matched"] == "credit_code" and h["id"] not in known]
        # find matches a credit code by any part of it: a hit not exact is matched by a part
        found = [{**h, "matched": "credit_code_part"} if h["matched"] == "credit_code" and not h["exact"] else h
                 for h in found]
        for how in ("resident_id_part", "credit_code_part"):
            if any(h["matched"] == how for h in (*keyed, *found)):
                out["as"].append(how)
        try:
            other = other_script(text)
        except NoConverter:  # said when nothing is found, as for pinyin: 周國平 finds no 周国平 without it
            other = None
            if not found and not keyed:
                out["notes"].append("script")
        if other:  # a name typed in traditional characters (周國平) finds the name as registered (周国平), and back
            known = {hit["id"] for hit in found}
            more = [{**hit, "matched": other[0]} for hit in self.backend.find(other[1], limit)
                    if hit["id"] not in known]
            if more:  # said only when it found something (most text is in the script it is registered in)
                out["as"].append(other[0])
                found += more
        seen: set[str] = set()
        # an ID or a code matched whole first, then ids and names, then names by pinyin, parts of IDs, of codes
        parts = [h for h in found if h["matched"] == "credit_code_part"]
        found = [h for h in found if h["matched"] != "credit_code_part"]
        for hit in [*[h for h in keyed if h["exact"] and h["matched"] != "pinyin"], *found, *keyed, *parts]:
            if hit["id"] not in seen:
                seen.add(hit["id"])
                out["hits"].append(hit)
        out["hits"] = out["hits"][:limit]
        return out

    def entity(self, entity_id: str) -> dict[str, Any] | None:
        """Everything the graph and the workspace know about one person, organization or decision (any id of a
        merged person leads to that person)."""
        canonical = self.backend.canonical(entity_id)
        if canonical is None:
            return None
        node = self.backend.nodes([canonical])[canonical]
        out: dict[str, Any] = {"id": canonical, "asked": entity_id, "node": node, "more": {}}
        edges = self.backend.edges_of([canonical])
        other = {e["dst"] if e["src"] == canonical else e["src"] for e in edges}
        names = self.backend.nodes(other)
        out["names"] = {k: v.get("name") for k, v in names.items()}
        if node["type"] == "person":
            people = self.backend.lookup("person", [canonical])
            out["details"] = plain_row(people.iloc[0]) if len(people) else {}
            posts = self.backend.lookup("post", [canonical])
            out["posts"] = sorted((plain_row(r) for _, r in posts.iterrows()),
                                  key=lambda p: (p.get("start_date") or "", p.get("rid") or ""), reverse=True)
        elif node["type"] == "organization":
            orgs = self.backend.lookup("org", [canonical])
            out["details"] = plain_row(orgs.iloc[0]) if len(orgs) else {}
            holders = sorted({e["src"] for e in edges if e["type"] == "HOLDS_POST"})
            posts = self.backend.lookup("post", holders) if holders else None
            out["posts"] = [] if posts is None else sorted(
                (plain_row(r) for _, r in posts[posts["org_id"] == canonical].iterrows()),
                key=lambda p: (p.get("start_date") or "", p.get("rid") or ""), reverse=True)
        else:
            dec = self.backend.lookup("decision", [canonical])
            out["details"] = plain_row(dec.iloc[0]) if len(dec) else {}
            out["posts"] = []
            # who took part in it and how (approver, signer ...): decision_makers.csv's rows of this decision
            out["makers"] = sorted(({"person_id": e["src"], "role": e.get("label")} for e in edges
                                    if e["type"] == "DECIDED" and e["dst"] == canonical),
                                   key=lambda m: (m["role"] or "", m["person_id"]))[:MAX_LISTED]
        out["relatives"] = [_kin(e, canonical) for e in edges if e["type"] == "RELATIVE_OF"]
        out["roles"] = [e for e in edges if e["type"] == "HOLDS_ROLE"]
        out["decisions"] = self._decisions(canonical, edges, out)
        for key in ("posts", "relatives", "roles"):
            if len(out[key]) > MAX_LISTED:
                out["more"][key] = len(out[key])
                out[key] = out[key][:MAX_LISTED]
        out["findings"] = self.findings_of(canonical, limit=MAX_LISTED)  # type: ignore[attr-defined]
        out["findings_total"] = self.count_findings_of(canonical)  # type: ignore[attr-defined]
        out["records"] = self.store.select("record", [Cond("entity_id", "eq", canonical)],
                                           order=[("file", False), ("line", False)], limit=MAX_LISTED)
        out["matches"] = self.store.select("match", [Cond("entity_ids", "has", canonical)])
        if node["type"] == "person":
            out["matches"] += self.name_matches_of(canonical, out["details"].get("name"))
        out["timeline"] = _timeline(out, self._still_open(out["findings"]))
        return out

    def _still_open(self, findings: list[dict[str, Any]]) -> set[str]:
        """The findings whose span was still open at their sweep's date: their row's last date is that date, and
        their archived evidence ends on no date."""
        dated = [f for f in findings if f.get("last_date") and f.get("first_date")]
        facts = self.facts_many(f.get("fingerprint") for f in dated)  # type: ignore[attr-defined]
        return {f["finding_id"] for f in dated
                if f.get("fingerprint") in facts and facts[f["fingerprint"]].get("last_date") is None}

    def records_of(self, entity_ids: list[str], limit: int = 200) -> list[dict[str, Any]]:
        """The source records (file or sheet, line) of these entities, including those resolution merged into
        them, by entity id, file and line; at most `limit`."""
        if not entity_ids:
            return []
        return self.store.select("record", [Cond("entity_id", "in", list(entity_ids))],
                                 order=[("entity_id", False), ("file", False), ("line", False)], limit=limit)

    def _decisions(self, canonical: str, edges: list[dict[str, Any]], out: dict[str, Any]) -> list[dict[str, Any]]:
        """The decisions an entity made, received, issued or bid in, newest first, with amounts."""
        how: dict[str, set[str]] = {}
        roles: dict[str, set[str]] = {}  # the roles the entity took part in each decision in (approver ...)
        for e in edges:
            if e["type"] in ("DECIDED", "BID") and e["src"] == canonical:
                how.setdefault(e["dst"], set()).add(e["type"])
                if e["type"] == "DECIDED" and e.get("label"):
                    roles.setdefault(e["dst"], set()).add(e["label"])
            elif e["type"] in ("BENEFITS", "ISSUED_BY") and e["dst"] == canonical:
                how.setdefault(e["src"], set()).add(e["type"])
            elif e["src"] == canonical and e["type"] in ("BENEFITS", "ISSUED_BY"):
                how.setdefault(canonical, set()).add(e["type"])
        ids = sorted(d for d in how if d != canonical)
        if len(ids) > MAX_LISTED:
            out["more"]["decisions"] = len(ids)
        frame = self.backend.lookup("decision", ids)
        rows = sorted((plain_row(r) for _, r in frame.iterrows()), key=lambda d: (d.get("date") or "",
                                                                                   d["decision_id"]), reverse=True)
        parties = {x for d in rows for x in (d.get("agency_id"), d.get("beneficiary_id")) if x}
        out["names"].update({k: v.get("name") for k, v in self.backend.nodes(parties).items()})
        for d in rows:
            d["how"] = sorted(how.get(d["decision_id"], ()))
            d["roles"] = sorted(roles.get(d["decision_id"], ()))
        return rows[:MAX_LISTED]


def _kin(e: dict[str, Any], me: str) -> dict[str, Any]:
    """A kinship edge from the entity's side: who the other is to it (B is A's `relation` on A -> B)."""
    from ..graph.model import INVERSE_RELATION

    if e["src"] == me:
        return {**e, "other": e["dst"], "relation": e.get("label")}
    return {**e, "other": e["src"], "relation": INVERSE_RELATION.get(e.get("label") or "", e.get("label"))}


def plain_row(row) -> dict[str, Any]:
    """A row of a backend's table as plain values: dates as ISO text, missing values (NaN, NaT) as None."""
    from ..graph.backend import plain

    def one(v: Any) -> Any:
        if hasattr(v, "tolist"):
            return plain(v.tolist())
        if v is pd.NaT or (isinstance(v, float) and v != v):
            return None
        return plain(v)

    return {k: one(v) for k, v in row.items()}


def _timeline(e: dict[str, Any], still_open: Collection[str] = ()) -> list[dict[str, Any]]:
    """Dated events of an entity, newest first: posts and roles taken and left, kinship, decisions, findings (at
    their last date; one whose span was still open at its sweep's date at its first date, as ongoing: its last
    date is only the sweep's)."""
    items: list[dict[str, Any]] = []
    for p in e["posts"]:
        for key, what in (("start_date", "post_start"), ("end_date", "post_end")):
            if p.get(key):
                items.append({"date": p[key], "what": what, "text": p.get("title") or "", "ref": p.get("org_id"),
                              "person": p.get("person_id")})
    for r in e["roles"]:
        for key, what in (("start", "role_start"), ("end", "role_end")):
            if r.get(key):
                items.append({"date": r[key], "what": what, "text": r.get("label") or "", "ref": r["dst"],
                              "person": r["src"]})
    for k in e["relatives"]:
        if k.get("start"):
            items.append({"date": k["start"], "what": "kin_start", "text": k.get("relation") or "",
                          "ref": k["other"], "person": k["src"]})
    for d in e["decisions"]:
        if d.get("date"):
            items.append({"date": d["date"], "what": "decision", "text": d.get("title") or d["decision_id"],
                          "ref": d["decision_id"], "amount": d.get("amount")})
    for f in e["findings"]:
        if f["finding_id"] in still_open:
            items.append({"date": f["first_date"], "what": "finding_open", "text": f["rule"], "ref": f["finding_id"]})
        elif f.get("last_date"):
            items.append({"date": f["last_date"], "what": "finding", "text": f["rule"], "ref": f["finding_id"]})
    blank = {"text": "", "ref": None, "person": None, "amount": None}
    return sorted(({**blank, **i} for i in items), key=lambda i: (i["date"], i["what"]), reverse=True)


__all__ = ["Entities", "MAX_LISTED", "plain_row"]
