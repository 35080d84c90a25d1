"""The report's bar chart of findings per year, as inline SVG: every year from the first to the last (a year with
no findings is a zero), each bar's count drawn above it and inside the chart."""

from __future__ import annotations

import html
from collections import Counter
from typing import Any

from .words import say

HEIGHT = 180  # the bars' area
TOP = 18  # room above the tallest bar for its count
AXIS = 44  # room below the bars for the years
LEFT = 10


def years_chart(findings: list[dict[str, Any]], lang: str) -> str:
    counts = Counter((f.get("first_date") or "")[:4] for f in findings if f.get("first_date"))
    counts = Counter({y: n for y, n in counts.items() if y.isdigit()})
    if not counts:
        return f"<p>{html.escape(say('no_dated', lang))}</p>"
    first, last = int(min(counts)), int(max(counts))
    years = [str(y) for y in range(first, last + 1)]
    top = max(counts.values())
    step = 40.0 if len(years) <= 22 else max(14.0, 880.0 / len(years))
    bar = step * 0.7
    width = int(LEFT * 2 + step * len(years))
    rotate = step < 36
    label = html.escape(say("per_year", lang))
    parts = [(f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{TOP + HEIGHT + AXIS}" '
              f'viewBox="0 0 {width} {TOP + HEIGHT + AXIS}" role="img" aria-label="{label}">'),
             f'<line x1="{LEFT}" y1="{TOP + HEIGHT}" x2="{width - LEFT}" y2="{TOP + HEIGHT}" stroke="#999"/>']
    for i, y in enumerate(years):
        n = counts.get(y, 0)
        h = round(HEIGHT * n / top, 1)
        x = LEFT + i * step + (step - bar) / 2
        mid = x + bar / 2
        base = TOP + HEIGHT
        parts.append(f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{bar:.1f}" height="{h}" fill="#1f77b4">'
                     f"<title>{y}: {n}</title></rect>")
        parts.append(f'<text class="count" x="{mid:.1f}" y="{base - h - 4:.1f}" font-size="10" '
                     f'text-anchor="middle">{n}</text>')
        if rotate:
            parts.append(f'<text class="year" x="{mid:.1f}" y="{base + 12}" font-size="10" text-anchor="end" '
                         f'transform="rotate(-60 {mid:.1f} {base + 12})">{y}</text>')
        else:
            parts.append(f'<text class="year" x="{mid:.1f}" y="{base + 14}" font-size="11" '
                         f'text-anchor="middle">{y}</text>')
    parts.append("</svg>")
    return "".join(parts)
