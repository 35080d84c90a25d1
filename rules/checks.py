"""Checks a rule folder must pass when the catalog loads, beyond the shape of rule.toml (rules/spec.py): unknown
keys, a description missing in a language or whose two languages name different `names`, English texts holding
Chinese, explanation placeholders
nothing fills, queries that return different columns, and Cypher literals that implement a parameter's bound
without being tied to it. Each failure names the rule, what is wrong and the fix.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Mapping
from typing import Any

RULE_KEYS = frozenset({
    "id", "order", "title_en", "title_zh", "severity", "weight", "closeness", "inputs", "group_by",
    "description_en", "description_zh", "basis", "parameters", "explain", "labels", "aggregate", "step", "undated",
})
PARAMETER_KEYS = frozenset({"type", "default", "description_en", "description_zh", "min", "max", "choices"})
# a description in each language, as the titles are (title_en, title_zh); `description` alone was English
DESCRIPTION_KEYS = {"en": "description_en", "zh": "description_zh"}
# Chinese: a character (CJK unified ideographs and every extension, compatibility ideographs, radicals) or
# punctuation only Chinese uses: 、。（），：；【】 and the like (CJK symbols and punctuation, full-width and small
# forms, vertical forms), bopomofo and enclosed CJK. English's own “ ” … are not among them.
HAN = re.compile("[\u2e80-\u2fdf\u3000-\u303f\u3100-\u33ff\u3400-\u9fff\uf900-\ufaff\ufe10-\ufe1f"
                 "\ufe30-\ufe6f\uff00-\uffef\U00020000-\U0003ffff]")
TICKED = re.compile(r"`([^`]+)`")  # a `name` in a rule's description: a parameter (told as its value) or a column
# What the engine puts in every explanation's context (rules/findings.py _context), besides the query's own columns,
# the parameters (param_NAME, and param_NAME_money and param_NAME_percent for numbers) and the labels' texts
# (COLUMN_text).
CONTEXT_KEYS = frozenset({
    "official_id", "official_name", "org_id", "org_name", "via_id", "via_name", "relation", "role",
    "decision_count", "decision_ids", "decisions_text", "amount_total", "first_date", "last_date",
})
# {{parameter.min}} / {{parameter.max}} / {{parameter.default}} in a query: the parameter's declared value, written
# in at catalog load (Cypher cannot take a parameter where a literal is needed, e.g. a variable-length bound).
BOUND = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\.(min|max|default)\s*\}\}")
# a variable-length relationship pattern with a number written in: [:TYPE*2..6], [*..3], [:TYPE*2]
UNTIED_LENGTH = re.compile(r"\[[^\[\]]*\*\s*(?:\d+\s*(?:\.\.\s*\d*)?|\.\.\s*\d+)[^\[\]]*\]")


class Problem(Exception):
    """One check failed: the message, without the rule's name (the caller adds it)."""


def unknown_keys(meta: Mapping[str, Any], extra: Iterable[str] = ()) -> None:
    if "description" in meta:
        raise Problem("rule.toml has description, which is now written once per language; fix: rename it "
                      "description_en and add description_zh, the same description in Chinese (as title_en and "
                      "title_zh)")
    unknown = sorted(set(meta) - RULE_KEYS - set(extra))
    if unknown:
        raise Problem(f"rule.toml has unknown key(s) {', '.join(unknown)}; fix: remove them or correct the name "
                      f"(known: {', '.join(sorted(RULE_KEYS | set(extra)))})")
    for name, table in (meta.get("parameters") or {}).items():
        if not isinstance(table, Mapping):
            raise Problem(f"parameter {name} must be a table; fix: write [parameters.{name}] with type and default")
        if "description" in table:
            raise Problem(f"parameter {name} has description, which is now written once per language; fix: rename "
                          f"it description_en and add description_zh, the same description in Chinese, under "
                          f"[parameters.{name}]")
        bad = sorted(set(table) - PARAMETER_KEYS)
        if bad:
            raise Problem(f"parameter {name} has unknown key(s) {', '.join(bad)}; fix: use "
                          f"{', '.join(sorted(PARAMETER_KEYS))}")


def descriptions(table: Mapping[str, Any], where: str = "rule.toml", under: str = "") -> dict[str, str]:
    """The description in each language (lang -> text) of a rule (`table` its rule.toml) or of a parameter (`table`
    its [parameters.NAME], `where` naming it, `under` where its keys go): each given, as text that says something."""
    out: dict[str, str] = {}
    for lang, name in DESCRIPTION_KEYS.items():
        text = table.get(name)
        if not isinstance(text, str) or not text.strip():
            said = "no" if text is None else "an empty" if isinstance(text, str) else "a non-text"
            language = "Chinese" if lang == "zh" else "English"
            raise Problem(f"{where} has {said} {name}; fix: add {name} = \"...\"{under}, the description in "
                          f"{language}")
        out[lang] = text.strip()
    return out


def same_names(texts: Mapping[str, str], parameters: Iterable[str]) -> None:
    """The two languages of a rule's description name the same `names` (parameters a sweep's values fill, columns):
    one the other lacks is a parameter left untold in one language, or a misspelt one told as its bare name."""
    names = {lang: set(TICKED.findall(text)) for lang, text in texts.items()}
    params = set(parameters)
    for lang, other in (("zh", "en"), ("en", "zh")):
        extra = sorted(names[lang] - names[other])
        if extra:
            told = ", ".join(f"`{n}`" + ("" if n in params else " (no parameter)") for n in extra)
            raise Problem(f"{DESCRIPTION_KEYS[lang]} names {told}, which {DESCRIPTION_KEYS[other]} does not; fix: "
                          "name the same parameters and columns in both languages, each in backticks and spelt as "
                          "under [parameters], or correct the name")


def english_only(texts: Mapping[str, str]) -> None:
    """A rule's English texts (its title, descriptions, explanation and labels) hold no Chinese: they are read by
    people who may read none, and the Chinese texts beside them say the same in Chinese (a term such as 三重一大
    belongs there). Values put in from data (names) are not the template's text."""
    for where, text in texts.items():
        found = HAN.search(text)
        if found:
            start = max(0, found.start() - 20)
            raise Problem(f"{where} holds Chinese ({text[start:found.end() + 20].strip()!r}); fix: say it in English "
                          "(a Chinese term of art goes in the Chinese text beside it, e.g. title_zh)")


def tie_bounds(text: str, fname: str, parameters: Mapping[str, Any]) -> str:
    """The query with every {{parameter.min|max|default}} written in as the declared value (an integer)."""
    def value(m: re.Match) -> str:
        name, attr = m.group(1), m.group(2)
        param = parameters.get(name)
        if param is None:
            raise Problem(f"{fname} names {{{{{name}.{attr}}}}}, but there is no parameter {name}; fix: declare it "
                          "or correct the name")
        declared = getattr(param, "minimum" if attr == "min" else "maximum" if attr == "max" else "default")
        if not isinstance(declared, int) or isinstance(declared, bool):
            raise Problem(f"{fname} names {{{{{name}.{attr}}}}}, but parameter {name} declares no whole-number "
                          f"{attr}; fix: give it {attr} = N in rule.toml")
        return str(declared)

    if fname.endswith(".cypher"):
        untied = UNTIED_LENGTH.search(_without_comments(text, "//"))
        if untied:
            raise Problem(f"{fname} writes the length {untied.group(0)!r} as a number, tied to no parameter; fix: "
                          "write the bound as {{parameter.max}} (or .min) of the parameter it implements")
    return BOUND.sub(value, text)


def placeholders(template: str) -> set[str]:
    return {field.split(".")[0].split("[")[0] for _, field, _, _ in string.Formatter().parse(template) if field}


def check_placeholders(texts: Mapping[str, str], columns: Iterable[str], parameters: Mapping[str, Any],
                       labels: Mapping[str, Any]) -> None:
    """Every {placeholder} of the explanations and label texts is filled by the engine, the query's columns, a
    parameter or a label; otherwise it would silently print as nothing."""
    known = set(CONTEXT_KEYS) | set(columns) | {f"{c}_text" for c in labels}
    for name, param in parameters.items():
        known.add(f"param_{name}")
        if param.number:
            known.update((f"param_{name}_money", f"param_{name}_percent"))
    for where, template in texts.items():
        try:
            missing = sorted(placeholders(template) - known)
        except ValueError as exc:
            raise Problem(f"{where} is not a valid template ({exc}); fix: balance the braces, write {{{{ for a "
                          "literal brace") from None
        if missing:
            raise Problem(f"{where} uses {', '.join('{' + m + '}' for m in missing)}, which nothing fills; fix: "
                          "return it as a column of both queries, or use one of the engine's names "
                          f"({', '.join(sorted(CONTEXT_KEYS))}), param_NAME or a label's COLUMN_text")


def cypher_columns(query: str) -> list[str]:
    """The names a Cypher query returns: the aliases of its top-level RETURN (the first branch of a UNION)."""
    text = _without_comments(query, "//")
    depth, i, found = 0, 0, None
    while i < len(text):
        ch = text[i]
        if ch in "'\"":
            end = text.find(ch, i + 1)
            i = len(text) if end < 0 else end + 1
            continue
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif depth == 0 and text[i:i + 6].upper() == "RETURN" and _word_edge(text, i, 6):
            found = i + 6
            break
        i += 1
    if found is None:
        raise Problem("query.cypher has no top-level RETURN; fix: end it with RETURN ... AS column, ...")
    body = re.split(r"\bUNION\b", text[found:], maxsplit=1, flags=re.IGNORECASE)[0]
    body = re.split(r"\b(?:ORDER\s+BY|SKIP|LIMIT)\b", body, maxsplit=1, flags=re.IGNORECASE)[0]
    names = []
    for item in _split_top(body):
        alias = re.search(r"\bAS\s+`?([A-Za-z_][A-Za-z0-9_]*)`?\s*$", item, flags=re.IGNORECASE)
        names.append(alias.group(1) if alias else item.strip().split(".")[-1])
    return names


def same_columns(sql: list[str], cypher: list[str]) -> None:
    if sorted(sql) != sorted(cypher):
        only_sql, only_cypher = sorted(set(sql) - set(cypher)), sorted(set(cypher) - set(sql))
        raise Problem("query.sql and query.cypher return different columns (only in query.sql: "
                      f"{', '.join(only_sql) or 'none'}; only in query.cypher: {', '.join(only_cypher) or 'none'}); "
                      "fix: return the same names from both")


def _word_edge(text: str, i: int, n: int) -> bool:
    before = text[i - 1] if i else " "
    after = text[i + n] if i + n < len(text) else " "
    return not (before.isalnum() or before == "_") and not (after.isalnum() or after == "_")


def _split_top(text: str) -> list[str]:
    items, depth, start, quote = [], 0, 0, ""
    for i, ch in enumerate(text):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "," and depth == 0:
            items.append(text[start:i])
            start = i + 1
    items.append(text[start:])
    return [i for i in items if i.strip()]


def _without_comments(text: str, marker: str) -> str:
    return "\n".join(line.split(marker, 1)[0] for line in text.splitlines())
