"""What a front end (the workbench, or any page of one's own) shows beside a graph's own views: the vocabularies
and their words in each language, a finding's evidence as the data the static views draw, the node categories
with their colours and shapes, the width of a label, the vendored vis-network, JSON that is safe inside a <script>
element, dates in every form the data accepts, and what changed in a finding's evidence.

    import govties.api as gt

    with gt.open_graph(store="graph.duckdb") as g:
        row = g.workspace().finding(finding_id)            # a recorded finding
        view = gt.finding_view(g, row, gt.rules().values())
        data = gt.view_data(view, "en")                    # nodes, links, layers and legend, as the views draw them
        gt.EDGE_TYPE.label("RELATIVE_OF", "zh")            # a vocabulary's word: 亲属
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ..graph.vocabulary import (ALL as VOCABULARIES, COLON, DISCLAIMER, EDGE_TYPE, LANGS, ORG_KIND, counted, filled,
                                match_reason)
from ..graph.model import stored_counts
from ..graph.regions import region_label, region_name
from ..loaders.values import parse_amount, parse_date
from ..loaders.triage import shown_time
from ..rules.aggregate import ranked_region_name
from ..rules.tracking import evidence_changes
from ..titles import NO_REGION
from ..titles import title as column_title
from ..visualize.draw import view_data
from ..visualize.page import safe_json, vendored
from ..visualize.style import CATEGORIES, CJK_FONTS, category, category_label, edge_word, node_name, text_width
from ..visualize.subgraph import ViewGraph

if TYPE_CHECKING:
    from .graph import Graph


def finding_view(graph: Graph, finding: Mapping[str, Any], rules: Iterable[Any]) -> ViewGraph:
    """One finding's evidence path laid out left to right in layers, as `Graph.finding` draws a swept one, from a
    finding's row (a recorded finding, or a row of a findings table: finding_id, rule, evidence ...); `rules` (the
    catalog's Rule objects) name the rule and its terms."""
    from ..visualize.views import finding as drawn

    return drawn(graph.backend, [dict(finding)], finding["finding_id"], rules)


def read_date(text: str) -> str | None:
    """A date in any form the data accepts (2021-03-05, 2021-3-5, 2021/3/5, 2021.3.5, 20210305, 2021年3月5日) as
    YYYY-MM-DD; None when the text is not one."""
    return parse_date(text)


def read_amount(text: str) -> float | None:
    """An amount in yuan in any form the data accepts (1500000, 1,500,000.00, ¥1500, 1500元, 120万, 1.2亿); None
    when the text is not one."""
    return parse_amount(text)


# view_data(view, lang, fold=False, mask=False): a view as the data the static pages draw (nodes, links, layers,
# legend); with mask, no birth date in its tooltips
# category(node, relatives, node_id), category_label(cat, lang), CATEGORIES (cat -> colour, shape): node kinds
# text_width(text, size): pixels a line takes; CJK_FONTS: the font chain the views draw in
# edge_word(edge_type, label, lang): what an edge is, as the views label it (a relation, a role, 作出机关 ...)
# node_name(node, node_id, lang): a node as a sentence or table names it (a name; a decision: 补贴 XD9001)
# safe_json(data): JSON that cannot end a <script> element; vendored(name): vis-network's script or style sheet
# evidence_changes(then, now): what changed between two sets of a finding's evidence facts
# VOCABULARIES (name -> vocabulary), EDGE_TYPE, ORG_KIND, DISCLAIMER and COLON (lang -> text), LANGS: words in
# each language
# shown_time(at): a recorded time as people read it, the date and minutes, UTC (as a triage file's `when`)
# match_reason(code, lang, noted=True): why two people are listed as possibly one (a recorded match's reason)
# region_name(code): a GB/T 2260 division code's name (3301 杭州市, 330102 杭州市上城区), None when not known;
# region_label(code): the code and its name as pages show it (3301 杭州市)
# NO_REGION: a ranked table's region for the findings of agencies that record none; ranked_region(code, lang) above
# column_title(column, lang): a table column's title as the files write it (index_per_10_officials: 每十名公职人员指数)


def ranked_region(code: str, lang: str) -> str:
    """A ranked table's region as pages show it: the code and its name (3301 杭州市); for a province's code (33),
    saying the row holds its province-level agencies alone, not its cities' (33 浙江省（省级机关）) — a region is an
    agency's code to the prefecture, and a provincial department's stops at the province; for the findings of
    agencies that record no region (NO_REGION), words saying so (未登记地区)."""
    name = ranked_region_name(code, lang)  # 未登记地区 for NO_REGION: words alone, no code before them
    return name if code == NO_REGION else f"{code} {name}" if name else code


# stored_counts(counts): a graph's or a load's tables as a summary says them (433 people, 911 organizations ...)
# counted(text, n): an English "(s)" made singular or plural for a count; filled(template, **values): the values
# in, each noun after a count placeholder made so for the count it reads
__all__ = ["CATEGORIES", "CJK_FONTS", "COLON", "DISCLAIMER", "EDGE_TYPE", "LANGS", "ORG_KIND", "VOCABULARIES",
           "column_title", "category", "counted", "filled", "category_label", "edge_word", "evidence_changes",
           "finding_view", "match_reason", "node_name", "read_amount", "read_date", "NO_REGION", "ranked_region",
           "region_label", "region_name", "safe_json", "shown_time", "stored_counts", "text_width", "vendored",
           "view_data"]
