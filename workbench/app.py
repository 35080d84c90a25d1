"""The workbench application: Starlette routes over govties.api, server-side pages, a signed session cookie, the
security headers on every response, and every asset (scripts, styles, vis-network) served by the app itself."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from . import assets, routes_cases, routes_entities, routes_explore, routes_findings, routes_more
from .core import Ctx, Options, State, endpoint, page_lang, refused
from .security import SecurityHeaders, TrustedHosts, new_token, safe_next
from .words import word

STATIC = Path(__file__).resolve().parent / "static"
SESSION_HOURS = 12


@endpoint(public=True)
def login_page(ctx: Ctx) -> Response:
    if ctx.user and ctx.session.get("auth") == "account":
        return ctx.redirect(safe_next(ctx.param("next")))
    return ctx.render("login.html", next=safe_next(ctx.param("next")), name="", message=None)


@endpoint(public=True)
def login(ctx: Ctx) -> Response:
    name, password = ctx.param("name"), (ctx.form.get("password") if ctx.form else "") or ""
    throttle = ctx.state.throttle
    keys = (("name", name.casefold()), ("client", ctx.request.client.host if ctx.request.client else "?"))
    wait = throttle.wait(*keys)
    if wait > 0:  # after failed logins, each further try waits longer (the password is not even checked)
        return ctx.render("login.html", status=429, next=safe_next(ctx.param("next")), name=name[:200],
                          message=ctx.t("login_wait", seconds=wait))
    account = ctx.ws.verify(name, password if isinstance(password, str) else "")
    if account is None:  # the form again, its user name kept
        throttle.failure(*keys)
        return ctx.render("login.html", status=401, next=safe_next(ctx.param("next")), name=name[:200],
                          message=ctx.t("login_failed"))
    throttle.success(keys[0])
    lang = ctx.session.get("lang")
    if ctx.session.get("auth") == "account":  # logged in again: the session before ends (a copy of it too)
        ctx.ws.end_session(ctx.session.get("sid"))
    ctx.session.clear()  # a new session for the account (no fixation of the anonymous one)
    ctx.session.update(user=account["name"], auth="account", csrf=new_token(),
                       pw=ctx.ws.password_version(account["name"]),
                       sid=ctx.ws.start_session(account["name"]))
    if lang:
        ctx.session["lang"] = lang
    return ctx.redirect(safe_next(ctx.param("next")))


@endpoint(public=True)
def logout(ctx: Ctx) -> Response:
    if ctx.session.get("auth") == "account":  # ended in the workspace: a copy of the cookie is no session either
        ctx.ws.end_session(ctx.session.get("sid"))
    ctx.session.clear()
    return ctx.redirect("/login")


@endpoint()
def home(ctx: Ctx) -> Response:
    return ctx.redirect("/findings")


def create_app(graph: Any, options: Options | None = None) -> Starlette:
    """The workbench over an opened graph (govties.api.Graph) with its workspace."""
    options = options or Options()
    state = State(graph, options)
    routes = [
        Route("/", home),
        Route("/login", login_page, methods=["GET"]),
        Route("/login", login, methods=["POST"]),
        Route("/logout", logout, methods=["POST"]),
        *routes_findings.ROUTES, *routes_cases.ROUTES, *routes_entities.ROUTES, *routes_explore.ROUTES,
        *routes_more.ROUTES,
        *assets.ROUTES,
        Mount("/static", app=StaticFiles(directory=str(STATIC)), name="static"),
    ]
    shown = f"[{options.host}]" if ":" in options.host else options.host
    if state.any_address:  # bound to every address: it is opened by the machine's name (or an address of it)
        import socket

        shown = socket.gethostname() or shown
    middleware = [
        Middleware(SecurityHeaders),
        Middleware(TrustedHosts, allowed=state.hosts, shown=f"http://{shown}:{options.port}/",
                   any_address=state.any_address),
        Middleware(SessionMiddleware, secret_key=state.ws.secret(), session_cookie=f"govties_{options.port}",
                   max_age=SESSION_HOURS * 3600, same_site="strict", https_only=False),
    ]
    app = Starlette(routes=routes, middleware=middleware,
                    exception_handlers={404: _not_found, 405: _wrong_method})
    app.state.workbench = state
    return app


async def _not_found(request: Request, exc: Exception) -> Response:
    """An address the workbench has no page at: its error page in the page's language (JSON under /api/)."""
    lang = page_lang(request, request.app.state.workbench)
    return await refused(request, 404, word("no_page", lang), lang=lang)


async def _wrong_method(request: Request, exc: Exception) -> Response:
    """An address opened in a way it does not answer (a form's address opened as a page): said so on the error
    page, in the page's language."""
    lang = page_lang(request, request.app.state.workbench)
    return await refused(request, 405, word("wrong_method", lang), lang=lang,
                         headers=dict(getattr(exc, "headers", None) or {}))


__all__ = ["create_app", "Options"]
