"""How nodes and edges look and read: colour and shape by category, labels and tooltips in the view's language,
and the size a label takes (for the layered layout)."""

from __future__ import annotations

import unicodedata
from typing import Any

from ..graph.regions import region_label
from ..graph.vocabulary import COLON, ORG_KIND
from .words import money, say, shown, term

CJK_FONTS = '"Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Micro Hei", sans-serif'
NODE_FONT, EDGE_FONT = 14, 12
# a label drawn this many px tall on screen (its font) is read at a glance: a view of more nodes than layers hold
# (LAYERED_UP_TO), which fitted whole would draw its labels smaller, opens at this size around its entity
READABLE_PX = 12
LAYERED_UP_TO = 60  # an overview or a neighbourhood of at most this many nodes is laid out in layers too; a bigger
# one settles by physics (as does a neighbourhood to be drawn folded: its decisions fold behind weighted edges)

# category: (colour, shape); organizations are categorised by their kind (every kind of ORG_KIND)
CATEGORIES: dict[str, tuple[str, str]] = {
    "official": ("#d62728", "dot"),
    "relative": ("#ff7f0e", "dot"),
    "person": ("#8c8c8c", "dot"),
    "company": ("#1f77b4", "box"),
    "agency": ("#2ca02c", "diamond"),
    "village": ("#8c564b", "triangleDown"),
    "institution": ("#17becf", "diamond"),
    "association": ("#e377c2", "square"),
    "other": ("#9467bd", "square"),
    "decision": ("#bcbd22", "triangle"),
}
assert set(ORG_KIND.ids) <= set(CATEGORIES), "every organization kind needs a colour and shape"
SIZE = {"official": 20, "relative": 16, "person": 14}  # radius of a shape drawn beside its label
ORDER = {c: i for i, c in enumerate(CATEGORIES)}  # who comes first in a layer


def category(node: dict[str, Any], relatives: set[str], node_id: str) -> str:
    """What a node is drawn as (a key of CATEGORIES): a decision, an organization's kind, an official, a relative
    (or the person in between), another person."""
    if node.get("type") == "decision":
        return "decision"
    if node.get("type") == "organization":
        kind = node.get("kind")
        return kind if isinstance(kind, str) and kind in ORG_KIND.ids else "other"
    if node.get("role") == "official" or node.get("official"):
        return "official"
    if node.get("role") == "via" or node_id in relatives:
        return "relative"
    return "person"


def category_label(cat: str, lang: str) -> str:
    """A category's word in `lang`, as the legend shows it."""
    return term("kind", cat, lang) if cat in ORG_KIND.ids else say(cat, lang)


def text_width(text: str, size: float) -> float:
    """Pixels a line takes in the CJK font chain (wide characters one em, others about 0.6 em)."""
    return sum(size if unicodedata.east_asian_width(ch) in "WF" else 0.6 * size for ch in text)


def wrap(text: str, width: float, size: float = NODE_FONT) -> list[str]:
    """Lines of at most `width` pixels: broken at spaces where there are any, else between characters; a last line
    of one Chinese character after a line ending in one takes that one along (有限公 / 司 reads 有限 / 公司)."""
    lines: list[str] = []
    for para in text.split("\n"):
        line, own = "", len(lines)
        for token in _tokens(para):
            if line and text_width(line + token, size) > width:
                lines.append(line.rstrip())
                line = token.lstrip()
            else:
                line += token
        lines.append(line.rstrip())
        last = lines[-1]
        if len(lines) - own > 1 and len(last) == 1 and _wide(last) and len(lines[-2]) > 1 and _wide(lines[-2][-1]):
            lines[-2:] = [lines[-2][:-1], lines[-2][-1] + last]
    return [ln for ln in lines if ln] or [""]


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


def _tokens(text: str) -> list[str]:
    out, word = [], ""
    for ch in text:
        if unicodedata.east_asian_width(ch) in "WF":
            if word:
                out.append(word)
                word = ""
            out.append(ch)
        elif ch == " ":
            out.append(word + " ")
            word = ""
        else:
            word += ch
    if word:
        out.append(word)
    return out


def box(label: str, shape: str, radius: float, size: float) -> tuple[float, float, float]:
    """The room vis-network gives a node with this label around its position: (width, above, below). A box or
    text holds its label; other shapes have their label below them."""
    lines = label.split("\n")
    text_w = max(text_width(ln, size) for ln in lines)
    if shape == "box":
        h = len(lines) * (size + 4) + 18
        return text_w + 26, h / 2, h / 2
    if shape == "text":
        h = len(lines) * (size + 5) + 2
        return text_w + 6, h / 2, h / 2
    below = radius + 4 + len(lines) * (size + 2) if label else radius
    return max(text_w, 2 * radius) + 4, radius, below


def node_name(d: dict[str, Any], node_id: str, lang: str) -> str:
    """A node as a sentence or a table names it in `lang`: a person's or organization's name, a decision's title
    or its kind's word and its id (补贴 XD9001), else the id."""
    if d.get("type") == "decision":
        title = (d.get("details") or {}).get("title")
        return title or f"{term('decision_kind', d.get('kind'), lang)} {node_id}".strip()
    return d.get("name") or node_id


def node_label(d: dict[str, Any], node_id: str, lang: str) -> str:
    info = d.get("details") or {}
    if d.get("type") == "decision":
        title = node_name(d, node_id, lang)
        facts = " · ".join(x for x in (info.get("date") or "", money(info.get("amount") or None, lang)) if x)
        return "\n".join(wrap(shown(title), 130) + ([facts] if facts else []))
    return "\n".join(wrap(shown(d.get("name") or node_id), 112))


def _dates(start: str | None, end: str | None, ranged: bool) -> str:
    if not (start or end):
        return ""
    return f"{start or '?'} – {end or ''}".rstrip() if ranged or end else start or ""


def edge_word(edge_type: str | None, label: str | None, lang: str) -> str:
    """What an edge is, as its label says it: a kinship's relation, a company role, a decision maker's role, a
    post's title, a won bid; else the edge's kind (受益 / benefits, 作出机关 / issued by, 同一地址 ...). A decision's
    edges carry its kind as their label, which its node shows: the edge says which end is which."""
    label = label or ""
    if edge_type == "RELATIVE_OF":
        return term("relation", label, lang)
    if edge_type == "HOLDS_ROLE" and label:
        return term("role", label, lang)
    if edge_type == "DECIDED" and label:
        return term("maker_role", label, lang)
    if edge_type == "HOLDS_POST" and label:
        return shown(label)
    if edge_type == "BID" and label == "won":
        return say("won", lang)
    return term("edge_type", edge_type, lang)


def edge_text(d: dict[str, Any], lang: str) -> tuple[str, str]:
    """(first line, dates) of an edge's label: what it is, and when."""
    t = d.get("type")
    if t == "DECISIONS":
        what = say("decisions_n", lang, n=d.get("weight", 1))
        if d.get("amount"):
            what += " · " + money(d["amount"], lang)
        return what, _dates(d.get("start"), d.get("end"), False)
    what = edge_word(t, d.get("label"), lang)
    if t == "HOLDS_ROLE" and d.get("share") not in (None, ""):
        what += f" {float(d['share']) * 100:.0f}%"
    if d.get("weight", 1) > 1:
        what += " " + say("times", lang, n=d["weight"])
    if t in ("BENEFITS", "ISSUED_BY", "BID", "DECIDED"):  # the decision node shows its date
        return what, ""
    ranged = t in ("HOLDS_POST", "HOLDS_ROLE", "RELATIVE_OF")
    return what, _dates(d.get("start"), d.get("end"), ranged and d.get("weight", 1) == 1)


def edge_label(d: dict[str, Any], lang: str) -> str:
    return "\n".join(x for x in edge_text(d, lang) if x)


def edge_tooltip(d: dict[str, Any], lang: str) -> str:
    what, _ = edge_text(d, lang)
    kind = what if d.get("type") == "DECISIONS" else term("edge_type", d.get("type"), lang)
    lines = [kind, what if what != kind else None, _line("rank", term("rank", d.get("rank"), lang), lang),
             _line("start", d.get("start"), lang), _line("end", d.get("end"), lang)]
    members = d.get("members") or []
    lines += ["· " + m for m in members[:12]]
    if len(members) > 12:
        lines.append(say("more", lang, n=len(members) - 12))
    return "\n".join(ln for ln in lines if ln)


def _line(key: str, value: Any, lang: str) -> str | None:
    if value in (None, "", []):
        return None
    if isinstance(value, list):
        value = ", ".join(shown(v) for v in value)
    return f"{say(key, lang)}{COLON[lang]}{shown(value)}"


def node_tooltip(node_id: str, d: dict[str, Any], cat: str, lang: str) -> str:
    info = d.get("details") or {}
    lines = [shown(d.get("name") or node_id), _line("id", node_id, lang),
             _line("type", category_label(cat, lang), lang)]
    if d.get("type") == "person":
        for key in ("birth_date", "gender", "id_number", "aliases"):
            lines.append(_line(key, info.get(key), lang))
        others = [s for s in info.get("source_ids") or [] if s != node_id]
        lines.append(_line("source_ids", others, lang))
        posts = info.get("posts") or []
        if posts:
            lines.append(say("posts", lang) + COLON[lang].rstrip())
        for p in posts[-6:]:
            when = _dates(p.get("start_date"), p.get("end_date"), True)
            why = term("end_reason", p.get("end_reason"), lang) if p.get("end_reason") else ""
            lines.append("· " + " · ".join(shown(x) for x in (p.get("title"), p.get("org_name") or p.get("org_id"),
                                                             term("rank", p.get("rank"), lang), when, why) if x))
    elif d.get("type") == "organization":
        for key in ("credit_code", "region", "industry", "address", "phone", "founded_on"):
            value = info.get(key)
            lines.append(_line(key, region_label(value) if key == "region" and value else value, lang))
    elif d.get("type") == "decision":
        lines.append(_line("kind", term("decision_kind", info.get("kind") or d.get("kind"), lang), lang))
        lines.append(_line("title", info.get("title"), lang))
        lines.append(_line("date", info.get("date"), lang))
        lines.append(_line("amount", money(info.get("amount"), lang), lang))
        lines.append(_line("agency", info.get("agency_name") or info.get("agency_id"), lang))
        lines.append(_line("beneficiary", info.get("beneficiary_name") or info.get("beneficiary_id"), lang))
        lines.append(_line("region", region_label(info.get("region")), lang))
    return "\n".join(ln for ln in lines if ln)
