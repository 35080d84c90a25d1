"""Graph exploration: the page, and the JSON it fetches from the backend — a node's neighbours (capped, saying how
many were left out), a finding's path in the layered layout, the k shortest paths between two entities, and
entity search for the page's search box."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response
from starlette.routing import Route

from ..api import CJK_FONTS, AmbiguousName, between_entities
from ..api.entities import plain_row
from ..errors import GovtiesError
from .core import Ctx, NotFound, endpoint
from .routes_entities import hits_about
from .layout import edge_data, layered, legend, node_data, relatives_of
from .routes_findings import evidence_graph

class BadName(GovtiesError):
    """A name of the paths form matches several entities."""


class BadNumber(GovtiesError):
    """A count a request gives (steps, paths, neighbours) is no whole number within its bounds."""


# neighbours added by one expansion: with the beneficiary each decision brings, what a laptop's window (1366x768)
# shows at a readable scale (40 drew a ring twice the window: spokes to nodes off screen); a click adds the next
CAP = 20
MAX_CAP = 200


def _describe(ctx: Ctx, ids: set[str], roles: dict[str, str] | None = None,
              edges: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Nodes as the page draws them; decisions carry their date and amount (for the date slider and folding)."""
    info = ctx.graph.nodes(ids)
    rel = relatives_of(info, edges or []) | _officials_relatives(ctx, info)
    out = []
    decisions = [i for i, n in info.items() if n["type"] == "decision"]
    extra: dict[str, dict[str, Any]] = {}
    if decisions:
        frame = ctx.graph.lookup("decision", decisions)
        for _, r in frame.iterrows():
            row = plain_row(r)
            extra[row["decision_id"]] = {"date": row.get("date"), "amount": row.get("amount")}
    for i in sorted(ids):
        n = info.get(i, {"id": i, "type": "unknown", "name": i, "kind": None, "official": False})
        d = node_data(i, n, rel, (roles or {}).get(i), ctx.lang)
        d.update(extra.get(i, {}))
        amount = d.get("amount")
        d["amount"] = None if amount is None or amount != amount else float(amount)
        out.append(d)
    return out


def _officials_relatives(ctx: Ctx, info: dict[str, dict[str, Any]]) -> set[str]:
    """The people among the nodes who are an official's relatives, whether or not the official is drawn: a spouse
    is drawn as a relative around her company too, as around her husband."""
    people = [i for i, n in info.items() if n.get("type") == "person" and not n.get("official")]
    kin = [e for e in ctx.graph.edges_of(people) if e.get("type") == "RELATIVE_OF"] if people else []
    others = {end for e in kin for end in (e["src"], e["dst"])} - set(people)
    officials = {i for i, n in ctx.graph.nodes(others).items() if n.get("official")} if others else set()
    return {i for e in kin if {e["src"], e["dst"]} & officials for i in (e["src"], e["dst"])} & set(people)


def _int(ctx: Ctx, name: str, default: int, low: int, high: int) -> int:
    """The request's count `name`, `default` when it gives none; one that is no whole number from `low` to `high`
    is refused (400), saying what is taken (the page's form never sends one)."""
    if not ctx.param(name):
        return default
    given = ctx.whole(name)
    if given is None or not low <= given <= high:
        raise BadNumber(ctx.t("bad_number", name=name, low=low, high=high))
    return given


@endpoint()
def page(ctx: Ctx) -> Response:
    start: dict[str, Any] = {"center": None, "finding": None, "a": ctx.param("a"), "b": ctx.param("b")}
    if ctx.param("finding"):  # under --mask a keyed id read as its plain id, any other quoted with its middle hidden
        finding_id = ctx.param("finding")
        if ctx.ws.finding(finding_id) is None:  # said so (404), not an empty canvas
            raise NotFound(ctx.t("no_finding", id=finding_id))
        start["finding"] = finding_id
    elif ctx.param("center"):
        canonical = ctx.graph.canonical(ctx.param("center"))
        if canonical is None:
            raise ctx.no_entity(ctx.param('center'))
        start["center"] = canonical
    shown = ("cap_note", "no_path", "no_results", "nothing_more", "folded", "folded_amount", "all", "colon")
    words = {k: ctx.t(k) for k in shown}
    return ctx.render("explore.html", start=start, fonts=CJK_FONTS, legend=legend(ctx.lang), words=words,
                      cap=_int(ctx, "cap", CAP, 1, MAX_CAP))


@endpoint(api=True)
def expand(ctx: Ctx) -> Response:
    node = ctx.param("id")
    canonical = ctx.graph.canonical(node)
    if canonical is None:
        raise ctx.no_entity(node)
    cap = _int(ctx, "cap", CAP, 1, MAX_CAP)
    skip = set(ctx.params("have"))  # neighbours the page already shows are not counted against the cap
    # people and organizations first (an agency's officials before its hundreds of decisions), newest first
    edges = sorted(ctx.graph.edges_of([canonical]), key=lambda e: (between_entities(e["type"]),
                                                                   e.get("start") or "", e["type"], e["src"],
                                                                   e["dst"]), reverse=True)
    neighbours: list[str] = []
    for e in edges:
        other = e["dst"] if e["src"] == canonical else e["src"]
        if other not in neighbours and other != canonical:
            neighbours.append(other)
    fresh = [n for n in neighbours if n not in skip]
    shown = set(fresh[:cap]) | (skip & set(neighbours))
    kept = [e for e in edges if (e["dst"] if e["src"] == canonical else e["src"]) in shown | {canonical}]
    # a decision comes with who issued it and who benefited (a decision alone says little, and folding needs them)
    info = ctx.graph.nodes(shown)
    decisions = [i for i in shown if info.get(i, {}).get("type") == "decision"]
    ends = [e for e in ctx.graph.edges_of(decisions)
            if e["type"] in ("BENEFITS", "ISSUED_BY") and e["src"] in decisions] if decisions else []
    kept += [e for e in ends if e not in kept]
    nodes = _describe(ctx, shown | {canonical} | {e["dst"] for e in ends}, edges=kept)
    return ctx.json({"center": canonical, "nodes": nodes,
                     "edges": [{**edge_data(e, 0, ctx.lang), "id": _edge_id(e)} for e in kept],
                     "total": len(neighbours), "shown": len(shown), "more": max(0, len(fresh) - cap)})


def _edge_id(e: dict[str, Any]) -> str:
    return "|".join(str(e.get(k) or "") for k in ("src", "dst", "type", "label", "start", "end"))


@endpoint(api=True)
def finding_path(ctx: Ctx) -> Response:
    row = ctx.ws.finding(ctx.request.path_params["finding_id"])
    if row is None:
        raise NotFound(ctx.t("no_finding", id=ctx.request.path_params["finding_id"]))
    graph = evidence_graph(ctx, row)
    for e, raw in zip(graph["edges"], row["evidence_json"].get("edges", []), strict=True):
        e["id"] = _edge_id(raw)
    decisions = [n["id"] for n in graph["nodes"] if n["type"] == "decision"]
    extra = {d["id"]: d for d in _describe(ctx, set(decisions))} if decisions else {}
    for n in graph["nodes"]:
        n.update({k: extra[n["id"]][k] for k in ("date", "amount") if n["id"] in extra})
    return ctx.json({"nodes": graph["nodes"], "edges": graph["edges"], "root": graph["root"], "layered": True})


@endpoint(api=True)
def paths(ctx: Ctx) -> Response:
    a, b = ctx.param("a"), ctx.param("b")
    k, hops = _int(ctx, "k", 3, 1, 10), _int(ctx, "hops", 4, 1, 6)
    try:
        # under --mask no resident ID is looked up: an answer would confirm a guess of one
        view = ctx.graph.paths(a, b, hops=hops, k=k, max_nodes=2000, keys=ctx.state.keys is None)
    except AmbiguousName as exc:  # the page names the candidates (the command line's message names its option),
        said = [_candidates(ctx, e) if isinstance(e, AmbiguousName) else e.sentence(ctx.lang)  # and the other
                for e in (exc, *exc.also)]  # end's problem with them
        raise BadName(("" if ctx.lang == "zh" else " ").join(said)) from None
    g = view.graph
    raw = [{"src": u, "dst": v, **d} for u, v, d in g.edges(data=True)]
    found = [f["nodes"] for f in view.findings]
    ends = {p[i] for p in found if p for i in (0, -1)} or set(g.nodes)  # the two entities' ids (alone: no path)
    nodes = _describe(ctx, set(g.nodes), roles={x: "center" for x in ends}, edges=raw)
    edges = [{**edge_data(e, 0, ctx.lang), "id": _edge_id(e)} for e in raw]
    # from a's side, a name or an ID typed read as its entity (view.roots): a on the left, b on the right
    positions = layered(nodes, edges, found[0][0] if found and found[0] else (view.roots or [None])[0])
    for n in nodes:
        n.update(positions.get(n["id"], {}))
    return ctx.json({"nodes": nodes, "edges": edges, "paths": found, "hops": hops,
                     "found": len(view.findings), "layered": True})


def _candidates(ctx: Ctx, exc: AmbiguousName) -> str:
    """A name several entities share, said with each of them: id, name, and what tells it apart."""
    details = exc.details(ctx.lang, ctx.state.options.mask)
    named = [f"{m['id']} {m['name']}" for m in exc.matches]
    listed = ("；" if ctx.lang == "zh" else "; ").join(
        ctx.t("aside", word=name, value=detail) if detail else name
        for name, detail in zip(named, details, strict=True))
    return ctx.t("ambiguous_name", text=exc.text, n=len(exc.matches), listed=listed)


@endpoint(api=True)
def search(ctx: Ctx) -> Response:
    found = ctx.search(ctx.search_text("q"), limit=12)
    about = hits_about(ctx, [h["id"] for h in found["hits"]])  # what tells two 周国平 apart, as the search page says
    return ctx.json({"hits": [{**{k: h.get(k) for k in ("id", "type", "name", "kind")},
                               "about": " · ".join(str(v) for v in about.get(h["id"], []) if v)}
                              for h in found["hits"]]})


ROUTES = [
    Route("/explore", page),
    Route("/api/graph/expand", expand),
    Route("/api/graph/finding/{finding_id}", finding_path),
    Route("/api/graph/paths", paths),
    Route("/api/search", search),
]
