"""How a request becomes a page: who is asking (a logged-in account, or on loopback without accounts the local
user), the CSRF token of every write, the role a write needs, the page's language, and the data lock. Handlers
are plain functions of a `Ctx`, declared with `endpoint(...)`; they call govties.api and render a template."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any, overload
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Match

from ..errors import GovtiesError, ended
from ..api import LANGS, BackendError, DataError, NoEntity
from .clock import local_zone, named_zone
from .masking import ENTITY_PARAMS, FINDING_PARAMS, FindingKeys, without_long_numbers
from .render import Renderer, entity_path
from .words import word
from .security import (WILDCARD, Throttle, allowed_hosts, arrived_at, is_loopback, new_token, public_origin,
                       safe_next, same_origin, token_ok)


_WHOLE = re.compile(r"[0-9]{1,9}")


def whole_number(text: str) -> int | None:
    """`text` as a whole number when it is one to nine ASCII digits, else None."""
    return int(text) if _WHOLE.fullmatch(text) else None


class NotFound(Exception):
    """The page names something that does not exist."""


class UploadRefused(GovtiesError):
    """An uploaded file was not taken (none chosen, too big): its page is headed "file not imported" (400), as the
    page of a file refused for its problems (a DataError) is."""


def _since(ws: Any, session: Any, user: str) -> str | None:
    """What a page view's "new" counts from: the user's mark (api.accounts.since); None on a first visit, and so
    for the whole session (its first page is seldom /warnings) until a sweep is recorded after that visit."""
    since = ws.since(user)
    if since is None:
        session["first_visit"] = True
    elif session.get("first_visit"):
        sweep = ws.latest_sweep()
        if sweep is not None and sweep["at"] > since:
            session.pop("first_visit")
        else:
            return None
    return since


@dataclass
class Options:
    lang: str = "zh"
    mask: bool = False
    user: str = "local"  # who the user is on loopback without accounts
    host: str = "127.0.0.1"
    port: int = 8750
    public_url: str | None = None  # the https address of a reverse proxy in front of it
    timezone: str | None = None  # the IANA zone pages show times in (Asia/Shanghai); None: this machine's zone


class State:
    """What every request shares: the graph, its workspace, the options, the renderer and (DuckDB) the lock that
    keeps one request at a time on the store's connection."""

    def __init__(self, graph: Any, options: Options):
        self.graph = graph
        self.ws = graph.workspace()
        self.options = options
        # under --mask: finding ids shown and accepted keyed, identifiers tagged (found again after a restart)
        self.keys = FindingKeys(graph.masked_identifiers) if options.mask else None
        zone = named_zone(options.timezone) if options.timezone else local_zone()
        self.render = Renderer(options.mask, self.keys, zone)
        # one connection (DuckDB's) serves one request at a time; a backend with concurrent queries needs no lock
        self.lock = None if graph.concurrent else threading.RLock()
        self.loopback = is_loopback(options.host)
        self.any_address = options.host in WILDCARD  # also answers at the address a request came in on
        self.hosts = allowed_hosts(options.host, options.port)  # the Host headers and origins it answers to
        self.origins = frozenset(f"http://{h}" for h in self.hosts)
        public = public_origin(options.public_url)
        if public:  # behind a reverse proxy: the address people open
            self.hosts, self.origins = self.hosts | {public[1]}, self.origins | {public[0]}
        self.throttle = Throttle()  # failed logins, per name and per client

    def data(self):
        return self.lock if self.lock is not None else nullcontext()


LOOKUPS_PER_REQUEST = 2

@dataclass
class Ctx:
    request: Request
    state: State
    user: str
    role: str
    lang: str
    form: FormData | None = None
    # identifiers of the graph a request may look for under --mask, by tags this server has not shown yet (each
    # masked text is one scan of the graph's ids, then remembered): enough for a bookmarked page, not for a flood
    lookups: list[int] = field(default_factory=lambda: [LOOKUPS_PER_REQUEST])

    @property
    def ws(self):
        return self.state.ws

    @property
    def graph(self):
        return self.state.graph

    @property
    def session(self):
        return self.request.session

    def param(self, name: str, default: str = "") -> str:
        typed = self.form is not None and name in self.form
        value = (self.form if typed else self.request.query_params).get(name)  # type: ignore[union-attr]
        return self.given(value.strip(), name, typed) if isinstance(value, str) else default

    @overload
    def whole(self, name: str) -> int | None: ...
    @overload
    def whole(self, name: str, default: int) -> int: ...

    def whole(self, name: str, default: int | None = None) -> int | None:
        """The parameter as a whole number: ASCII digits, at most nine (`default` otherwise: '²' and '٣' are
        digits to str.isdigit, not to int)."""
        given = whole_number(self.param(name))
        return default if given is None else given

    def params(self, name: str) -> list[str]:
        typed = self.form is not None and name in self.form
        source = self.form if typed else self.request.query_params
        return [self.given(v.strip(), name, typed) for v in source.getlist(name)  # type: ignore[union-attr]
                if isinstance(v, str) and v.strip()]

    def search(self, text: str, limit: int = 30) -> dict[str, Any]:
        """The workspace's search for `text` (api Entities.search); under --mask no part of a resident ID is looked
        up, however it is typed (3301-02 reads as 330102): an answer would confirm a guess of the hidden digits. No
        whole one is either (search_text). The inbox's search keeps a date typed with hyphens (2021-08-18)."""
        return self.ws.search(text, limit=limit, by_id_part=self.state.keys is None)

    def search_text(self, name: str = "q") -> str:
        """A search text (at most 200 characters); under --mask without words of 6 or more digits in a row, so
        that a search cannot test a guess of a resident ID or a phone number."""
        text = self.param(name)[:200]
        return text if self.state.keys is None else without_long_numbers(text)[0]

    def given(self, value: str, name: str = "", typed: bool = False) -> str:
        """A value from the request; under --mask a keyed finding id as its plain id, an entity's id as masked
        with its tag as the id, and a resident ID or phone number in any other value of the URL masked
        (masking.FindingKeys). What a form sends (`typed`: a note, a title) is kept as written."""
        keys = self.state.keys
        if keys is None:
            return value
        if name in ENTITY_PARAMS:
            return keys.entity(value, self.lookups)
        if CASE_ID.fullmatch(value):  # a case's id (case-0571234567 is no phone number)
            return value
        return keys.given(value, masked=not typed, finding=name in FINDING_PARAMS)

    def entity_shown(self, entity_id: Any) -> Any:
        """An entity id from the graph as a link carries it (under --mask with its identifiers tagged)."""
        keys = self.state.keys
        return keys.entity_shown(entity_id) if keys is not None else entity_id

    def entity_page(self, entity_id: Any) -> str:
        """The address of an entity's page (entity_path)."""
        return "/entities/" + entity_path(self.entity_shown(entity_id))

    def t(self, key: str, **values: Any) -> str:
        return word(key, self.lang, **values)

    def no_entity(self, asked: str) -> NotFound:
        """A page's 404 for an id no person, organization or decision of the graph has, worded as the command
        line words it (NoEntity), in the page's language."""
        return NotFound(NoEntity("id", text=asked).sentence(self.lang))

    def render(self, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        """A page; to someone not logged in (the login page, a refusal before logging in) without the app's
        navigation and without any data: not even the latest sweep's time and count."""
        sweep = self.ws.latest_sweep() if self.user else None
        base = {"user": self.user, "role": self.role, "csrf": self.session.get("csrf", ""), "sweep": sweep,
                "path": self.request.url.path, "lang_href": self.lang_href(),
                "origin": str(self.request.base_url).rstrip("/"),  # a host the server accepts (security.py)
                "can_write": self.role == "investigator", "accounts": self.session.get("auth") == "account"}
        html = self.state.render.page(template, lang=self.lang, context={**base, **context})
        return HTMLResponse(html, status_code=status)

    def lang_href(self) -> str:
        """The language switch: this page in the other language. A page answering a form (a POST) is at the form's
        address, which is no page to open: its switch leads to the page the form was on (the same-origin Referer,
        when that is a page to open), else to the inbox."""
        request = self.request
        if request.method in ("GET", "HEAD"):  # the path as the address wrote it (an id may hold a ? or a %)
            raw = request.scope.get("raw_path")
            path = raw.decode("ascii", "replace") if raw else quote(request.scope["path"])
            query = request.query_params.multi_items()
        else:
            came = came_from(self)
            parts = urlsplit(came) if came is not None and opens_as_page(request, urlsplit(came).path) else None
            path = parts.path if parts is not None else "/findings"
            query = parse_qsl(parts.query, keep_blank_values=True) if parts is not None else []
        kept = [(k, v) for k, v in query if k not in ONCE]
        keys = self.state.keys
        if keys is not None:  # masked before it is encoded: an ID typed with spaces reads 330102+1970..., %20 in a
            # path, which no masker reads as one; each part of the path and each name and value on its own
            def masked(text: str) -> str:  # a keyed id as it is: its hex digits may read as a phone's
                return text if text in keys.plain else keys.taken(text)

            path = "/".join(quote(masked(unquote(part)), safe="") for part in path.split("/"))
            kept = [(masked(k), masked(v)) for k, v in kept]
        return f"{path}?{urlencode(kept + [('lang', 'en' if self.lang == 'zh' else 'zh')])}"

    def json(self, data: Any, status: int = 200) -> JSONResponse:
        keys = self.state.keys
        return JSONResponse(keys.shown(data, tag=True) if keys is not None else data, status_code=status)

    def redirect(self, path: str) -> RedirectResponse:
        keys = self.state.keys
        return RedirectResponse(keys.shown(path) if keys is not None else path, status_code=303)


Handler = Callable[[Ctx], Response]


def _identify(request: Request, state: State) -> tuple[str | None, str]:
    """(user, role) of this request, or (None, "") when it must log in. Runs in the threadpool (reads the
    workspace)."""
    session = request.session
    with state.data():
        accounts = (not state.loopback) or state.ws.has_accounts()
        if session.get("user"):
            if session.get("auth") == "account":
                account = state.ws.account(session["user"])
                # a session ends when it was logged out, or its account's password was changed (govties users
                # passwd) after it began
                if account is not None and session.get("pw") == account["pw"] \
                        and state.ws.session_live(session.get("sid"), account["name"]):
                    return account["name"], account["role"]
            elif not accounts:
                return session["user"], "investigator"
            session.pop("user", None)
            session.pop("auth", None)
        if accounts:
            return None, ""
        user = state.options.user
        session.update(user=user, auth="local")
        return user, "investigator"


def page_lang(request: Request, state: State) -> str:
    """The page's language: ?lang=zh|en, else the one the session chose, else the server's."""
    asked = request.query_params.get("lang")
    return asked if asked in LANGS else request.session.get("lang") or state.options.lang


async def refused(request: Request, status: int, message: str, *, lang: str, heading: str | None = None,
                  api: bool = False, who: tuple[str | None, str] | None = None,
                  headers: dict[str, str] | None = None) -> Response:
    """A request answered before (or instead of) its handler: a JSON error for the API (and whoever asks for
    JSON), else the workbench's error page in the page's language, with the app's navigation only for a user
    logged in (`who`: the user and role when known, else found from the session)."""
    state: State = request.app.state.workbench
    if api or request.url.path.startswith("/api/") or \
            request.headers.get("accept", "").startswith("application/json"):
        return JSONResponse({"error": message}, status_code=status, headers=headers)
    user, role = who if who is not None else await run_in_threadpool(_identify, request, state)
    ctx = Ctx(request, state, user or "", role, lang)
    page = await run_in_threadpool(_error_page, ctx, status, message, heading)
    page.headers.update(headers or {})
    return page


#: parameters an address holds once, that the language switch leaves out: the language itself, and a save's or an
#: import's confirmation (the page in the other language would say "saved" again, with nothing saved)
ONCE = frozenset({"lang", "saved", "imported"})
#: the largest triage file an upload takes, and the largest request body a form may send (that file, with its form)
MAX_UPLOAD = 50 * 1024 * 1024
MAX_BODY = MAX_UPLOAD + 1024 * 1024


def endpoint(*, write: bool = False, api: bool = False, public: bool = False) -> Callable[[Handler], Any]:
    """A route handler: identifies the user (anonymous requests are sent to log in, or refused with 401 for the
    JSON API), checks the Origin of every POST (403 otherwise), then its length (411 without one, 413 above
    MAX_BODY) before its body is read, then its CSRF token (403), lets only investigators write, sets the page's
    language (?lang=zh|en is remembered in the session), and runs the handler in a thread with
    the data lock held. A GovtiesError becomes the page's message (400)."""

    def wrap(fn: Handler):
        async def handler(request: Request) -> Response:
            state: State = request.app.state.workbench
            session = request.session
            if "csrf" not in session:
                session["csrf"] = new_token()
            lang = page_lang(request, state)
            if request.query_params.get("lang") in LANGS:
                session["lang"] = lang
            form = None
            if request.method == "POST":  # said as it is: a write from another site's page, or a stale token
                origins = state.origins
                if state.any_address:  # opened at the address the request came in on (security.arrived_at)
                    origins = origins | {f"http://{h}" for h in arrived_at(request.scope)}
                if not same_origin(request.headers, origins):
                    origin = (request.headers.get("origin") or "")[:200]
                    return await refused(request, 403, word("origin_refused", lang, origin=origin), lang=lang,
                                         heading=word("refused", lang), api=api)
                # the body is read only when it says its length and that is at most MAX_BODY: an upload is spooled
                # to disk as it comes, before any token is checked (the server frames the body by that length). A
                # chunked body is framed by its chunks, whatever length it also claims: refused
                chunked = "transfer-encoding" in request.headers
                length = "" if chunked else request.headers.get("content-length", "0")  # neither: no body
                if not length.isdigit() or int(length) > MAX_BODY:
                    status, said = (411, word("length_required", lang)) if not length.isdigit() else \
                        (413, word("too_large", lang, mb=MAX_BODY // 2**20, upload=MAX_UPLOAD // 2**20))
                    return await refused(request, status, said, lang=lang, heading=word("refused", lang), api=api)
                form = await request.form()
                field = form.get("csrf")
                given = (field if isinstance(field, str) else None) or request.headers.get("x-csrf-token")
                if not token_ok(session, given):
                    return await refused(request, 403, word("csrf_refused", lang), lang=lang,
                                         heading=word("refused", lang), api=api)
            user, role = await run_in_threadpool(_identify, request, state)
            if user is None and not public:
                if api or request.method != "GET":
                    return await refused(request, 401, word("login_needed", lang), lang=lang,
                                         heading=word("login", lang), api=api, who=(None, ""))
                target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
                return RedirectResponse("/login?next=" + quote(target, safe=""), status_code=303)
            if write and role != "investigator":
                return await refused(request, 403, word("read_only", lang), lang=lang,
                                     heading=word("forbidden", lang), api=api, who=(user, role))
            ctx = Ctx(request, state, user or "", role, lang, form)

            def run() -> Response:
                with state.data():
                    if user and not api and request.method == "GET":  # a page view: early warning's "since"
                        session["since"] = _since(state.ws, session, user)
                    if state.keys is not None:  # under --mask: ids in the path are keyed ids
                        state.keys.refresh(state.ws)
                        params = request.path_params
                        for name, value in params.items():
                            params[name] = ctx.given(value, name) if isinstance(value, str) else value
                    return fn(ctx)

            heading: str | None = None  # a refused upload's page: its heading, and its problems a line each
            problems: list[str] = []
            try:
                return await run_in_threadpool(run)
            except NotFound as exc:
                status, message = 404, str(exc) or "not found"
            except BackendError as exc:  # the store or the server failed to answer: one line, not a traceback
                status, message = 503, str(exc)
            except DataError as exc:  # a file refused: the page says so (not that something went wrong), and why
                problems, message = problem_lines(exc, lang)
                status, heading = 400, ctx.t("upload_refused")
            except UploadRefused as exc:
                status, message, heading = 400, str(exc), ctx.t("upload_refused")
            except GovtiesError as exc:  # in the page's language where the error declares it (CaseError)
                status, message = 400, exc.sentence(lang)
            if ctx.state.keys is not None:  # a request's plain finding id quoted in a refusal is never keyed
                message, problems = ctx.state.keys.address(message), [ctx.state.keys.address(p) for p in problems]
            if api:
                return ctx.json({"error": "\n".join([*problems, message])}, status=status)
            return await run_in_threadpool(_error_page, ctx, status, message, heading, problems)

        handler.__name__ = fn.__name__
        return handler

    return wrap


def problem_lines(exc: DataError, lang: str) -> tuple[list[str], str]:
    """Why an uploaded file was not taken, in the page's language: each problem a line (file, line, column, what,
    the value found, the fix; said in English where it has no Chinese); then how many more there are, what was
    done and what to do."""
    problems = exc.problems
    shown = problems[:DataError.SHOWN]
    more = len(problems) - len(shown)
    after = ([word("more_problems", lang, n=more)] if more else []) + [word("upload_problems", lang, n=len(problems))]
    return [p.text(lang) for p in shown], "\n".join(after)


CASE_ID = re.compile(r"case-[0-9a-f]{10}")  # as api.casework makes them


def _error_page(ctx: Ctx, status: int, message: str, heading: str | None = None,
                problems: list[str] | None = None) -> Response:
    with ctx.state.data():
        return ctx.render("error.html", status=status, status_code=status, message=ended(message, ctx.lang),
                          heading=heading, problems=problems or [], back=_back(ctx))


def came_from(ctx: Ctx) -> str | None:
    """The workbench's page the request came from (path and query): its Referer, when that is one of this
    server's own pages; else None. Under --mask a finding id in it that is no keyed id is quoted with its middle
    hidden (FindingKeys.address)."""
    parts = urlsplit(ctx.request.headers.get("referer") or "")
    came = safe_next(parts.path + (f"?{parts.query}" if parts.query else ""))
    ours = f"{parts.scheme}://{parts.netloc}".lower() in ctx.state.origins
    if not ours or came == "/":
        return None
    return ctx.state.keys.address(came) if ctx.state.keys is not None else came  # under --mask: no plain id keyed


def form_only(request: Request) -> Response:
    """A form's address opened as a page, where a page's address with a parameter would take it (GET /cases/new
    is no case named "new"): answered as every form's address is (405, the app's _wrong_method page)."""
    raise HTTPException(405, headers={"Allow": "POST"})


def opens_as_page(request: Request, path: str) -> bool:
    """Whether the workbench answers a GET of `path` with a page (not at a form's address only)."""
    scope = {"type": "http", "method": "GET", "path": path, "root_path": ""}
    for route in getattr(request.app, "routes", []):
        match, child = route.matches(scope)
        if match == Match.FULL:
            return child.get("endpoint") is not form_only
    return False


def _back(ctx: Ctx) -> str:
    """Where an error page's link goes back to: the workbench's page the request came from (its Referer, when
    that is one of this server's own pages and not this one), else the inbox."""
    came = came_from(ctx)
    here = ctx.request.url.path + (f"?{ctx.request.url.query}" if ctx.request.url.query else "")
    return came if came is not None and came != here else "/findings"


__all__ = ["Ctx", "Options", "State", "endpoint", "NotFound", "UploadRefused", "problem_lines", "page_lang",
           "refused", "came_from", "form_only", "opens_as_page"]
