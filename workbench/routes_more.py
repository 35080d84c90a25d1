"""Printable sheets (a finding, a case), early warning (new since the last visit, new for what one watches) and
the evaluation of agencies and regions."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response
from starlette.routing import Route

from ..api.evaluation import LEVELS
from .core import Ctx, NotFound, endpoint
from .routes_findings import SINCE, finding_context


@endpoint()
def finding_sheet(ctx: Ctx) -> Response:
    finding_id = ctx.request.path_params["finding_id"]
    data = finding_context(ctx, finding_id)
    ctx.ws.opened(ctx.user, finding_id, "sheet")
    return ctx.render("sheet_finding.html", **data, generated=ctx.ws.now())


@endpoint()
def case_sheet(ctx: Ctx) -> Response:
    case_id = ctx.request.path_params["case_id"]
    c = ctx.ws.case(case_id)
    if c is None:
        raise NotFound(ctx.t("no_case", id=case_id))
    parts = []
    for m in c["members"]:
        if m["finding"] is not None:
            parts.append(finding_context(ctx, m["finding_id"]))
            ctx.ws.opened(ctx.user, m["finding_id"], "case sheet")
    return ctx.render("sheet_case.html", c=c, parts=parts, generated=ctx.ws.now())


@endpoint()
def warnings(ctx: Ctx) -> Response:
    since = ctx.session.get("since")
    news = ctx.ws.news(since)
    watched: list[dict[str, Any]] = []
    ids = ctx.ws.watches(ctx.user)
    names = {k: v.get("name") for k, v in ctx.graph.nodes(ids).items()}
    for entity_id in ids:
        found = ctx.ws.news(since, entity=entity_id, limit=50)
        watched.append({"id": entity_id, "name": names.get(entity_id) or entity_id, **found})
    return ctx.render("warnings.html", since=since, news=news, watched=watched, made=ctx.ws.now())


@endpoint()
def mark_seen(ctx: Ctx) -> Response:
    until = ctx.param("until")  # the time the page read was made: what a sweep recorded since stays new
    ctx.session["since"] = ctx.ws.mark_seen(ctx.user, until if SINCE.fullmatch(until) else None)
    ctx.session.pop("first_visit", None)
    return ctx.redirect("/warnings")


RANKED = 40  # units the ranking lists
COMPARED = 40  # units the two periods' table lists
TREND_YEARS = 6  # the trend's years unless every year is asked for (a column each: wider than a page after six)


def _year(ctx: Ctx, name: str) -> str | None:
    text = ctx.param(name)
    return text if len(text) == 4 and text.isascii() and text.isdigit() else None


@endpoint()
def evaluation(ctx: Ctx) -> Response:
    level = ctx.param("level") if ctx.param("level") in LEVELS else "agencies"
    found = ctx.ws.finding_years()
    every = ctx.ws.year_span()  # the trend's years, and those two periods may be (one without findings too)
    span = "all" if ctx.param("years") == "all" else ""  # the trend over every year, not the last TREND_YEARS
    years, trend = ctx.ws.trend(level, None if span else TREND_YEARS)
    b = _year(ctx, "b") or (found[-1] if found else None)
    a = _year(ctx, "a") or (found[-2] if len(found) > 1 else b)
    # a period in the address that is no year is said, not silently replaced
    not_years = [(name, ctx.param(name)[:20], year) for name, year in (("a", a), ("b", b))
                 if ctx.param(name) and not _year(ctx, name) and year]
    choices = sorted({*every, *(y for y in (a, b) if y)})  # and those asked for
    ranking = ctx.ws.ranking(level)
    rows = ranking.to_dict("records") if not ranking.empty else []
    ranked = [r for r in rows if r["rank"] is not None]
    gap = [r for r in rows if r["rank"] is None]  # (none): listed after the ranked units, never ranked nor cut
    compare = ctx.ws.compare(level, (f"{a}-01-01", f"{a}-12-31"), (f"{b}-01-01", f"{b}-12-31")) if a and b else None
    peak = max([float(v) for y in years for v in trend[y]] or [0.0]) if not trend.empty else 0.0
    key = LEVELS[level]
    return ctx.render("evaluation.html", level=level, key=key, years=years, every=every, span=span, choices=choices,
                      quiet=sorted({y for y in (a, b) if y and y not in found}), not_years=not_years,
                      after=found[-1] if found else "",
                      trend_years=TREND_YEARS, trend=trend.to_dict("records"),
                      ranking=[*ranked[:RANKED], *gap], ranked=len(ranked), ranked_max=RANKED, unranked=len(gap),
                      unflagged=sum(r["findings"] == 0 for r in ranked),
                      a=a, b=b, peak=peak or 1.0,
                      compare=[] if compare is None else compare.head(COMPARED).to_dict("records"),
                      compared=0 if compare is None else len(compare), compared_max=COMPARED)


ROUTES = [
    Route("/sheet/finding/{finding_id}", finding_sheet),
    Route("/sheet/case/{case_id}", case_sheet),
    Route("/warnings", warnings),
    Route("/warnings/seen", mark_seen, methods=["POST"]),
    Route("/evaluation", evaluation),
]
