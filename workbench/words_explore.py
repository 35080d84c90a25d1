"""The exploration page's words (its toolbar, the date slider, folding, paths and their refusals), in Chinese and
English: a group of the workbench's UI table (words.UI), kept here to keep that module small."""

from __future__ import annotations

EXPLORE: dict[str, tuple[str, str]] = {
    "expand_hint": (
        "点击节点展开其关联；双击打开实体页",
        "Click a node to expand its neighbours; double-click opens its page",
    ),
    "explore_empty": ("在上方“添加”框输入姓名或编号开始探索，或在人员、单位页面点击“{explore_this}”。",
                      "Type a name or id in the Add box above to start, or open a person's or organization's page "
                      "and choose \"{explore_this}\"."),
    "hide_selected": ("隐藏选中节点", "Hide selected"),
    "show_all": ("显示全部", "Show all"),
    "fold_decisions": ("合并决定为加权连线", "Fold decisions"),
    "fold_decisions_title": ("把每对决策人（或机关）与受益方之间的决定合并为一条加权连线",
                             "The decisions between a maker (or agency) and a beneficiary as one weighted edge"),
    "nothing_more": ("没有更多关联", "Nothing more is linked to it"),
    "folded": ("{n}项决定", "{n} decision(s)"),
    "folded_amount": ("{n}项决定，共{amount}元", "{n} decision(s), {amount} yuan"),
    "as_of_day": ("截至日期", "As of"),
    "paths": ("最短路径", "Shortest paths"),
    "k": ("条数", "How many"),
    "path_from": ("从（姓名或编号）", "From (name or id)"),
    "path_to": ("到（姓名或编号）", "To (name or id)"),
    "bad_number": ("{name}应为{low}到{high}之间的整数。", "{name} must be a whole number from {low} to {high}."),
    "ambiguous_name": ("“{text}”对应{n}个对象，请改填编号：{listed}。",
                       "'{text}' matches {n} entities; give one id: {listed}."),
    "hops": ("最多步数", "Max steps"),
    "find_paths": ("查找路径", "Find paths"),
    "cap_note": ("已显示{shown}个关联，另有{more}个未展开", "{shown} neighbours shown, {more} more not expanded"),
    "layered": ("分层布局", "Layered layout"),
    "center": ("中心", "Center"),
    "legend": ("图例", "Legend"),
    "no_path": ("{hops}步以内没有找到路径：可增加“最多步数”", "No path of at most {hops} step(s): allow more steps"),
}
