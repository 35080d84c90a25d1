"""Cases: the list, one case (its findings, notes, history, and the findings about what it was made for found
since), making one from a finding's official, company or bid ring or from a selection, adding and removing
findings, renaming, closing and reopening, notes. A closed case is read-only until it is reopened; a change the
page could no longer make (someone else closed the case, or already removed the finding) is said on the case's
page, in its language."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response
from starlette.routing import Route

from ..api.casework import MAX_TITLE, CaseClosed, CaseError, NotInCase, StaleCase
from .core import Ctx, NotFound, endpoint, form_only
from .routes_findings import render_finding
from .render import listed


@endpoint()
def cases(ctx: Ctx) -> Response:
    return ctx.render("cases.html", cases=ctx.ws.cases())


@endpoint()
def case(ctx: Ctx) -> Response:
    return _case_page(ctx, ctx.request.path_params["case_id"])


def _case_page(ctx: Ctx, case_id: str, status: int = 200, refused: str | None = None, typed: str = "",
               typed_title: str | None = None) -> Response:
    """A case's page; `typed`: the text of a note it refused, kept on the page (in the note box while the case is
    open, else quoted under the refusal to be copied); `typed_title`: a title it refused, kept in the rename box."""
    found = ctx.ws.case(case_id)
    if found is None:
        raise NotFound(ctx.t("no_case", id=case_id))
    return ctx.render("case.html", status=status, c=found, news=ctx.ws.news_for(found), refused=refused,
                      typed=typed, typed_title=typed_title)


def _refused(ctx: Ctx, case_id: str, exc: CaseError, typed: str = "", typed_title: str | None = None) -> Response:
    """A change refused, said on the case's page: 409 when the page was out of date (the case closed meanwhile),
    else 400; `typed`, `typed_title`: a refused note's or title's text, kept on the page."""
    # a closed case's: when it was closed, in the pages' zone as every time on them
    shown = {"at": ctx.state.render.when(exc.at)} if isinstance(exc, CaseClosed) else {}
    return _case_page(ctx, case_id, status=409 if isinstance(exc, CaseClosed) else 400,
                      refused=exc.sentence(ctx.lang, **shown),
                      typed=typed, typed_title=typed_title)


NAME_CHARS = 40  # characters of a name in a title made for a case


def _listing(ctx: Ctx, items: list[str], limit: int) -> tuple[str, int]:
    """Names or ids as a title lists them, and how many it leaves out: at most `limit`, each cut at NAME_CHARS
    (…); joined as a list is read when they are all there (甲、乙和丙), else by the list's separator, for a
    "more" word to follow (甲、乙、丙等)."""
    shown = [x if len(x) <= NAME_CHARS else x[:NAME_CHARS - 1] + "…" for x in items[:limit]]
    more = len(items) - len(shown)
    return (ctx.t("list_sep").join(shown) if more else listed(shown, ctx.lang)), more


def _capped(title: str) -> str:
    return title if len(title) <= MAX_TITLE else title[:MAX_TITLE - 1] + "…"


def ring_title(ctx: Ctx, ring: dict[str, Any]) -> str:
    """A bid ring's case as its title names it, in the page's language: its bidders by name (three at most) and
    its tenders (two at most): 甲公司、乙公司和丙公司串标圈（招标XD0057） / Bid ring of A, B and C (tender XD0057)."""
    members = [str(m) for m in ring.get("members") or []]
    tenders = [str(d) for d in ring.get("tenders") or []]
    nodes = ctx.graph.nodes(set(members[:3]))
    names, more = _listing(ctx, [str((nodes.get(m) or {}).get("name") or m) for m in members[:3]] + members[3:], 3)
    bidders = ctx.t("ring_bidders_more", names=names, n=len(members), more=more) if more else names
    ids, left = _listing(ctx, tenders, 2)
    key = "ring_tender" if len(tenders) == 1 else "ring_tenders_more" if left else "ring_tenders"
    said = ctx.t(key, ids=ids, n=len(tenders), more=left)
    return _capped(ctx.t("ring_title", bidders=bidders, tenders=said) if tenders else bidders)


def selection_title(ctx: Ctx, finding_ids: list[str]) -> str:
    """A case made of selected findings, untitled, as its title names it: whom they are about, three names at
    most, people and companies alike (涉及孙志强和李明的线索 / Findings on 孙志强 and 李明; 涉及甲、乙、丙等5方的线索),
    not how many findings, which the case's page counts as it grows; "new case" when they name nobody."""
    names = ctx.ws.named_in(finding_ids)
    if not names:
        return ctx.t("new_case")
    shown, more = _listing(ctx, names, 3)
    if more:
        shown = ctx.t("names_more", names=shown, n=len(names), more=more)
    return _capped(ctx.t("selection_title", names=shown))


@endpoint(write=True)
def new_case(ctx: Ctx) -> Response:
    """A case from one finding's official, company or bid ring (kind), or from a selection (kind manual: at least
    one finding, as the inbox's selection form refuses none); titled
    by the official's or the company's name, a bid ring by its bidders and tenders (ring_title)."""
    kind = ctx.param("kind") or "manual"
    chosen = ctx.params("finding")
    if kind == "manual":
        if not chosen:  # no form sends that: a case is made of findings (an empty one was made, and listed)
            raise CaseError("select")
        title = ctx.param("title") or selection_title(ctx, chosen)
        ids = chosen
        basis = ""
    else:
        if not chosen:
            raise CaseError("no_finding_given")
        basis, ids = ctx.ws.group_of(chosen[0], kind)
        row = ctx.ws.finding(chosen[0]) or {}
        ring = (row.get("evidence_json") or {}).get("ring") if kind == "ring" else None
        title = _capped(str({"official": row.get("official_name"), "company": row.get("org_name"),
                             "ring": ring_title(ctx, ring) if ring else None}.get(kind) or basis))
    case_id = ctx.ws.create_case(title=title, who=ctx.user, kind=kind, basis=basis, finding_ids=ids)
    return ctx.redirect(f"/cases/{case_id}")


@endpoint(write=True)
def add(ctx: Ctx) -> Response:
    ids = ctx.params("finding")
    if not ids:
        raise CaseError("select")
    case_id = ctx.param("case_id")
    if not case_id and ctx.param("existing") == "1":  # "add to an existing case" sent with none chosen
        raise CaseError("choose_case")
    if not case_id:
        case_id = ctx.ws.create_case(title=ctx.param("title") or selection_title(ctx, ids), who=ctx.user,
                                     kind="manual", finding_ids=ids)
    else:
        try:
            ctx.ws.add_to_case(case_id, ids, ctx.user)
        except CaseClosed as exc:
            return _refused(ctx, case_id, exc)
    return ctx.redirect(f"/cases/{case_id}")


@endpoint(write=True)
def remove(ctx: Ctx) -> Response:
    case_id = ctx.request.path_params["case_id"]
    finding_id = ctx.param("finding")
    try:
        ctx.ws.remove_from_case(case_id, finding_id, ctx.user)
    except NotInCase as exc:  # taken out already (a page opened before): who did, and when, as a stale close says
        removal = next((e for e in ctx.ws.events(case_id, kind="case")
                        if e["field"] == "member" and e["before"] == finding_id), None)
        if removal is None:
            return _refused(ctx, case_id, exc)
        return _case_page(ctx, case_id, status=409, refused=ctx.t(
            "stale_remove", who=removal["who"] or "?", at=ctx.state.render.when(removal["at"]),
            finding=_finding_named(ctx, finding_id)))
    except CaseClosed as exc:
        return _refused(ctx, case_id, exc)
    return ctx.redirect(f"/cases/{case_id}")


def _finding_named(ctx: Ctx, finding_id: str) -> str:
    """A finding as a message names it: its rule's title and its official and company, else its id."""
    row = ctx.ws.finding(finding_id)
    if row is None:
        return finding_id
    rule = ctx.state.render.rules.get(row["rule"])
    parts = [rule.title(ctx.lang) if rule else row["rule"], row.get("official_name"), row.get("org_name")]
    return " · ".join(str(p) for p in parts if p)


def _set_case(ctx: Ctx, **change: str | None) -> Response:
    """A change of a case's status or title from the version its page showed; a stale one is refused on the
    case's page, naming who changed it and when."""
    case_id = ctx.request.path_params["case_id"]
    typed_title = change.get("title") if "status" not in change else None  # a rename's title, kept if refused
    try:
        ctx.ws.set_case(case_id, version=ctx.whole("version", -1), who=ctx.user,
                        shown=ctx.state.keys.shown if ctx.state.keys is not None else None, **change)
    except StaleCase:
        changes = ctx.ws.events(case_id, kind="case", limit=1)  # the change that made it stale
        last: dict[str, Any] = changes[0] if changes else {}
        at = ctx.state.render.when(last.get("at"))
        return _case_page(ctx, case_id, status=409, refused=ctx.t(
            "stale_case", who=last.get("who") or "?", at=at), typed_title=typed_title)
    except CaseError as exc:
        return _refused(ctx, case_id, exc, typed_title=typed_title)
    return ctx.redirect(f"/cases/{case_id}")


@endpoint(write=True)
def set_status(ctx: Ctx) -> Response:
    return _set_case(ctx, status=ctx.param("status") or None, title=ctx.param("title") or None)


@endpoint(write=True)
def rename(ctx: Ctx) -> Response:
    return _set_case(ctx, title=ctx.param("title"))


@endpoint(write=True)
def add_note(ctx: Ctx) -> Response:
    """A note added to a case or a finding. A note refused (the case was closed meanwhile, the note is empty or too
    long, or holds a number as a masked page shows it) is said on the case's or the finding's page, which keeps the
    text typed."""
    target = ctx.param("target")
    given = ctx.form.get("text") if ctx.form else ""
    text = given if isinstance(given, str) else ""
    try:
        ctx.ws.add_note(target, text, ctx.user, masked=ctx.state.keys is not None)
    except CaseError as exc:
        if target.startswith("case-") and ctx.ws.case(target) is not None:
            return _refused(ctx, target, exc, typed=text)
        if ctx.ws.finding(target) is not None:
            return render_finding(ctx, target, status=400, audit=False, note_refused=exc.sentence(ctx.lang),
                                  note_typed=text)
        raise
    if target.startswith("case-"):
        return ctx.redirect(f"/cases/{target}")
    return ctx.redirect(f"/findings/{target}")


ROUTES = [
    Route("/cases", cases),
    Route("/cases/new", new_case, methods=["POST"]),
    Route("/cases/add", add, methods=["POST"]),
    # opened as a page: the form's address (405), not a case named "new" or "add"
    Route("/cases/new", form_only, methods=["GET"]),
    Route("/cases/add", form_only, methods=["GET"]),
    Route("/cases/{case_id}", case),
    Route("/cases/{case_id}/remove", remove, methods=["POST"]),
    Route("/cases/{case_id}/status", set_status, methods=["POST"]),
    Route("/cases/{case_id}/title", rename, methods=["POST"]),
    Route("/notes", add_note, methods=["POST"]),
]
