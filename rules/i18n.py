"""Words in findings' explanations, in Chinese (default) and English."""

from __future__ import annotations

RELATION = {
    "zh": {"spouse": "配偶", "child": "子女", "parent": "父母", "sibling": "兄弟姐妹", "child_spouse": "子女配偶",
           "spouse_parent": "配偶父母", "spouse_sibling": "配偶的兄弟姐妹", "sibling_spouse": "兄弟姐妹的配偶",
           "grandchild": "孙子女", "grandparent": "祖父母", "other": "其他亲属"},
    "en": {"spouse": "spouse", "child": "child", "parent": "parent", "sibling": "sibling",
           "child_spouse": "child's spouse", "spouse_parent": "spouse's parent", "spouse_sibling": "spouse's sibling",
           "sibling_spouse": "sibling's spouse", "grandchild": "grandchild", "grandparent": "grandparent",
           "other": "relative"},
}
ROLE = {
    "zh": {"shareholder": "股东", "legal_rep": "法定代表人", "director": "董事", "supervisor": "监事",
           "executive": "高级管理人员", "employee": "员工"},
    "en": {"shareholder": "shareholder", "legal_rep": "legal representative", "director": "director",
           "supervisor": "supervisor", "executive": "executive", "employee": "employee"},
}
RANK = {
    "zh": {"ministerial": "省部级", "bureau": "厅局级", "division": "县处级", "section": "乡科级",
           "staff": "科员及以下", "village": "村干部"},
    "en": {"ministerial": "ministerial", "bureau": "bureau", "division": "division", "section": "section",
           "staff": "staff", "village": "village"},
}
KIND = {
    "zh": {"approval": "审批", "permit": "许可", "contract": "合同", "procurement": "采购", "subsidy": "补贴",
           "land": "土地", "appointment": "任命", "other": "其他决定"},
    "en": {k: k for k in ("approval", "permit", "contract", "procurement", "subsidy", "land", "appointment",
                          "other")},
}
WORDS = {
    "zh": {"and": "、", "decisions": "{n}项决定（{ids}）", "amount": "，涉及金额{amount}元", "none": "无",
           "lead": "此为待核查线索，不是违纪违法的结论。"},
    "en": {"and": ", ", "decisions": "{n} decision(s) ({ids})", "amount": " worth {amount} yuan", "none": "none",
           "lead": "This is a lead for review, not proof of wrongdoing."},
}


def word(table: dict, lang: str, key: str | None) -> str:
    if key is None:
        return ""
    return table.get(lang, table["en"]).get(key, key)


def money(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:,.0f}"
