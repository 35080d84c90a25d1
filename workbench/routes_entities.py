"""Search and entity pages, and watching an entity."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response
from starlette.routing import Route

from ..api import region_label
from ..privacy import without_birth_dates
from .core import Ctx, endpoint
from .render import money


@endpoint()
def search(ctx: Ctx) -> Response:
    text = ctx.search_text("q")
    found: dict[str, Any] = ctx.search(text) if text else {"text": "", "as": [], "hits": [], "notes": []}
    if len(found["hits"]) == 1 and found["hits"][0].get("exact") and ctx.param("go") == "1":
        return ctx.redirect(ctx.entity_page(found["hits"][0]["id"]))
    return ctx.render("search.html", found=found, text=text, about=hits_about(ctx, [h["id"] for h in found["hits"]]))


def hits_about(ctx: Ctx, ids: list[str]) -> dict[str, list[Any]]:
    """id -> what tells a search hit from another of the same name (_about), birth dates hidden under --mask."""
    details = ctx.graph.details(ids) if ids else {}
    if ctx.state.options.mask:  # a birth date gives back the digits a masked resident ID hides
        details = {i: without_birth_dates(d) for i, d in details.items()}
    return {i: _about(d) for i, d in details.items()}


def _about(d: dict[str, Any]) -> list[Any]:
    """What tells one hit from another of the same name: a person's birth date and latest post, an
    organization's credit code and region (its code and name: 330102 杭州市上城区), a decision's date, amount and
    agency."""
    if d.get("type") == "person":
        posts = sorted(d.get("posts") or [], key=lambda p: (p.get("end_date") is None, p.get("start_date") or ""))
        post = posts[-1] if posts else {}
        return [d.get("birth_date"), " ".join(x for x in (post.get("org_name"), post.get("title")) if x)]
    if d.get("type") == "organization":
        return [d.get("credit_code"), region_label(d["region"]) if d.get("region") else None]
    return [d.get("date"), money(d.get("amount")), d.get("agency_name")]


@endpoint()
def entity(ctx: Ctx) -> Response:
    asked = ctx.request.path_params["entity_id"]
    e = ctx.ws.entity(asked)
    if e is None:
        raise ctx.no_entity(asked)
    if ctx.state.options.mask:  # a birth date gives back the digits a masked resident ID hides
        e["details"] = without_birth_dates(e["details"])
        e["records"] = [without_birth_dates(r) for r in e["records"]]
        e["matches"] = [without_birth_dates(m) for m in e["matches"]]
    return ctx.render("entity.html", e=e, watching=e["id"] in ctx.ws.watches(ctx.user))


@endpoint(write=True)
def watch(ctx: Ctx) -> Response:
    entity_id = ctx.request.path_params["entity_id"]
    if ctx.param("off") == "1":
        ctx.ws.unwatch(ctx.user, entity_id)
    else:
        if ctx.graph.canonical(entity_id) is None:
            raise ctx.no_entity(entity_id)
        ctx.ws.watch(ctx.user, entity_id)
    return ctx.redirect(ctx.entity_page(entity_id))


ROUTES = [
    Route("/search", search),
    # an id may hold a / (an encoded %2F reaches the route decoded): the watch route, the longer, is matched first
    Route("/entities/{entity_id:path}/watch", watch, methods=["POST"]),
    Route("/entities/{entity_id:path}", entity),
]
