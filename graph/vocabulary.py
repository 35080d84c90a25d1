"""Every vocabulary of govties, declared once: the contract's words (ids), the other words the loaders accept for
them (Chinese and English aliases), and how each is shown in Chinese and English. The loaders' parsing tables, the
explanations' words, the rules' parameter choices, the views' legends and labels are all derived from here.

Also the one disclaimer per language that every output carries.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

#: Said by every explanation, summary, export and page: a finding is a lead, not a verdict.
DISCLAIMER = {
    "zh": "线索仅供核查，不是违纪违法的证据。",
    "en": "A finding is a lead for review, not proof of wrongdoing.",
}
COLON = {"zh": "：", "en": ": "}  # between a label and its value (Chinese: full width, no space)

LANGS = ("zh", "en")


@dataclass(frozen=True)
class Term:
    id: str  # the contract's word
    zh: str  # shown in Chinese (also accepted as input)
    en: str  # shown in English (also accepted as input)
    aliases: tuple[str, ...] = ()  # other words accepted as input

    def label(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class Vocabulary:
    name: str
    terms: tuple[Term, ...]

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(t.id for t in self.terms)

    def label(self, term_id: str | None, lang: str) -> str:
        """How a word is shown; an unknown word is shown as it is, none as ''."""
        if term_id is None:
            return ""
        for t in self.terms:
            if t.id == term_id:
                return t.label(lang)
        return str(term_id)

    def labels(self, lang: str) -> dict[str, str]:
        return {t.id: t.label(lang) for t in self.terms}

    def words(self) -> dict[str, str]:
        """Every accepted input word, folded (NFKC, case-folded), -> its id: the id itself (also with spaces or
        hyphens for underscores), both labels and the aliases."""
        table: dict[str, str] = {}
        for t in self.terms:
            for w in (t.id, t.id.replace("_", " "), t.id.replace("_", "-"), t.en, t.zh, *t.aliases):
                table.setdefault(fold_word(w), t.id)
        return table

    def accepted(self) -> str:
        """The accepted words, for an error message: each id with its Chinese words."""
        return "; ".join(f"{t.id} ({'、'.join(dict.fromkeys(w for w in (t.zh, *t.aliases) if not w.isascii()))})"
                         if any(not w.isascii() for w in (t.zh, *t.aliases)) else t.id for t in self.terms)


# an English noun's plural ending, written after its singular: finding(s), match(es), compan(y)(ies) as company(ies)
_PLURAL = re.compile(r"y\(ies\)|\((?:s|es)\)")
# a count placeholder, then words ending in a noun with its plural ending: "{hops} intermediate company(ies)"
_COUNTED_FIELD = re.compile(r"(\{(\w+)(?:![rsa])?(?::[^{}]*)?\})([^{}()]*?(?:y\(ies\)|\((?:s|es)\)))")


def _agreeing(ending: str, n: object) -> str:
    if ending == "y(ies)":
        return "y" if n == 1 else "ies"
    return "" if n == 1 else ending[1:-1]


def counted(text: str, n: object) -> str:
    """A text with a count `n`: an English plural ending after a noun ("(s)", "(es)", or "(ies)" after a final y)
    is left out for one and written for any other number ("1 finding", "3 findings", "1 match", "2 matches",
    "1 company", "2 companies"); a text without one (Chinese) is as it is."""
    return _PLURAL.sub(lambda m: _agreeing(m[0], n), text) if "(" in text else text


def counts_fields(template: str) -> bool:
    """Whether a template has a noun whose plural ending follows a count placeholder (agree_with)."""
    return _COUNTED_FIELD.search(template) is not None


def agree_with(template: str, values: Mapping[str, object]) -> str:
    """The template with each noun after a count placeholder agreeing with the count it will read:
    "{hops} intermediate company(ies)" with hops 1 reads "{hops} intermediate company"."""
    return _COUNTED_FIELD.sub(lambda m: m[1] + counted(m[3], values.get(m[2])), template)


def filled(template: str, **values: object) -> str:
    """The template with its values in, each noun after a count agreeing with it (agree_with): "1 finding"."""
    return agree_with(template, values).format(**values)


def fold_word(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().casefold()


def _v(name: str, *terms: Term) -> Vocabulary:
    return Vocabulary(name, terms)


T = Term
RELATION = _v(
    "relation",
    T("spouse", "配偶", "spouse", ("妻子", "丈夫", "夫妻", "爱人", "老婆", "老公", "夫人", "wife", "husband")),
    T("child", "子女", "child", ("儿子", "女儿", "son", "daughter")),
    T("parent", "父母", "parent", ("父亲", "母亲", "father", "mother")),
    T("sibling", "兄弟姐妹", "sibling", ("兄弟", "姐妹", "哥哥", "弟弟", "姐姐", "妹妹", "brother", "sister")),
    T("child_spouse", "子女配偶", "child's spouse", ("儿媳", "女婿")),
    T("spouse_parent", "配偶父母", "spouse's parent", ("岳父", "岳母", "公公", "婆婆")),
    T("spouse_sibling", "配偶的兄弟姐妹", "spouse's sibling", ("配偶兄弟姐妹",)),
    T("sibling_spouse", "兄弟姐妹的配偶", "sibling's spouse", ("兄弟姐妹配偶",)),
    T("grandchild", "孙子女", "grandchild", ("孙子", "孙女", "外孙", "外孙女", "外孙子女")),
    T("grandparent", "祖父母", "grandparent", ("外祖父母", "爷爷", "奶奶", "外公", "外婆", "祖父", "祖母")),
    T("other", "其他亲属", "relative", ("其他", "其它")),
)
RANK = _v(
    "rank",
    T("ministerial", "省部级", "ministerial", ("正部级", "副部级", "正省部级", "副省部级")),
    T("bureau", "厅局级", "bureau", ("正厅级", "副厅级", "正局级", "副局级", "地厅级")),
    T("division", "县处级", "division", ("正处级", "副处级", "正县级", "副县级")),
    T("section", "乡科级", "section", ("正科级", "副科级", "乡镇级")),
    T("staff", "科员及以下", "staff", ("科员", "办事员", "一般干部")),
    T("village", "村干部", "village", ("村级",)),
)
ORG_KIND = _v(
    "kind",
    T("company", "企业", "company", ("公司", "enterprise")),
    T("agency", "机关单位", "agency", ("机关", "政府机关", "行政机关", "government")),
    T("village", "村（社区）", "village", ("村", "村委会", "村民委员会", "社区")),
    T("institution", "事业单位", "institution", ("高校", "大学", "医院", "研究院", "研究所")),
    T("association", "社会组织", "association", ("社会团体", "协会", "学会", "商会", "基金会", "慈善组织",
                                                  "民办非企业单位", "foundation", "charity")),
    T("other", "其他组织", "other organization", ("其他", "其它")),
)
ROLE = _v(
    "role",
    T("shareholder", "股东", "shareholder", ("出资人",)),
    T("legal_rep", "法定代表人", "legal representative", ("法人", "法人代表")),
    T("director", "董事", "director", ("董事长", "执行董事", "副董事长", "理事", "理事长")),
    T("supervisor", "监事", "supervisor", ("监事会主席",)),
    T("executive", "高级管理人员", "executive", ("高管", "经理", "总经理", "副总经理", "财务负责人", "秘书长")),
    T("employee", "员工", "employee", ("职员", "职工")),
    T("adviser", "顾问", "adviser", ("独立董事", "咨询顾问", "advisor", "consultant")),
)
DECISION_KIND = _v(
    "decision_kind",
    T("approval", "审批", "approval", ("行政审批", "核准")),
    T("permit", "许可", "permit", ("行政许可",)),
    T("contract", "合同", "contract"),
    T("procurement", "采购", "procurement", ("政府采购", "招标")),
    T("subsidy", "补贴", "subsidy", ("补助", "资金拨付")),
    T("land", "土地", "land", ("用地", "土地出让")),
    T("appointment", "任命", "appointment", ("任免", "提拔", "录用")),
    T("other", "其他决定", "other", ("其他", "其它")),
)
END_REASON = _v(
    "end_reason",
    T("retired", "退休", "retired"),
    T("resigned", "辞职", "resigned", ("辞去公职",)),
    T("transferred", "调任", "transferred", ("调动", "交流")),
    T("dismissed", "免职", "dismissed", ("撤职", "开除")),
)
MAKER_ROLE = _v(
    "maker_role",
    T("approver", "审批人", "approver", ("批准",)),
    T("signer", "签发", "signer", ("签发人", "签字", "签批", "签字人")),
    T("committee", "集体决策", "committee", ("委员会", "党组会")),
)

# An investigator's triage of a finding (triage CSVs and the workbench) -------------------------------------------
TRIAGE_STATUS = _v(
    "triage_status",
    T("open", "待核查", "open", ("未处理", "新")),
    T("in_review", "核查中", "in review", ("审核中", "处理中", "review")),
    T("confirmed", "已确认", "confirmed", ("确认", "属实")),
    T("dismissed", "已排除", "dismissed", ("排除", "不属实", "驳回")),
)

# Shown, never read from data ----------------------------------------------------------------------------------
SEVERITY = _v("severity", T("high", "高", "high"), T("medium", "中", "medium"), T("low", "低", "low"))
EDGE_TYPE = _v(
    "edge_type",
    T("HOLDS_POST", "任职", "holds post"),
    T("RELATIVE_OF", "亲属", "relative of"),
    T("HOLDS_ROLE", "企业任职/持股", "holds role"),
    T("DECIDED", "参与决定", "decided"),
    T("BENEFITS", "受益", "benefits"),
    T("ISSUED_BY", "作出机关", "issued by"),
    T("BID", "投标", "bid"),
    T("SHARES_ADDRESS", "同一地址", "shares address"),
    T("SHARES_PHONE", "同一电话", "shares phone"),
)
# Why two people are listed as possibly one, never merged (the resolution list, entity pages): a code, as
# match_reason reads it
MATCH_REASON = _v(
    "match_reason",
    T("resident_id", "身份证号规范化后相同", "same resident ID after normalization"),
    T("name_birth", "姓名和出生日期相同，身份证号不同或缺失",
      "same name and birth date, different or missing resident IDs"),
    T("same_name", "姓名相同", "same name"),
    T("same_simplified", "简体姓名相同", "same name in simplified characters"),
    T("same_pinyin", "姓名拼音相同", "same pinyin"),
    T("same_birth", "且出生日期相同", "and the same birth date"),
    T("role_holder", "无身份证号的企业任职人员", "company-role holder without a resident ID"),
    T("not_merged", "未合并", "not merged"),
)
NAME_BASES = ("same_name", "same_simplified", "same_pinyin")  # what a company-role holder's name match rests on


def match_basis(code: str, lang: str) -> str:
    """What a company-role holder's name match rests on, from its code (NAME_BASES, then `+birth` when the birth
    dates are the same too): same_pinyin+birth is "same pinyin and the same birth date"."""
    basis, _, birth = code.partition("+")
    words = [MATCH_REASON.label(basis, lang), *([MATCH_REASON.label("same_birth", lang)] if birth else [])]
    return ("" if lang == "zh" else " ").join(words)


def match_reason(code: str, lang: str, *, noted: bool = True) -> str:
    """Why two people are listed as possibly one, as the resolution list says it (`noted`: "(not merged)" after
    it): `name_birth` (the same name and birth date, different or missing resident IDs), or a company-role holder
    without a resident ID whose name matches (match_basis); any other text (a store recorded before the codes) as
    it is."""
    basis = code.partition("+")[0]
    if code == "name_birth":
        text = MATCH_REASON.label(code, lang)
    elif basis in NAME_BASES:
        text = MATCH_REASON.label("role_holder", lang) + ("：" if lang == "zh" else ": ") + match_basis(code, lang)
    else:
        return code
    if not noted:
        return text
    not_merged = MATCH_REASON.label("not_merged", lang)
    return f"{text}（{not_merged}）" if lang == "zh" else f"{text} ({not_merged})"


#: The vocabularies of the dataset contract, by the name its columns use (`vocab:NAME` in loaders.contract).
CONTRACT = {v.name: v for v in (RELATION, RANK, ORG_KIND, ROLE, DECISION_KIND, END_REASON, MAKER_ROLE)}
#: Every vocabulary, by name (rule parameters may take their choices from any of them: `choices = "relation"`).
ALL = {**CONTRACT, **{v.name: v for v in (SEVERITY, EDGE_TYPE, TRIAGE_STATUS, MATCH_REASON)}}
