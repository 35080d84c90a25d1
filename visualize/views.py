"""The views investigators open: a sweep overview, one finding's path, a neighbourhood, and the paths between two
entities — as self-contained HTML, or as GEXF/GraphML for Gephi and yEd."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import GovtiesError
from ..files import atomic_path
from ..graph.backend import Backend
from .page import render
from .subgraph import ViewGraph, around, from_findings, paths, whole, write_graph_file

FORMATS = ("html", "gexf", "graphml")


class ViewError(GovtiesError):
    """A view cannot be drawn as asked; the message says what to change."""


def overview(backend: Backend, findings: list[dict[str, Any]]) -> ViewGraph:
    view = from_findings(backend, findings)
    view.title = "overview"
    if not findings:
        view.notes.append("no findings: nothing to draw")
    return view


def finding(backend: Backend, findings: list[dict[str, Any]], finding_id: str) -> ViewGraph:
    chosen = [f for f in findings if f["finding_id"] == finding_id]
    if not chosen:
        raise ViewError(f"no finding {finding_id!r} in this sweep; the finding ids are in the findings table")
    view = from_findings(backend, chosen)
    view.layout = "hierarchical"
    view.title = finding_id
    return view


def _resolve(backend: Backend, entity_id: str) -> str:
    """Any id of a merged person leads to the stored person."""
    canonical = backend.canonical(entity_id)
    if canonical is None:
        raise ViewError(f"no person, organization or decision with id {entity_id!r} in the graph")
    return canonical


def neighbourhood(backend: Backend, center: str, hops: int, max_nodes: int) -> ViewGraph:
    center = _resolve(backend, center)
    try:
        return around(backend, center, hops, max_nodes)
    except KeyError:
        raise ViewError(f"no person, organization or decision with id {center!r} in the graph") from None


def connections(backend: Backend, a: str, b: str, hops: int, k: int, max_nodes: int) -> ViewGraph:
    a, b = _resolve(backend, a), _resolve(backend, b)
    try:
        return paths(backend, a, b, hops, k, max_nodes)
    except KeyError as exc:
        raise ViewError(f"no person, organization or decision with id {exc.args[0]!r} in the graph") from None


def whole_graph(backend: Backend) -> ViewGraph:
    return whole(backend)


def write_view(view: ViewGraph, path: str | Path, fmt: str | None = None, lang: str = "zh",
               title: str = "govties", mask: bool = False) -> Path:
    path = Path(path)
    fmt = fmt or {".gexf": "gexf", ".graphml": "graphml"}.get(path.suffix.lower(), "html")
    if fmt not in FORMATS:
        raise ViewError(f"unknown view format {fmt!r}: use html, gexf or graphml")
    if fmt == "html":
        return render(view, path, lang=lang, title=title, mask=mask)
    if mask:
        raise ViewError("--mask applies to HTML views; GEXF and GraphML carry the data as it is")
    with atomic_path(path) as tmp:  # whole or not at all (govties.files)
        write_graph_file(view, str(tmp), fmt)
    return path

