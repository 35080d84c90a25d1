"""One self-contained HTML page per view: vis-network (vendored in visualize/vendor) inlined, the data as JSON, no
CDN, no web fonts, nothing fetched. Every string from the data reaches the page as JSON and is shown with
textContent, never innerHTML."""

from __future__ import annotations


import html
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..files import write_text
from .draw import view_data
from .style import CJK_FONTS
from .subgraph import ViewGraph
from .words import disclaimer, say, shown

HERE = Path(__file__).parent
VENDOR = HERE / "vendor"
VIS_VERSION = "9.1.2"
# in this order: the graph, the side list, folding, where edge labels go, where node labels go, how much is in view
SCRIPTS = ("app_graph.js", "app_list.js", "app_fold.js", "app_labels.js", "app_node_labels.js", "app_extent.js")


def vendored(name: str) -> str:
    """A vendored vis-network file, without its pointer to a source map (nothing else is ever looked up)."""
    text = (VENDOR / name).read_text(encoding="utf-8")
    return re.sub(r"\n//# sourceMappingURL=\S+\s*$", "\n", text)


def safe_json(data: Any) -> str:
    """JSON that cannot end a <script> element or open a comment."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                    ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text


def mask_data(data: dict[str, Any]) -> dict[str, Any]:
    """The same view with resident IDs and phones masked in everything the page holds. Masking keeps ids
    consistent (the same id masks the same way everywhere); two node ids that would mask alike get a keyed
    suffix first, so that two people never become one node."""
    from ..privacy import keyed_id, mask_key, mask_text, mask_value

    ids = [n["id"] for n in data.get("nodes", []) if isinstance(n.get("id"), str)]
    masked: dict[str, set[str]] = {}
    for i in ids:
        masked.setdefault(mask_text(i), set()).add(i)
    clashing = sorted((i for same in masked.values() if len(same) > 1 for i in same if mask_text(i) != i),
                      key=len, reverse=True)
    if clashing:
        key = mask_key()
        apart = {i: f"{mask_text(i)}~{keyed_id(i, key, 6)}" for i in clashing}

        def part(value: Any) -> Any:
            if isinstance(value, str):
                for old, new in apart.items():
                    value = value.replace(old, new)
                return value
            if isinstance(value, list):
                return [part(v) for v in value]
            if isinstance(value, dict):
                return {part(k): part(v) for k, v in value.items()}
            return value

        data = part(data)
    return mask_value(data)


def page_title(view: ViewGraph, lang: str) -> str:
    if view.kind in ("finding", "around", "paths"):
        return say(f"title_{view.kind}", lang, subject=shown(view.title))
    return say("title_overview", lang)


def nav(links: Sequence[tuple[str, str]], lang: str) -> str:
    """The line of links back to the pages a run wrote beside this one: (href, word key) pairs, e.g.
    ("../index.html", "nav_index"); empty when there are none."""
    if not links:
        return ""
    parts = " · ".join(f'<a href="{html.escape(href)}">{html.escape(say(key, lang))}</a>' for href, key in links)
    return f'<nav id="nav">{parts}</nav>'


def render(view: ViewGraph, path: str | Path, lang: str = "zh", title: str | None = None, mask: bool = False,
           fold: bool = False, links: Sequence[tuple[str, str]] = ()) -> Path:
    """The view as one self-contained page at `path`; `links`: (href, word key) pairs to the pages written beside
    it (the run's index, the report, the overview), shown above its title."""
    path = Path(path)
    data = view_data(view, lang, fold=fold, mask=mask)
    if mask:
        data = mask_data(data)
    heading = title or page_title(view, lang)
    if mask:
        from ..privacy import mask_text

        heading = mask_text(heading)
    values = {
        "TITLE": html.escape(heading),
        "LANG": "zh-CN" if lang == "zh" else "en",
        "FONTS": CJK_FONTS,
        "VIS_CSS": vendored("vis-network.css"),
        "VIS_JS": vendored("vis-network.min.js"),
        "DATA": safe_json(data),
        "APP_JS": "\n".join((HERE / s).read_text(encoding="utf-8") for s in SCRIPTS),
        "DISCLAIMER": html.escape(disclaimer(lang)),
        "SEARCH": html.escape(say("search", lang)),
        "NAV": nav(links, lang),
    }
    page = re.sub(r"@@([A-Z_]+)@@", lambda m: values[m.group(1)], TEMPLATE)  # one pass: data is never re-read
    return write_text(path, page)  # whole or not at all (govties.files)


TEMPLATE = """<!DOCTYPE html>
<html lang="@@LANG@@">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy"
      content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; \
font-src 'none'; connect-src 'none'">
<title>@@TITLE@@</title>
<style>@@VIS_CSS@@</style>
<style>
  html, body { margin: 0; height: 100%; font-family: @@FONTS@@; font-size: 14px; color: #222; }
  #app { display: flex; height: 100%; }
  #side { width: clamp(300px, 24vw, 360px); flex: none; border-right: 1px solid #ddd; display: flex;
          flex-direction: column; overflow-y: auto; }
  #side header { padding: 8px 10px; border-bottom: 1px solid #eee; }
  #nav { font-size: 12px; margin: 0 0 4px 0; }
  #side h1 { font-size: 15px; margin: 0 0 6px 0; overflow-wrap: anywhere; }
  #side h2 { font-size: 12px; margin: 4px 0 2px; color: #555; }
  #search { width: 100%; box-sizing: border-box; padding: 4px; }
  #filters { padding: 4px 10px 6px; border-bottom: 1px solid #eee; font-size: 12px; line-height: 1.3; flex: none; }
  #filters label { display: flex; gap: 4px; align-items: baseline; overflow-wrap: anywhere; margin: 1px 0; }
  #filters input { flex: none; margin: 0; }
  #findings { overflow-y: auto; flex: 1 1 240px; min-height: 200px; margin: 0; padding: 0; list-style: none; }
  #findings li { padding: 6px 10px; border-bottom: 1px solid #f0f0f0; cursor: pointer; }
  #findings li:hover { background: #f6f8fa; }
  #findings li.active { background: #fff3cd; }
  #findings li .why { unicode-bidi: isolate; overflow-wrap: anywhere; }
  bdi, .data { unicode-bidi: isolate; }
  .sev { font-weight: bold; margin-right: 4px; }
  .sev-high { color: #c00; } .sev-medium { color: #b36b00; } .sev-low { color: #3a7d3a; }
  #main { flex: 1; position: relative; min-width: 0; }
  #graph { position: absolute; inset: 0; }
  #legend { position: absolute; left: 8px; bottom: 8px; background: rgba(255,255,255,.92); border: 1px solid #ddd;
            padding: 6px 8px; font-size: 12px; }
  #legend span.swatch { display: inline-block; width: 10px; height: 10px; margin-right: 4px; }
  #notes { position: absolute; right: 8px; top: 8px; max-width: 45%; background: #fff8e1; border: 1px solid #f0d98c;
           padding: 6px 8px; font-size: 12px; display: none; }
  #extent { position: absolute; left: 8px; top: 8px; max-width: 45%; background: rgba(255,255,255,.94);
            border: 1px solid #ccc; padding: 4px 6px; font-size: 12px; display: flex; flex-wrap: wrap; gap: 4px 8px;
            align-items: center; }
  #extent[hidden] { display: none; }
  #extent button { font: inherit; padding: 1px 6px; }
  footer { padding: 6px 10px; font-size: 11px; color: #666; border-top: 1px solid #eee; }
  div.vis-tooltip { font-family: @@FONTS@@; font-size: 12px; line-height: 1.45; max-width: 520px; }
  /* a phone: the list above the graph, each half the screen (beside it, the graph had 80 px) */
  @media (max-width: 640px) {
    #app { flex-direction: column; }
    #side { width: auto; height: 45%; border-right: none; border-bottom: 1px solid #ddd; }
    #main { flex: 1 1 0; min-height: 0; }
    #notes, #extent { max-width: 80%; }
  }
</style>
</head>
<body>
<div id="app">
  <div id="side">
    <header>@@NAV@@<h1>@@TITLE@@</h1><input id="search" type="search" placeholder="@@SEARCH@@"></header>
    <div id="filters"><div id="fold-toggle"></div><div id="rule-filters"></div><div id="severity-filters"></div></div>
    <h2 id="findings-heading" style="padding: 0 10px"></h2>
    <ul id="findings"></ul>
    <footer>@@DISCLAIMER@@</footer>
  </div>
  <div id="main"><div id="graph"></div><div id="legend"></div><div id="notes"></div>
    <div id="extent" hidden></div></div>
</div>
<script type="application/json" id="govties-data">@@DATA@@</script>
<script>@@VIS_JS@@</script>
<script>@@APP_JS@@</script>
</body>
</html>
"""
