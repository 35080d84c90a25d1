"""vis-network, served by the app itself from the copy vendored for the static views (visualize/vendor, with its
licence), and the static views' scripts the exploration page shares with them (where edge labels go)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

FILES = {"vis-network.min.js": "application/javascript; charset=utf-8", "vis-network.css": "text/css; charset=utf-8"}
# the static views' own scripts the workbench uses as they are: each edge label where it covers no node and no label
VIEW_SCRIPTS = {"app_labels.js"}


@lru_cache(maxsize=4)
def vis_asset(name: str) -> str:
    """The text of vis-network's script or style sheet (the copy vendored for the static views, api.vendored)."""
    from ..api import vendored

    return vendored(name)


async def vendor(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in FILES:
        return Response("not found", status_code=404)
    return Response(vis_asset(name), media_type=FILES[name],
                    headers={"cache-control": "private, max-age=86400"})


@lru_cache(maxsize=4)
def view_script(name: str) -> str:
    return (Path(__file__).resolve().parents[1] / "visualize" / name).read_text(encoding="utf-8")


async def views(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in VIEW_SCRIPTS:
        return Response("not found", status_code=404)
    return Response(view_script(name), media_type="application/javascript; charset=utf-8",
                    headers={"cache-control": "private, max-age=86400"})


ROUTES = [Route("/static/vendor/{name}", vendor), Route("/static/views/{name}", views)]
