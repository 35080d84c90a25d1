"""A rule as data: its folder holds rule.toml (metadata, parameters, explanation), one query per backend
(query.sql, query.cypher) and cases/ (small positive and negative datasets that run on every backend).

`load_rule` validates a folder when the catalog is built; a broken rule fails with its id and the fix.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..graph.vocabulary import ALL as VOCABULARIES

SEVERITIES = ("high", "medium", "low")
PARAM_TYPES = {"int": int, "float": float, "str": str, "bool": bool, "list": list}
QUERY_FILES = {"sql": "query.sql", "cypher": "query.cypher"}
GROUP_COLUMNS = ("official_id", "org_id", "via_id", "decision_id")
ATOM_COLUMNS = ("official_id", "org_id", "via_id", "decision_id", "first_date", "last_date", "amount", "edges")
GLOBAL_PARAMS = ("as_of",)
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


class RuleDefinitionError(Exception):
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
            if isinstance(value, str) and value.strip().lower() in ("true", "1", "yes"):
                return True
            if isinstance(value, str) and value.strip().lower() in ("false", "0", "no"):
                return False
            raise bad("true or false")
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise bad(f"a value of type {self.type}")  # true is not the number 1; a list or table is not a number
        if self.type == "str":
            out = value if isinstance(value, str) else str(value)
        elif self.type == "int":
            out = _whole(value)
            if out is None:
                raise bad("a whole number")
            if not INT_MIN <= out <= INT_MAX:
                raise bad("a whole number that fits in 64 bits")
        else:
            try:
                out = float(value)
            except (TypeError, ValueError):
                raise bad("a number") from None
            if not math.isfinite(out):
                raise bad("a finite number (not nan or inf)")
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
    post: str | None = None  # a named post-processing step over all of the rule's findings (rules/post.py)
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


def load_rule(folder: Path) -> Rule:
    rule_id = folder.name
    meta_path = folder / "rule.toml"
    if not meta_path.exists():
        raise RuleDefinitionError(f"rule {rule_id}: {meta_path} is missing; fix: add rule.toml with id, titles, "
                                  "severity, basis, inputs, parameters and explain")
    try:
        meta = tomllib.loads(meta_path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise RuleDefinitionError(f"rule {rule_id}: rule.toml is not valid TOML ({exc}); fix the syntax") from exc
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
        text = qpath.read_text(encoding="utf-8")
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
        labels=_labels(meta, rule_id),
        closeness_default=meta.get("closeness"),
        aggregate=tuple(meta.get("aggregate", ())),
        post=_post(meta, rule_id),
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


def _post(meta: dict, rule_id: str) -> str | None:
    from .post import POST_STEPS

    name = meta.get("post")
    if name is not None and name not in POST_STEPS:
        raise RuleDefinitionError(f"rule {rule_id}: unknown post step {name!r}; fix: use one of "
                                  f"{', '.join(POST_STEPS)}")
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
