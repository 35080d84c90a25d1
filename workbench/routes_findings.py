"""The findings inbox, one finding (evidence, graph, triage, history, cases) and its triage saves, and the triage
export."""

from __future__ import annotations

import math
import re
from typing import Any
from urllib.parse import unquote_plus, urlencode

from starlette.responses import Response
from starlette.routing import Route

from ..api import (evidence_changes, finding_view, node_name, read_amount, read_date, read_triage, view_data,
                   worded_change)
from ..api.downloads import DOWNLOADS, download_bytes
from ..api.entities import plain_row
from ..api.inbox import PAGE_SIZE, PAGE_SIZES, RANGES, SORTS, InboxError, InboxQuery, read_words, region_as_read
from ..api.triage import STATUSES, StaleTriage, TriageError, rebased
from ..privacy import mask_text
from .core import MAX_UPLOAD, Ctx, NotFound, UploadRefused, endpoint, whole_number
from .layout import edge_data, layered, node_data, relatives_of, sheet_svg
from .render import listed
from .words import as_label, term


SINCE = re.compile(r"\d{4}-\d\d-\d\d(T[\d:.]+([+-]\d\d:\d\d|Z)?)?")  # an ISO time (early warning's links)


TYPED_KEPT = 200  # characters of a refused box's text that its page gives back in the box


def _number(ctx: Ctx, name: str, refused: dict[str, str]) -> float | None:
    text = ctx.param(name).replace(",", "")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):  # nan, inf and numbers too large for a float (1e400) filter nothing
        refused[name] = ctx.t("not_a_number", what=ctx.t(name), value=text[:40])
        return None
    return value


def _whole_if(value: float | None) -> float | None:
    """A number as typed: 90, not 90.0 (a minimum score of 99.5 stays 99.5: scores are whole, 100 meets it)."""
    return int(value) if value is not None and value.is_integer() else value


def _amount(ctx: Ctx, name: str, refused: dict[str, str]) -> float | None:
    """An amount filter, read as the data's amounts are (1,000,000, ¥1000000, 100万, 1.2亿)."""
    text = ctx.param(name)
    if not text:
        return None
    value = read_amount(text)
    if value is None or not math.isfinite(value):
        refused[name] = ctx.t("not_an_amount", what=ctx.t(name), value=text[:40])
        return None
    return value


def _date(ctx: Ctx, name: str, refused: dict[str, str]) -> str | None:
    text = ctx.param(name)
    if not text:
        return None
    iso = read_date(text)
    if iso is None:
        refused[name] = ctx.t("not_a_date", what=ctx.t(name), value=text[:40])
    return iso


#: a range's low end -> the words that say it is given the wrong way round
OVER = {"date_from": "after_other", "amount_min": "above_other"}
#: what a refused page size or minimum score is asked as instead
UNREFUSED: dict[str, Any] = {"size": PAGE_SIZE, "score_min": None}


def query_from(ctx: Ctx) -> tuple[InboxQuery, dict[str, str]]:
    """The inbox's query from the request, and the filters typed that cannot be read (name -> why, in the page's
    language): each is left out of the query, for the page to say so beside its form."""
    refused: dict[str, str] = {}
    size = ctx.param("size") or str(PAGE_SIZE)
    sort = ctx.param("sort") or "score"
    if sort not in SORTS:
        sort = "score"
    asked: dict[str, Any] = dict(
        rule=ctx.params("rule"), severity=ctx.params("severity"), status=ctx.params("status"),
        assignee=ctx.params("assignee"), region=ctx.params("region"), agency=ctx.params("agency"),
        official=ctx.params("official"), company=ctx.params("company"),
        score_min=_whole_if(_number(ctx, "score_min", refused)),
        amount_min=_amount(ctx, "amount_min", refused), amount_max=_amount(ctx, "amount_max", refused),
        date_from=_date(ctx, "date_from", refused), date_to=_date(ctx, "date_to", refused),
        q=ctx.search_text("q"), hide_ids=ctx.state.keys is not None, reopened=ctx.param("reopened") == "1",
        sort=sort, desc=ctx.param("order") != "asc",
        since=ctx.param("since") if SINCE.fullmatch(ctx.param("since")) else None,
        entity=ctx.param("entity")[:200] or None,
        page=max(1, ctx.whole("page", 1)),  # past the end: the last
        size=whole_number(size) or size[:40])
    try:
        return InboxQuery(**asked), refused
    except InboxError as error:  # a severity, status, page size or score that names nothing (?severity=ultra,
        for one in error.refusals:  # ?size=100000, ?score_min=150), a range the wrong way round: refused beside
            if one.name in RANGES:  # the form (the sort is read above), the query made without it
                low, high = one.name, RANGES[one.name]  # the wrong way round: one line says the pair as typed,
                shown = {name: ctx.param(name)[:40] for name in (low, high)}  # both boxes marked, neither applied
                refused[low] = ctx.t(OVER[low], what=ctx.t(low), value=shown[low], other=ctx.t(high),
                                     limit=shown[high])
                refused[high] = ""
                asked[low] = asked[high] = None
            else:
                refused[one.name] = one.sentence(ctx.lang)
                asked[one.name] = UNREFUSED[one.name] if one.name in UNREFUSED else \
                    read_words(one.name, asked[one.name])[0]
    return InboxQuery(**asked), refused


def query_params(q: InboxQuery) -> dict[str, Any]:
    """The query as URL parameters (for links that change one thing)."""
    return {"rule": q.rule, "severity": q.severity, "status": q.status, "assignee": q.assignee, "region": q.region,
            "agency": q.agency, "official": q.official, "company": q.company, "score_min": q.score_min,
            "amount_min": q.amount_min, "amount_max": q.amount_max, "date_from": q.date_from, "date_to": q.date_to,
            "q": q.q, "reopened": "1" if q.reopened else None, "since": q.since, "entity": q.entity,
            "sort": q.sort if q.sort != "score" else None, "order": "asc" if not q.desc else None,
            "size": q.size if q.size != PAGE_SIZE else None}


FACET_SHOWN = 12  # values listed per facet, most findings first ("all" lists up to FACET_ALL)
FACET_ALL = 500
FACET_PARAM = {"rule": "rule", "severity": "severity", "status": "status", "assignee": "assignee",
               "region": "region", "agency_id": "agency", "official_id": "official", "org_id": "company"}


ENTITY_FILTERS = ("agency", "official", "company", "entity")  # filters naming an entity of the graph


def _links(params: dict[str, Any], shown=lambda v: v):
    """URL makers for the inbox: toggle one filter value, or change one parameter (back to page 1). `shown`: an
    entity id as links carry it (Ctx.entity_shown)."""
    def url(changed: dict[str, Any]) -> str:
        pairs = [(k, shown(x) if k in ENTITY_FILTERS else x) for k, v in changed.items()
                 if v not in (None, "", [], False) for x in (v if isinstance(v, list) else [v])]
        return "/findings" + ("?" + urlencode(pairs) if pairs else "")

    def toggle(name: str, value: Any) -> str:
        value = "-" if value is None else str(value)
        current = list(params.get(name) or [])
        return url({**params, name: [v for v in current if v != value] if value in current else current + [value]})

    def change(**values: Any) -> str:
        return url({**params, **values})

    return toggle, change


@endpoint()
def inbox(ctx: Ctx) -> Response:
    """The findings inbox. A filter typed that cannot be read (an amount of abc) is refused beside the filter form,
    which keeps it as typed, over the findings the other filters give (400)."""
    q, refused = query_from(ctx)
    more = ctx.param("more") if ctx.param("more") in FACET_PARAM.values() else None
    page = ctx.ws.inbox(q, facet_limit=FACET_ALL if more else FACET_SHOWN + 1)
    longer: set[str] = set()  # facets with more values than are listed
    for column, name in FACET_PARAM.items():  # every value of the facet asked for; the others' first ones
        if name != more and len(page.facets[column]) > FACET_SHOWN:
            longer.add(name)
            page.facets[column] = page.facets[column][:FACET_SHOWN]
    page.facets = ctx.ws.with_chosen(q, page.facets, FACET_SHOWN)  # a filter set shows, ticked
    ids = {v for k in ("agency_id", "official_id", "org_id") for v, _ in page.facets.get(k, []) if v}
    names = {k: v.get("name") for k, v in ctx.graph.nodes(ids | ({q.entity} if q.entity else set())).items()}
    new_since = ctx.session.get("since")
    params = query_params(q)
    toggle, change = _links(params, ctx.entity_shown)
    counts = ctx.param("imported").split("-")  # after an import: rows changed, unchanged
    numbers = [whole_number(x) for x in counts]
    imported = numbers if len(numbers) == 2 and None not in numbers else None
    typed = {name: ctx.param(name)[:TYPED_KEPT] for name in refused}  # a refused box holds what was typed
    # a region code typed for a county or a township (330102) is read as the prefecture findings are filed under
    regions_read = [(given, read) for given in ctx.params("region") if (read := region_as_read(given))][:5]
    return ctx.render("inbox.html", status=400 if refused else 200, page=page, q=q, params=params, names=names,
                      sorts=list(SORTS), more=more, imported=imported, longer=longer, refused=refused, typed=typed,
                      sizes=PAGE_SIZES, statuses=STATUSES, since=new_since, facet_param=FACET_PARAM, toggle=toggle,
                      change=change, open_cases=ctx.ws.cases(status="open"), regions_read=regions_read,
                      downloads={fmt: f"/inbox.{fmt}?{download_query(ctx, q)}".rstrip("?") for fmt in DOWNLOADS})


def evidence_graph(ctx: Ctx, row: dict[str, Any]) -> dict[str, Any]:
    """The finding's evidence as nodes and edges in the exploration page's format, in layers from its root."""
    ev = row["evidence_json"]
    info = {n["id"]: n for n in ev.get("nodes", [])}
    raw = ev.get("edges", [])
    rel = relatives_of(info, raw)
    nodes = [node_data(i, n, rel, n.get("role"), ctx.lang) for i, n in info.items()]
    edges = [edge_data(e, k, ctx.lang) for k, e in enumerate(raw)]
    root = row.get("official_id") or row.get("org_id")
    dates: dict[str, str] = {}  # a decision's date: the start of its edges (DECIDED, BENEFITS, ISSUED_BY: its date)
    for e in raw:
        for end in (e.get("src"), e.get("dst")):
            if end in info and info[end].get("type") == "decision" and e.get("start"):
                dates[end] = min(dates.get(end, e["start"]), e["start"])
    positions = layered(nodes, edges, root, dates)
    for n in nodes:
        n.update(positions.get(n["id"], {}))
    return {"nodes": nodes, "edges": edges, "root": root}


def finding_graph(ctx: Ctx, row: dict[str, Any]) -> dict[str, Any]:
    """The finding's view as the static views draw it (visualize: the layered left-to-right layout with its
    labels and routes), its SVG for the sheet, and the names and kinds of its entities."""
    finding = {**row, "explanation": row.get(f"explanation_{ctx.lang}")}
    view = finding_view(ctx.graph, finding, ctx.state.render.rules.values())
    data = view_data(view, ctx.lang, mask=ctx.state.keys is not None)  # the page then masks ids and phones
    g = view.graph
    return {"data": data, "svg": sheet_svg(data),
            "legend": [{**item, "label": as_label(item["label"], ctx.lang)} for item in data["legend"]],
            "names": {n: node_name(d, n, ctx.lang) for n, d in g.nodes(data=True)},
            "entities": sorted(n for n, d in g.nodes(data=True) if d.get("type") in ("person", "organization"))}


def finding_context(ctx: Ctx, finding_id: str) -> dict[str, Any]:
    """Everything the finding page and its sheet show."""
    row = ctx.ws.finding(finding_id)
    if row is None:
        raise NotFound(ctx.t("no_finding", id=finding_id))
    decision_ids = [d for d in (row.get("decision_ids") or "").split(";") if d]
    decisions = ctx.graph.lookup("decision", decision_ids) if decision_ids else None
    dec_rows = [] if decisions is None else sorted((plain_row(r) for _, r in decisions.iterrows()),
                                                   key=lambda d: (d.get("date") or "", d["decision_id"]))
    graph = finding_graph(ctx, row)
    names = dict(graph["names"])
    parties = {x for d in dec_rows for x in (d.get("agency_id"), d.get("beneficiary_id")) if x and x not in names}
    names.update({k: v.get("name") for k, v in ctx.graph.nodes(parties).items()})
    entity_ids = graph["entities"] + decision_ids  # the records of its people, organizations and decisions
    records = ctx.ws.records_of(entity_ids)
    then = row.get("facts_at_triage")
    changes = [worded_change(c, ctx.lang, names) for c in evidence_changes(then, row["facts"])] \
        if then and row.get("facts") else []  # in the page's words
    return {"f": row, "graph": graph, "names": names, "decisions": dec_rows, "records": records,
            "changes": changes, "history": [e for e in ctx.ws.events(finding_id) if e["kind"] != "open"],
            "rule": (rule := ctx.state.render.rules.get(row["rule"])),
            "description": _described(ctx, rule, row) if rule else "",
            "notes": ctx.ws.notes(finding_id)}


def _described(ctx: Ctx, rule: Any, row: dict[str, Any]) -> str:
    """What the finding's rule (one of api.rules()) finds, in the page's language, each parameter as the value its
    sweep used; a Chinese description's lines joined as one text (a browser would put a space between them)."""
    told = rule.described(ctx.ws.sweep_params(row.get("sweep_id")).get(rule.id), lang=ctx.lang)
    return "".join(told.splitlines()) if ctx.lang == "zh" else told


def _openers(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Who opened a finding (its page or a sheet holding it): each person once, how often, and when last,
    the latest first."""
    out: dict[str, dict[str, Any]] = {}
    for e in events:  # newest first
        seen = out.setdefault(e["who"], {"who": e["who"], "n": 0, "last": e["at"]})
        seen["n"] += 1
    return list(out.values())


def _case_offers(ctx: Ctx, row: dict[str, Any], mine: set[str]) -> list[dict[str, Any]]:
    """What the finding page offers for its official's, company's and bid ring's cases (those it has), each kind
    with something to offer: the cases made for it that the finding is not in (an open one to add it to, a closed
    one said to be closed), else, when none was made, a new case of its n findings."""
    made = ctx.ws.group_cases(row)
    offers = [{"kind": kind, "n": n, "joins": [c for c in made.get(kind, []) if c["case_id"] not in mine],
               "new": not made.get(kind)} for kind, n in ctx.ws.group_sizes(row)]
    return [o for o in offers if o["joins"] or o["new"]]


def render_finding(ctx: Ctx, finding_id: str, status: int = 200, audit: bool = True, **extra: Any) -> Response:
    data = finding_context(ctx, finding_id)
    if audit:  # the audit trail: who opened which finding
        ctx.ws.opened(ctx.user, finding_id)
    mine = {c["case_id"] for c in data["f"].get("cases") or []}
    data.update(case_offers=_case_offers(ctx, data["f"], mine) if ctx.role == "investigator" else [],
                open_cases=[c for c in ctx.ws.cases(status="open") if c["case_id"] not in mine], statuses=STATUSES,
                saved=ctx.param("saved") == "1", stale=None, stale_both=None, attempt=None, note_refused=None,
                note_typed=None,
                opened=_openers(ctx.ws.events(finding_id, kind="open", limit=2000)))
    data.update(extra)
    return ctx.render("finding.html", status=status, **data)


@endpoint()
def finding(ctx: Ctx) -> Response:
    return render_finding(ctx, ctx.request.path_params["finding_id"])


def _form_values(ctx: Ctx, prefix: str = "") -> dict[str, Any] | None:
    """The triage form's status, assignee and note as sent (`prefix` shown_: the values its page filled it with,
    as the page showed them; None when the form did not send them). The note is taken as typed."""
    if prefix and ctx.form is not None and f"{prefix}note" not in ctx.form:
        return None
    note = ctx.form.get(f"{prefix}note") if ctx.form else ""
    return {"status": ctx.param(f"{prefix}status") or None, "assignee": ctx.param(f"{prefix}assignee"),
            "note": note if isinstance(note, str) else ""}


STALE_SAID = 80  # characters of a colleague's note that a refusal quotes


def _stale_message(ctx: Ctx, current: dict[str, Any], both: list[str]) -> tuple[str, str | None]:
    """A stale save's refusal: who changed the finding and when, and what the form holds now; then, when the
    refused save changed fields that were changed since too, those fields with the values they have now, each on
    one line and at most STALE_SAID characters (the form keeps the refused save's)."""
    who = current.get("who") or "?"
    said = []
    for field in both:
        value = current.get(field) or ""
        value = term("triage_status", value, ctx.lang) if field == "status" else " ".join(value.split())
        if ctx.state.keys is not None:  # masked before it is cut: half an ID is no longer an ID the page would mask
            value = ctx.state.keys.shown(value)
        value = value if len(value) <= STALE_SAID else value[:STALE_SAID - 1] + "…"
        said.append(ctx.t(f"stale_{field}", value=value) if value else ctx.t(f"stale_{field}_empty"))
    return (ctx.t("stale_detail", who=who, at=ctx.state.render.when(current.get("at"))),
            ctx.t("stale_both", who=who, fields=listed(said, ctx.lang)) if said else None)


@endpoint(write=True)
def save_triage(ctx: Ctx) -> Response:
    """A triage save from the finding's form. One made from an older version than the stored one is refused on
    the finding's page (409), its form made again on the current version (api.triage.rebased): the fields the save
    left as its page showed them hold the stored values, the fields it changed hold its values, and the refusal
    names the fields both changed."""
    finding_id = ctx.request.path_params["finding_id"]
    attempt = _form_values(ctx) or {}
    shown = ctx.state.keys.shown if ctx.state.keys is not None else None
    try:
        ctx.ws.save_triage(finding_id, version=ctx.whole("version", -1), who=ctx.user,
                           status=attempt["status"], assignee=attempt["assignee"], note=str(attempt["note"]),
                           shown=shown)
    except StaleTriage as exc:
        # nothing is lost: the other save stands, and this one is shown again to be made from the current version
        form, both = rebased(attempt, _form_values(ctx, "shown_"), exc.current, shown)
        stale, stale_both = _stale_message(ctx, exc.current, both)
        return render_finding(ctx, finding_id, status=409, audit=False, stale=stale, stale_both=stale_both,
                              attempt=form)
    except TriageError as exc:  # refused as it stands (a masked number, a note too long): said beside the form
        return render_finding(ctx, finding_id, status=400, audit=False, stale=exc.sentence(ctx.lang), attempt=attempt)
    return ctx.redirect(f"/findings/{finding_id}?saved=1#triage")


@endpoint()
def triage_opened(ctx: Ctx) -> Response:
    """The triage form's address opened as a page (a refused save reloaded, its address typed): the finding."""
    return ctx.redirect(f"/findings/{ctx.request.path_params['finding_id']}#triage")


@endpoint()
def export_triage(ctx: Ctx) -> Response:
    """The triage CSV as `govties triage export` writes it (api.write_csv: BOM, formula cells neutralised)."""
    import tempfile
    from pathlib import Path

    from .. import api

    frame = ctx.ws.export_triage()
    if ctx.state.keys is not None:  # values masked, finding ids keyed (as `sweep --mask` writes them)
        frame = api.mask_findings(frame, ctx.state.keys.key)
    with tempfile.TemporaryDirectory(prefix="govties-triage-") as folder:
        data = api.write_csv(frame, Path(folder) / "triage.csv").read_bytes()
    return Response(data, media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": 'attachment; filename="triage.csv"'})


@endpoint(write=True)
def import_triage(ctx: Ctx) -> Response:
    """A triage CSV uploaded (the file `govties triage export` and this app's export write): checked whole first
    (an unknown finding id is refused with its line, and nothing is applied), then each changed row is saved as an
    import event by the row's `who` (else the user)."""
    import re
    import tempfile
    from pathlib import Path

    upload = ctx.form.get("file") if ctx.form else None
    if upload is None or isinstance(upload, str) or not upload.filename:
        raise UploadRefused(ctx.t("import_choose"))
    name = re.sub(r"[^\w.-]", "_", Path(upload.filename).name)[:100] or "triage.csv"
    data = upload.file.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise UploadRefused(f"{name}{ctx.t('colon')}{ctx.t('import_too_big', mb=MAX_UPLOAD // 2**20)}")
    with tempfile.TemporaryDirectory(prefix="govties-triage-") as folder:
        path = Path(folder) / (name if name.lower().endswith(".csv") else name + ".csv")
        path.write_bytes(data)
        # every problem at once: bad rows and ids naming no recorded finding (under --mask keyed ids are taken as
        # the plain ids they key, and any other id, a plain one too, is refused as none this workbench shows, quoted
        # in one form)
        keys = ctx.state.keys
        given = (lambda ids: [keys.uploaded(fid) for fid in ids]) if keys is not None else None
        frame = read_triage(path, ctx.ws.unrecorded, given, shown_keyed=keys is not None)
        done = ctx.ws.import_triage(frame, who=ctx.user, name=path.name, masked=ctx.state.keys is not None)
    return ctx.redirect(f"/findings?imported={done['changed']}-{done['unchanged']}")


def download_query(ctx: Ctx, q: InboxQuery) -> str:
    """The inbox's filters and order as a download's address carries them, made from the query as read (as every
    link of the page is: a masked page's ids tagged, never the text typed echoed), the page size left out."""
    return _links(query_params(q), ctx.entity_shown)[1](size=None).partition("?")[2]


@endpoint()
def inbox_download(ctx: Ctx) -> Response:
    """Every finding the inbox's filters select, in its order, as CSV, Excel or JSON lines (api.downloads): under
    --mask masked with keyed ids, as `sweep --mask` writes them; recorded in the audit trail. Filters that cannot be
    read send the user to the inbox, which says why, instead of a file of something else."""
    fmt = ctx.request.path_params["fmt"]
    if fmt not in DOWNLOADS:
        raise NotFound
    q, refused = query_from(ctx)
    if refused:
        return ctx.redirect("/findings?" + urlencode(ctx.request.query_params.multi_items()))
    keys = ctx.state.keys
    frame = ctx.ws.inbox_table(q, ctx.lang, key=keys.key if keys is not None else None)
    filters = download_query(ctx, q)
    if keys is not None:  # as the page shows it: identifiers masked, no finding id but a keyed one
        filters = mask_text(keys.address(unquote_plus(filters)))
    data = download_bytes(frame, fmt, ctx.lang, {"source": "govties serve", "filters": filters or "(none)",
                                                 "findings": len(frame)})
    ctx.ws.downloaded(ctx.user, fmt, filters, len(frame))
    suffix, media = DOWNLOADS[fmt]
    name = f"findings-{ctx.ws.now()[:10]}{suffix}"
    return Response(data, media_type=media, headers={"content-disposition": f'attachment; filename="{name}"'})


ROUTES = [
    Route("/findings", inbox),
    Route("/inbox.{fmt}", inbox_download),
    Route("/findings/{finding_id}", finding),
    Route("/findings/{finding_id}/triage", save_triage, methods=["POST"]),
    Route("/findings/{finding_id}/triage", triage_opened, methods=["GET"]),
    Route("/triage.csv", export_triage),
    Route("/triage/import", import_triage, methods=["POST"]),
]
