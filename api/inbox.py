"""The findings inbox: the recorded findings filtered, searched, sorted and paged by the backend (so 100,000
findings page as fast as 100), with counts per facet; and one finding with its triage, history and cases."""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass, field, fields, replace
from typing import Any

from ..errors import GovtiesError, SaidError, ended
from ..graph.workspace import Cond, either
from ..graph.vocabulary import SEVERITY, TRIAGE_STATUS, Term, Vocabulary, fold_word
from ..graph.regions import region_name
from ..loaders.values import parse_amount, parse_date, region_code
from ..rules.aggregate import region_of
from ..rules.catalog import catalog
from ..titles import REGION
from .entities import NoConverter, other_script

SORTS = {"score": "score", "severity": "severity_rank", "amount": "amount", "first_date": "first_date",
         "last_date": "last_date", "first_seen": "first_seen", "official": "official_name", "company": "org_name",
         "rule": "rule"}
# facets shown in their vocabulary's order (a rule's or a person's facet: by count)
ORDERED = {"severity": SEVERITY, "status": TRIAGE_STATUS}


@functools.cache
def checked() -> dict[str, Vocabulary]:
    """The list filters whose values name something fixed, each with its vocabulary: a severity, a triage status,
    a rule of the catalog (its id, or its title in either language)."""
    rules = Vocabulary("rule", tuple(Term(r.id, r.title("zh"), r.title("en")) for r in catalog().values()))
    return {**ORDERED, "rule": rules}


@functools.cache
def _words(name: str) -> dict[str, str]:
    """A checked filter's accepted words (an id, its Chinese and English words, an alias: 高, 待核查, in review),
    folded, -> the id."""
    return checked()[name].words()

FACETS = ("rule", "severity", "status", "assignee", "region", "agency_id", "official_id", "org_id")
LIST_FILTERS = {"rule": "rule", "severity": "severity", "status": "status", "assignee": "assignee",
                "region": "region", "agency": "agency_id", "official": "official_id", "company": "org_id"}
PAGE_SIZES = (20, 50, 100, 200)
PAGE_SIZE = 50  # a page's findings unless asked otherwise
SCORES = (0, 100)  # the range of a finding's score
ABOUT = tuple(LIST_FILTERS[f] for f in ("agency", "official", "company"))  # filters naming an entity
RANGES = {"date_from": "date_to", "amount_min": "amount_max"}  # a range's low end -> its high end
SEARCH_IDS = 20000  # a text search matching more findings than this is applied as a condition to each query


class Refusal(SaidError):
    """One value of an inbox request that names nothing (a severity, a triage status, a sort, a page size, a date
    that is none) or a range given the wrong way round, declared in Chinese beside the English (SAID); `name`: the
    filter it refuses (the key's own by default)."""

    def __init__(self, key: str, name: str | None = None, **values: Any):
        super().__init__(key, **values)
        self.name = name or key

    SAID = {
        "severity": ("风险等级应为{ids_zh}（{words}）之一，不能是{wrong_zh}", "severity {wrong}: choose among {ids}"),
        "status": ("核查状态应为{ids_zh}（{words}）之一，不能是{wrong_zh}", "status {wrong}: choose among {ids}"),
        "rule": ("规则应为{ids_zh}之一，不能是{wrong_zh}", "rule {wrong}: choose among {ids}"),
        "sort": ("排序应为{ids_zh}之一，不能是“{sort}”", "cannot sort by {sort!r}: choose one of {ids}"),
        "size": ("每页显示{ids_zh}条线索，不能是“{size}”", "a page holds {ids} findings, not {size!r}"),
        "score_min": ("最低评分应在{low}到{high}之间，不能是“{score}”", "a minimum score runs from {low} to {high}, "
                      "not {score}"),
        "amount": ("{field}应为金额（元：1500000、1,500,000、120万），不能是“{value}”",
                   "an amount is a number of yuan (1500000, 1,500,000, 120万), not {field}={value!r}"),
        "date": ("{field}应为日期（YYYY-MM-DD，或2021/3/5、2021年3月5日），不能是“{value}”",
                 "a date is written YYYY-MM-DD (or 2021/3/5, 2021年3月5日), not {field}={value!r}"),
        # a range given the wrong way round would list only what spans both ends, a short list that reads as whole
        "date_from": ("起始日期 date_from（{low}）晚于截止日期 date_to（{high}）：是否填反了？",
                      "a range from date_from {low} to date_to {high} runs the wrong way round: are they swapped?"),
        "amount_min": ("最低金额 amount_min（{low}）高于最高金额 amount_max（{high}）：是否填反了？",
                       "a range from amount_min {low} to amount_max {high} runs the wrong way round: are they "
                       "swapped?"),
    }


class InboxError(GovtiesError):
    """An inbox request names something that does not exist: every such value of the request (`refusals`, one
    per filter), said in one message in Chinese or English, each after BETWEEN, for the workbench to say in its
    page's language."""

    BETWEEN = {"zh": "；", "en": "; "}

    def __init__(self, refusals: list[Refusal]):
        self.refusals = refusals
        super().__init__(self.said("en"))

    def said(self, lang: str = "en", capital: bool = False) -> str:
        return self.BETWEEN["zh" if lang == "zh" else "en"].join(
            one.said(lang, capital and i == 0) for i, one in enumerate(self.refusals))

    def sentence(self, lang: str = "en") -> str:
        return ended(self.said(lang, capital=True), lang)

    def each(self, lang: str = "en") -> dict[str, str]:
        """Each refused filter's own sentence in `lang`, by the filter's name (severity, status ...)."""
        return {one.name: one.sentence(lang) for one in self.refusals}


def read_words(name: str, values: list[Any]) -> tuple[list[Any], list[str]]:
    """A checked filter's values (`name`: "severity", "status" or "rule"), each any word its vocabulary accepts:
    (those read as ids, high for 高, each once; those that name nothing, as given)."""
    words = _words(name)
    read = list(dict.fromkeys(words.get(fold_word(v), v) if isinstance(v, str) else v for v in values))
    ids = checked()[name].ids
    return [v for v in read if not v or v in ids], [str(v) for v in read if v and v not in ids]


def _ranked_region(value: str) -> str:
    """A region filter's value as findings are filed (their agency's code to the prefecture): any GB/T 2260 code,
    a county's or a township's too, is read as its prefecture's (330100, 330102 and 330110001 as 3301; 330000 as
    33), as an investigator may type it; the words of the region of agencies that record none (未登记地区) as it
    is filed, (none); other values are kept as they are."""
    if isinstance(value, str) and fold_word(value) in REGION.words():  # 未登记地区, typed as the pages name it
        return REGION.words()[fold_word(value)]
    code = region_code(value) if isinstance(value, str) and value.strip().isdigit() else ""
    return region_of(code) or value


def region_as_read(given: str) -> str | None:
    """The region a code typed in the region filter is read as, where that is worth saying: a county's or a
    township's code read as its prefecture (330102 as 3301), a province's as its province-level agencies (330000 as
    33); None where the code names that region itself (3301, 330100), is no code, or names no known division."""
    text = given.strip()
    read = _ranked_region(text)
    if not text.isdigit() or read == text or not region_name(read):
        return None
    return read if region_code(text) != read or len(read) == 2 else None


def _number(value: Any) -> float | None:
    """A bound given as a number, or as text in any form the data writes an amount (1,500,000, ¥1500, 120万); None
    for anything else, and for a number that is none (nan, inf)."""
    number = float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else \
        parse_amount(value) if isinstance(value, str) else None
    return number if number is not None and math.isfinite(number) else None


def _end(value: Any) -> str:
    """A range's end as a refusal says it: a date as it is, an amount in yuan with thousands marked (1,200,000)."""
    return f"{value:,.0f}" if isinstance(value, (int, float)) and float(value).is_integer() else str(value)


@dataclass
class InboxQuery:
    """What the inbox shows. List filters keep findings whose value is one of those given (an empty list: no
    filter); `assignee` "-" means nobody. A severity or triage status may be any word its vocabulary accepts (高,
    待核查, in review), read as its id. Dates: findings whose evidence span meets [date_from, date_to]. Every value
    that names nothing (a severity, a status, a sort, a page size, a minimum score outside 0-100, a date or an
    amount that is none) and a range the wrong way round (date_from after date_to, amount_min above amount_max) are
    refused in one InboxError. A date may be given in any form the data accepts (2021/3/5), read as YYYY-MM-DD; an
    amount or a score as a number or as the data writes amounts (1,500,000, 120万); '' is no bound."""
    rule: list[str] = field(default_factory=list)
    severity: list[str] = field(default_factory=list)
    status: list[str] = field(default_factory=list)
    assignee: list[str] = field(default_factory=list)
    region: list[str] = field(default_factory=list)
    agency: list[str] = field(default_factory=list)
    official: list[str] = field(default_factory=list)
    company: list[str] = field(default_factory=list)
    score_min: float | None = None
    amount_min: float | None = None
    amount_max: float | None = None
    date_from: str | None = None
    date_to: str | None = None
    q: str = ""
    hide_ids: bool = False  # q never matches a finding's own (plain) id: a masked page shows keyed ids only
    reopened: bool = False  # only findings whose evidence changed since they were confirmed or dismissed
    since: str | None = None  # only findings first seen or changed after this time
    entity: str | None = None  # only findings about this entity (about())
    sort: str = "score"
    desc: bool = True
    page: int = 1
    size: int = PAGE_SIZE

    def __post_init__(self) -> None:
        for name in LIST_FILTERS:  # one value given as it is: a list of it
            value = getattr(self, name)
            if isinstance(value, str):
                setattr(self, name, [value])
            elif not isinstance(value, list):
                setattr(self, name, list(value or ()))
        self.region = [_ranked_region(v) for v in self.region]
        refused: list[Refusal] = []  # every value that names nothing, said at once
        for name, vocabulary in checked().items():  # a word of the vocabulary (高, 待核查) read as its id (high, open)
            read, wrong = read_words(name, getattr(self, name))
            setattr(self, name, read + wrong)
            wrong = [v[:40] for v in wrong][:5]
            if wrong:
                refused.append(Refusal(name, wrong=", ".join(map(repr, wrong)),
                                       wrong_zh="、".join(f"“{v}”" for v in wrong), ids=", ".join(vocabulary.ids),
                                       ids_zh="、".join(vocabulary.ids),
                                       words="、".join(term.zh for term in vocabulary.terms)))
        if self.sort not in SORTS:
            refused.append(Refusal("sort", sort=str(self.sort)[:40], ids=", ".join(SORTS), ids_zh="、".join(SORTS)))
        for name in ("date_from", "date_to"):  # '' and None: no bound
            given = getattr(self, name)
            iso = parse_date(str(given)) if given not in (None, "") else None
            if iso is None and given not in (None, ""):
                refused.append(Refusal("date", name, field=name, value=str(given)[:40]))
            setattr(self, name, iso)
        for name in ("amount_min", "amount_max", "score_min"):  # a number, or its text as the data writes amounts
            given = getattr(self, name)  # ("1,500,000", "120万"); '' and None: no bound
            number = _number(given) if given not in (None, "") else None
            if number is None and given not in (None, ""):
                refused.append(Refusal("amount" if name != "score_min" else "score_min", name, field=name,
                                       value=str(given)[:40], score=str(given)[:40], low=SCORES[0], high=SCORES[1]))
            setattr(self, name, int(number) if name == "score_min" and number is not None and number.is_integer()
                    else number)  # a score as typed: 90, not 90.0
        if self.score_min is not None and not SCORES[0] <= self.score_min <= SCORES[1]:  # 150 would show nothing
            refused.append(Refusal("score_min", score=self.score_min, low=SCORES[0], high=SCORES[1]))
        self.page = max(1, int(self.page)) if isinstance(self.page, (int, float)) else 1  # past the end: the last
        for low, high in RANGES.items():
            ends = getattr(self, low), getattr(self, high)
            if ends[0] is not None and ends[1] is not None and ends[0] > ends[1]:
                refused.append(Refusal(low, low=_end(ends[0]), high=_end(ends[1])))
        if self.size not in PAGE_SIZES:
            sizes = [str(n) for n in PAGE_SIZES]
            refused.append(Refusal("size", size=self.size, ids=", ".join(sizes), ids_zh="、".join(sizes)))
        if refused:
            raise InboxError(refused)

    def split(self) -> tuple[list[Cond], dict[str, list[Cond]]]:
        """The backend conditions: those of no facet, and each facet column's own (a list filter)."""
        own: dict[str, list[Cond]] = {}
        for name, column in LIST_FILTERS.items():
            values = [v for v in getattr(self, name) if v != ""]
            if values:
                # assignee "-" means nobody: with names too, nobody or one of them
                named = [v for v in values if v != "-"]
                if name == "assignee" and "-" in values:
                    own[column] = [Cond(column, "null_or_in", named)] if named else [Cond(column, "null")]
                else:
                    own[column] = [Cond(column, "in", values)]
        base: list[Cond] = []
        if self.score_min is not None:
            base.append(Cond("score", "ge", int(self.score_min)))
        if self.amount_min is not None:
            base.append(Cond("amount", "ge", float(self.amount_min)))
        if self.amount_max is not None:
            base.append(Cond("amount", "le", float(self.amount_max)))
        if self.date_from:
            base.append(Cond("last_date", "ge", self.date_from))
        if self.date_to:
            base.append(Cond("first_date", "le", self.date_to))
        for word in self.q.split():
            base.append(Cond("search", "contains", word))
        if self.reopened:
            base.append(Cond("reopened", "eq", True))
        if self.since:
            base.append(Cond("changed_at", "ge", self.since))
        if self.entity:
            base.append(about(self.entity))
        return base, own

    def conditions(self) -> list[Cond]:
        base, own = self.split()
        return [*base, *(c for conds in own.values() for c in conds)]

    def order(self) -> list[tuple[str, bool]]:
        return [(SORTS[self.sort], self.desc), ("finding_id", False)]

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls)]


@dataclass
class Page:
    rows: list[dict[str, Any]]
    total: int
    facets: dict[str, list[tuple[Any, int]]]
    query: InboxQuery

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.query.size))


class Inbox:
    """Mixin of api.workspace.Workspace."""

    store: Any

    def inbox(self, query: InboxQuery | None = None, *, facets: bool = True, facet_limit: int = 12) -> Page:
        """One page of recorded findings and the counts per facet (rule, severity, triage status, assignee,
        region, agency, official, company), each facet counted with every other filter applied."""
        query = query or InboxQuery()
        base, own = self._searched(query)
        conds = selected(base, own)
        total = self.store.count("finding", conds)
        page = min(max(1, int(query.page)), max(1, -(-total // query.size)))  # a page past the end: the last one
        query = replace(query, page=page)
        rows = self.store.select("finding", conds, order=query.order(), offset=(page - 1) * query.size,
                                 limit=query.size)
        counted: dict[str, list[tuple[Any, int]]] = {}
        if facets:
            counted = self.store.facets("finding", [*FACETS, "reopened"], base, own, limit=facet_limit)
            counted["reopened"] = [(True, dict(counted["reopened"]).get(True, 0))]
            for name, vocabulary in ORDERED.items():  # a vocabulary's own order (高, 中, 低), not by count
                counted[name] = sorted(counted[name], key=functools.partial(_position, vocabulary.ids))
        return Page(rows, total, counted, query)

    def with_chosen(self, query: InboxQuery, facets: dict[str, list[tuple[Any, int]]], most: int = 12
                    ) -> dict[str, list[tuple[Any, int]]]:
        """`facets` (a page's, as it lists them) with every value the query filters by listed too, with its count
        (0 where no finding has it: a region typed that files none), so that a filter set always shows and can be
        taken off: at most `most` such values a facet, each facet's counted in one query, a vocabulary's facet
        kept in its order. "-" is a value of the assignee's facet alone (nobody)."""
        out = dict(facets)
        searched: tuple[list[Cond], dict[str, list[Cond]]] | None = None
        for name, column in LIST_FILTERS.items():
            if column not in out:
                continue
            listed = {value for value, _ in out[column]}
            chosen = [None if v == "-" else v for v in getattr(query, name)
                      if v != "" and (v != "-" or name == "assignee")]
            missing = [v for v in dict.fromkeys(chosen) if v not in listed][:most]
            if not missing:
                continue
            base, own = searched = searched or self._searched(query)
            named = [v for v in missing if v is not None]
            these = Cond(column, "in", named) if None not in missing else \
                Cond(column, "null_or_in", named) if named else Cond(column, "null")
            others = [c for key, conds in own.items() if key != column for c in conds]
            counts = dict(self.store.count_by("finding", column, [*base, *others, these]))
            out[column] = [*out[column], *((v, counts.get(v, 0)) for v in missing)]
        for name, vocabulary in ORDERED.items():
            if name in out:
                out[name] = sorted(out[name], key=functools.partial(_position, vocabulary.ids))
        return out

    def _searched(self, query: InboxQuery) -> tuple[list[Cond], dict[str, list[Cond]]]:
        """The query's conditions, a text search done once: the findings it matches become a list of ids (when
        there are not too many), so the page and every facet count do not search the text again."""
        base, own = query.split()
        text = [c for c in base if c.column == "search"]
        if text and query.hide_ids:  # each word in the text beside the id (the search text's first word), or no hit
            ids = self._masked_search(text)
            if not ids and (other := _other_script_words(text)):  # 周國平 finds what 周国平 finds
                ids = self._masked_search(other)
            entities = self._read_as_entities(query.q, pinyin_only=True) if not ids else []
            if entities:  # a pinyin names people as a name does (a masked page reads no resident ID)
                return [c for c in base if c.column != "search"] + [either(*map(about, entities))], own
            return [c for c in base if c.column != "search"] + [Cond("finding_id", "in", ids)], own
        if text:
            ids = self.store.values("finding", "finding_id", text, limit=SEARCH_IDS + 1)
            if not ids and (other := _other_script_words(text)):  # 周國平 finds what 周国平 finds
                base = [c for c in base if c.column != "search"] + other
                text = other
                ids = self.store.values("finding", "finding_id", text, limit=SEARCH_IDS + 1)
            entities = self._read_as_entities(query.q) if not ids else []
            if entities:  # a pinyin, a resident ID or a credit code: the findings about whom it names
                return [c for c in base if c.column != "search"] + [either(*map(about, entities))], own
            if len(ids) <= SEARCH_IDS:
                base = [c for c in base if c.column != "search"] + [Cond("finding_id", "in", ids)]
        return base, own

    def _masked_search(self, text: list[Cond]) -> list[str]:
        """The findings whose search text holds each word beside the finding's id (a masked page shows keyed ids:
        a plain id typed finds nothing)."""
        words = [str(c.value).lower() for c in text]
        found = [s.split(" ", 1) for s in self.store.values("finding", "search", text)]
        return [s[0] for s in found if len(s) == 2 and all(w in s[1] for w in words)]

    def _read_as_entities(self, text: str, pinyin_only: bool = False) -> list[str]:
        """The entities (at most READ_AS) a search text names when it is read as the header's search reads it — a
        pinyin (zhouguoping), a resident ID or a credit code in any accepted form (`pinyin_only`: a pinyin alone) —
        and not as words in the findings; none for any other text."""
        # whole keys only: a part of an ID is no name for the findings about someone
        found = self.search(text, limit=READ_AS, by_id_part=False,  # type: ignore[attr-defined]
                            dashed_ids=not pinyin_only)
        read = set(found["as"]) & ({"pinyin"} if pinyin_only else {"pinyin", "resident_id", "credit_code"})
        return [h["id"] for h in found["hits"]] if read else []

    def finding_ids(self) -> list[str]:
        """The ids of the recorded findings."""
        return self.store.values("finding", "finding_id")

    def finding(self, finding_id: str) -> dict[str, Any] | None:
        """A recorded finding with its triage (version 0 when never triaged), the cases holding it, and — when
        its evidence changed since triage — the evidence facts then and now."""
        row = self.store.one("finding", finding_id=finding_id)
        if row is None:
            return None
        row["evidence_json"] = json.loads(row["evidence"]) if row.get("evidence") else {"nodes": [], "edges": []}
        row["triage"] = self.triage(finding_id)  # type: ignore[attr-defined]
        row["cases"] = self.cases_of(finding_id)  # type: ignore[attr-defined]
        row["facts"] = self.facts(row["fingerprint"])
        then = row["triage"].get("fingerprint")
        row["facts_at_triage"] = self.facts(then) if then and then != row["fingerprint"] else None
        return row

    def facts(self, fingerprint: str | None) -> dict[str, Any] | None:
        """The evidence facts archived under a fingerprint (every fingerprint a recorded sweep gave)."""
        if not fingerprint:
            return None
        row = self.store.one("evidence", fingerprint=fingerprint)
        return json.loads(row["facts"]) if row and row.get("facts") else None

    def facts_many(self, fingerprints) -> dict[str, dict[str, Any]]:
        """fingerprint -> archived evidence facts, for those archived."""
        wanted = sorted({f for f in fingerprints if f})
        out = {}
        for start in range(0, len(wanted), 20000):
            for r in self.store.select("evidence", [Cond("fingerprint", "in", wanted[start:start + 20000])]):
                out[r["fingerprint"]] = json.loads(r["facts"])
        return out

    def news(self, since: str | None, *, entity: str | None = None, limit: int = 200) -> dict[str, Any]:
        """What a sweep recorded after `since` (a previous visit): findings first seen since, and findings seen
        before whose evidence changed since (the first `limit` of each, and how many there are: new_total,
        changed_total); for the findings about one entity (about()) with `entity`. With no previous visit, the
        most recently first seen findings."""
        base = [about(entity)] if entity else []
        order = [("first_seen", True), ("score", True), ("finding_id", False)]
        if since is None:
            return {"new": self.store.select("finding", base, order=order, limit=limit), "changed": [],
                    "new_total": self.store.count("finding", base), "changed_total": 0}
        fresh = [*base, Cond("first_seen", "ge", since)]
        before = [*base, Cond("changed_at", "ge", since), Cond("first_seen", "le", since)]
        return {"new": self.store.select("finding", fresh, order=order, limit=limit),
                "changed": self.store.select("finding", before, order=[("changed_at", True), ("finding_id", False)],
                                             limit=limit),
                "new_total": self.store.count("finding", fresh), "changed_total": self.store.count("finding", before)}

    def findings_of(self, entity_id: str, limit: int = 200) -> list[dict[str, Any]]:
        """The recorded findings about an entity (about()), highest score first: the first page of what the
        inbox lists with `InboxQuery(entity=entity_id)`."""
        return self.store.select("finding", [about(entity_id)], order=[("score", True), ("finding_id", False)],
                                 limit=limit)

    def count_findings_of(self, entity_id: str) -> int:
        """How many recorded findings are about an entity (about())."""
        return self.store.count("finding", [about(entity_id)])


def selected(base: list[Cond], own: dict[str, list[Cond]]) -> list[Cond]:
    """Every condition of a query (Inbox._searched's): the findings it selects, each facet's own filter too."""
    return [*base, *(c for v in own.values() for c in v)]


READ_AS = 20  # entities a search text read as a pinyin, resident ID or credit code names at most


def _other_script_words(text: list[Cond]) -> list[Cond] | None:
    """A text search's words in the other script (simplified for traditional, and back; with govties[names]),
    when any word differs so; else None."""
    try:
        other = [other_script(str(c.value)) for c in text]
    except NoConverter:
        return None
    if not any(other):
        return None
    return [Cond("search", "contains", o[1] if o else c.value) for c, o in zip(text, other, strict=True)]


def about(entity_id: str) -> Cond:
    """The findings about an entity: those whose evidence holds it, and those the inbox's agency, official or
    company filter gives for it (a decision's agency is the finding's agency without being in its evidence)."""
    return either(Cond("entity_ids", "has", entity_id), *(Cond(column, "eq", entity_id) for column in ABOUT))


__all__ = ["Inbox", "InboxQuery", "InboxError", "Page", "SORTS", "FACETS", "PAGE_SIZES", "about", "selected"]


def _position(ids: tuple[str, ...], counted: tuple[Any, int]) -> tuple[int, str]:
    """Where a facet's (value, count) goes: in the vocabulary's order, anything else after it."""
    value = counted[0]
    return (ids.index(value) if value in ids else len(ids), str(value))
