"""`govties rules list | show | test`: the rule workbench."""

from __future__ import annotations

import re
import textwrap

import click

from .. import api
from ..api.cases import load_cases, run_case
from .options import CONTEXT, OPTION_NAMES, Fail, lang_option, open_graph


@click.group(context_settings=CONTEXT, short_help="Read, inspect and test the rule catalog.")
def rules() -> None:
    """Read, inspect and test the rule catalog.

    \b
    Example:
      govties rules list
      govties rules show post-retirement
      govties rules test --backend duckdb
      govties rules profiles
    """


@rules.command("list", context_settings=CONTEXT)
@lang_option("Language of the titles (zh, as every other command's default).")
def list_rules(lang):
    """List every rule: id, severity, title, input files.

    \b
    Example:
      govties rules list --lang en
    """
    for rule in api.rules().values():
        inputs = ", ".join(f.removesuffix(".csv") for f in rule.inputs)
        click.echo(f"{rule.id:<32} {rule.severity:<7} {rule.title(lang)}\n{'':<32} inputs: {inputs}")


@rules.command("show", context_settings=CONTEXT,
               short_help="Show one rule: description, basis, parameters, queries.")
@click.argument("rule_id")
@lang_option("Language of the title, the description and the parameters' descriptions (zh, as every other "
             "command's default).")
def show(rule_id, lang):
    """Show one rule: description (each parameter as its default), legal basis, parameters with defaults, and its
    query for each backend.

    \b
    Example:
      govties rules show relative-business
      govties rules show relative-business --lang en
    """
    rules_ = api.rules()
    if rule_id not in rules_:
        raise Fail(f"no rule {rule_id!r}; known rules: {', '.join(rules_)}")
    r, w = rules_[rule_id], SHOW_WORDS[lang]
    click.echo(f"{r.id}: {r.title(lang)}")
    click.echo(w["head"].format(severity=api.SEVERITY.label(r.severity, lang), weight=r.weight,
                                inputs=w["and"].join(r.inputs)))
    described = r.described(lang=lang)
    if lang == "en":  # its lines wrapped again: a parameter's value is longer or shorter than its name
        described = "\n\n".join(textwrap.fill(" ".join(part.split()), 115) for part in described.split("\n\n"))
    click.echo(f"\n{described}\n")
    click.echo(w["basis"])
    for line in r.basis.strip().splitlines():
        click.echo(f"  {line}")
    click.echo("\n" + w["parameters"].format(id=r.id))
    for p in r.parameters.values():
        note = p.note(lang)
        kind = w["types"].get(p.type, p.type) + (f"{w['colon']}{note}" if note else "")
        click.echo(f"  {p.name}{w['lp']}{kind}{w['rp']} = {api.param_text(p.default)}\n      {p.description(lang)}")
    if not r.parameters:
        click.echo(f"  {w['none']}")
    for query_lang, query in r.queries.items():
        backends = w["and"].join(api.backends_for(query_lang))
        click.echo("\n" + w["query"].format(lang=query_lang, backends=backends) + f"\n{query.rstrip()}")
    if r.undated is not None:
        click.echo("\n" + w["undated"])
        for key, texts in r.undated.reasons.items():  # each value a role's row fills in said in words
            click.echo(f"  {key}{w['colon']}{_BLANK.sub(lambda m: _blank(m[1], w), texts[lang])}")
        for query_lang, query in r.undated.queries.items():
            click.echo("\n" + w["undated_query"].format(lang=query_lang) + f"\n{query.rstrip()}")


_BLANK = re.compile(r"\{(\w+)\}")
#: what each value an undated role's reason is filled with is: a date, else the post held
_REASON_VALUES = {"left_on": "date", "reported_on": "date", "post_start": "date", "post": "post"}


def _blank(name: str, w: dict) -> str:
    """A value of a reason as `rules show` says it (某日, 某职务); one it does not know stays as its template has it."""
    kind = _REASON_VALUES.get(name)
    return w["blanks"][kind] if kind else "{" + name + "}"


# the words `rules show` writes around a rule's own texts, in each language it writes
SHOW_WORDS = {
    "zh": {"head": "风险等级：{severity}　基础分：{weight}　输入文件：{inputs}", "and": "、", "colon": "：",
           "lp": "（", "rp": "）", "none": "无", "basis": "法律法规依据：",
           "types": {"int": "整数", "float": "数值", "share": "比例", "money": "金额", "str": "文本",
                     "bool": "是否，true 或 false", "list": "列表，用逗号分隔"},
           "parameters": "参数（用 --param {id}.参数名=值 修改）：",
           "query": "查询（{lang}，用于 {backends}）：",
           "undated": "无开始日期的企业角色单独列出，不作为线索；原因：",
           "undated_query": "无开始日期角色的查询（{lang}）：",
           "blanks": {"post": "某职务", "date": "某日"}},
    "en": {"head": "severity: {severity}   base score: {weight}   inputs: {inputs}", "and": ", ", "colon": ": ",
           "lp": " (", "rp": ")", "none": "none", "basis": "legal / regulatory basis:", "types": {},
           "parameters": "parameters (change with --param {id}.NAME=VALUE):",
           "query": "query ({lang}, for {backends}):",
           "undated": "roles without a start date are listed as undated, never findings; reasons:",
           "undated_query": "undated query ({lang}):",
           "blanks": {"post": "…", "date": "a date"}},
}


@rules.command("profiles", context_settings=CONTEXT,
               short_help="List the profiles: a jurisdiction's parameters and basis.")
def list_profiles():
    """List the profiles `govties sweep --profile NAME` applies: name, title, legal basis, parameters.

    \b
    Example:
      govties rules profiles
      govties sweep data/ --profile uk
    """
    found = api.profiles()
    for name, p in found.items():
        default = " (default)" if name == api.DEFAULT_PROFILE else ""
        click.echo(f"{name}{default}: {p.title}")
        for line in p.basis.splitlines():
            click.echo(f"    {line}")
        for rule_id, values in p.params.items():
            shown = ", ".join(f"{k}={api.param_text(v)}" for k, v in values.items())
            click.echo(f"    {rule_id}: {shown}")
        click.echo("")


@rules.command("test", context_settings=CONTEXT,
               short_help="Run every rule's own cases on a backend.")
@click.option("--rules", "rule_ids", default=None, metavar="ID,ID", help="Only these rules.")
@click.option("--backend", type=click.Choice(api.BACKENDS), default="duckdb", show_default=True)
@click.option("--neo4j-uri", default=None, metavar="URI", help="Default: NEO4J_URI.")
@click.option("--neo4j-user", default=None, metavar="USER", help="Default: NEO4J_USERNAME.")
@click.option("--neo4j-database", default=None, metavar="NAME", help="Default: NEO4J_DATABASE.")
def test(rule_ids, backend, neo4j_uri, neo4j_user, neo4j_database):
    """Run every rule's own cases (positives and near-misses) on a backend.

    On Neo4j the cases replace the graph in the database: use a scratch database.

    \b
    Example:
      govties rules test
      govties rules test --backend neo4j --rules post-retirement
    """
    selected = api.select_rules(rule_ids, OPTION_NAMES["rules"])
    failed = passed = 0
    with open_graph(backend, None, neo4j_uri, neo4j_user, neo4j_database, create=True) as graph:
        for rule in selected:
            for case in load_cases(rule):
                result = run_case(case, graph.backend)
                if result.passed:
                    passed += 1
                    click.echo(f"ok    {rule.id}: {case.name}")
                else:
                    failed += 1
                    click.echo(f"FAIL  {rule.id}: {case.name}\n      expected {result.expected}\n      got      "
                               f"{result.got}")
                    if case.undated is not None:
                        click.echo(f"      undated expected {case.undated}\n      undated got      {result.undated}")
    click.echo(f"{passed} passed, {failed} failed ({graph.name})")
    if failed:
        raise SystemExit(1)


COMMANDS = (rules,)
