"""The views investigators open: a sweep overview, one finding's path, a neighbourhood, and the paths between two
entities — as self-contained HTML, or as GEXF/GraphML for Gephi and yEd."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ..errors import GovtiesError, SaidError
from ..files import atomic_path
from ..graph.backend import Backend
from ..privacy import DASH, HIDDEN_DATE
from .fold import fold as fold_graph
from .page import render
from .style import LAYERED_UP_TO
from .subgraph import ViewGraph, around, from_findings, paths, whole, write_graph_file
from .words import term

FORMATS = {".html": "html", ".htm": "html", ".gexf": "gexf", ".graphml": "graphml"}


class ViewError(GovtiesError):
    """A view cannot be drawn as asked; the message says what to change."""


class NoEntity(SaidError, ViewError):
    """No person, organization or decision has the id (or the name) asked for; said in Chinese and English."""

    SAID = {
        "name": ("图中没有编号或名称为“{text}”的人员、单位或决定",
                 "no person, organization or decision with id or name {text!r} in the graph"),
        "id": ("图中没有编号为“{text}”的人员、单位或决定", "no person, organization or decision with id {text!r} in "
               "the graph"),
        "bad_id": ("“{text}”不是有效的身份证号：{why_zh}；图中也没有这个编号或名称",
                   "{text!r} is not a valid resident ID: {why}; nor is it an id or a name in the graph"),
        "names": ("图中没有编号或名称为“{text}”或“{other}”的人员、单位或决定：两端都没有找到",
                  "no person, organization or decision with id or name {text!r} or {other!r} in the graph: neither "
                  "end was found"),
        "names_bad_id": ("图中没有编号或名称为“{text}”或“{other}”的人员、单位或决定：两端都没有找到；"
                         "“{bad}”也不是有效的身份证号：{why_zh}",
                         "no person, organization or decision with id or name {text!r} or {other!r} in the graph: "
                         "neither end was found; nor is {bad!r} a valid resident ID: {why}"),
        "several": ("“{text}”是图中{n}个编号脱敏后的样子，无法区分：请不加 --mask 运行，从列出的编号中选择",
                    "{text!r} is how --mask shows {n} ids of the graph, which it cannot tell apart: run the command "
                    "without --mask to choose one of the ids it lists"),
    }
    #: what was typed, quoted at most this long (a pasted page would cover the page that says it is not found)
    LONGEST = 40

    def __init__(self, key: str, **values: Any):
        super().__init__(key, **{name: _cut(value, self.LONGEST) if name in ("text", "other", "bad") and
                                 isinstance(value, str) else value for name, value in values.items()})


def _cut(text: str, longest: int) -> str:
    """`text`, or its first `longest` characters and …, never ending inside a run of digits: a resident ID cut in
    its middle would no longer read as one, and --mask would print its birth date."""
    if len(text) <= longest:
        return text
    return re.sub(rf"[\dXx\s{DASH}]+$", "", text[:longest]) + "…"


class AmbiguousName(ViewError):
    """A name matches several entities; `matches` lists them (id, type, name, detail in English and Chinese, and
    the birth date the detail may give); `text`: the name as typed. `also`: what is wrong with a path's other end
    (found nowhere, or a name that several share too), said with this one so the reader fixes both ends at once."""

    def __init__(self, message: str, matches: list[dict[str, Any]], text: str = "",
                 also: list[AmbiguousName | NoEntity] | None = None):
        super().__init__(message)
        self.matches, self.text = matches, text
        self.also: list[AmbiguousName | NoEntity] = list(also or [])

    def details(self, lang: str = "en", mask: bool = False) -> list[str]:
        """What tells each match apart, in `lang`; under `mask` without the birth date (hidden whole, as masked
        views hide it; the caller masks identifiers in what it prints)."""
        out = []
        for m in self.matches:
            said = m["detail_zh" if lang == "zh" else "detail"] or ""
            out.append(said.replace(m["birth_date"], HIDDEN_DATE) if mask and m.get("birth_date") else said)
        return out


# GEXF and GraphML files are for analysis in Gephi and yEd: they carry the data as it is, never masked
UNMASKED = ("--mask applies to HTML views; GEXF and GraphML carry the data as it is; fix: name the output .html, or "
            "leave --mask out")


def output_format(path: str | Path, mask: bool = False) -> str:
    """The format a view file's extension asks for; any other extension is refused (nothing else is written), and
    so are GEXF and GraphML when the view is to be masked."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise ViewError(f"cannot write a view as {Path(path).name!r}: name it .html (interactive, offline), "
                        ".gexf (Gephi) or .graphml (yEd)")
    if mask and FORMATS[suffix] != "html":
        raise ViewError(UNMASKED)
    return FORMATS[suffix]


def _by_rule(rules: Iterable[Any] | None) -> dict[str, Any]:
    return {r.id: r for r in rules or ()}


def overview(backend: Backend, findings: list[dict[str, Any]], rules: Iterable[Any] | None = None) -> ViewGraph:
    view = from_findings(backend, findings)
    view.title, view.rules = "overview", _by_rule(rules)
    if 0 < view.graph.number_of_nodes() <= LAYERED_UP_TO:
        view.layout = "layered"
    if not findings:
        view.note("note_no_findings")
    return view


def finding(backend: Backend, findings: list[dict[str, Any]], finding_id: str,
            rules: Iterable[Any] | None = None) -> ViewGraph:
    chosen = [f for f in findings if f["finding_id"] == finding_id]
    if not chosen:
        raise ViewError(f"no finding {finding_id!r} in this sweep; the finding ids are in the findings table")
    view = from_findings(backend, chosen)
    view.layout, view.kind, view.title, view.rules = "layered", "finding", finding_id, _by_rule(rules)
    return view


def describe_match(backend: Backend, m: dict[str, Any], info: dict[str, Any], lang: str = "en") -> str:
    """What tells one match from another of the same name: a person's birth date and latest post, else the
    company roles; an organization's kind, region and credit code; a decision's kind and date."""
    zh = lang == "zh"
    sep = "，" if zh else ", "
    if m["type"] == "person":
        posts = info.get("posts") or []
        last = posts[-1] if posts else None
        post = f"{last['title']}{sep}{last.get('org_name') or last['org_id']}" if last else ""
        born = (f"{info['birth_date']}出生" if zh else f"born {info['birth_date']}") if info.get("birth_date") else ""
        said = sep.join(x for x in (born, post) if x)
        if said:
            return said
        roles = [e for e in backend.edges_of([m["id"]]) if e["type"] == "HOLDS_ROLE" and e["src"] == m["id"]][:2]
        names = backend.nodes(e["dst"] for e in roles)

        def held(e: dict[str, Any]) -> str:
            org = names.get(e["dst"], {}).get("name") or e["dst"]
            return f"{org}{term('role', e['label'], lang)}" if zh else f"{term('role', e['label'], lang)} of {org}"
        return ("；" if zh else "; ").join(held(e) for e in roles) or (
            "无出生日期、职务或企业任职记录" if zh else "no birth date, post or company role on record")
    if m["type"] == "organization":
        return sep.join(x for x in (term("kind", info.get("kind"), lang), info.get("region") or "",
                                    info.get("credit_code") or "") if x)
    return sep.join(x for x in (term("decision_kind", info.get("kind"), lang), info.get("date") or "") if x)


def resolve(backend: Backend, text: str, option: str = "--around") -> tuple[str, str | None]:
    """The stored id that `text` names: an id (any id of a merged person), else the one entity whose name, alias
    or id matches. Returns (id, how a name was read or None); raises ViewError when nothing matches and
    AmbiguousName when several do."""
    canonical = backend.canonical(text)
    if canonical is not None:
        return canonical, None
    matches = backend.find(text, limit=21)
    exact = [m for m in matches if m["exact"]]
    pick = exact if exact else matches
    if len(pick) == 1:
        return pick[0]["id"], pick[0]["name"]
    if not pick:
        raise NoEntity("name", text=text)
    shown = pick[:20]
    info = backend.details(m["id"] for m in shown)
    listed = [{"id": m["id"], "type": m["type"], "name": m["name"],
               "detail": describe_match(backend, m, info.get(m["id"], {})),
               "detail_zh": describe_match(backend, m, info.get(m["id"], {}), "zh"),
               "birth_date": info.get(m["id"], {}).get("birth_date")} for m in shown]
    more = " (the first 20)" if len(pick) > 20 else ""
    raise AmbiguousName(f"{text!r} matches {len(pick)} entities{more}; give one of these ids with {option}", listed,
                        text)


def neighbourhood(backend: Backend, center: str, hops: int, max_nodes: int,
                  findings: list[dict[str, Any]] | None = None, rules: Iterable[Any] | None = None,
                  fold: bool = False) -> ViewGraph:
    """The neighbourhood of `center` (an id or a name), with the findings that involve it listed: laid out in layers
    from it when small (LAYERED_UP_TO nodes) unless it is to be drawn folded."""
    center_id, named = resolve(backend, center)
    try:
        view = around(backend, center_id, hops, max_nodes, findings)
    except KeyError:
        raise NoEntity("id", text=center) from None
    view.rules = _by_rule(rules)
    n = view.graph.number_of_nodes()
    if not fold and 0 < n <= LAYERED_UP_TO:
        view.layout = "layered"
    elif not fold and hops > 1:  # drawn by forces: fewer hops may fit in layers, which read better
        view.note("note_forces", n=n, most=LAYERED_UP_TO, fewer=hops - 1)
    if named is not None:
        view.note("note_name", text=center, name=named, id=center_id)
    return view


def connections(backend: Backend, a: str, b: str, hops: int, k: int, max_nodes: int) -> ViewGraph:
    """The paths view between a and b (ids or names). What is wrong with both ends is refused at once, so the
    reader fixes both in one round: two ends found nowhere in one message; a name that several entities share
    (AmbiguousName) with the other end's problem in its `also`."""
    read: list[tuple[str, str | None]] = []
    missing: list[str] = []
    several: list[AmbiguousName] = []
    for text in (a, b):
        try:
            read.append(resolve(backend, text, "--path"))
        except NoEntity:
            missing.append(text)
        except AmbiguousName as exc:
            several.append(exc)
    if len(missing) == 2 and a != b:
        raise NoEntity("names", text=a, other=b)
    if several:  # (the same name typed at both ends: said once)
        several[0].also = [*(e for e in several[1:] if e.text != several[0].text),
                           *(NoEntity("name", text=text) for text in missing)]
        raise several[0]
    if missing:
        raise NoEntity("name", text=missing[0])
    (a_id, a_named), (b_id, b_named) = read
    try:
        view = paths(backend, a_id, b_id, hops, k, max_nodes)
    except KeyError as exc:
        raise NoEntity("id", text=exc.args[0]) from None
    for text, named, eid in ((a, a_named, a_id), (b, b_named, b_id)):
        if named is not None:
            view.note("note_name", text=text, name=named, id=eid)
    return view


def whole_graph(backend: Backend) -> ViewGraph:
    return whole(backend)


def drawn_size(view: ViewGraph, fold: bool = False) -> tuple[int, int]:
    """(nodes, edges) of the graph as written: with `fold`, its decisions folded into weighted edges."""
    graph = fold_graph(view.graph) if fold else view.graph
    return graph.number_of_nodes(), graph.number_of_edges()


def write_view(view: ViewGraph, path: str | Path, fmt: str | None = None, lang: str = "zh",
               title: str | None = None, mask: bool = False, fold: bool = False,
               links: Sequence[tuple[str, str]] = ()) -> Path:
    """Write `view` as HTML (interactive, offline), GEXF or GraphML, by `fmt` or else the file's extension. `fold`:
    decisions between the same issuer and beneficiary as one weighted edge (the page can unfold them). `links`: an
    HTML page's links to the pages written beside it, (href, word key) pairs (visualize.page.nav)."""
    path = Path(path)
    fmt = fmt or output_format(path)
    if fmt not in FORMATS.values():
        raise ViewError(f"unknown view format {fmt!r}: use html, gexf or graphml")
    if fmt == "html":
        return render(view, path, lang=lang, title=title, mask=mask, fold=fold, links=links)
    if mask:
        raise ViewError(UNMASKED)
    if fold:
        view = ViewGraph(fold_graph(view.graph), view.findings, view.notes, view.title, kind=view.kind)
    with atomic_path(path) as tmp:  # whole or not at all (govties.files)
        write_graph_file(view, str(tmp), fmt)
    return path
