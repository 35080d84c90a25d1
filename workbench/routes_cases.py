"""Cases: the list, one case (its findings, notes, history), making one from a finding's official, company or
bid ring or from a selection, adding and removing findings, closing and reopening, notes."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response
from starlette.routing import Route

from ..api.casework import CaseError, StaleCase
from .core import Ctx, NotFound, endpoint
from .render import when


@endpoint()
def cases(ctx: Ctx) -> Response:
    return ctx.render("cases.html", cases=ctx.ws.cases())


@endpoint()
def case(ctx: Ctx) -> Response:
    return _case_page(ctx, ctx.request.path_params["case_id"])


def _case_page(ctx: Ctx, case_id: str, status: int = 200, stale: str | None = None) -> Response:
    found = ctx.ws.case(case_id)
    if found is None:
        raise NotFound(ctx.t("no_case", id=case_id))
    return ctx.render("case.html", status=status, c=found, stale=stale)


@endpoint(write=True)
def new_case(ctx: Ctx) -> Response:
    """A case from one finding's official, company or bid ring (kind), or from a selection (kind manual)."""
    kind = ctx.param("kind") or "manual"
    chosen = ctx.params("finding")
    if kind == "manual":
        title = ctx.param("title") or ctx.t("new_case")
        ids = chosen
        basis = ""
    else:
        if not chosen:
            raise CaseError("no finding given")
        basis, ids = ctx.ws.group_of(chosen[0], kind)
        row = ctx.ws.finding(chosen[0]) or {}
        title = {"official": row.get("official_name"), "company": row.get("org_name")}.get(kind) or basis
    case_id = ctx.ws.create_case(title=title, who=ctx.user, kind=kind, basis=basis, finding_ids=ids)
    return ctx.redirect(f"/cases/{case_id}")


@endpoint(write=True)
def add(ctx: Ctx) -> Response:
    ids = ctx.params("finding")
    if not ids:
        raise CaseError("select at least one finding")
    case_id = ctx.param("case_id")
    if not case_id:
        case_id = ctx.ws.create_case(title=ctx.param("title") or ctx.t("new_case"), who=ctx.user, kind="manual",
                                     finding_ids=ids)
    else:
        ctx.ws.add_to_case(case_id, ids, ctx.user)
    return ctx.redirect(f"/cases/{case_id}")


@endpoint(write=True)
def remove(ctx: Ctx) -> Response:
    case_id = ctx.request.path_params["case_id"]
    ctx.ws.remove_from_case(case_id, ctx.param("finding"), ctx.user)
    return ctx.redirect(f"/cases/{case_id}")


@endpoint(write=True)
def set_status(ctx: Ctx) -> Response:
    case_id = ctx.request.path_params["case_id"]
    version = ctx.param("version")
    try:
        ctx.ws.set_case(case_id, version=int(version) if version.isdigit() else -1, who=ctx.user,
                        status=ctx.param("status") or None, title=ctx.param("title") or None)
    except StaleCase as exc:
        changes = ctx.ws.events(case_id, kind="case", limit=1)  # the change that made it stale
        last: dict[str, Any] = changes[0] if changes else {}
        return _case_page(ctx, case_id, status=409, stale=ctx.t(
            "stale_case", who=last.get("who") or "?", at=when(last.get("at")), version=exc.current.get("version")))
    return ctx.redirect(f"/cases/{case_id}")


@endpoint(write=True)
def add_note(ctx: Ctx) -> Response:
    target = ctx.param("target")
    text = ctx.form.get("text") if ctx.form else ""
    ctx.ws.add_note(target, text if isinstance(text, str) else "", ctx.user)
    if target.startswith("case-"):
        return ctx.redirect(f"/cases/{target}")
    return ctx.redirect(f"/findings/{target}")


ROUTES = [
    Route("/cases", cases),
    Route("/cases/new", new_case, methods=["POST"]),
    Route("/cases/add", add, methods=["POST"]),
    Route("/cases/{case_id}", case),
    Route("/cases/{case_id}/remove", remove, methods=["POST"]),
    Route("/cases/{case_id}/status", set_status, methods=["POST"]),
    Route("/notes", add_note, methods=["POST"]),
]
