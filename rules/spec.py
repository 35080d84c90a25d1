"""A rule as data: its folder holds rule.toml (metadata, parameters, explanation), one query per backend
(query.sql, query.cypher) and cases/ (small positive and negative datasets that run on every backend). A rule that
needs a company role's start date also lists the roles it cannot place without one: undated.sql, undated.cypher
and rule.toml's [undated.reasons] (see rules/undated.py).

`load_rule` validates a folder when the catalog is built; a broken rule fails with its id and the fix.
"""

from __future__ import annotations

import math
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import GovtiesError
from ..graph.backend import BackendError
from ..loaders.values import AMOUNT_EXPECTED, parse_amount
from . import checks
from .checks import TICKED
from ..graph.vocabulary import ALL as VOCABULARIES

SEVERITIES = ("high", "medium", "low")
PARAM_TYPES = {"int": int, "float": float, "share": float, "money": float, "str": str, "bool": bool, "list": list}
NUMBER_TYPES = ("int", "float", "share", "money")
# how a parameter of a declared type is read besides a plain number (what `govties rules show` says of it): a share
# is a number from 0 to 1, also written as a percentage; money is yuan, also written as the data writes amounts
TYPE_NOTES = {"share": {"en": "a number from 0 to 1, also read as a percentage: 30%",
                        "zh": "0到1之间的数，也可写作百分比：30%"},
              "money": {"en": "an amount in yuan, also read as 120万, 1.2亿 or ¥1,500,000",
                        "zh": "以元为单位的金额，也可写作120万、1.2亿或¥1,500,000"}}
TEXT_TYPES = ("str", "share", "money")  # a TOML file (a profile) may write these as text: "30%", "120万"
QUERY_FILES = {"sql": "query.sql", "cypher": "query.cypher"}
UNDATED_FILES = {"sql": "undated.sql", "cypher": "undated.cypher"}
GROUP_COLUMNS = ("official_id", "org_id", "via_id", "decision_id", "role")
ATOM_COLUMNS = ("official_id", "org_id", "via_id", "decision_id", "first_date", "last_date", "amount", "edges")
GLOBAL_PARAMS = ("as_of",)
# an atom whose `overlap` column is 'open' is a span still open on the sweep's date, its last_date that date: its
# evidence fingerprint records no last date, so that a later sweep's date changes nothing (rules.findings)
OPEN_SPAN = ("overlap", "open")
_PARAM_RE = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
INT_MIN, INT_MAX = -(2**63), 2**63 - 1  # what both backends store in an integer parameter


def _whole(value: str | int | float) -> int | None:
    """A whole number from text ('90', ' 90 ', '90.0'), an int or a float with no fraction; None otherwise."""
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if math.isfinite(value) and value == int(value) else None
    text = value.strip()
    if re.fullmatch(r"[+-]?[0-9]{1,30}", text):
        return int(text)
    try:
        number = float(text)
    except ValueError:
        return None
    return int(number) if math.isfinite(number) and number == int(number) and abs(number) < 2**64 else None


class RuleDefinitionError(GovtiesError):
    """A rule folder is broken; the message names the rule and the fix."""


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    default: Any
    description_en: str
    description_zh: str
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] | None = None
    vocabulary: str | None = None  # the vocabulary (graph.vocabulary) the choices are words of, if they are

    @property
    def number(self) -> bool:
        return self.type in NUMBER_TYPES

    def description(self, lang: str) -> str:
        return self.description_zh if lang == "zh" else self.description_en

    def note(self, lang: str) -> str | None:
        """How a value of the parameter's type is read besides a plain number, if it is, in `lang`."""
        notes = TYPE_NOTES.get(self.type)
        return None if notes is None else notes["zh" if lang == "zh" else "en"]

    def shown(self, value: Any, lang: str) -> str:
        """A value as a reader of `lang` is told it: a share as a percentage, a list joined, a number grouped by
        thousands."""
        if isinstance(value, (list, tuple)):  # words of a vocabulary as their labels (legal_rep: 法定代表人 ...)
            words = VOCABULARIES[self.vocabulary] if self.vocabulary else None
            told = [words.label(str(v), lang) if words else str(v) for v in value]
            comma, last = ("、", "或") if lang == "zh" else (", ", " or ")
            return last.join(filter(None, (comma.join(told[:-1]), *told[-1:])))  # a, b or c; a、b或c
        if self.type == "share" and isinstance(value, (int, float)):
            return f"{value * 100:g}%"
        if self.number and isinstance(value, (int, float)) and not isinstance(value, bool):
            return f"{value:,.2f}".rstrip("0").rstrip(".")  # 1,000,000 and 1,234,567.5, never 1.23457e+06
        return str(value)

    def coerce(self, value: Any, rule_id: str) -> Any:
        """A value from the command line (text) or a config file, checked against the declared type."""
        def bad(expected: str):
            return RuleDefinitionError(f"rule {rule_id}: parameter {self.name} expects {expected}, got {value!r}")

        if self.type == "list":
            items = [v.strip() for v in value.split(",")] if isinstance(value, str) else value
            if not isinstance(items, (list, tuple)):
                raise bad("a list (comma-separated on the command line)")
            items = [str(v) for v in items if str(v)]
            if self.choices:
                unknown = [v for v in items if v not in self.choices]
                if unknown:
                    raise bad(f"items from {', '.join(self.choices)}")
            return items
        if self.type == "bool":
            if isinstance(value, bool):
                return value
            if isinstance(value, str) and value.strip().lower() in ("true", "1", "yes"):
                return True
            if isinstance(value, str) and value.strip().lower() in ("false", "0", "no"):
                return False
            raise bad("true or false")
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise bad(f"a value of type {self.type}")  # true is not the number 1; a list or table is not a number
        out: str | int | float
        if self.type == "str":
            out = value if isinstance(value, str) else str(value)
        else:
            number: int | float | None
            if self.type == "int":
                number = _whole(value)
                if number is None:
                    raise bad("a whole number")
                if not INT_MIN <= number <= INT_MAX:
                    raise bad("a whole number that fits in 64 bits")
            elif self.type == "money":  # 120万, 1.2亿, ¥1,500,000: as the data writes amounts (loaders.values)
                try:
                    number = parse_amount(value) if isinstance(value, str) else float(value)
                except OverflowError:  # an int beyond any float
                    number = None
                if number is None:
                    raise bad(AMOUNT_EXPECTED)
            else:
                text = unicodedata.normalize("NFKC", value).strip() if isinstance(value, str) else None
                percent = self.type == "share" and text is not None and text.endswith("%")  # as the data writes shares
                try:
                    number = float(text[:-1]) / 100 if percent and text else float(value)
                except (TypeError, ValueError, OverflowError):
                    raise bad("a number") from None
            if not math.isfinite(number):
                raise bad("a finite number (not nan or inf)")
            if self.minimum is not None and number < self.minimum:
                raise bad(f"a value of at least {self.minimum}")
            if self.maximum is not None and number > self.maximum:
                raise bad(f"a value of at most {self.maximum}")
            out = number
        if self.choices and out not in self.choices:
            raise bad(f"one of {', '.join(self.choices)}")
        return out


@dataclass(frozen=True)
class Undated:
    """How a rule lists the company roles it cannot place for want of a start date: one query per backend and
    the reasons its rows give (reason key -> language -> text, formatted with the row's columns)."""
    queries: dict[str, str]
    reasons: dict[str, dict[str, str]]


@dataclass(frozen=True)
class Rule:
    id: str
    title_en: str
    title_zh: str
    severity: str
    weight: int
    description_en: str
    description_zh: str
    basis: str
    inputs: tuple[str, ...]
    parameters: dict[str, Parameter]
    queries: dict[str, str]
    explain: dict[str, str]
    group_by: tuple[str, ...]
    folder: Path
    labels: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)  # column -> value -> lang -> text
    closeness_default: str | None = None
    aggregate: tuple[str, ...] = ()  # extra columns whose distinct values are joined in the explanation
    step: str | None = None  # a named step over all of the rule's findings, after the query (rules/steps.py)
    order: int = 100
    cases: list[Path] = field(default_factory=list)
    undated: Undated | None = None

    def defaults(self) -> dict[str, Any]:
        return {p.name: p.default for p in self.parameters.values()}

    def description(self, lang: str) -> str:
        """The description as rule.toml writes it, in `lang` (each `parameter` by its name)."""
        return self.description_zh if lang == "zh" else self.description_en

    def described(self, params: dict[str, Any] | None = None, *, lang: str) -> str:
        """The description as an investigator of `lang` reads it: each `parameter` as the value a sweep used
        (`params`, else its default: "a share of at least 25%", "持股比例不低于25%"), any other `name` without its
        backticks."""
        values = {**self.defaults(), **(params or {})}

        def one(m: re.Match) -> str:
            param = self.parameters.get(m.group(1))
            return _named(m.group(1), lang) if param is None else param.shown(values.get(param.name), lang)

        return TICKED.sub(one, self.description(lang).strip())

    def title(self, lang: str) -> str:
        return self.title_zh if lang == "zh" else self.title_en


def _named(name: str, lang: str) -> str:
    """A `name` of a description that is no parameter, as its reader says it: a findings column by its title, a
    contract word as its word (单位编号, 村（社区）), in Chinese; in English the column's name and the word are
    the English ones."""
    from ..graph.vocabulary import CONTRACT, ORG_KIND
    from ..titles import COLUMNS

    if name in COLUMNS.ids:
        return COLUMNS.label(name, lang)
    # an organization's kind first: `village` is a kind of organization and a rank
    known = next((v for v in (ORG_KIND, *CONTRACT.values()) if name in v.ids), None)
    return known.label(name, lang) if known is not None else name


def _need(meta: dict, key: str, rule_id: str, kind: type, fix: str):
    if key not in meta:
        raise RuleDefinitionError(f"rule {rule_id}: rule.toml has no {key!r}; fix: {fix}")
    if not isinstance(meta[key], kind):
        raise RuleDefinitionError(f"rule {rule_id}: {key!r} must be a {kind.__name__}; fix: {fix}")
    return meta[key]


def load_rule(folder: Path, empty: Any = None) -> Rule:
    """One rule folder, checked whole. `empty`: an empty embedded graph to run the SQL query over (to read the
    columns it returns); one is opened when not given."""
    rule_id = folder.name
    meta_path = folder / "rule.toml"
    if not meta_path.exists():
        raise RuleDefinitionError(f"rule {rule_id}: {meta_path} is missing; fix: add rule.toml with id, titles, "
                                  "severity, basis, inputs, parameters and explain")
    try:
        meta = tomllib.loads(meta_path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise RuleDefinitionError(f"rule {rule_id}: rule.toml is not valid TOML ({exc}); fix the syntax") from exc
    _check(rule_id, checks.unknown_keys, meta)
    if meta.get("id") != rule_id:
        raise RuleDefinitionError(f"rule {rule_id}: rule.toml id is {meta.get('id')!r}; fix: set id = \"{rule_id}\" "
                                  "(the folder name)")
    severity = _need(meta, "severity", rule_id, str, "severity = \"high\" | \"medium\" | \"low\"")
    if severity not in SEVERITIES:
        raise RuleDefinitionError(f"rule {rule_id}: bad severity {severity!r}; fix: use one of {', '.join(SEVERITIES)}")
    params: dict[str, Parameter] = {}
    for name, p in meta.get("parameters", {}).items():
        ptype = p.get("type")
        if ptype not in PARAM_TYPES:
            raise RuleDefinitionError(f"rule {rule_id}: parameter {name} has type {ptype!r}; fix: use one of "
                                      f"{', '.join(PARAM_TYPES)}")
        if "default" not in p:
            raise RuleDefinitionError(f"rule {rule_id}: parameter {name} has no default; fix: add default = ...")
        low, high = p.get("min"), p.get("max")
        if ptype == "share":
            if not all(b is None or isinstance(b, (int, float)) and 0 <= b <= 1 for b in (low, high)):
                raise RuleDefinitionError(f"rule {rule_id}: parameter {name} is a share, but its min or max lies "
                                          "outside 0 to 1; fix: give bounds from 0 to 1 (0.3 for 30%), or none")
            low, high = 0.0 if low is None else low, 1.0 if high is None else high
        if ptype == "money":
            if not all(b is None or isinstance(b, (int, float)) and b >= 0 for b in (low, high)):
                raise RuleDefinitionError(f"rule {rule_id}: parameter {name} is an amount in yuan, but its min or max "
                                          "is below 0; fix: give bounds of 0 or more, or none")
            low = 0.0 if low is None else low
        given = p.get("choices")
        told = _check(rule_id, checks.descriptions, p, f"parameter {name}", f" under [parameters.{name}]")
        param = Parameter(name, ptype, p["default"], told["en"], told["zh"], low, high,
                          _choices(given, rule_id, name), given if isinstance(given, str) else None)
        param.coerce(p["default"], rule_id)  # the default itself must be valid
        params[name] = param
    described = _check(rule_id, checks.descriptions, meta)
    _check(rule_id, checks.same_names, described, params)
    queries = _queries(folder, QUERY_FILES, rule_id, params)
    explain = _need(meta, "explain", rule_id, dict, "add [explain] with zh = \"...\" and en = \"...\"")
    for lang in ("zh", "en"):
        if lang not in explain:
            raise RuleDefinitionError(f"rule {rule_id}: [explain] has no {lang}; fix: add {lang} = \"...\"")
    labels = _labels(meta, rule_id)
    columns = _query_columns(rule_id, queries, params, empty)
    texts = {f"[explain] {lang}": str(explain[lang]) for lang in ("zh", "en")}
    texts.update({f"[labels.{col}.{value}] {lang}": texts_[lang] for col, values in labels.items()
                  for value, texts_ in values.items() for lang in ("zh", "en")})
    _check(rule_id, checks.check_placeholders, texts, columns, params, labels)
    english = {"title_en": str(meta.get("title_en") or ""), "description_en": described["en"],
               **{f"[parameters.{n}] description_en": p.description_en for n, p in params.items()},
               **{where: text for where, text in texts.items() if where.endswith(" en")}}
    _check(rule_id, checks.english_only, english)
    group_by = tuple(meta.get("group_by", ["official_id", "org_id", "via_id"]))
    for g in group_by:
        if g not in GROUP_COLUMNS:
            raise RuleDefinitionError(f"rule {rule_id}: group_by has {g!r}; fix: use columns from "
                                      f"{', '.join(GROUP_COLUMNS)}")
    cases_dir = folder / "cases"
    return Rule(
        id=rule_id,
        title_en=_need(meta, "title_en", rule_id, str, "title_en = \"...\""),
        title_zh=_need(meta, "title_zh", rule_id, str, "title_zh = \"...\""),
        severity=severity,
        weight=int(_need(meta, "weight", rule_id, int, "weight = 0..100, the rule's base score")),
        description_en=described["en"],
        description_zh=described["zh"],
        basis=_need(meta, "basis", rule_id, str, "basis = \"the legal or regulatory basis, quoted\""),
        inputs=tuple(_need(meta, "inputs", rule_id, list, "inputs = [\"people.csv\", ...]")),
        parameters=params,
        queries=queries,
        explain={k: str(v) for k, v in explain.items()},
        group_by=group_by,
        folder=folder,
        labels=labels,
        closeness_default=meta.get("closeness"),
        aggregate=tuple(meta.get("aggregate", ())),
        step=_step(meta, rule_id),
        order=int(meta.get("order", 100)),
        cases=sorted(cases_dir.glob("*.toml")) if cases_dir.exists() else [],
        undated=_undated(folder, meta, rule_id, params),
    )


def _queries(folder: Path, files: dict[str, str], rule_id: str, params: dict[str, Parameter]) -> dict[str, str]:
    queries: dict[str, str] = {}
    for lang, fname in files.items():
        qpath = folder / fname
        if not qpath.exists():
            raise RuleDefinitionError(f"rule {rule_id}: {fname} is missing; fix: write the rule's query for the "
                                      f"{lang} backends in {qpath}")
        text = _check(rule_id, checks.tie_bounds, qpath.read_text(encoding="utf-8"), fname, params)
        used = set(_PARAM_RE.findall(_strip_comments(text, lang)))
        unknown = sorted(used - set(params) - set(GLOBAL_PARAMS))
        if unknown:
            raise RuleDefinitionError(f"rule {rule_id}: {fname} uses unknown parameter(s) {', '.join(unknown)}; "
                                      "fix: declare them under [parameters] in rule.toml or correct the name")
        queries[lang] = text
    return queries


def _undated(folder: Path, meta: dict, rule_id: str, params: dict[str, Parameter]) -> Undated | None:
    """A rule's undated-role listing: [undated.reasons] in rule.toml and both undated queries, or none of them."""
    files = [f for f in UNDATED_FILES.values() if (folder / f).exists()]
    if "undated" not in meta:
        if files:
            raise RuleDefinitionError(f"rule {rule_id}: {files[0]} is there but rule.toml has no [undated.reasons]; "
                                      "fix: add [undated.reasons.KEY] with zh and en for each reason the query gives")
        return None
    reasons = meta["undated"].get("reasons") if isinstance(meta["undated"], dict) else None
    if not reasons or not isinstance(reasons, dict):
        raise RuleDefinitionError(f"rule {rule_id}: [undated] has no reasons; fix: add [undated.reasons.KEY] with "
                                  "zh and en for each reason the undated query gives")
    for key, texts in reasons.items():
        for lang in ("zh", "en"):
            if not isinstance(texts, dict) or not isinstance(texts.get(lang), str):
                raise RuleDefinitionError(f"rule {rule_id}: [undated.reasons.{key}] has no {lang}; fix: add "
                                          f"{lang} = \"...\"")
    return Undated(_queries(folder, UNDATED_FILES, rule_id, params),
                   {k: {lang: str(v[lang]) for lang in ("zh", "en")} for k, v in reasons.items()})


def _choices(given: Any, rule_id: str, name: str) -> tuple[str, ...] | None:
    """A parameter's choices: a list, or the name of a vocabulary (graph.vocabulary), whose words they are."""
    if given is None:
        return None
    if isinstance(given, str):
        if given not in VOCABULARIES:
            raise RuleDefinitionError(f"rule {rule_id}: parameter {name} takes its choices from {given!r}, which is "
                                      f"not a vocabulary; fix: use one of {', '.join(VOCABULARIES)} or a list")
        return VOCABULARIES[given].ids
    return tuple(given)


def _check(rule_id: str, check, *args):
    """Run one of rules/checks.py's checks; its problem becomes a RuleDefinitionError naming the rule."""
    try:
        return check(*args)
    except checks.Problem as exc:
        raise RuleDefinitionError(f"rule {rule_id}: {exc}") from None


def _query_columns(rule_id: str, queries: dict[str, str], params: dict[str, Parameter], empty: Any) -> list[str]:
    """The columns both queries return (the same names, or the rule is refused): the SQL query's are read by
    running it over an empty in-memory graph, the Cypher query's from its RETURN clause."""
    from ..graph.duckdb_backend import DuckDBBackend

    values = {name: p.default for name, p in params.items()} | {g: None for g in GLOBAL_PARAMS}
    backend = empty if empty is not None else DuckDBBackend()
    try:
        sql = backend.columns(queries["sql"], values)
    except BackendError as exc:
        raise RuleDefinitionError(f"rule {rule_id}: query.sql does not run ({exc}); fix the query") from None
    finally:
        if empty is None:
            backend.close()
    cypher = _check(rule_id, checks.cypher_columns, queries["cypher"])
    _check(rule_id, checks.same_columns, sql, cypher)
    missing = [c for c in ("official_id", "org_id", "via_id", "decision_id", "first_date", "last_date", "amount",
                           "edges") if c not in sql]
    if missing:
        raise RuleDefinitionError(f"rule {rule_id}: the queries do not return {', '.join(missing)}; fix: every rule "
                                  f"returns {', '.join(ATOM_COLUMNS)} (null where it has none)")
    return sql


def _step(meta: dict, rule_id: str) -> str | None:
    from .steps import STEPS

    name = meta.get("step")
    if name is not None and name not in STEPS:
        raise RuleDefinitionError(f"rule {rule_id}: unknown post step {name!r}; fix: use one of "
                                  f"{', '.join(STEPS)}")
    return name


def _labels(meta: dict, rule_id: str) -> dict[str, dict[str, dict[str, str]]]:
    labels = meta.get("labels", {})
    for column, values in labels.items():
        for value, texts in values.items():
            for lang in ("zh", "en"):
                if lang not in texts:
                    raise RuleDefinitionError(f"rule {rule_id}: [labels.{column}.{value}] has no {lang}; fix: add "
                                              f"{lang} = \"...\"")
    return labels


def _strip_comments(text: str, lang: str) -> str:
    marker = "--" if lang == "sql" else "//"
    return "\n".join(line.split(marker, 1)[0] for line in text.splitlines())
