"""The sweep report: one static, offline HTML page (no script): counts per rule and severity, findings over
time, the ranked officials, and links into the overview view. Every value from data is HTML-escaped."""

from __future__ import annotations

import html
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd

from .. import DISCLAIMER_EN, DISCLAIMER_ZH
from ..files import write_text
from .style import CJK_FONTS

SEVERITIES = ("high", "medium", "low")


def _e(value: Any) -> str:
    return html.escape("" if value is None or (isinstance(value, float) and value != value) else str(value))


def _counts(result) -> str:
    rows = []
    for run in result.runs:
        c = Counter(f["severity"] for f in run.findings)
        status = _e(run.reason) if run.status == "skipped" else ""
        rows.append(f"<tr><td>{_e(run.rule.id)}</td><td>{_e(run.rule.title(result.lang))}</td>"
                    + "".join(f"<td class=num>{c.get(s, 0)}</td>" for s in SEVERITIES)
                    + f"<td class=num>{len(run.findings)}</td><td>{status}</td></tr>")
    head = "".join(f"<th>{s}</th>" for s in SEVERITIES)
    return (f"<table><tr><th>rule</th><th>title</th>{head}<th>total</th><th>skipped</th></tr>"
            + "".join(rows) + "</table>")


def _timeline(findings: list[dict[str, Any]]) -> str:
    years = Counter((f.get("first_date") or "")[:4] for f in findings if f.get("first_date"))
    if not years:
        return "<p>no dated findings</p>"
    keys = sorted(years)
    top = max(years.values())
    width, height, bar = max(360, 40 * len(keys)), 180, 28
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height + 30}" role="img" '
             'aria-label="findings per year">']
    for i, y in enumerate(keys):
        h = int(height * years[y] / top)
        x = 10 + i * 40
        parts.append(f'<rect x="{x}" y="{height - h}" width="{bar}" height="{h}" fill="#1f77b4">'
                     f"<title>{_e(y)}: {years[y]}</title></rect>")
        parts.append(f'<text x="{x + bar / 2}" y="{height + 14}" font-size="11" text-anchor="middle">{_e(y)}</text>')
        parts.append(f'<text x="{x + bar / 2}" y="{height - h - 3}" font-size="10" text-anchor="middle">'
                     f"{years[y]}</text>")
    parts.append("</svg>")
    return "".join(parts)


def _table(df: pd.DataFrame, columns: list[str], limit: int, link: str | None = None) -> str:
    if df is None or df.empty:
        return "<p>none</p>"
    cols = [c for c in columns if c in df.columns]
    head = "".join(f"<th>{_e(c)}</th>" for c in cols)
    body = []
    for row in df.head(limit).itertuples(index=False):
        cells = []
        for c in cols:
            v = getattr(row, c) if c.isidentifier() else row[df.columns.get_loc(c)]
            cell = _e(v)
            if link and c == "official_id":
                cell = f'<a href="{_e(link)}#{_e(v)}">{cell}</a>'
            cells.append(f"<td>{cell}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><tr>{head}</tr>{''.join(body)}</table>"


def write_report(result, ranks: dict[str, pd.DataFrame], path: str | Path, overview: str, lang: str = "zh",
                 mask: bool = False) -> Path:
    path = Path(path)
    findings = result.findings
    if mask:
        from ..privacy import mask_value

        findings = [mask_value(f) for f in findings]
        ranks = {k: v.map(mask_value) for k, v in ranks.items()}
    top = [f for f in findings][:100]
    rows = "".join(
        f"<tr><td><a href=\"{_e(overview)}#{_e(f['finding_id'])}\">{_e(f['finding_id'])}</a></td>"
        f"<td>{_e(f['rule'])}</td><td class=\"sev-{_e(f['severity'])}\">{_e(f['severity'])}</td>"
        f"<td class=num>{_e(f['score'])}</td><td>{_e(f['explanation'])}</td></tr>" for f in top)
    disclaimer = DISCLAIMER_ZH + " " + DISCLAIMER_EN
    page = f"""<!DOCTYPE html>
<html lang="{'zh' if lang == 'zh' else 'en'}"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>govties report</title>
<style>
body {{ font-family: {CJK_FONTS}; margin: 24px; color: #222; }}
table {{ border-collapse: collapse; margin: 8px 0 24px; }}
th, td {{ border: 1px solid #ddd; padding: 4px 8px; vertical-align: top; font-size: 13px; }}
th {{ background: #f6f8fa; }} td.num {{ text-align: right; }}
.sev-high {{ color: #c00; font-weight: bold; }} .sev-medium {{ color: #d58512; }} .sev-low {{ color: #5a5; }}
.note {{ background: #fff8e1; border: 1px solid #f0d98c; padding: 8px; }}
</style></head><body>
<h1>govties sweep report</h1>
<p class="note">{_e(disclaimer)}</p>
<p>as of {_e(result.as_of)} · {len(findings)} findings · <a href="{_e(overview)}">open the network overview</a></p>
<h2>Findings per rule and severity</h2>
{_counts(result)}
<h2>Findings over time (by first date)</h2>
{_timeline(findings)}
<h2>Ranked officials</h2>
{_table(ranks.get("officials"), ["rank", "official_id", "official_name", "findings", "high", "combined_score",
                                  "total_amount", "companies"], 50, link=overview)}
<h2>Companies tied to several officials</h2>
{_table(ranks.get("companies"), ["rank", "org_id", "org_name", "officials", "findings", "rules", "combined_score"], 30)}
<h2>Agencies</h2>
{_table(ranks.get("agencies"), ["rank", "agency_id", "agency_name", "findings", "officials", "officials_flagged",
                                "index_per_10_officials"], 30)}
<h2>Top findings</h2>
<table><tr><th>finding</th><th>rule</th><th>severity</th><th>score</th><th>explanation</th></tr>{rows}</table>
</body></html>
"""
    return write_text(path, page)  # whole or not at all (govties.files)
