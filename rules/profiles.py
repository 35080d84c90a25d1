"""Profiles: the same rules read as a jurisdiction's law reads them. A profile is a TOML file in rules/profiles/
(its name is the file's stem) with a `title`, the `basis` it cites and [params.RULE] tables of parameter values,
checked against the catalog when it is loaded. `cn` is the default; a config file's [params.RULE] values and
`--param` win over a profile's.

    title = "United Kingdom: ..."
    basis = "Business Appointment Rules ..."
    [params.post-retirement]
    senior_years = 2
"""

from __future__ import annotations

import reprlib
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import GovtiesError
from .catalog import catalog
from .spec import TEXT_TYPES, Rule, RuleDefinitionError

PROFILES_DIR = Path(__file__).parent / "profiles"
DEFAULT = "cn"
KEYS = ("title", "basis", "params")
# how a TOML file (a profile, a config file) writes parameter values
TOML_SHAPE = "write [params.RULE] tables of NAME = VALUE lines, e.g. [params.post-retirement] senior_years = 5"


class ProfileError(RuleDefinitionError):
    """A profile is broken or unknown; the one-line message names the profile file, the key and the fix."""


def param_tables(tables: Any, where: str, fix: str = TOML_SHAPE,
                 error: Callable[[str], GovtiesError] = ProfileError) -> dict[str, dict[str, Any]]:
    """Parameter values by rule, {rule: {name: value}}, as a profile, a config file or a program gives them; any
    other shape is `error`, one line naming `where`, the rule whose values are not a table, and `fix`."""
    if not isinstance(tables, Mapping):
        raise error(f"{where}: params must hold one table per rule, not {reprlib.repr(tables)}; fix: {fix}")
    for rule_id, values in tables.items():
        if not isinstance(values, Mapping):
            raise error(f"{where}: key params.{rule_id} must be a table of parameters, not {reprlib.repr(values)}; "
                        f"fix: {fix}")
    return {str(rule_id): dict(values) for rule_id, values in tables.items()}


@dataclass(frozen=True)
class Profile:
    name: str
    title: str
    basis: str
    params: dict[str, dict[str, Any]]  # rule id -> parameter -> value, checked against the rule
    path: Path


def checked_params(tables: Any, where: str, rules: Mapping[str, Rule] | None = None, *, text: bool = False,
                   error: Callable[[str], GovtiesError] = ProfileError) -> dict[str, dict[str, Any]]:
    """[params.RULE] tables (a profile's, a config file's) checked against `rules` (the catalog by default): each
    rule and parameter known, each value of its parameter's type, as the rule reads it; the first problem is `error`,
    one line naming `where`, the key (params.RULE.NAME) and the fix. `text`: a value of any type may be written as
    text (as on the command line), not only one of TEXT_TYPES (a str, a share, money)."""
    rules = catalog() if rules is None else rules
    params: dict[str, dict[str, Any]] = {}
    for rule_id, values in param_tables(tables, where, error=error).items():
        rule = rules.get(rule_id)
        if rule is None:
            raise error(f"{where}: key params.{rule_id} names no rule; fix: use a rule id from `govties rules list` "
                        f"({', '.join(rules)})")
        params[rule_id] = {}
        for name, value in values.items():
            param = rule.parameters.get(name)
            if param is None:
                raise error(f"{where}: key params.{rule_id}.{name}: {rule_id} has no parameter {name!r}; fix: use "
                            f"one of {', '.join(rule.parameters) or 'none'}")
            if isinstance(value, str) and not text and param.type not in TEXT_TYPES:
                raise error(f"{where}: key params.{rule_id}.{name}: expects a value of type {param.type}, got the "
                            f"text {value!r}; fix: write the value without quotes ({param.description('en')})")
            try:
                params[rule_id][name] = param.coerce(value, rule_id)
            except RuleDefinitionError as exc:
                expected = str(exc).split(" expects ", 1)[-1]
                raise error(f"{where}: key params.{rule_id}.{name}: expects {expected}; fix: correct the value "
                            f"({param.description('en')})") from None
    return params


def load_profile(path: Path, rules: Mapping[str, Rule] | None = None) -> Profile:
    """One profile file, every key checked against `rules` (the catalog by default)."""
    rules = catalog() if rules is None else rules
    where = f"profile {path}"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ProfileError(f"{where}: cannot be read ({exc.strerror}); fix: check the path") from None
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{where}: not valid TOML ({exc}); fix the syntax") from None
    unknown = sorted(set(data) - set(KEYS))
    if unknown:
        raise ProfileError(f"{where}: unknown key {unknown[0]!r}; fix: use only {', '.join(KEYS)}")
    for key, fix in (("title", "title = \"what it reads, in a line\""),
                     ("basis", "basis = \"the law or code it follows, cited\"")):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise ProfileError(f"{where}: no {key!r}; fix: add {fix}")
    params = checked_params(data.get("params", {}), where, rules)
    return Profile(path.stem, data["title"].strip(), data["basis"].strip(), params, path)


def profiles(folder: Path | None = None, rules: Mapping[str, Rule] | None = None) -> dict[str, Profile]:
    """Every profile in `folder` (the bundled ones by default), by name, each checked."""
    folder = folder or PROFILES_DIR
    return {p.stem: load_profile(p, rules) for p in sorted(folder.glob("*.toml"))}


def profile(name: str, folder: Path | None = None, rules: Mapping[str, Rule] | None = None) -> Profile:
    folder = folder or PROFILES_DIR
    path = folder / f"{name}.toml"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in folder.glob("*.toml")))
        raise ProfileError(f"no profile {name!r}; fix: use one of {known} (`govties rules profiles` lists them)")
    return load_profile(path, rules)


def parameters(name: str | None, *layers: Mapping[str, Mapping[str, Any]],
               folder: Path | None = None) -> dict[str, dict[str, Any]]:
    """The parameter overrides a sweep runs with: profile `name`'s (the default profile when None), then each layer
    in turn (a config file's [params.RULE] tables, then --param's), a later value winning over an earlier one."""
    out = {rule: dict(values) for rule, values in profile(name or DEFAULT, folder).params.items()}
    for layer in layers:
        for rule, values in layer.items():
            out.setdefault(rule, {}).update(values)
    return out
