"""FollowTheMoney entities (JSON lines, e.g. OpenSanctions PEP data) to a dataset in the contract's format.

Person -> people; Company, Organization, PublicBody, LegalEntity -> organizations (company, other, agency);
Position + Occupancy -> positions (a Position without an organization becomes an agency of its own);
Family -> relatives (Associate -> relation `other`); at any organization but a public body, Ownership ->
shareholder roles (percentage / 100), Directorship -> director (legal_rep when the role says so), Employment ->
employee; ContractAward (with its Contract's authority) and Payment from a public body -> decisions; an
UnknownLink whose role is a decision maker's (approver, signer, committee: as ftm-export writes them) from a person
to such a decision, or to a Contract awarded -> decision_makers. Needs the
`followthemoney` package (pip install 'govties[ftm]')."""

from __future__ import annotations

import csv
import json
import os
import re
import tempfile
from collections import defaultdict
from pathlib import Path

from ..cells import quoted
from .contract import FILES
from .crosscheck import REF_TARGETS
from .encodings import decode
from .limits import NotReadable, cannot_read, open_regular, reason_zh
from .problems import DataError, Problem, Problems, Zh
from .values import parse_date, parse_number, vocabulary_word

NOT_WRITTEN = "nothing was written"  # what a refused import did
ORG_KIND = {"Company": "company", "PublicBody": "agency", "Organization": "other", "LegalEntity": "other"}
FAMILY = {"husband": "spouse", "wife": "spouse", "partner": "spouse", "son": "child", "daughter": "child",
          "father": "parent", "mother": "parent", "brother": "sibling", "sister": "sibling",
          "son-in-law": "child_spouse", "daughter-in-law": "child_spouse", "father-in-law": "spouse_parent",
          "mother-in-law": "spouse_parent", "grandson": "grandchild", "granddaughter": "grandchild",
          "grandfather": "grandparent", "grandmother": "grandparent"}


def _model():
    try:
        from followthemoney import model
    except ImportError as exc:
        raise DataError([Problem("followthemoney", None, None, "is not installed",
                                 fix="pip install 'govties[ftm]' (or pip install followthemoney)",
                                 zh=Zh("未安装", "pip install 'govties[ftm]'（或 pip install followthemoney）"))],
                        NOT_WRITTEN) from exc
    return model


def _first(proxy, prop: str) -> str:
    values = proxy.get(prop, quiet=True)
    return values[0] if values else ""


def _whole_day(proxy, *props: str) -> str:
    for prop in props:
        for v in proxy.get(prop, quiet=True):
            iso = parse_date(v[:10]) if len(v) >= 10 else None
            if iso:
                return iso
    return ""


def read_entities(path: Path, problems: Problems) -> tuple[dict, dict[str, int]]:
    """The entities of a JSON-lines file by id, and each one's line; a line that is not one entity object is a
    problem with its line."""
    model = _model()
    from followthemoney.exc import FollowTheMoneyException

    try:
        with open_regular(path) as fh:
            data = fh.read()
    except NotReadable as exc:
        problems.items.append(exc.problem(path.name))
        return {}, {}
    except OSError as exc:
        problems.items.append(cannot_read(path.name, exc))
        return {}, {}
    decoded = decode(data, path.name, problems)
    if decoded is None:
        return {}, {}
    proxies, lines = {}, {}
    fix = "one JSON object with id, schema and properties per line"
    fix_zh = "每行一个含 id、schema、properties 的 JSON 对象"
    for n, line in enumerate(decoded[0].lstrip("\ufeff").splitlines(), start=1):
        if not line.strip():
            continue
        if len([p for p in problems.items if p.level == "error"]) >= 100:
            problems.add(path.name, None, None, "has more bad lines (the first 100 are listed)", fix=fix,
                         zh=Zh("还有更多有误的行（只列出前100行）", fix_zh))
            break
        try:
            obj = json.loads(line)
        except RecursionError:
            problems.add(path.name, n, None, "is not a FollowTheMoney entity: nested too deeply", fix=fix,
                         zh=Zh("不是 FollowTheMoney 实体：嵌套太深", fix_zh))
            continue
        except ValueError as exc:
            problems.add(path.name, n, None, f"is not a FollowTheMoney entity: not valid JSON ({exc})", fix=fix,
                         zh=Zh(f"不是 FollowTheMoney 实体：不是有效的 JSON（解析器的提示：{exc}）", fix_zh))
            continue
        shape = _shape_problem(obj)
        if shape:
            problems.add(path.name, n, None, f"is not a FollowTheMoney entity: {shape[0]}", fix=fix,
                         zh=Zh(f"不是 FollowTheMoney 实体：{shape[1]}", fix_zh))
            continue
        try:
            proxy = model.get_proxy(obj)
        except (ValueError, KeyError, TypeError, FollowTheMoneyException) as exc:
            problems.add(path.name, n, None, f"is not a FollowTheMoney entity ({exc})", fix=fix,
                         zh=Zh(f"不是 FollowTheMoney 实体（{exc}）", fix_zh))
            continue
        proxies[proxy.id] = proxy
        lines[proxy.id] = n
    return proxies, lines


#: a JSON value's kind as JSON names it, in English and in Chinese (not Python's type names)
_JSON_KINDS = {list: ("array", "数组"), str: ("string", "字符串"), int: ("number", "数字"), float: ("number", "数字"),
               bool: ("true or false", "布尔值"), type(None): ("null", "null")}


def _shape_problem(obj) -> tuple[str, str] | None:
    """What keeps a line's JSON from being an entity, in English and in Chinese; None when nothing does."""
    if not isinstance(obj, dict):
        kind = _JSON_KINDS.get(type(obj), ("value", "值"))
        return f"a JSON {kind[0]}, not an object", f"是 JSON {kind[1]}，不是对象"
    if not isinstance(obj.get("id"), str) or not obj["id"]:
        return "no id (a non-empty string)", "没有 id（非空字符串）"
    if not isinstance(obj.get("schema"), str):
        return "no schema name", "没有 schema 名称"
    props = obj.get("properties", {})
    if not isinstance(props, dict):
        return "properties is not an object", "properties 不是对象"
    for key, values in props.items():
        items = values if isinstance(values, list) else [values]
        if not all(isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in items):
            return f"property {key} holds something other than text", f"属性 {quoted(key)} 含有文本以外的内容"
    return None


_RANGE = re.compile(r"^\s*([0-9.]+)\s*(?:-|–|to)\s*([0-9.]+)\s*%?\s*$")


def share_of(pct: str) -> tuple[str, tuple[str, str] | None]:
    """An FtM ownership percentage as the contract's share (0-1, text), and a note (in English and in Chinese) when
    it is not a plain number: a band such as 25-50% keeps its lower bound; anything else leaves the share empty."""
    text = pct.strip()
    if not text:
        return "", None
    value = parse_number(text.rstrip("%"))
    if value is not None and 0 <= value <= 100:
        return str(value / 100), None
    band = _RANGE.match(text)
    if band:
        low, high = parse_number(band[1]), parse_number(band[2])
        if low is not None and high is not None and 0 <= low <= high <= 100:
            return str(low / 100), (f"the percentage band {text!r} is kept as its lower bound, {low / 100:g}",
                                    f"百分比区间“{quoted(text)}”按其下限 {low / 100:g} 计")
    return "", (f"the percentage {text!r} is not a number from 0 to 100; the share is left empty",
                f"百分比“{quoted(text)}”不是0到100之间的数，持股比例留空")


def ftm_to_contract(entities: str | Path, out: str | Path, force: bool = False,
                    warnings: list[Problem] | None = None) -> dict[str, int]:
    """Write the dataset FtM entities make into `out`: a new or empty folder, or (force) one whose contract files
    are all replaced (files this import has no rows for are removed, so no stale file is left). Files are written
    to temporary names and renamed into place once all are complete."""
    path = Path(entities)
    target = Path(out)
    _check_out(target, force)
    problems = Problems()
    proxies, lines = read_entities(path, problems)
    if problems.errors:
        raise DataError(problems.errors, NOT_WRITTEN)
    rows: dict[str, list[dict]] = defaultdict(list)
    kinds: dict[str, str] = {}
    def _date(p, *props: str) -> str:  # a date given but not a whole day is said, not dropped silently
        iso = _whole_day(p, *props)
        given = "" if iso else next((v for prop in props for v in p.get(prop, quiet=True)), "")
        if given:
            problems.warn(path.name, lines.get(p.id), None,
                          f"entity {p.id}: {'/'.join(props)} {given!r} is not a date of a whole day, so it was not "
                          "used",
                          fix="give the full date (YYYY-MM-DD) in the source where it matters",
                          zh=Zh(f"实体 {p.id}：{'/'.join(props)} 的值“{quoted(given)}”不是完整的日期（年月日），"
                                "因此未使用",
                                "需要时在源数据中给出完整的日期（YYYY-MM-DD）"))
        return iso

    for p in proxies.values():
        schema = p.schema.name
        if p.schema.is_a("Person"):
            rows["people.csv"].append({"person_id": p.id, "name": _first(p, "name") or p.id,
                                       "id_number": _first(p, "idNumber"), "birth_date": _date(p, "birthDate"),
                                       "gender": _first(p, "gender"), "aliases": ";".join(p.get("alias"))})
        elif schema in ORG_KIND or (p.schema.is_a("LegalEntity") and not p.schema.is_a("Person")):
            kinds[p.id] = ORG_KIND.get(schema, "company" if p.schema.is_a("Company") else "other")
            rows["organizations.csv"].append({
                "org_id": p.id, "name": _first(p, "name") or p.id, "kind": kinds[p.id],
                "credit_code": next((v for v in p.get("registrationNumber") + p.get("taxNumber") if len(v) == 18), ""),
                "address": _first(p, "address"), "phone": _first(p, "phone"), "industry": _first(p, "sector"),
                "founded_on": _date(p, "incorporationDate")})
    unplaced: dict[str, int] = {}
    decision_of: dict[str, list[str]] = {}  # a ContractAward, Payment or awarded Contract -> the decisions it makes
    makers = []
    for p in proxies.values():
        schema = p.schema.name
        if schema == "Occupancy":
            post = proxies.get(_first(p, "post"))
            if post is None:
                _absent(problems, path.name, lines.get(p.id), p.id, "post", _first(p, "post"))
                continue
            org = _first(post, "organization")
            if not org or kinds.get(org) not in ("agency", "village"):
                org = post.id  # the post stands for its own agency
                if org not in kinds:
                    kinds[org] = "agency"
                    rows["organizations.csv"].append({"org_id": org, "name": _first(post, "name") or org,
                                                      "kind": "agency"})
            rows["positions.csv"].append({"_entity": p.id, "person_id": _first(p, "holder"), "org_id": org,
                                          "title": _first(post, "name") or "post",
                                          "start_date": _date(p, "startDate", "date") or "1900-01-01",
                                          "end_date": _date(p, "endDate")})
        elif schema in KIN:
            word = _first(p, "relationship").strip().lower()
            relation = (FAMILY.get(word) or vocabulary_word("relation", word) or "other") if schema == "Family" \
                else "other"
            rows["relatives.csv"].append({"_entity": p.id, "person_id": _first(p, "person"),
                                          "relative_id": _first(p, "relative")
                                          or _first(p, "associate"), "relation": relation})
        elif schema in ROLES:
            holder, org = ROLES[schema]
            org_id = _first(p, org)
            if org_id not in kinds:
                _absent(problems, path.name, lines.get(p.id), p.id, org, org_id)
                continue
            if kinds[org_id] in ("agency", "village"):  # a company role is at any organization but those
                continue
            share, note = share_of(_first(p, "percentage")) if schema == "Ownership" else ("", None)
            if note:
                problems.warn(path.name, lines.get(p.id), None, f"entity {p.id}: {note[0]}",
                              fix="correct the percentage in the source if the share matters",
                              zh=Zh(f"实体 {p.id}：{note[1]}", "持股比例重要时，请在源数据中改正百分比"))
            role = {"Ownership": "shareholder", "Employment": "employee"}.get(schema, "director")
            if schema == "Directorship" and "legal" in _first(p, "role").lower():
                role = "legal_rep"
            rows["company_roles.csv"].append({"_entity": p.id, "holder_id": _first(p, holder), "org_id": org_id,
                                              "role": role,
                                              "share": share, "start_date": _date(p, "startDate"),
                                              "end_date": _date(p, "endDate")})
        elif schema in DECISIONS:
            if schema == "ContractAward":
                contract = proxies.get(_first(p, "contract"))
                agency = _first(contract, "authority") if contract else ""
                beneficiary, kind = _first(p, "supplier"), "contract"
            else:
                agency, beneficiary, kind = _first(p, "payer"), _first(p, "beneficiary"), "subsidy"
            date = _date(p, "date", "startDate")
            if kinds.get(agency) != "agency" or not beneficiary or not date:
                continue
            decision_of.setdefault(p.id, []).append(p.id)
            if schema == "ContractAward" and contract is not None:
                decision_of.setdefault(contract.id, []).append(p.id)
            rows["decisions.csv"].append({"_entity": p.id, "decision_id": p.id, "kind": kind, "date": date,
                                          "agency_id": agency,
                                          "beneficiary_id": beneficiary, "amount": _first(p, "amount"),
                                          "title": _first(p, "summary") or _first(p, "purpose")})
        elif schema == "UnknownLink" and vocabulary_word("maker_role", _first(p, "role")):
            makers.append(p)  # who approved, signed or decided a decision (as ftm-export writes it)
        elif schema not in HANDLED and not p.schema.is_a("LegalEntity"):
            unplaced[schema] = unplaced.get(schema, 0) + 1
    unread = [p for p in makers if not decision_of.get(_first(p, "object"))]
    if unread:
        named = ", ".join(repr(_first(p, "object")) for p in unread[:3]) + (", ..." if len(unread) > 3 else "")
        named_zh = "、".join(f"“{quoted(_first(p, 'object'))}”" for p in unread[:3]) + ("等" if len(unread) > 3 else "")
        one = len(unread) == 1
        problems.warn(path.name, lines.get(unread[0].id), None,
                      f"{len(unread)} decision maker link{'' if one else 's'} (UnknownLink) "
                      f"{'names' if one else 'name'} a decision the import does not read ({named}: an Event, a "
                      "Contract never awarded, or an award or payment without a public body, a beneficiary or a "
                      f"date), so {'it was' if one else 'they were'} not imported",
                      fix="a decision is read from a ContractAward or a Payment by a public body, with its date",
                      zh=Zh(f"{len(unread)}条决策人关联（UnknownLink）指向导入时不读取的决定（{named_zh}："
                            "Event、从未授予的 Contract，或缺少公共机构、受益方或日期的授予或付款），因此未导入",
                            "决定从公共机构（PublicBody）作出的、有日期的 ContractAward 或 Payment 读取"))
    for p in makers:
        for d in decision_of.get(_first(p, "object"), ()):
            rows["decision_makers.csv"].append({"_entity": p.id, "decision_id": d, "person_id": _first(p, "subject"),
                                                "role": vocabulary_word("maker_role", _first(p, "role"))})
    for schema, n in sorted(unplaced.items()):
        problems.warn(path.name, None, None, f"{n} {schema} entit{'y has' if n == 1 else 'ies have'} no place in the "
                      "dataset contract, so not imported",
                      zh=Zh(f"{n}个 {schema} 实体在数据规范中没有对应的位置，因此未导入"))
    _drop_dangling(rows, problems, path.name, lines)
    if warnings is not None:
        warnings.extend(problems.warnings)
    names = [n for n in FILES if n in rows or n in ("people.csv", "organizations.csv")]
    return _write(target, {n: rows.get(n, []) for n in names})


# the schemata the import reads besides people and organizations (a LegalEntity and what descends from it): the
# relations it writes rows for, and the entities they name that it reads through them (Position, Contract)
KIN = ("Family", "Associate")
ROLES = {"Ownership": ("owner", "asset"), "Directorship": ("director", "organization"),
         "Employment": ("employee", "employer")}  # the holder's property and the organization's
DECISIONS = ("ContractAward", "Payment")
HANDLED = frozenset({"Occupancy", "Position", "Contract", *KIN, *ROLES, *DECISIONS})


def _drop_dangling(rows: dict[str, list[dict]], problems: Problems, name: str, lines: dict) -> None:
    """A relation whose person or organization is not among the entities is left out with a warning: written, it
    would make a dataset that `validate` refuses."""
    ids = {"people.csv": {r["person_id"] for r in rows.get("people.csv", [])},
           "organizations.csv": {r["org_id"] for r in rows.get("organizations.csv", [])}}
    for file in [f for f in FILES if f in rows and f not in ids]:  # decisions before what refers to them
        refers = [(c.name, REF_TARGETS[c.kind]) for c in FILES[file].columns if c.kind in REF_TARGETS]
        kept = []
        for row in rows.get(file, []):
            missing = [(column, row[column]) for column, targets in refers
                       if not any(row[column] in ids.get(t, ()) for t in targets)]
            if missing:
                _absent(problems, name, lines.get(row["_entity"]), row["_entity"], *missing[0])
            else:
                kept.append(row)
        rows[file] = kept
        if file == "decisions.csv":
            ids[file] = {r["decision_id"] for r in kept}


def _absent(problems: Problems, name: str, line: int | None, entity: str, what: str, value: str) -> None:
    problems.warn(name, line, None, f"entity {entity}: its {what} {value!r} is not among the entities, so it was not "
                  "imported", fix="include the entity it refers to in the export",
                  zh=Zh(f"实体 {entity}：其 {what}“{quoted(value)}”不在这些实体之中，因此未导入",
                        "导出时包含它所引用的实体"))


def _check_out(out: Path, force: bool) -> None:
    if out.exists() and not out.is_dir():
        raise DataError([Problem(str(out), None, None, "is a file, not a folder", fix="give a folder for the dataset",
                                 zh=Zh("是文件，不是文件夹", "为数据集给出一个文件夹"))], NOT_WRITTEN)
    if out.is_dir() and any(out.iterdir()) and not force:
        raise DataError([Problem(str(out), None, None, "is not empty: importing into it would mix this dataset "
                                 "with the files already there", fix="give a new or empty folder, or pass --force to "
                                 "replace the dataset in it (its contract files are all rewritten or removed)",
                                 zh=Zh("不是空文件夹：导入其中会让此数据集与已有的文件混在一起",
                                       "给出新的或空的文件夹，或用 --force 替换其中的数据集"
                                       "（其中的数据规范文件全部重写或删除）"))],
                        NOT_WRITTEN)


def _write(out: Path, tables: dict[str, list[dict]]) -> dict[str, int]:
    """Every file written beside its final name and renamed into place when all are complete; with the folder's
    other contract files removed, the folder holds exactly this dataset."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        temps = {}
        try:
            for name, rows in tables.items():
                fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=out)
                temps[name] = tmp
                with os.fdopen(fd, "w", newline="", encoding="utf-8") as fh:
                    w = csv.DictWriter(fh, fieldnames=FILES[name].column_names, extrasaction="ignore")
                    w.writeheader()
                    w.writerows(rows)
            for name, tmp in temps.items():
                os.replace(tmp, out / name)
            temps = {}
        finally:
            for tmp in temps.values():
                Path(tmp).unlink(missing_ok=True)
        for name in FILES:
            if name not in tables and (out / name).is_file():
                (out / name).unlink()
    except OSError as exc:
        raise DataError([Problem(str(out), None, None, f"cannot be written: {exc.strerror}",
                                 fix="check the folder, its permissions and the free space",
                                 zh=Zh(f"无法写入：{reason_zh(exc)}", "检查文件夹、其权限和剩余空间"))],
                        "the dataset was not written whole") from None
    return {name: len(rows) for name, rows in tables.items()}
