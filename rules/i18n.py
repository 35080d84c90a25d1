"""Words in findings' explanations, in Chinese (default) and English. The vocabularies' words come from
graph.vocabulary; only the sentence pieces of explanations live here."""

from __future__ import annotations

from ..graph.vocabulary import DECISION_KIND, DISCLAIMER, RANK, RELATION, ROLE, Vocabulary

WORDS = {
    "zh": {"and": "、", "decisions": "{n}项决定（{ids}）", "amount": "，涉及金额{amount}元", "none": "无",
           "lead": DISCLAIMER["zh"], "skipped": "缺少输入：{files}（数据集中不存在或为空）"},
    "en": {"and": ", ", "decisions": "{n} decision(s) ({ids})", "amount": " worth {amount} yuan", "none": "none",
           "lead": DISCLAIMER["en"], "skipped": "needs {files}, absent or empty in this dataset"},
}


def word(vocabulary: Vocabulary, lang: str, key: str | None) -> str:
    return vocabulary.label(key, lang)


def money(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:,.0f}"


__all__ = ["WORDS", "word", "money", "RELATION", "ROLE", "RANK", "DECISION_KIND"]
