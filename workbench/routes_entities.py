"""Search and entity pages, and watching an entity."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response
from starlette.routing import Route

from .core import Ctx, NotFound, endpoint


@endpoint()
def search(ctx: Ctx) -> Response:
    text = ctx.param("q")[:200]
    found: dict[str, Any] = ctx.ws.search(text) if text else {"text": "", "as": [], "hits": [], "notes": []}
    if len(found["hits"]) == 1 and found["hits"][0].get("exact") and ctx.param("go") == "1":
        return ctx.redirect(f"/entities/{found['hits'][0]['id']}")
    return ctx.render("search.html", found=found, text=text)


@endpoint()
def entity(ctx: Ctx) -> Response:
    asked = ctx.request.path_params["entity_id"]
    e = ctx.ws.entity(asked)
    if e is None:
        raise NotFound(f"no person, organization or decision {asked}")
    return ctx.render("entity.html", e=e, watching=e["id"] in ctx.ws.watches(ctx.user))


@endpoint(write=True)
def watch(ctx: Ctx) -> Response:
    entity_id = ctx.request.path_params["entity_id"]
    if ctx.param("off") == "1":
        ctx.ws.unwatch(ctx.user, entity_id)
    else:
        if ctx.graph.backend.canonical(entity_id) is None:
            raise NotFound(f"no person, organization or decision {entity_id}")
        ctx.ws.watch(ctx.user, entity_id)
    return ctx.redirect(f"/entities/{entity_id}")


ROUTES = [
    Route("/search", search),
    Route("/entities/{entity_id}", entity),
    Route("/entities/{entity_id}/watch", watch, methods=["POST"]),
]
