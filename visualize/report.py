"""The sweep report: one static, offline HTML page (no script) in the sweep's language: counts per rule and
severity, findings over time, the ranked officials, companies and agencies, the top findings, and links into the
overview view (a finding's link focuses that finding, an official's focuses the official's findings). Every value
from data is HTML-escaped, and bidirectional controls in it are shown, not obeyed."""

from __future__ import annotations

import html
import math
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from ..files import write_text
from .chart import years_chart
from .index_page import SHOWN_WARNINGS, warned_note, warning_texts, warnings_list
from .page import nav
from .style import CJK_FONTS
from .words import UI, disclaimer, say, shown, term

SEVERITIES = ("high", "medium", "low")
LINKED = {"official_id"}  # columns whose values link into the overview


def _e(value: Any) -> str:
    missing = value is None or (isinstance(value, float) and math.isnan(value))
    return html.escape(shown("" if missing else value))


def _heading(column: str, lang: str) -> str:
    """A ranked table's column in the report's language (a column this table does not know: as it is)."""
    key = f"col_{column}"
    return _e(say(key, lang) if key in UI else column)


def _title_case(word: str) -> str:
    """A column heading's first letter in capitals, as the other headings have it (a Chinese word is as it is)."""
    return word[:1].upper() + word[1:]


def _reason(run, lang: str) -> str:
    return _e(run.why(lang))


def _counts(result, lang: str) -> str:
    rows = []
    for run in result.runs:
        c = Counter(f["severity"] for f in run.findings)
        if run.status == "skipped":  # not run: no counts (a 0 would read as "ran, found nothing")
            counts = "".join("<td class=num>—</td>" for _ in range(len(SEVERITIES) + 1))
            status = _reason(run, lang)
        else:
            counts = "".join(f"<td class=num>{c.get(s, 0)}</td>" for s in SEVERITIES) \
                + f"<td class=num>{len(run.findings)}</td>"
            status = ""
        rows.append(f"<tr><td>{_e(run.rule.title(lang))}</td>{counts}<td>{status}</td></tr>")
    head = "".join(f"<th>{_e(_title_case(term('severity', s, lang)))}</th>" for s in SEVERITIES)
    return (f"<table><tr><th>{_heading('rule', lang)}</th>{head}<th>{_heading('total', lang)}</th>"
            f"<th>{_heading('skipped', lang)}</th></tr>" + "".join(rows) + "</table>")


AMOUNTS = {"total_amount"}  # yuan: grouped by thousands, no decimals


def _cell(column: str, value: Any, titles: dict[str, str], lang: str) -> tuple[str, bool]:
    """A ranked table's cell as shown (rule ids as titles, amounts grouped, numbers without a stray .0) and
    whether it is a number (right-aligned)."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value == "":
        return "", False
    if column == "rules":
        return ("、" if lang == "zh" else "; ").join(titles.get(r, r) for r in str(value).split(";") if r), False
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value), False
    if column in AMOUNTS:
        return f"{value:,.0f}", True
    if isinstance(value, float):
        return (f"{value:.0f}" if value.is_integer() else f"{value:.2f}"), True
    return str(value), True


def _table(df: pd.DataFrame | None, columns: list[str], limit: int, lang: str, titles: dict[str, str],
           link: str | None = None) -> str:
    if df is None or df.empty:
        return f"<p>{_e(say('none_found', lang))}</p>"
    cols = [c for c in columns if c in df.columns]
    head = "".join(f"<th>{_heading(c, lang)}</th>" for c in cols)
    body = []
    for row in df.head(limit).to_dict("records"):
        cells = []
        for c in cols:
            text, number = _cell(c, row[c], titles, lang)
            cell = _e(text)
            if link and c in LINKED and row[c]:
                cell = f'<a href="{_e(link)}#{_e(row[c])}">{cell}</a>'
            cells.append(f"<td class=num>{cell}</td>" if number else f"<td>{cell}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><tr>{head}</tr>{''.join(body)}</table>"


def _top(findings: list[dict[str, Any]], titles: dict[str, str], overview: str, lang: str,
         views: Mapping[str, str]) -> str:
    """The top findings, each linked to its own view when one was written (`views`), else to the overview focused
    on it."""
    head = "".join(f"<th>{_heading(c, lang)}</th>" for c in ("finding", "rule", "severity", "score", "explanation"))

    def link(fid: str) -> str:
        return views[fid] if fid in views else f"{overview}#{fid}"

    rows = "".join(
        f"<tr><td><a href=\"{_e(link(f['finding_id']))}\">{_e(f['finding_id'])}</a></td>"
        f"<td>{_e(titles.get(f['rule'], f['rule']))}</td>"
        f"<td class=\"sev-{_e(f['severity'])}\">{_e(term('severity', f['severity'], lang))}</td>"
        f"<td class=num>{_e(f['score'])}</td><td>{_e(f['explanation'])}</td></tr>" for f in findings[:100])
    return f"<table><tr>{head}</tr>{rows}</table>"


def write_report(result, ranks: dict[str, pd.DataFrame], path: str | Path, overview: str, lang: str = "zh",
                 mask: bool = False, warnings: list[Any] | None = None, views: Mapping[str, str] | None = None,
                 index: str | None = None) -> Path:
    """The report page at `path`; `warnings`: the data warnings of the load it was drawn from, listed at its end
    (the first SHOWN_WARNINGS) with a note at its top; `views`: finding id -> the link of a view written of it
    (its top findings link there, the others to the overview; with `mask`, every one to the overview, which is
    drawn masked); `index`: the link of the run's index page written beside it, shown above its title."""
    path = Path(path)
    told = warning_texts(warnings or [], lang, mask)
    findings = result.findings
    if mask:
        from ..privacy import mask_value

        findings = [mask_value(f) for f in findings]
        ranks = {k: v.map(mask_value) for k, v in ranks.items()}
    titles = {run.rule.id: run.rule.title(lang) for run in result.runs}

    def s(key: str, **kw: Any) -> str:
        return _e(say(key, lang, **kw))

    page = f"""<!DOCTYPE html>
<html lang="{'zh-CN' if lang == 'zh' else 'en'}"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>{s('report_title')}</title>
<style>
body {{ font-family: {CJK_FONTS}; margin: 24px; color: #222; }}
table {{ border-collapse: collapse; margin: 8px 0 24px; }}
th, td {{ border: 1px solid #ddd; padding: 4px 8px; vertical-align: top; font-size: 13px; unicode-bidi: isolate; }}
th {{ background: #f6f8fa; white-space: nowrap; }} td.num {{ text-align: right; }}
.sev-high {{ color: #c00; font-weight: bold; }} .sev-medium {{ color: #b36b00; }} .sev-low {{ color: #3a7d3a; }}
.note {{ background: #fff8e1; border: 1px solid #f0d98c; padding: 8px; }}
svg text {{ font-family: {CJK_FONTS}; fill: #333; }}
svg {{ max-width: 100%; height: auto; }}
/* a phone: a table scrolls inside its box, its columns keeping a readable width */
@media (max-width: 640px) {{ body {{ margin: 10px; }} table {{ display: block; overflow-x: auto; max-width: 100%; }}
  td {{ min-width: 4em; }} td:not(.num) {{ min-width: 10em; }} }}
</style></head><body>
{nav([(index, "nav_index")] if index else [], lang)}
<h1>{s('report_title')}</h1>
<p class="note">{_e(disclaimer(lang))}</p>
{warned_note(len(told), lang)}
<p>{s('as_of', date=result.as_of or '')} · {s('n_findings', n=len(findings))} ·
<a href="{_e(overview)}">{s('open_overview')}</a></p>
<h2>{s('per_rule')}</h2>
{_counts(result, lang)}
<h2>{s('over_time')}</h2>
{years_chart(findings, lang)}
<h2>{s('ranked_officials')}</h2>
{_table(ranks.get("officials"), ["rank", "official_id", "official_name", "findings", "high", "combined_score",
                                  "total_amount", "companies"], 50, lang, titles, link=overview)}
<h2>{s('ranked_companies')}</h2>
{_table(ranks.get("companies"), ["rank", "org_id", "org_name", "officials", "findings", "rules", "combined_score"], 30,
        lang, titles)}
<h2>{s('ranked_agencies')}</h2>
{_table(ranks.get("agencies"), ["rank", "agency_id", "agency_name", "findings", "officials", "officials_flagged",
                                "index_per_10_officials"], 30, lang, titles)}
<h2>{s('top_findings')}</h2>
{_top(findings, titles, overview, lang, {} if mask else dict(views or {}))}
{warnings_list(told[:SHOWN_WARNINGS], len(told), lang) if told else ""}
</body></html>
"""
    return write_text(path, page)  # whole or not at all (govties.files)
