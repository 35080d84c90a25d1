"""A rule as data: its folder holds rule.toml (metadata, parameters, explanation), one query per backend
(query.sql, query.cypher) and cases/ (small positive and negative datasets that run on every backend).

`load_rule` validates a folder when the catalog is built; a broken rule fails with its id and the fix.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import GovtiesError
from ..graph.backend import BackendError
from . import checks
from ..graph.vocabulary import ALL as VOCABULARIES

SEVERITIES = ("high", "medium", "low")
PARAM_TYPES = {"int": int, "float": float, "str": str, "bool": bool, "list": list}
QUERY_FILES = {"sql": "query.sql", "cypher": "query.cypher"}
GROUP_COLUMNS = ("official_id", "org_id", "via_id", "decision_id")
ATOM_COLUMNS = ("official_id", "org_id", "via_id", "decision_id", "first_date", "last_date", "amount", "edges")
GLOBAL_PARAMS = ("as_of",)
_PARAM_RE = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


class RuleDefinitionError(GovtiesError):
    """A rule folder is broken; the message names the rule and the fix."""


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    default: Any
    description: str
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] | None = None

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
            if str(value).lower() in ("true", "1", "yes"):
                return True
            if str(value).lower() in ("false", "0", "no"):
                return False
            raise bad("true or false")
        try:
            out = PARAM_TYPES[self.type](value)
        except (TypeError, ValueError):
            raise bad(f"a value of type {self.type}") from None
        if self.type == "int" and isinstance(value, float) and value != int(value):
            raise bad("a whole number")
        if self.minimum is not None and out < self.minimum:
            raise bad(f"a value of at least {self.minimum}")
        if self.maximum is not None and out > self.maximum:
            raise bad(f"a value of at most {self.maximum}")
        if self.choices and out not in self.choices:
            raise bad(f"one of {', '.join(self.choices)}")
        return out


@dataclass(frozen=True)
class Rule:
    id: str
    title_en: str
    title_zh: str
    severity: str
    weight: int
    description: str
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

    def defaults(self) -> dict[str, Any]:
        return {p.name: p.default for p in self.parameters.values()}

    def title(self, lang: str) -> str:
        return self.title_zh if lang == "zh" else self.title_en


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
        param = Parameter(name, ptype, p["default"], p.get("description", ""), p.get("min"), p.get("max"),
                          _choices(p.get("choices"), rule_id, name))
        param.coerce(p["default"], rule_id)  # the default itself must be valid
        params[name] = param
    queries: dict[str, str] = {}
    for lang, fname in QUERY_FILES.items():
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
        description=_need(meta, "description", rule_id, str, "description = \"...\""),
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
    )


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
