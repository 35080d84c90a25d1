"""One self-contained HTML page per view: vis-network (bundled with pyvis) inlined, the data as JSON, no CDN,
no web fonts, nothing fetched. Every string from the data reaches the page as JSON and is shown with
textContent, never innerHTML."""

from __future__ import annotations

import html
import json
import re
from importlib import resources
from pathlib import Path
from typing import Any


from ..files import write_text
from ..graph.vocabulary import DISCLAIMER
from .style import CATEGORIES, CJK_FONTS, LEVELS, category, edge_label, tooltip
from .subgraph import ViewGraph

VIS_VERSION = "vis-9.1.2"


def _asset(name: str) -> str:
    """vis-network's script and style as shipped inside the pyvis package (no download)."""
    try:
        base = resources.files("pyvis") / "lib" / VIS_VERSION
        return (base / name).read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError) as exc:  # pragma: no cover
        raise RuntimeError("the HTML views need pyvis (it ships vis-network): pip install pyvis") from exc


def safe_json(data: Any) -> str:
    """JSON that cannot end a <script> element or open a comment."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                    ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text


def view_data(view: ViewGraph, lang: str) -> dict[str, Any]:
    from pyvis.network import Network

    g = view.graph
    officials = {n for n, d in g.nodes(data=True) if d.get("official") or d.get("role") == "official"}
    relatives = {v for u, v, d in g.edges(data=True) if d.get("type") == "RELATIVE_OF" and u in officials}
    relatives |= {u for u, v, d in g.edges(data=True) if d.get("type") == "RELATIVE_OF" and v in officials}
    net = Network(directed=True)
    for n, d in g.nodes(data=True):
        cat = category(d, relatives - officials, n)
        colour, shape, _, _ = CATEGORIES[cat]
        name = d.get("name") or n
        net.add_node(n, label=name if len(name) <= 24 else name[:23] + "…", color=colour, shape=shape,
                     level=LEVELS[cat], title=tooltip(n, d, cat), size=22 if cat == "official" else 16)
        net.nodes[-1]["search"] = f"{name} {n}".casefold()
        net.nodes[-1]["category"] = cat
    for u, v, key, d in g.edges(keys=True, data=True):
        net.add_edge(u, v, id=key, label=edge_label(d), title=f"{d.get('type')}: {edge_label(d)}", arrows="to")
    legend = [{"category": c, "color": col, "shape": shape, "label": zh if lang == "zh" else en}
              for c, (col, shape, en, zh) in CATEGORIES.items()]
    return {"nodes": net.nodes, "edges": net.edges, "findings": view.findings, "notes": view.notes,
            "legend": legend, "layout": view.layout, "fonts": CJK_FONTS, "lang": lang}


def mask_data(data: dict[str, Any]) -> dict[str, Any]:
    """The same view with resident IDs and phones masked in every text shown (ids stay consistent)."""
    from ..privacy import mask_value

    out = dict(data)
    for key in ("nodes", "edges", "findings", "notes"):
        out[key] = mask_value(data[key])
    return out


def render(view: ViewGraph, path: str | Path, lang: str = "zh", title: str = "govties", mask: bool = False) -> Path:
    path = Path(path)
    data = view_data(view, lang)
    if mask:
        data = mask_data(data)
    values = {
        "TITLE": html.escape(title),
        "LANG": "zh" if lang == "zh" else "en",
        "FONTS": CJK_FONTS,
        "VIS_CSS": _asset("vis-network.css"),
        "VIS_JS": _asset("vis-network.min.js"),
        "DATA": safe_json(data),
        "APP_JS": (Path(__file__).parent / "app.js").read_text(encoding="utf-8"),
        "DISCLAIMER": html.escape(DISCLAIMER["zh"] + " " + DISCLAIMER["en"]),
    }
    page = re.sub(r"@@([A-Z_]+)@@", lambda m: values[m.group(1)], TEMPLATE)  # one pass: data is never re-read
    return write_text(path, page)  # whole or not at all (govties.files)


TEMPLATE = """<!DOCTYPE html>
<html lang="@@LANG@@">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy"
      content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; font-src 'none'; connect-src 'none'">
<title>@@TITLE@@</title>
<style>@@VIS_CSS@@</style>
<style>
  html, body { margin: 0; height: 100%; font-family: @@FONTS@@; font-size: 14px; color: #222; }
  #app { display: flex; height: 100%; }
  #side { width: 340px; border-right: 1px solid #ddd; display: flex; flex-direction: column; }
  #side header { padding: 8px 10px; border-bottom: 1px solid #eee; }
  #side h1 { font-size: 16px; margin: 0 0 6px 0; }
  #search { width: 100%; box-sizing: border-box; padding: 4px; }
  #filters { padding: 6px 10px; border-bottom: 1px solid #eee; font-size: 12px; }
  #filters label { margin-right: 8px; white-space: nowrap; }
  #findings { overflow-y: auto; flex: 1; margin: 0; padding: 0; list-style: none; }
  #findings li { padding: 6px 10px; border-bottom: 1px solid #f0f0f0; cursor: pointer; }
  #findings li:hover { background: #f6f8fa; }
  #findings li.active { background: #fff3cd; }
  .sev { font-weight: bold; margin-right: 4px; }
  .sev-high { color: #c00; } .sev-medium { color: #d58512; } .sev-low { color: #5a5; }
  #main { flex: 1; position: relative; }
  #graph { position: absolute; inset: 0; }
  #legend { position: absolute; left: 8px; bottom: 8px; background: rgba(255,255,255,.92); border: 1px solid #ddd;
            padding: 6px 8px; font-size: 12px; }
  #legend span.swatch { display: inline-block; width: 10px; height: 10px; margin-right: 4px; }
  #notes { position: absolute; right: 8px; top: 8px; max-width: 45%; background: #fff8e1; border: 1px solid #f0d98c;
           padding: 6px 8px; font-size: 12px; display: none; }
  footer { padding: 6px 10px; font-size: 11px; color: #666; border-top: 1px solid #eee; }
</style>
</head>
<body>
<div id="app">
  <div id="side">
    <header><h1>@@TITLE@@</h1><input id="search" type="search" placeholder="搜索姓名或编号 / search name or id"></header>
    <div id="filters"><div id="rule-filters"></div><div id="severity-filters"></div></div>
    <ul id="findings"></ul>
    <footer>@@DISCLAIMER@@</footer>
  </div>
  <div id="main"><div id="graph"></div><div id="legend"></div><div id="notes"></div></div>
</div>
<script type="application/json" id="govties-data">@@DATA@@</script>
<script>@@VIS_JS@@</script>
<script>@@APP_JS@@</script>
</body>
</html>
"""
