"""What changed in a finding's evidence, and a diff's changes, in a language's words: the workbench's page of a
finding and a diff file under Chinese titles say them alike.

    import govties.api as gt

    result = gt.compare("january.xlsx", "february.xlsx")
    table = gt.worded_diff(result, "zh")        # the changes column in Chinese: 单位名称：甲 → 乙；证据：…
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pandas as pd

from ..graph.vocabulary import COLON, EDGE_TYPE
from ..rules.tracking import ARROW, Diff
from ..titles import COLUMNS, EVIDENCE_CHANGE
from ..visualize.style import edge_word
from ..visualize.words import UI, say

#: an evidence change's item naming a relationship, as rules.tracking writes it: TYPE src→dst (label)
EDGE_ITEM = re.compile(r"^(?P<type>[A-Z_]+) (?P<src>.+?)→(?P<dst>.+?)(?: \((?P<label>.*)\))?$")
#: a list's separator, and the words for the nodes an evidence gained and lost, in each language
_SEP = {"zh": "；", "en": "; "}
_NODES = {"zh": "增加{added}个节点，删除{removed}个", "en": "{added} node(s) added, {removed} removed"}


def worded_change(change: Mapping[str, Any], lang: str, names: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """An evidence change (rules.tracking.evidence_changes: what, item, old, new) in `lang`'s words: a
    relationship as the names at its ends (`names`: id -> name; an id without one as it is), then its kind and
    label (王建国 → D2（参与决定，审批人）); "present" as a word."""
    names = names or {}
    item = change["item"]
    edge = EDGE_ITEM.match(item) if change["what"] == "edge" else None
    if edge:
        src, dst, label = edge["src"], edge["dst"], edge["label"]
        kind = EDGE_TYPE.label(edge["type"], lang)  # within the parentheses: as sentences write it
        shared = edge["type"] in ("SHARES_ADDRESS", "SHARES_PHONE")  # its label is the value shared
        said = (label if shared else edge_word(edge["type"], label, lang)) if label else ""
        what = kind + (("，" if lang == "zh" else ", ") + said if said and said.lower() != kind.lower() else "")
        item = f"{names.get(src) or src} {ARROW} {names.get(dst) or dst}" + (
            f"（{what}）" if lang == "zh" else f" ({what})")

    def value(v: Any) -> Any:
        return EVIDENCE_CHANGE.label("present", lang) if v == "present" else v

    return {**change, "item": item, "old": value(change["old"]), "new": value(change["new"])}


def worded_diff(result: Diff, lang: str) -> pd.DataFrame:
    """The diff's table with its `changes` column in `lang`'s words (field titles, relationships and values as
    worded_change says them); the other columns as they are (a writer under titles words them)."""
    table = result.table.copy()
    if not len(table):
        return table
    table["changes"] = [_SEP["zh" if lang == "zh" else "en"].join(_worded(c, lang) for c in result.details[fid])
                        if fid in result.details else text
                        for fid, text in zip(table["finding_id"], table["changes"], strict=True)]
    return table


def _worded(change: Mapping[str, Any], lang: str) -> str:
    colon, sep = COLON["zh" if lang == "zh" else "en"], _SEP["zh" if lang == "zh" else "en"]
    title = COLUMNS.label(change["field"], lang)
    if change["field"] != "evidence":
        return f"{title}{colon}{change['old'] or '∅'} {ARROW} {change['new'] or '∅'}"
    if "changes" in change:
        parts = []
        for c in (worded_change(c, lang, change.get("names")) for c in change["changes"]):
            what = EVIDENCE_CHANGE.label(c["what"], lang)
            head = what if c["what"] in ("first_date", "last_date") else f"{what} {c['item']}"
            parts.append(f"{head}{colon}{c['old'] or '—'} {ARROW} {c['new'] or '—'}")
        return title + colon + sep.join(parts)
    if "nodes" in change:
        return title + colon + sep.join(f"{i} {say(k, lang) if k in UI else k}{colon}{a or '∅'} {ARROW} {b or '∅'}"
                                        for i, k, a, b in change["nodes"])
    added, removed = change["counts"]
    return title + colon + _NODES["zh" if lang == "zh" else "en"].format(added=added, removed=removed)


__all__ = ["worded_change", "worded_diff", "EDGE_ITEM"]
