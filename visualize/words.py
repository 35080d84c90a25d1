"""Every word the views and the report show, in English and Chinese. The data's vocabularies (severity, edge
types, organization kinds, relations, company roles, ranks, decision kinds, decision makers' roles) and the
disclaimer come from graph.vocabulary; this table holds only the pages' own words."""

from __future__ import annotations

import re

from ..graph.vocabulary import (DECISION_KIND, DISCLAIMER, EDGE_TYPE, END_REASON, MAKER_ROLE, ORG_KIND, RANK, RELATION,
                                ROLE, SEVERITY, Vocabulary, filled)

UI: dict[str, tuple[str, str]] = {  # key: (English, Chinese)
    # categories of nodes (organizations are named by their kind, from ORG_KIND)
    "official": ("official", "公职人员"),
    "relative": ("relative / associate", "亲属/关联人"),
    "person": ("other person", "其他人员"),
    "decision": ("decision", "决定"),
    # the page
    "title_overview": ("govties: findings overview", "govties：线索总览"),
    "title_finding": ("govties: finding {subject}", "govties：线索 {subject}"),
    "title_around": ("govties: around {subject}", "govties：{subject}的关系网"),
    "title_paths": ("govties: paths {subject}", "govties：{subject}之间的路径"),
    "search": ("Search name or id", "搜索姓名或编号"),
    # links to the pages a run wrote beside a view or the report
    "nav_index": ("← Run index", "← 运行索引"),
    "nav_report": ("Report", "报告"),
    "nav_overview": ("Overview", "总览"),
    "rules": ("Rules", "规则"),
    "severities": ("Severity", "风险等级"),
    "findings_of": ("Findings involving this node", "涉及该节点的线索"),
    "findings": ("Findings", "线索"),
    "paths": ("Paths", "路径"),
    "path": ("path", "路径"),
    "steps": ("{n} step(s)", "{n}步"),
    "score": ("score", "评分"),
    "fold": ("Fold decisions into weighted edges", "将决定合并为加权连线"),
    "legend": ("Legend", "图例"),
    "none_found": ("none", "无"),
    "in_view": ("{shown} of {n} nodes in view", "{n}个节点中有{shown}个在视图内"),
    "fit_all": ("Fit all", "查看全图"),
    "back_to": ("Back to {name}", "回到{name}"),
    "opened_readable": (("{n} nodes: opened at a readable size around {name}; the wheel zooms, “Fit all” shows all "
                         "of it"), "共{n}个节点：以可读字号显示{name}及其周边；滚轮缩放，“查看全图”显示全部"),
    # tooltips (and a node's property in a diff's changes: api.changes)
    "id": ("id", "编号"),
    "name": ("name", "名称"),
    "type": ("type", "类型"),
    "kind": ("kind", "类别"),
    "birth_date": ("born", "出生日期"),
    "gender": ("gender", "性别"),
    "id_number": ("resident ID", "身份证号"),
    "aliases": ("also known as", "别名"),
    "source_ids": ("source records", "来源记录"),
    "posts": ("posts", "任职"),
    "rank": ("rank", "职级"),
    "credit_code": ("credit code", "统一社会信用代码"),
    "region": ("region", "地区"),
    "industry": ("industry", "行业"),
    "address": ("address", "地址"),
    "phone": ("phone", "电话"),
    "founded_on": ("founded", "成立日期"),
    "date": ("date", "日期"),
    "amount": ("amount", "金额"),
    "title": ("title", "名称"),
    "agency": ("issued by", "作出机关"),
    "beneficiary": ("beneficiary", "受益方"),
    "share": ("share", "持股比例"),
    "start": ("from", "起"),
    "end": ("until", "止"),
    "relation": ("relation", "关系"),
    "role": ("role", "角色"),
    "post": ("post", "职务"),
    "end_reason": ("left because", "离任原因"),
    "won": ("won the tender", "中标"),
    "decisions_n": ("{n} decision(s)", "{n}项决定"),
    "times": ("×{n}", "×{n}"),
    "yuan": ("¥{amount}", "{amount}元"),
    "more": ("… and {n} more", "……另有{n}项"),
    # notes
    "note_cap": (("Node cap {cap} reached: {cut} edge(s) to further nodes left out; raise --max-nodes or "
                  "lower --hops to see them"),
                 "已达节点上限{cap}：{cut}条通向更多节点的边未画出；提高 --max-nodes 或降低 --hops 可查看"),
    "note_paths_cap": (("Node cap {cap} reached while searching: {cut} edge(s) not followed, and a path through "
                        "what was left out may be missing; raise --max-nodes to search further"),
                       ("搜索时已达节点上限{cap}：{cut}条边未继续查找，经过它们的路径可能未列出；"
                        "提高 --max-nodes 可扩大查找")),
    "note_paths": ("{n} path(s) of at most {hops} steps between {a} and {b}",
                   "{a}与{b}之间有{n}条不超过{hops}步的路径"),
    "note_no_path": ("No path of at most {hops} steps between {a} and {b}", "{a}与{b}之间没有不超过{hops}步的路径"),
    "note_no_findings": ("No findings: nothing to draw", "没有线索：无可绘制内容"),
    "note_name": ("{text!r} is {name} ({id})", "“{text}”即{name}（{id}）"),
    "note_forces": ("{n} nodes: more than layers hold ({most}), so drawn by forces; --hops {fewer} draws fewer",
                    "共{n}个节点，超过分层布局的上限（{most}个），按力导向绘制；--hops {fewer} 可显示较少节点"),
    # the report
    "report_title": ("govties sweep report", "govties 核查报告"),
    "as_of": ("As of {date}", "截至{date}"),
    "n_findings": ("{n} finding(s)", "{n}条线索"),
    "open_overview": ("open the network overview", "打开关系网络总览"),
    "per_rule": ("Findings per rule and severity", "各规则线索数（按风险等级）"),
    "over_time": ("Findings over time (by first date)", "线索时间分布（按最早日期）"),
    "per_year": ("Findings per year", "每年线索数"),
    "no_dated": ("No dated findings", "没有带日期的线索"),
    "ranked_officials": ("Officials ranked", "公职人员排名"),
    "ranked_companies": ("Companies ranked (by officials tied to them, then combined score)",
                         "企业排名（按关联公职人员数、综合评分）"),
    "ranked_agencies": ("Agencies ranked", "机关单位排名"),
    "top_findings": ("Top findings", "主要线索"),
    "col_rule": ("Rule", "规则"),
    "col_title": ("Title", "名称"),
    "col_total": ("Total", "合计"),
    "col_skipped": ("Skipped", "未运行原因"),
    "col_finding": ("Finding", "线索"),
    "col_severity": ("Severity", "风险等级"),
    "col_score": ("Score", "评分"),
    "col_explanation": ("Explanation", "说明"),
    "col_rank": ("Rank", "排名"),
    "col_official_id": ("Official id", "公职人员编号"),
    "col_official_name": ("Official", "公职人员"),
    "col_findings": ("Findings", "线索数"),
    "col_high": ("High", "高"),
    "col_combined_score": ("Combined score", "综合评分"),
    "col_total_amount": ("Total amount", "涉及金额"),
    "col_companies": ("Companies", "企业数"),
    "col_org_id": ("Company id", "企业编号"),
    "col_org_name": ("Company", "企业"),
    "col_officials": ("Officials", "公职人员数"),
    "col_rules": ("Rules", "规则"),
    "col_agency_id": ("Agency id", "机关编号"),
    "col_agency_name": ("Agency", "机关单位"),
    "col_officials_flagged": ("Officials flagged", "涉及线索的公职人员数"),
    "col_index_per_10_officials": ("Index per 10 officials", "每10名公职人员指数"),
}

VOCABULARIES: dict[str, Vocabulary] = {v.name: v for v in (SEVERITY, EDGE_TYPE, ORG_KIND, RELATION, ROLE, RANK,
                                                          DECISION_KIND, MAKER_ROLE, END_REASON)}

# Bidirectional controls (embeddings, overrides, isolates, marks): shown as a visible code, never obeyed, so a
# name cannot reverse the text around it.
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def template(key: str, lang: str) -> str:
    """A UI word as written in the table (placeholders like {n} left for the page to fill)."""
    en, zh = UI[key]
    return zh if lang == "zh" else en


def say(key: str, lang: str, **params) -> str:
    text = template(key, lang)  # made singular or plural before the values go in: a name may hold "(s)"
    return filled(text, **params)


def term(vocabulary: str, value: str | None, lang: str) -> str:
    """A vocabulary word as shown in `lang` (an unknown word as it is)."""
    return VOCABULARIES[vocabulary].label(value, lang)


def disclaimer(lang: str) -> str:
    return DISCLAIMER["zh" if lang == "zh" else "en"]


def shown(text: object) -> str:
    """A string from the data as displayed: bidirectional controls replaced by a visible [U+XXXX]."""
    return _BIDI.sub(lambda m: f"[U+{ord(m.group()):04X}]", "" if text is None else str(text))


def money(amount: float | None, lang: str) -> str:
    if amount is None:
        return ""
    if lang == "zh" and abs(amount) >= 10000:
        wan = amount / 10000
        return say("yuan", lang, amount=f"{wan:,.2f}".rstrip("0").rstrip(".") + "万")
    return say("yuan", lang, amount=f"{amount:,.0f}")
