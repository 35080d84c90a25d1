"""Cases: findings grouped for one piece of case work — by official, by company, by bid ring, or by hand — with a
status, notes and their own history. Notes (on a case or on a finding) are append-only."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from ..errors import GovtiesError, SaidError
from ..graph.workspace import Cond
from ..loaders.triage import shown_time
from .triage import kept_whole, masked_left, masked_refusal, masked_said

CASE_KINDS = ("official", "company", "ring", "manual")
CASE_STATUSES = ("open", "closed")
GROUPS = {"official": "official_id", "company": "org_id", "ring": "ring_id"}  # a case kind -> what its findings share
MAX_TEXT = 20000
MAX_TITLE = 200  # characters of a case's title


#: What a refused case change says, in Chinese and in English (zh, en), declared together: the library raises it
#: in English, the workbench says it in its page's language (CaseError.said).
SAID: dict[str, tuple[str, str]] = {
    "no_finding": ("没有编号为“{id}”的已记录线索", "no recorded finding {id!r}"),
    "no_findings": ("没有这些已记录的线索：{ids}", "no recorded finding(s) {ids}"),
    "no_group": ("线索{id}没有可据以建案的{what}", "finding {id} has no {kind} to group by"),
    "bad_kind": ("案件只能按公职人员、企业、串标圈或手工建立，不能按“{kind}”",
                 "a case is grouped by official, company, ring or manual, not {kind!r}"),
    "bad_status": ("案件只能是办理中或已办结，不能是“{status}”", "a case is open or closed, not {status!r}"),
    "title": ("请填写案件名称（1至{max}个字符）", "give the case a title (1 to {max} characters)"),
    "no_case": ("没有编号为“{id}”的案件", "no case {id!r}"),
    "no_target": ("没有编号为“{id}”的案件或已记录线索", "no case or recorded finding {id!r}"),
    "note_size": ("记录不能为空，且不超过{max}个字符", "a note holds 1 to {max} characters"),
    "not_member": ("线索{finding}不在该案件中（可能已被移除）：请刷新案件页面查看其线索",
                   "finding {finding} is not in case {case} (it may have been removed already): reload the case to "
                   "see its findings"),
    "closed": ("该案件已由{who}于{at}办结。办结的案件只读，您的修改没有保存；如需修改，请先重新办理。",
               "{who} closed this case at {at}. A closed case is read-only: your change was not saved. Reopen the "
               "case to change it."),
    "select": ("请至少选中一条线索", "select at least one finding"),
    "choose_case": ("请选择要加入的案件", "choose the case to add to"),
    "masked_title": masked_refusal("案件名称", "the title"),
    "masked_note": masked_refusal("记录", "the note"),
    "no_finding_given": ("没有指定线索", "no finding given"),
}
_WHAT = {"official": "公职人员", "company": "企业", "ring": "串标圈"}  # a case kind in Chinese (no_group)


class CaseError(SaidError):
    """A case change cannot be made as asked: `key` names its message in SAID, `values` fill it."""

    SAID = SAID


class CaseClosed(CaseError):
    """A change to a closed case (read-only until it is reopened)."""

    def __init__(self, case_id: str, who: str, at: str):
        self.case_id, self.at = case_id, at  # at: when it was closed, as recorded (ISO text, UTC)
        super().__init__("closed", who=who, at=shown_time(at))


class NotInCase(CaseError):
    """A finding to remove is not in the case (a page opened before someone else removed it)."""

    def __init__(self, case_id: str, finding_id: str):
        self.case_id, self.finding_id = case_id, finding_id
        super().__init__("not_member", finding=finding_id, case=case_id)


class StaleCase(GovtiesError):
    def __init__(self, case_id: str, current: dict[str, Any]):
        self.current = current
        super().__init__(f"case {case_id} was changed by someone else (now version {current.get('version')}) after "
                         "you opened it; your change was not saved. Reload the case, then save again")


class Casework:
    """Mixin of api.workspace.Workspace."""

    store: Any

    def group_of(self, finding_id: str, kind: str) -> tuple[str, list[str]]:
        """The recorded findings that share a finding's official, company or bid ring: (what they share, ids)."""
        row = self.store.one("finding", finding_id=finding_id)
        if row is None:
            raise CaseError("no_finding", id=finding_id)
        column = GROUPS.get(kind)
        if column is None:
            return "", [finding_id]
        value = row.get(column)
        if not value:
            raise CaseError("no_group", id=finding_id, kind=kind, what=_WHAT.get(kind, kind))
        rows = self.store.select("finding", [Cond(column, "eq", value)], order=[("score", True),
                                                                               ("finding_id", False)])
        return value, [r["finding_id"] for r in rows]

    def named_in(self, finding_ids: list[str]) -> list[str]:
        """Whom recorded findings are about, each name once in the findings' order: their officials, else (for
        findings naming none) their companies; what titles a case made of a selection (unknown ids are none)."""
        rows = {r["finding_id"]: r for r in self.store.select("finding", [Cond("finding_id", "in", finding_ids)])}
        found = [rows[f] for f in dict.fromkeys(finding_ids) if f in rows]
        names = [r.get("official_name") or r.get("org_name") for r in found]
        return list(dict.fromkeys(str(n) for n in names if n))

    def group_sizes(self, row: dict[str, Any]) -> list[tuple[str, int]]:
        """How many recorded findings share a finding's official, company and bid ring (those it has), as
        (official|company|ring, count) in that order; `row` a recorded finding (Workspace.finding)."""
        return [(kind, self.store.count("finding", [Cond(column, "eq", row[column])]))
                for kind, column in GROUPS.items() if row.get(column)]

    def create_case(self, *, title: str, who: str, kind: str = "manual", basis: str = "",
                    finding_ids: list[str] | None = None) -> str:
        """A new case holding the given findings; returns its id."""
        if kind not in CASE_KINDS:
            raise CaseError("bad_kind", kind=kind)
        title = _title(title)
        case_id = "case-" + uuid.uuid4().hex[:10]
        at = self.now()  # type: ignore[attr-defined]
        with self.store.transaction():
            self.store.insert("case", [{"case_id": case_id, "title": title, "kind": kind, "basis": basis or None,
                                        "status": "open", "version": 1, "created_by": who, "created_at": at}])
            self.store.insert("event", [self.event(who, "case", case_id, "created", None,  # type: ignore
                                                   {"title": title, "kind": kind, "basis": basis}, at=at)])
            self._add(case_id, finding_ids or [], who, at)
        return case_id

    def _add(self, case_id: str, finding_ids: list[str], who: str, at: str) -> int:
        present = {r["finding_id"] for r in self.store.select("member", [Cond("case_id", "eq", case_id)])}
        wanted = [f for f in dict.fromkeys(finding_ids) if f not in present]
        if not wanted:
            return 0
        known = {r["finding_id"] for r in self.store.select("finding", [Cond("finding_id", "in", wanted)])}
        unknown = [f for f in wanted if f not in known]
        if unknown:
            raise CaseError("no_findings", ids=", ".join(unknown[:5]))
        self.store.insert("member", [{"case_id": case_id, "finding_id": f, "added_by": who, "added_at": at}
                                     for f in wanted])
        self.store.insert("event", [self.event(who, "case", case_id, "member", None, f, at=at)  # type: ignore
                                    for f in wanted])
        return len(wanted)

    def add_to_case(self, case_id: str, finding_ids: list[str], who: str) -> int:
        with self.store.transaction():
            self._open_or_fail(case_id)
            return self._add(case_id, finding_ids, who, self.now())  # type: ignore[attr-defined]

    def remove_from_case(self, case_id: str, finding_id: str, who: str) -> int:
        with self.store.transaction():
            self._open_or_fail(case_id)
            n = self.store.delete("member", [Cond("case_id", "eq", case_id), Cond("finding_id", "eq", finding_id)])
            if not n:
                raise NotInCase(case_id, finding_id)
            self.store.insert("event", [self.event(who, "case", case_id, "member", finding_id, None)])  # type: ignore
        return n

    def set_case(self, case_id: str, *, version: int, who: str, status: str | None = None,
                 title: str | None = None, shown: Callable[[str], str] | None = None) -> dict[str, Any]:
        """Change a case's status or title from the version it was read at (a stale save raises StaleCase). A
        closed case keeps its title until it is reopened (CaseClosed). `shown`: the title comes from a page that
        showed the stored one so (masked): what it hid is put back from it (api.triage.kept_whole)."""
        if status is not None and status not in CASE_STATUSES:
            raise CaseError("bad_status", status=status)
        if title is not None:
            title = _title(title)
        with self.store.transaction():
            current = self.store.claim("case", {"case_id": case_id})
            if current is None:
                raise CaseError("no_case", id=case_id)
            if int(current["version"]) != int(version):
                raise StaleCase(case_id, current)
            if shown is not None:
                title = kept_whole(title, current["title"], shown)
                if found := masked_left(title, current["title"]):
                    raise CaseError("masked_title", **masked_said(found))
            changes = {k: v for k, v in (("status", status), ("title", title)) if v is not None and v != current[k]}
            if "title" in changes and current["status"] == "closed" and status != "open":
                raise self._closed(current)
            if not changes:  # nothing to change: the case stays as it is, at its version
                return current
            at = self.now()  # type: ignore[attr-defined]
            self.store.update("case", [Cond("case_id", "eq", case_id)], {**changes, "version": current["version"] + 1})
            self.store.insert("event", [self.event(who, "case", case_id, k, current[k], v, at=at)  # type: ignore
                                        for k, v in changes.items()])
        return {**current, **changes, "version": current["version"] + 1}

    def add_note(self, target: str, text: str, who: str, masked: bool = False) -> dict[str, Any]:
        """Append a note to a case or a finding (notes are never edited or deleted). `masked`: typed on a masked
        page, where a masked number (one copied from the page) is refused, quoted: the mask would be stored."""
        text = (text or "").strip()
        if not text or len(text) > MAX_TEXT:
            raise CaseError("note_size", max=MAX_TEXT)
        if masked and (found := masked_left(text, None)):
            raise CaseError("masked_note", **masked_said(found))
        at = self.now()  # type: ignore[attr-defined]
        note = {"note_id": uuid.uuid4().hex, "target": target, "who": who, "at": at, "text": text}
        with self.store.transaction():
            case = self.store.claim("case", {"case_id": target})  # not closed meanwhile: held until the note is in
            if case is not None and case["status"] == "closed":
                raise self._closed(case)
            if not (case or self.store.one("finding", finding_id=target)):
                raise CaseError("no_target", id=target)
            self.store.insert("note", [note])
            self.store.insert("event", [self.event(who, "note", target, "note", None, text, at=at)])  # type: ignore
        return note

    def notes(self, target: str) -> list[dict[str, Any]]:
        return self.store.select("note", [Cond("target", "eq", target)], order=[("at", False), ("note_id", False)])

    def _open_or_fail(self, case_id: str) -> dict[str, Any]:
        """Inside the change's transaction: the case, open (a closed case is read-only until it is reopened:
        CaseClosed), held against a close until the change is made."""
        case = self.store.claim("case", {"case_id": case_id})
        if case is None:
            raise CaseError("no_case", id=case_id)
        if case["status"] == "closed":
            raise self._closed(case)
        return case

    def _closed(self, case: dict[str, Any]) -> CaseClosed:
        """The refusal of a change to a closed case, naming who closed it and when."""
        events: list[dict[str, Any]] = self.events(case["case_id"], kind="case")  # type: ignore[attr-defined]
        closing = next((e for e in events if e["field"] == "status" and e["after"] == "closed"), {})
        return CaseClosed(case["case_id"], closing.get("who") or "?", closing.get("at") or "")

    def case(self, case_id: str) -> dict[str, Any] | None:
        """A case with its findings (as recorded now; a member no longer found by the latest sweep is listed
        as resolved), its notes and its history."""
        case = self.store.one("case", case_id=case_id)
        if case is None:
            return None
        members = self.store.select("member", [Cond("case_id", "eq", case_id)], order=[("added_at", False)])
        ids = [m["finding_id"] for m in members]
        rows = {r["finding_id"]: r for r in self.store.select("finding", [Cond("finding_id", "in", ids)])} \
            if ids else {}
        case["members"] = [{**m, "finding": rows.get(m["finding_id"])} for m in members]
        case["notes"] = self.notes(case_id)
        case["history"] = self.events(case_id)  # type: ignore[attr-defined]
        # the findings its history names (added, removed), as recorded now: a history shows them by rule and names
        named = sorted({v for e in case["history"] if e["field"] == "member" for v in (e["before"], e["after"])
                        if v and v not in rows})
        if named:
            rows.update({r["finding_id"]: r for r in self.store.select("finding", [Cond("finding_id", "in", named)])})
        case["named"] = rows
        return case

    def news_for(self, case: dict[str, Any]) -> list[dict[str, Any]]:
        """The recorded findings about the official, company or bid ring a case was made for that are not in it
        and were never taken out of it (those a sweep found after it was made), the best first; `case` as
        Workspace.case gives it. A case made by hand has none."""
        column = GROUPS.get(case["kind"])
        if column is None or not case.get("basis"):
            return []
        rows = self.store.select("finding", [Cond(column, "eq", case["basis"])],
                                 order=[("score", True), ("finding_id", False)])
        taken_out = {e["before"] for e in self.store.select("event", [Cond("target", "eq", case["case_id"]),
                                                                       Cond("field", "eq", "member")])}
        inside = {m["finding_id"] for m in case["members"]}
        return [r for r in rows if r["finding_id"] not in inside and r["finding_id"] not in taken_out]

    def group_cases(self, row: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
        """The cases made for a finding's official, company and bid ring (those it has): kind -> cases, the
        newest first; `row` a recorded finding."""
        return {kind: self.store.select("case", [Cond("kind", "eq", kind), Cond("basis", "eq", row[column])],
                                        order=[("created_at", True)])
                for kind, column in GROUPS.items() if row.get(column)}

    def cases(self, status: str | None = None) -> list[dict[str, Any]]:
        conds = [Cond("status", "eq", status)] if status else []
        rows = self.store.select("case", conds, order=[("created_at", True)])
        counts = dict(self.store.count_by("member", "case_id"))
        return [{**r, "findings": counts.get(r["case_id"], 0)} for r in rows]

    def cases_of(self, finding_id: str) -> list[dict[str, Any]]:
        ids = [m["case_id"] for m in self.store.select("member", [Cond("finding_id", "eq", finding_id)])]
        return self.store.select("case", [Cond("case_id", "in", ids)]) if ids else []


def _title(title: str | None) -> str:
    title = (title or "").strip()
    if not title or len(title) > MAX_TITLE:
        raise CaseError("title", max=MAX_TITLE)
    return title


__all__ = ["Casework", "CaseError", "CaseClosed", "NotInCase", "StaleCase", "SAID", "CASE_KINDS", "CASE_STATUSES",
           "MAX_TITLE"]
