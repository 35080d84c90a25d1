"""A rule's description in each language (description_en, description_zh in rule.toml, each parameter's too): the
catalog refuses a rule missing one, or whose two languages name different `parameters`; `govties rules show --lang`
and the description a finding's page shows tell each parameter as its value, in the language asked for."""

from __future__ import annotations

import re
import shutil

import pytest
from click.testing import CliRunner

from govties.cli.main import main
from govties.rules.catalog import CATALOG_DIR, catalog, load_catalog
from govties.rules.spec import RuleDefinitionError


@pytest.fixture
def rule_copy(tmp_path):
    shutil.copytree(CATALOG_DIR / "self-dealing", tmp_path / "self-dealing")
    return tmp_path


def _edit(folder, pattern, new):
    path = folder / "self-dealing" / "rule.toml"
    text = path.read_text(encoding="utf-8")
    edited, n = re.subn(pattern, new, text, count=1, flags=re.S)
    assert n == 1, pattern
    path.write_text(edited, encoding="utf-8")


def _refused(folder, message):
    with pytest.raises(RuleDefinitionError, match=message):
        load_catalog(folder)


def test_the_copy_has_a_description_in_each_language(rule_copy):
    rule = load_catalog(rule_copy)["self-dealing"]
    assert rule.description("zh").startswith("公职人员参与了以某企业为受益方的决定")
    assert rule.description("en").startswith("An official took part in a decision")
    assert rule.parameters["roles"].description("zh") == "计入的公职人员本人在企业中的角色"


def test_a_rule_without_its_chinese_description_is_refused(rule_copy):
    _edit(rule_copy, r'description_zh = """.*?"""\n', "")
    _refused(rule_copy, r'^rule self-dealing: rule.toml has no description_zh; fix: add description_zh = "\.\.\.", '
                        r"the description in Chinese$")


def test_a_rule_with_an_empty_english_description_is_refused(rule_copy):
    _edit(rule_copy, r'description_en = """.*?"""', 'description_en = "  "')
    _refused(rule_copy, r"^rule self-dealing: rule.toml has an empty description_en; fix: add description_en = "
                        r'"\.\.\.", the description in English$')


def test_a_parameter_without_its_chinese_description_is_refused(rule_copy):
    _edit(rule_copy, r'description_zh = "计入的公职人员本人在企业中的角色"\n', "")
    _refused(rule_copy, r'^rule self-dealing: parameter roles has no description_zh; fix: add description_zh = '
                        r'"\.\.\." under \[parameters\.roles\], the description in Chinese$')


@pytest.mark.parametrize("table", ["rule", "parameter"])
def test_a_description_written_once_for_both_languages_is_refused_with_the_rename(rule_copy, table):
    if table == "rule":
        _edit(rule_copy, r"description_en = ", "description = ")
        said = r"rule.toml has description, which is now written once per language"
    else:
        _edit(rule_copy, r'description_en = "company', 'description = "company')
        said = r"parameter roles has description, which is now written once per language"
    _refused(rule_copy, rf"^rule self-dealing: {said}; fix: rename it description_en and add description_zh, the "
                        r"same description in Chinese")


def test_a_chinese_description_naming_a_parameter_the_english_does_not_is_refused(rule_copy):
    _edit(rule_copy, r"担任角色（`roles`）", "担任角色（`rolez`）")  # misspelt: it would be shown as the bare name
    _refused(rule_copy, r"^rule self-dealing: description_zh names `rolez` \(no parameter\), which description_en "
                        r"does not; fix: name the same parameters and columns in both languages")


def test_an_english_description_naming_a_parameter_the_chinese_does_not_is_refused(rule_copy):
    _edit(rule_copy, r"担任角色（`roles`）", "担任角色")  # the values the sweep used would be told only in English
    _refused(rule_copy, r"^rule self-dealing: description_en names `roles`, which description_zh does not; fix: "
                        r"name the same parameters and columns in both languages, each in backticks")


@pytest.mark.parametrize("where,pattern,new", [
    ("title_en", r'title_en = "Decision for', 'title_en = "(利益输送) Decision for'),
    ("description_en", r"An official took part in a decision", "An official (公职人员) took part in a decision"),
    ("[explain] en", r'\nen = "', '\nen = "疑似 '),
    ("[parameters.roles] description_en", r'description_en = "company', 'description_en = "公司 company'),
    ("title_en", r"title_en = \"Decision for the official's own company",
     'title_en = "Decision for the official（利）'),
])
def test_an_english_text_holding_chinese_is_refused(rule_copy, where, pattern, new):
    """English readers may read no Chinese: a Chinese term in an English text is refused, naming where it is."""
    _edit(rule_copy, pattern, new)
    _refused(rule_copy, rf"^rule self-dealing: {re.escape(where)} holds Chinese \('[^']*[利公疑][^']*'\); fix: say it "
                        r"in English \(a Chinese term of art goes in the Chinese text beside it, e\.g\. title_zh\)$")


def test_an_english_label_holding_chinese_punctuation_is_refused(tmp_path):
    """A label's English (what the evidence says of a link) is an English text too; full-width punctuation is
    Chinese as much as a character is."""
    shutil.copytree(CATALOG_DIR / "bid-collusion", tmp_path / "bid-collusion")
    path = tmp_path / "bid-collusion" / "rule.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('en = "they share an address"', 'en = "they share an address（same）"'),
                    encoding="utf-8")
    with pytest.raises(RuleDefinitionError, match=r"^rule bid-collusion: \[labels\.link\.address\] en holds Chinese "
                                                  r"\('[^']*share an address（same）'\); fix: say it in English"):
        load_catalog(tmp_path)


def test_no_english_text_of_the_catalog_holds_chinese():
    """What the check refuses, none of the bundled rules does: every English title, description, parameter's
    description, explanation and label."""
    from govties.rules.checks import HAN as han

    for rule in catalog().values():
        texts = [rule.title("en"), rule.description("en"), rule.explain["en"],
                 *(p.description("en") for p in rule.parameters.values()),
                 *(said["en"] for values in rule.labels.values() for said in values.values())]
        assert not [t for t in texts if han.search(t)], rule.id


def _show(*args):
    res = CliRunner().invoke(main, ["rules", "show", *args])
    return res.exit_code, " ".join(res.output.split())  # the English description's wrapped lines as one


@pytest.mark.parametrize("args", [["--lang", "zh"], [], ["--lang", "ZH"]])
def test_rules_show_in_chinese_fills_the_parameters_with_their_values(args):
    code, shown = _show("split-decisions", *args)
    assert code == 0, shown
    assert shown.startswith("split-decisions: 化整为零规避审批或招标 风险等级：中 基础分：45 输入文件：people.csv、")
    assert ("同一公职人员在90天内参与了至少2项以同一企业为受益方的同一类决定，每项金额均低于1,000,000元，"
            "合计达到或超过该金额") in shown
    assert "法律法规依据：" in shown and "参数（用 --param split-decisions.参数名=值 修改）：" in shown
    assert "window_days（整数） = 90 被拆分的各项决定须落在多少天之内" in shown
    assert "查询（sql，用于 duckdb）：" in shown and "`" not in shown.split("查询（")[0]
    assert "One official took part" not in shown and "how many days" not in shown and "severity" not in shown


def test_rules_show_in_english():
    code, shown = _show("split-decisions", "--lang", "en")
    assert code == 0, shown
    assert shown.startswith("split-decisions: Decisions split below a threshold severity: medium base "
                            "score: 45 inputs: people.csv, ")
    assert ("One official took part in 2 or more decisions of one kind for one company within 90 days, each below "
            "1,000,000 yuan, together at or above it") in shown
    assert "window_days (int) = 90 how many days the split decisions fall within" in shown
    assert "legal / regulatory basis:" in shown and "query (sql, for duckdb):" in shown
    assert "同一公职人员" not in shown and "风险等级" not in shown


def test_rules_show_tells_an_undated_reason_in_the_language_asked_for():
    """Each reason in words, a value an undated role fills in said as a date or a post (某日, a date), never as the
    template's {left_on}."""
    code, zh = _show("post-retirement")
    assert code == 0 and "无开始日期的企业角色单独列出，不作为线索；原因： no_start：无任职开始日期" in zh
    assert "recorded_after_leaving：无任职开始日期；某日首次登记，晚于某日离职：可能在冷却期内任职" in zh
    assert "senior_ranks（列表，用逗号分隔） = ministerial,bureau,division 适用较长冷却期的最后职务职级" in zh
    code, en = _show("post-retirement", "--lang", "en")
    assert code == 0 and "never findings; reasons: no_start: no start date" in en
    assert "first recorded on a date, after leaving office on a date" in en
    code, zh = _show("in-office-business")
    assert code == 0 and "某日首次登记时其正担任某职务：请核实任职起始时间" in zh
    for rule in ("post-retirement", "in-office-business"):
        for lang, reasons in (("zh", "原因："), ("en", "reasons:")):
            code, shown = _show(rule, "--lang", lang)
            assert code == 0 and "{" not in shown.split(reasons)[1].split("查询" if lang == "zh" else "query")[0]


def test_rules_show_refuses_a_language_it_does_not_write():
    res = CliRunner().invoke(main, ["rules", "show", "self-dealing", "--lang", "fr"])
    assert res.exit_code == 2 and "'fr' is not one of 'zh', 'en'" in res.output


def test_a_description_names_a_parameter_by_its_value():
    """A `parameter` is told as the value a sweep used (its default when none), in words of the language asked for:
    a share as a percentage, an amount grouped by thousands, a list as its vocabulary's words."""
    rule = catalog()["indirect-relative-business"]
    assert "`min_share`" in rule.description("en") and "`min_share`" in rule.description("zh")
    assert "a share of at least 25% in force" in rule.described(lang="en")
    assert "a share of at least 30% in force" in rule.described({"min_share": 0.3}, lang="en")
    assert "持股比例不低于30%的股东关系" in rule.described({"min_share": 0.3}, lang="zh")
    assert "each below 1,000,000 yuan" in catalog()["split-decisions"].described(lang="en")
    assert "each below 1,234,567.5 yuan" in catalog()["split-decisions"].described({"threshold": 1234567.5}, lang="en")
    assert "每项金额均低于1,234,567.5元" in catalog()["split-decisions"].described({"threshold": 1234567.5}, lang="zh")
    # a list as its words, as the sweep used it: no default written beside it, no code (legal_rep)
    office = catalog()["in-office-business"]
    assert "held a role (shareholder or legal representative) in an organization (company)" in office.described(
        {"roles": ["shareholder", "legal_rep"]}, lang="en")
    assert "在某单位（企业）担任某一角色（股东或法定代表人）" in office.described(
        {"roles": ["shareholder", "legal_rep"]}, lang="zh")
    for told in (r.described(lang=lang) for r in catalog().values() for lang in ("zh", "en")):
        assert "by default" not in told and "`" not in told
    assert all("`" not in r.basis for r in catalog().values())
    assert "of the kinds subsidy, land, procurement, contract, approval or appointment with an amount of at least " \
           "5,000,000 yuan" in " ".join(catalog()["sole-major-decision"].described(lang="en").split())
    assert "类型属于补贴、土地、采购、合同、审批或任命且金额不低于5,000,000元的决定" in catalog()[
        "sole-major-decision"].described(lang="zh")


def test_a_description_names_a_column_or_a_contract_word_as_its_reader_says_it():
    """A `name` that is no parameter reads, in Chinese, as the findings table's column title or the contract's
    word (单位编号为该投标人; 类型为村（社区）的单位): no column name (org_id, via_id) on a Chinese page; in English
    the column's name and the word stay, without backticks."""
    from govties.graph.vocabulary import ORG_KIND
    from govties.titles import COLUMNS

    rules = catalog()
    bid = rules["bid-collusion"].described(lang="zh")
    assert f"（{COLUMNS.label('org_id', 'zh')}为该投标人，{COLUMNS.label('decision_ids', 'zh')}为该次招标" in bid
    village = rules["village-relatives"].described(lang="zh")
    assert f"类型为{ORG_KIND.label('village', 'zh')}的单位" in village
    for rule in rules.values():
        for lang in ("zh", "en"):
            assert "`" not in rule.described(lang=lang)
        ticked = {name for name in re.findall(r"`(\w+)`", rule.description("zh")) if name not in rule.parameters}
        assert not any(name in rule.described(lang="zh") for name in ticked), (rule.id, ticked)
    assert "(`org_id` the bidder" in rules["bid-collusion"].description("en")
    assert "(org_id the bidder" in rules["bid-collusion"].described(lang="en")
