"""What a sweep is asked to do — which rules, their parameters, the language, the reference date — gathered from a
config file, `RULE.NAME=VALUE` parameters and plain values, and checked whole before any data is read.

Every command that sweeps (sweep, view, report, the workbench) goes through `sweep_settings`, so they accept and
refuse the same values. Precedence: rule defaults < config file < explicit parameters.
"""

from __future__ import annotations

import datetime as dt
import difflib
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import GovtiesError
from ..loaders.limits import NotReadable, read_small
from ..loaders.values import date_problem, parse_date
from ..rules.catalog import catalog
from ..rules.engine import resolve_params
from ..rules.profiles import DEFAULT as DEFAULT_PROFILE, checked_params, param_tables, parameters as profile_parameters
from ..rules.spec import Rule

LANGS = ("zh", "en")
CONFIG_KEYS = ("lang", "rules", "params", "as_of", "profile")
# how a program gives sweep_settings its parameters
PARAMS_SHAPE = ('give params as {rule: {name: value}} or ["rule.name=value", ...], e.g. '
                '{"post-retirement": {"senior_years": 5}}')


class SettingsError(GovtiesError):
    """An option, a parameter or a config file value is not acceptable; the message names it and the fix."""


@dataclass(frozen=True)
class SweepSettings:
    rules: tuple[Rule, ...]
    params: Mapping[str, Mapping[str, Any]]  # rule id -> every parameter of the rule, resolved and checked
    lang: str = "zh"
    as_of: str | None = None  # ISO date, or None: the latest date in the graph
    profile: str = DEFAULT_PROFILE  # the jurisdiction's reading of the rules (rules/profiles/NAME.toml)
    sources: tuple[str, ...] = field(default=())  # where the values came from (config file ...), for the record

    @property
    def rule_ids(self) -> list[str]:
        return [r.id for r in self.rules]


#: How sweep_settings' messages name its arguments: as a Python caller writes them. The command line passes its
#: options' names instead (cli/options.py).
ARGUMENTS = {"lang": "lang", "rules": "rules", "params": "params", "as_of": "as_of"}


def parse_param_items(items: Iterable[str], where: str = "params") -> dict[str, dict[str, str]]:
    """`RULE.NAME=VALUE` items to {rule: {name: value}} (values are checked against the rule later); `where` names
    the items in a message (--param on the command line)."""
    out: dict[str, dict[str, str]] = {}
    for item in items:
        key, sep, value = item.partition("=")
        rule, dot, name = key.strip().rpartition(".")
        if not sep or not dot or not rule or not name:
            example = "post-retirement.senior_years=5"
            raise SettingsError(f"{where} {item!r}: write RULE.PARAMETER=VALUE, e.g. "
                                + (f"{where} {example}" if where.startswith("--") else f'{where}=["{example}"]'))
        out.setdefault(rule, {})[name] = value.strip()
    return out


def read_config(path: str | Path) -> dict[str, Any]:
    """A TOML config file: lang, rules, as_of and [params.RULE] tables; every key and value checked."""
    where = str(path)
    try:
        data = tomllib.loads(read_small(path, "config file", "配置文件").decode("utf-8"))
    except NotReadable as exc:
        raise SettingsError(f"the config file {where} {exc}; {exc.fix}") from None
    except OSError as exc:
        raise SettingsError(f"cannot read the config file {where}: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise SettingsError(f"the config file {where} is not UTF-8 text (bad byte at offset {exc.start}); save it "
                            "as UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"the config file {where} is not valid TOML: {exc}") from None
    except RecursionError:
        raise SettingsError(f"the config file {where} is nested too deeply to be a config file") from None
    return check_config(data, f"the config file {where}")


def check_config(data: Mapping[str, Any], where: str = "config") -> dict[str, Any]:
    """A config's content (a config file's, or a program's mapping), every key and value checked; `where` names it
    in a message."""
    unknown = sorted(set(data) - set(CONFIG_KEYS))
    if unknown:
        raise SettingsError(f"{where} has unknown key(s) {', '.join(unknown)}; known: {', '.join(CONFIG_KEYS)}")
    out = dict(data)
    if "rules" in out and not (isinstance(out["rules"], list) and all(isinstance(r, str) for r in out["rules"])):
        raise SettingsError(f"{where}: rules must be a list of rule ids, e.g. rules = [\"relative-business\"]")
    if "params" in out:  # each value as the rule reads it, a problem naming this config and the key
        out["params"] = checked_params(out["params"], where, text=True, error=SettingsError)
    if isinstance(out.get("as_of"), dt.date) and not isinstance(out["as_of"], dt.datetime):
        out["as_of"] = out["as_of"].isoformat()  # a TOML date (as_of = 2024-12-31), as the same date in text
    for key, example in (("lang", '"en"'), ("as_of", '2024-12-31 (a date) or "2024-12-31"'), ("profile", '"uk"')):
        if key in out and not isinstance(out[key], str):
            raise SettingsError(f"{where}: {key} must be {'a date or ' if key == 'as_of' else ''}text, not "
                                f"{out[key]!r}; fix: write e.g. {key} = {example}")
    return out


def check_as_of(value: str | None, where: str = "as_of") -> str | None:
    """A reference date in any form the data accepts, as ISO; None stays None."""
    if value is None or value == "":
        return None
    iso = parse_date(str(value))
    if iso is None:
        raise SettingsError(f"{where} {value!r} is not a date: {date_problem(str(value))}")
    return iso


def select_rules(ids: Iterable[str] | str | None, where: str = "rules") -> tuple[Rule, ...]:
    """Rules by id, in the catalog's order, each once; None: every rule. Ids given that name none ("", ",": an
    empty shell variable, say) are refused, never read as every rule; `where` names where they were given."""
    rules = catalog()
    if ids is None:
        return tuple(rules.values())
    if isinstance(ids, str):
        ids = ids.split(",")
    wanted = [i.strip() for i in ids if i and i.strip()]
    if not wanted:
        raise SettingsError(f"{where} names no rule; give rule ids (`govties rules list` shows them), or leave "
                            f"{where} out to run every rule")
    unknown = [i for i in dict.fromkeys(wanted) if i not in rules]
    if unknown:
        near = {i: close[0] for i in unknown
                if (close := difflib.get_close_matches(i.replace("_", "-").lower(), rules, n=1, cutoff=0.75))}
        meant = ""
        if len(near) == 1 and len(unknown) == 1:
            meant = f" (did you mean {next(iter(near.values()))}?)"
        elif near:  # several: which is meant for which
            meant = " (did you mean " + ", ".join(f"{close} for {i}" for i, close in near.items()) + "?)"
        raise SettingsError(f"unknown rule id(s): {', '.join(unknown)}{meant}; known rules: {', '.join(rules)}")
    chosen = set(wanted)
    return tuple(r for r in rules.values() if r.id in chosen)


def sweep_settings(*, rules: Iterable[str] | str | None = None,
                   params: Mapping[str, Mapping[str, Any]] | Iterable[str] | None = None,
                   config: str | Path | Mapping[str, Any] | None = None, lang: str | None = None,
                   as_of: str | None = None, profile: str | None = None,
                   named: Mapping[str, str] = ARGUMENTS) -> SweepSettings:
    """Everything a sweep needs, checked before any data is read. `params` is {rule: {name: value}} or
    `RULE.NAME=VALUE` strings; `config` a TOML file or its content; `profile` names a jurisdiction's reading of
    the rules (rules/profiles/NAME.toml; cn by default). Precedence: rule defaults < profile < config < params.
    `named` is how messages name the arguments (ARGUMENTS: as Python calls them; the command line's options)."""
    sources: list[str] = []
    cfg: Mapping[str, Any] = {}
    if isinstance(config, Mapping):
        cfg = check_config(config)
    elif config:
        cfg = read_config(config)
        sources.append(str(config))
    given_lang = lang or cfg.get("lang", "zh")
    lang = given_lang.lower() if isinstance(given_lang, str) else given_lang  # EN is en
    if lang not in LANGS:
        where = named["lang"] if given_lang != cfg.get("lang") else f"lang in {config}"
        raise SettingsError(f"{where} {lang!r} is not a language govties writes: use zh or en")
    extra: Any = params or {}
    if isinstance(extra, Iterable) and not isinstance(extra, (Mapping, str, bytes)):
        items = list(extra)
        extra = parse_param_items(items, named["params"]) if all(isinstance(i, str) for i in items) else items
    extra = param_tables(extra, "sweep_settings", PARAMS_SHAPE, SettingsError)  # any other shape is refused
    profile = profile or cfg.get("profile") or DEFAULT_PROFILE
    given = profile_parameters(profile, cfg.get("params", {}), extra)
    known = catalog()
    unknown = sorted(set(given) - set(known))
    if unknown:
        raise SettingsError(f"parameters name unknown rule(s) {', '.join(unknown)}; `govties rules list` shows them")
    chosen = select_rules(rules, named["rules"]) if rules is not None else select_rules(
        cfg.get("rules"), f"rules in {config}" if sources else "rules in the config")
    resolved = {r.id: resolve_params(r, given.get(r.id)) for r in known.values() if r.id in given or r in chosen}
    for r in chosen:
        resolved.setdefault(r.id, resolve_params(r, None))
    as_of = check_as_of(as_of if as_of is not None else cfg.get("as_of"),
                        named["as_of"] if as_of is not None else f"as_of in {config}")
    return SweepSettings(chosen, resolved, lang, as_of, profile, tuple(sources))
