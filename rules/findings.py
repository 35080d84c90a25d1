"""A rule's atoms to findings: grouping, stable ids, scores, explanations, evidence. The same for every backend.

An atom is one row of a rule's query: official_id, org_id, via_id, decision_id, first_date, last_date, amount,
edges (a list of {src, dst, type, label, share, start, end}) and any extra columns its explanation uses. Atoms
with the same `group_by` values form one finding, its atoms and edges each once, in the order of their canonical
JSON. Every edge and evidence node is serialized once (rules.canonical) and the finding's id and evidence are
joined from those pieces, so that the cost per finding stays small however many findings a sweep has.
"""

from __future__ import annotations

import hashlib
import json
import string
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from ..graph.backend import Backend
from ..graph.vocabulary import LANGS, Vocabulary, agree_with, counted, counts_fields
from . import canonical, i18n, scoring
from .spec import ATOM_COLUMNS, OPEN_SPAN, Rule

UNKNOWN_NODE = {"type": "unknown", "name": None, "kind": None}
_ATOM_COLUMNS = frozenset(ATOM_COLUMNS)


def edge(e: Mapping[str, Any]) -> dict[str, Any]:
    """An evidence edge: the seven keys, the share rounded to six places, `reported_on` only where a source gave
    one (a company role's first record)."""
    out = {k: e.get(k) for k in canonical.EDGE_KEYS}
    if out["share"] is not None:
        out["share"] = round(float(out["share"]), 6)
    if e.get("reported_on") is not None:
        out["reported_on"] = e["reported_on"]
    return out


def finding_id(rule_id: str, key: tuple) -> str:
    """The hash of the canonical JSON array of the rule's id and the finding's key."""
    return _finding_id("[" + canonical.scalar(rule_id), key)


def _finding_id(head: str, key: tuple) -> str:
    """finding_id with the array's head ('[' and the rule's id as canonical JSON) made once per rule."""
    scalar = canonical.scalar
    return _hash(head + "".join([", " + scalar(x) for x in key]) + "]")


def atom_ids(atoms: Iterable[Mapping[str, Any]]) -> set[str]:
    """Every node id atoms name (their entities and their edges' ends): what a finding's evidence looks up."""
    ids: set[str] = set()
    for a in atoms:
        ids.update(x for x in (a.get("official_id"), a.get("org_id"), a.get("via_id"), a.get("decision_id")) if x)
        for e in a.get("edges") or ():
            ids.update((e.get("src"), e.get("dst")))
    ids.discard(None)
    return ids


class Nodes(dict):
    """Node id -> node ({id, type, name, kind, official}, as Backend.nodes gives), which also writes a node in a role
    as evidence's canonical JSON ({id, kind, name, role, type}): each node's text around its role is made once for
    every rule of a sweep that shares the lookup, each role's text once."""

    def __init__(self, nodes: Mapping[str, dict[str, Any]] = ()):  # type: ignore[assignment]
        super().__init__(nodes)
        self.around: dict[Any, tuple[str, str]] = {}  # node id -> its text before the role's value, and after
        self.roles: dict[str, str] = {}

    def json(self, node_id: Any, role: str) -> str:
        around = self.around.get(node_id)
        if around is None:
            n = self.get(node_id)
            if n is None:
                n = UNKNOWN_NODE
            scalar = canonical.scalar
            around = self.around[node_id] = (
                f'{{"id": {scalar(node_id)}, "kind": {scalar(n.get("kind"))}, "name": {scalar(n.get("name"))}, '
                '"role": ', f', "type": {scalar(n["type"])}}}')
        text = self.roles.get(role)
        if text is None:
            text = self.roles[role] = canonical.scalar(role)
        return around[0] + text + around[1]


class _Words:
    """Vocabulary labels in one language, looked up in a dict."""

    def __init__(self, lang: str):
        self.lang = lang
        self.tables: dict[str, dict[str, str]] = {}

    def __call__(self, vocabulary: Vocabulary, term: Any) -> str:
        table = self.tables.get(vocabulary.name)
        if table is None:
            table = self.tables[vocabulary.name] = vocabulary.labels(self.lang)
        if term is None:
            return ""
        try:
            return table.get(term) or i18n.word(vocabulary, self.lang, term)
        except TypeError:  # an unhashable value: the vocabulary shows it as it is
            return i18n.word(vocabulary, self.lang, term)


def build_findings(backend: Backend, rule: Rule, atoms: list[dict[str, Any]], params: Mapping[str, Any],
                   lang: str, as_of: str | None, nodes: Mapping[str, dict[str, Any]] | None = None
                   ) -> list[dict[str, Any]]:
    """The rule's findings from its atoms, by finding_id. `nodes` (Backend.nodes of at least atom_ids(atoms)) saves
    looking them up: a sweep looks up every rule's nodes at once (as Nodes, whose texts every rule shares)."""
    groups: dict[tuple, list[dict[str, Any]]] = {}
    edges_json: dict[int, list[str]] = {}  # id(atom) -> its edges' canonical JSON, sorted (atoms stay as given)
    group_by = rule.group_by
    canonical_edge, record = canonical.edge, canonical.record
    for atom in atoms:
        edges = atom.get("edges")
        if edges:
            texts = [canonical_edge(e) or record(edge(e)) for e in edges]
            if len(texts) > 1:
                texts.sort()
        else:
            texts = []
        edges_json[id(atom)] = texts
        groups.setdefault(tuple([atom.get(g) for g in group_by]), []).append(atom)
    if nodes is None:
        nodes = backend.nodes(atom_ids(a for g in groups.values() for a in g))
    if not isinstance(nodes, Nodes):
        nodes = Nodes(nodes)
    shared = _Shared(rule, params, lang, as_of, nodes, edges_json)
    findings = [_finding(shared, key, group) for key, group in groups.items()]
    if rule.step:
        from .steps import STEPS

        findings = STEPS[rule.step](rule, findings, groups, lang)
    return sorted(findings, key=lambda f: f["finding_id"])


class _Language:
    """What explanations in one language read, worked out once per rule."""

    def __init__(self, rule: Rule, params: Mapping[str, Any], lang: str):
        self.lang = lang
        self.words = _Words(lang)
        self.sentence = i18n.WORDS[lang]
        # English nouns after a count ("{hops} intermediate company(ies)") agree with it, finding by finding
        self.explain, self.agrees = rule.explain[lang], counts_fields(rule.explain[lang])
        self.tail = ("" if lang == "zh" else " ") + i18n.WORDS[lang]["lead"]
        # what the explanation and the labels' texts read: the context holds only these
        self.needs = frozenset(_fields(self.explain)).union(*(_fields(texts[lang]) for values in rule.labels.values()
                                                              for texts in values.values()))
        param_ctx: dict[str, Any] = {f"param_{k}": v for k, v in params.items()}
        numbers = {k: v for k, v in params.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}
        param_ctx.update({f"param_{k}_money": i18n.money(v) for k, v in numbers.items()})
        param_ctx.update({f"param_{k}_percent": f"{v * 100:g}%" for k, v in numbers.items()})  # a share, 0.25: 25%
        self.param_ctx = {k: v for k, v in param_ctx.items() if k in self.needs}
        self.extras = self.needs - _ATOM_COLUMNS  # a query's own columns the texts read


class _Shared:
    """What every finding of one rule's build uses."""

    def __init__(self, rule: Rule, params: Mapping[str, Any], lang: str, as_of: str | None,
                 nodes: Nodes, edges_json: dict[int, list[str]]):
        self.rule, self.params, self.lang, self.as_of = rule, params, lang, as_of
        self.nodes, self.edges_json = nodes, edges_json
        self.languages = {language: _Language(rule, params, language) for language in LANGS}
        self.needs = frozenset().union(*(language.needs for language in self.languages.values()))
        self.extras = frozenset().union(*(language.extras for language in self.languages.values()))
        self.score = scoring.Scores(rule.weight, as_of)
        self.id_head = "[" + canonical.scalar(rule.id)


def evidence_facts(edges: list[dict[str, Any]], amounts: Mapping[str, Any], first_date: str | None,
                   last_date: str | None) -> dict[str, Any]:
    """What a finding's evidence consists of: its edges (with labels, shares and dates), its decisions with their
    amounts, and the span of dates. Names and the score (which follows the sweep's as_of) are not evidence."""
    return {"edges": edges, "decisions": [[d, amounts[d]] for d in sorted(amounts)],
            "first_date": first_date, "last_date": last_date}


def facts_of(finding: Mapping[str, Any]) -> dict[str, Any] | None:
    """A finding's evidence facts (evidence_facts) from the canonical JSON of them it carries as `_facts`."""
    facts = finding.get("_facts")
    return json.loads(facts) if isinstance(facts, str) else facts


def facts_text(finding: Mapping[str, Any]) -> str:
    """The canonical JSON of a finding's evidence facts (what its fingerprint hashes)."""
    facts = finding.get("_facts")
    return facts if isinstance(facts, str) else canonical.dumps(facts)


def fingerprint(facts: Mapping[str, Any]) -> str:
    """A hash of the evidence facts: the same evidence gives the same fingerprint in every run and on every
    backend; a changed amount, date, share or edge gives another. finding_id names the finding, the fingerprint
    its evidence: a confirmed or dismissed finding whose fingerprint changes is shown as changed since triage."""
    return _hash(canonical.dumps(facts))


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).digest()[:8].hex()


def _finding(s: _Shared, key: tuple, group: list[dict[str, Any]]) -> dict[str, Any]:
    rule = s.rule
    if len(group) > 1:  # each atom once, in the order of its canonical JSON
        keyed = {canonical.record(a, {"edges": canonical.array(s.edges_json[id(a)])}): a for a in group}
        group = [keyed[k] for k in sorted(keyed)]
        edge_texts = sorted({t for a in group for t in s.edges_json[id(a)]})
        ends = {x for a in group for e in a.get("edges") or () for x in (e.get("src"), e.get("dst"))}
        amounts = {a["decision_id"]: a.get("amount") for a in group if a.get("decision_id")}
        firsts = [a["first_date"] for a in group if a.get("first_date")]
        lasts = [a["last_date"] for a in group if a.get("last_date")]
        first_date, last_date = (min(firsts) if firsts else None), (max(lasts) if lasts else None)
        still_open = any(a.get(OPEN_SPAN[0]) == OPEN_SPAN[1] for a in group)
        relations = [a.get("relation") for a in group]
    else:
        atom = group[0]
        edge_texts = s.edges_json[id(atom)]  # sorted, and distinct unless the atom repeats an edge
        if len(set(edge_texts)) != len(edge_texts):
            edge_texts = sorted(set(edge_texts))
        ends = set()
        for e in atom.get("edges") or ():
            ends.add(e.get("src"))
            ends.add(e.get("dst"))
        decision = atom.get("decision_id")
        amounts = {decision: atom.get("amount")} if decision else {}
        first_date, last_date = atom.get("first_date") or None, atom.get("last_date") or None
        still_open = atom.get(OPEN_SPAN[0]) == OPEN_SPAN[1]
        relations = [atom.get("relation")]
    first = group[0]
    official, org, via = first.get("official_id"), first.get("org_id"), first.get("via_id")
    decision_ids = sorted(amounts)
    total = sum(v for v in amounts.values() if v) if amounts else None
    if rule.closeness_default and not any(relations):
        relations = [rule.closeness_default]
    value = s.score(relations, total, last_date)
    roles = {official: "official", org: "org", via: "via"}
    for d in decision_ids:
        roles[d] = "decision"
    for i in (official, org, via):
        if i:
            ends.add(i)
    node_json = s.nodes.json
    edges_text = canonical.array(edge_texts)
    nodes_text = canonical.array([node_json(i, roles.get(i, "other")) for i in sorted(ends)])
    evidence = f'{{"edges": {edges_text}, "nodes": {nodes_text}}}'
    node = s.nodes.get
    names = tuple([(node(i) or UNKNOWN_NODE).get("name") if i else None for i in (official, org, via)])
    base, raw = _common(s, group, official=official, org=org, via=via, names=names, decision_ids=decision_ids,
                        total=total, first_date=first_date, last_date=last_date)

    scalar = canonical.scalar
    decisions = ", ".join([f"[{scalar(d)}, {scalar(amounts[d])}]" for d in decision_ids])
    # canonical JSON of evidence_facts(...); a span still open ends on no date there (its last_date is the sweep's)
    facts_text = (f'{{"decisions": [{decisions}], "edges": {edges_text}, "first_date": {scalar(first_date)}, '
                  f'"last_date": {"null" if still_open else scalar(last_date)}}}')
    # what another language's text reads, as a tuple (a closure would be more objects for the cyclic collector)
    reads = (s, group, base, raw, decision_ids, total)
    texts = Explanations(s.lang, _explain(s.lang, *reads), reads)
    return {
        "finding_id": _finding_id(s.id_head, key),
        "rule": rule.id,
        "severity": scoring.severity(rule.severity, value),
        "score": value,
        "official_id": official,
        "official_name": names[0],
        "org_id": org,
        "org_name": names[1],
        "via_id": via,
        "via_name": names[2],
        "decision_ids": ";".join(decision_ids),
        "first_date": first_date,
        "last_date": last_date,
        "explanation": texts[s.lang],
        "evidence": evidence,
        "fingerprint": _hash(facts_text),
        "_amount": total,
        "_explanations": texts,
        "_facts": facts_text,
    }


class Explanations(Mapping):
    """A finding's explanation in every language (graph.vocabulary.LANGS): the sweep's language is made with the
    finding, another when something reads it (a recorded sweep, the workbench), once."""

    __slots__ = ("texts", "reads")

    def __init__(self, lang: str, text: str, reads: tuple):
        self.texts: dict[str, str] = {lang: text}
        self.reads: tuple | None = reads  # _explain's arguments after the language

    def __getitem__(self, lang: str) -> str:
        text = self.texts.get(lang)
        if text is None:
            if lang not in LANGS:
                raise KeyError(lang)
            assert self.reads is not None  # set until every language is made
            text = self.texts[lang] = _explain(lang, *self.reads)
            if len(self.texts) == len(LANGS):
                self.reads = None  # what it read can go
        return text

    def __iter__(self) -> Iterator[str]:
        return iter(LANGS)

    def __len__(self) -> int:
        return len(LANGS)

    def __repr__(self) -> str:
        return repr(dict(self))


def _explain(lang: str, s: _Shared, group, base, raw, decision_ids, total) -> str:
    language = s.languages[lang]
    context = _context(s, language, group, base, raw, decision_ids, total)
    explain = agree_with(language.explain, context) if language.agrees else language.explain
    return explain.format_map(context).strip() + language.tail


class _Blank(dict):
    def __missing__(self, key):
        return ""


def _fields(template: str) -> set[str]:
    """The names a format template reads, also inside format specs ("{x:{width}}")."""
    out: set[str] = set()
    for _, field, spec, _ in string.Formatter().parse(template):
        if field:
            out.add(field.split(".")[0].split("[")[0])
        if spec:
            out |= _fields(spec)
    return out


def _common(s: _Shared, group, *, official, org, via, names, decision_ids, total, first_date, last_date
            ) -> tuple[dict[str, Any], dict[str, Any]]:
    """The context values every language shares, and the query's own columns the texts read (the first atom's
    value where atoms differ), before they are put in words."""
    needs = s.needs
    base = {
        "official_id": official, "official_name": names[0] or official or "",
        "org_id": org, "org_name": names[1] or org or "",
        "via_id": via, "via_name": names[2] or via or "",
        "decision_count": len(decision_ids), "first_date": first_date or "", "last_date": last_date or "",
    }
    if "decision_ids" in needs:
        base["decision_ids"] = ";".join(decision_ids)
    if "amount_total" in needs:
        base["amount_total"] = i18n.money(total)
    raw: dict[str, Any] = {}
    if s.extras:
        extras = s.extras
        for a in reversed(group) if len(group) > 1 else group:  # the first atom's extras win
            for k in extras:
                v = a.get(k)
                if v is not None:
                    raw[k] = v
    return base, raw


def _context(s: _Shared, language: _Language, group, base, raw, decision_ids, total) -> dict[str, Any]:
    """What the explanation's placeholders read in `language` (only what it needs: the texts read nothing else)."""
    rule, lang, words, word, needs = s.rule, language.lang, language.sentence, language.words, language.needs
    ctx = _Blank({k: _localize(word, k, v) for k, v in raw.items() if k in language.extras} if raw else ())
    ctx.update(base)
    if "relation" in needs:
        ctx["relation"] = word(i18n.RELATION, next((a.get("relation") for a in group if a.get("relation")), None))
    if "role" in needs:
        roles = sorted({a.get("role") for a in group if a.get("role")})
        ctx["role"] = words["and"].join(word(i18n.ROLE, r) for r in roles)
    if "decisions_text" in needs:
        decisions_text = ""
        if decision_ids:
            n = len(decision_ids)  # counted, not filled: its one count is known, at half the cost per finding
            decisions_text = counted(words["decisions"], n).format(n=n, ids=words["and"].join(decision_ids))
            if total:
                decisions_text += words["amount"].format(amount=i18n.money(total))
        ctx["decisions_text"] = decisions_text
    for column in rule.aggregate:
        if column in needs:
            values = sorted({str(_localize(word, column, a[column])) for a in group if a.get(column) is not None})
            ctx[column] = words["and"].join(values)
    ctx.update(language.param_ctx)
    for column, choices in rule.labels.items():
        if f"{column}_text" in needs:
            present = {a.get(column) for a in group}
            said = (texts[lang].format_map(ctx) for value, texts in choices.items() if value in present)
            texts = [text for text in said if text]  # a label may say nothing (the usual case, said by the rest)
            ctx[f"{column}_text"] = ("；" if lang == "zh" else "; ").join(texts)
    return ctx


_SUFFIXES = (("rank", i18n.RANK), ("role", i18n.ROLE), ("relation", i18n.RELATION), ("kind", i18n.DECISION_KIND))
_VOCABULARY_OF: dict[str, Vocabulary | None] = {}  # a column's name -> the vocabulary its values are words of


def _localize(word: _Words, key: str, value: Any) -> Any:
    if key not in _VOCABULARY_OF:
        _VOCABULARY_OF[key] = next((v for suffix, v in _SUFFIXES if key.endswith(suffix)), None)
    vocabulary = _VOCABULARY_OF[key]
    if vocabulary is not None:
        return word(vocabulary, value)
    if isinstance(value, float):
        return i18n.money(value)
    return value


__all__ = ["Nodes", "build_findings", "finding_id", "fingerprint", "evidence_facts", "facts_of", "facts_text",
           "atom_ids", "edge"]
