"""Pages from Jinja2 templates: autoescape on (every value is HTML-escaped), a strict undefined (a template that
names a missing value fails instead of showing nothing), UI words in the page's language, and with --mask every
value printed passes through the masking of resident IDs and phone numbers. Data for scripts goes into a
<script type="application/json"> block through api.safe_json (it cannot end the element)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from ..privacy import keyed_id, mask_value
from ..api import DISCLAIMER, ranked_region, region_label, rules as catalog, safe_json
from ..api.casework import MAX_TITLE
from . import words
from .clock import offset_at, shown_in, zone_label

TEMPLATES = Path(__file__).resolve().parent / "templates"


def listed(names: list[str], lang: str) -> str:
    """Names as a list is read: 甲、乙和丙 / A, B and C."""
    if len(names) < 2:
        return "".join(names)
    return words.word("list_sep", lang).join(names[:-1]) + words.word("list_and", lang) + names[-1]


def money(value: Any) -> str:
    if value is None or value == "":
        return ""
    try:
        return f"{float(value):,.0f}"
    except (TypeError, ValueError):
        return str(value)


def amount_typed(value: float | None) -> str:
    """An amount filter shown back in its box, read again as it was: 1,000,000; 0.5 (a part of a yuan kept)."""
    if value is None:
        return ""
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}".rstrip("0").rstrip(".")


def index(value: Any) -> str:
    """An evaluation index (or its change) as shown: rounded as the ranked tables and the report round it, to two
    decimals at most, trailing zeros dropped (96.67, 19.7, 50), thousands grouped (1,234.56); a value too small for
    two decimals as <0.01 (or >-0.01), never as a 0 it is not."""
    if value is None or value == "":
        return ""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if number != number:  # NaN: nothing to show
        return ""
    text = f"{number:,.2f}".rstrip("0").removesuffix(".")
    if text in ("0", "-0") and number != 0:
        return "<0.01" if number > 0 else ">-0.01"
    return "0" if text == "-0" else text


def change(value: Any) -> str:
    """A change of an index as shown: as index() writes it, with its sign (+6.7 worse beside -15 improved)."""
    text = index(value)
    return "+" + text if text and text[0].isdigit() and float(value) > 0 else text


def from_json(text: Any) -> dict[str, Any]:
    """An event's structured value (a case's creation: title, kind, basis); {} when it is not JSON."""
    import json

    try:
        value = json.loads(text) if isinstance(text, str) else None
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def environment(mask: bool, keys: Any = None, zone: dt.tzinfo = dt.UTC) -> Environment:
    """With `mask`, every value printed is masked; with `keys` (masking.FindingKeys) its finding ids keyed; times
    (the `when` filter) shown in `zone`."""
    def finalize(value: Any) -> Any:
        if value is None:
            return ""
        if mask and isinstance(value, str) and not isinstance(value, Markup):
            return keys.shown(value) if keys is not None else mask_value(value)
        return value

    # auto_reload off: each template is read from disk once per process, not checked again on every request
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(default=True),
                      undefined=StrictUndefined, finalize=finalize, trim_blocks=True, lstrip_blocks=True,
                      auto_reload=False)
    env.filters["money"] = money
    env.filters["amount_typed"] = amount_typed
    env.filters["when"] = lambda value: shown_in(str(value or ""), zone)  # a recorded time: 2026-12-01 18:18
    env.filters["offset"] = lambda value: offset_at(str(value or ""), zone)  # the offset it is shown in: UTC+08:00
    env.filters["index"] = index
    env.filters["change"] = change
    env.filters["region"] = region_label  # a division code and its name (3301 杭州市)
    env.globals["ranked_region"] = ranked_region  # a ranked table's region, 未登记地区 where none is recorded
    env.globals["max_title"] = MAX_TITLE  # a case title's characters at most (its boxes' maxlength)
    env.filters["from_json"] = from_json
    # an entity id from the graph as pages link it (under --mask: its identifiers masked with their keyed tags)
    env.filters["eid"] = keys.entity_shown if keys is not None else (lambda v: v)
    env.filters["epath"] = lambda v: entity_path(env.filters["eid"](v))  # the same, as a part of an address
    # an evidence fingerprint (a hash of evidence in which identifiers appear whole): keyed under --mask
    env.filters["fingerprint"] = (lambda v: keyed_id(v, keys.key) if v else v) if mask and keys is not None else (
        lambda v: v)
    return env


def entity_path(shown: Any) -> str:
    """An entity id as one part of an address: percent-encoded, so that an id holding / ? # % or a space names its
    page (a masked identifier's * ( ) + are kept as they read)."""
    return quote(str(shown), safe="*()+")


class Renderer:
    def __init__(self, mask: bool, keys: Any = None, zone: dt.tzinfo = dt.UTC):
        self.mask = mask
        self.keys = keys
        self.zone = zone
        self.env = environment(mask, keys, zone)
        self.rules = catalog()

    def when(self, value: Any) -> str:
        """A recorded time (ISO text, UTC) as pages show it: its date and minutes in the workbench's zone."""
        return self.env.filters["when"](value)

    def json_block(self, element_id: str, data: Any) -> Markup:
        """Data for a page's script: masked like the page, serialized so that it cannot leave its element."""
        if self.keys is not None:
            data = self.keys.shown(data, tag=True)
        elif self.mask:
            data = mask_value(data)
        return Markup(f'<script type="application/json" id="{element_id}">{safe_json(data)}</script>')

    def page(self, name: str, *, lang: str, context: dict[str, Any]) -> str:
        rules = self.rules

        def t(key: str, **values: Any) -> str:
            return words.word(key, lang, **values)

        def rule_title(rule_id: str) -> str:
            rule = rules.get(rule_id)
            return rule.title(lang) if rule else rule_id

        def href(path: str, **params: Any) -> str:
            pairs = [(k, v) for k, v in params.items() if v not in (None, "", [], False)]
            flat = [(k, x) for k, v in pairs for x in (v if isinstance(v, (list, tuple)) else [v])]
            return path + ("?" + urlencode(flat) if flat else "")

        values = {"t": t, "term": lambda vocab, v: words.term(vocab, v, lang),
                  "edge_word": lambda typ, label: words.edge_word(typ, label, lang),
                  "match_reason": lambda code: words.match_reason(code, lang), "org_kind":
                  lambda v: words.org_kind(v, lang), "rule_title": rule_title, "href": href, "lang": lang,
                  "other_lang": "en" if lang == "zh" else "zh", "disclaimer": DISCLAIMER[lang],
                  "colon": words.word("colon", lang), "basis_items": basis_items,
                  "mask": self.mask, "zone": zone_label(self.zone, lang), "json_block": self.json_block, "rules": rules,
                  "record_source": record_source}
        return self.env.get_template(name).render({**values, **context})


def basis_items(text: str | None) -> list[str]:
    """A rule's basis (rule.toml's wrapped text) as its items, each a paragraph: an item begins at a line that
    cites a law (begins with 《) or after a line that ends a sentence (。 or .); the lines of an item are joined,
    Chinese without a space, English (a line ending and the next beginning in Latin letters, digits or
    punctuation) with one."""
    items: list[str] = []
    for line in (x.strip() for x in (text or "").splitlines()):
        if not line:
            continue
        if items and not line.startswith("《") and not items[-1].endswith(("。", ".")):
            last = items[-1]
            items[-1] = last + (" " if last[-1].isascii() and line[0].isascii() else "") + line
        else:
            items.append(line)
    return items


def record_source(record: dict[str, Any]) -> str:
    """Where a source record was read, as a reader tells loads apart: the load's folder and the file
    (month2/decisions.csv), or the file alone when its load was a workbook or is unknown."""
    dataset, file = str(record.get("dataset") or ""), str(record.get("file") or "")
    folder = Path(dataset).name if dataset and not dataset.lower().endswith(".xlsx") else ""
    return f"{folder}/{file}" if folder and file and "/" not in file else file


__all__ = ["Renderer", "money", "index", "change", "record_source", "basis_items"]
