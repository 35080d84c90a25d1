"""Cases: findings grouped for one piece of case work — by official, by company, by bid ring, or by hand — with a
status, notes and their own history. Notes (on a case or on a finding) are append-only."""

from __future__ import annotations

import uuid
from typing import Any

from ..errors import GovtiesError
from ..graph.workspace import Cond

CASE_KINDS = ("official", "company", "ring", "manual")
CASE_STATUSES = ("open", "closed")
GROUPS = {"official": "official_id", "company": "org_id", "ring": "ring_id"}  # a case kind -> what its findings share
MAX_TEXT = 20000


class CaseError(GovtiesError):
    """A case change cannot be made as asked."""


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
            raise CaseError(f"no recorded finding {finding_id!r}")
        column = GROUPS.get(kind)
        if column is None:
            return "", [finding_id]
        value = row.get(column)
        if not value:
            raise CaseError(f"finding {finding_id} has no {kind} to group by")
        rows = self.store.select("finding", [Cond(column, "eq", value)], order=[("score", True),
                                                                               ("finding_id", False)])
        return value, [r["finding_id"] for r in rows]

    def group_sizes(self, row: dict[str, Any]) -> list[tuple[str, int]]:
        """How many recorded findings share a finding's official, company and bid ring (those it has), as
        (official|company|ring, count) in that order; `row` a recorded finding (Workspace.finding)."""
        return [(kind, self.store.count("finding", [Cond(column, "eq", row[column])]))
                for kind, column in GROUPS.items() if row.get(column)]

    def create_case(self, *, title: str, who: str, kind: str = "manual", basis: str = "",
                    finding_ids: list[str] | None = None) -> str:
        """A new case holding the given findings; returns its id."""
        if kind not in CASE_KINDS:
            raise CaseError(f"a case is grouped by {', '.join(CASE_KINDS)}, not {kind!r}")
        title = (title or "").strip()
        if not title or len(title) > 200:
            raise CaseError("give the case a title (at most 200 characters)")
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
            raise CaseError(f"no recorded finding(s) {', '.join(unknown[:5])}")
        self.store.insert("member", [{"case_id": case_id, "finding_id": f, "added_by": who, "added_at": at}
                                     for f in wanted])
        self.store.insert("event", [self.event(who, "case", case_id, "member", None, f, at=at)  # type: ignore
                                    for f in wanted])
        return len(wanted)

    def add_to_case(self, case_id: str, finding_ids: list[str], who: str) -> int:
        self._case_or_fail(case_id)
        with self.store.transaction():
            return self._add(case_id, finding_ids, who, self.now())  # type: ignore[attr-defined]

    def remove_from_case(self, case_id: str, finding_id: str, who: str) -> int:
        self._case_or_fail(case_id)
        with self.store.transaction():
            n = self.store.delete("member", [Cond("case_id", "eq", case_id), Cond("finding_id", "eq", finding_id)])
            if not n:
                raise CaseError(f"finding {finding_id} is not in case {case_id} (it may have been removed already): "
                                "reload the case to see its findings")
            self.store.insert("event", [self.event(who, "case", case_id, "member", finding_id, None)])  # type: ignore
        return n

    def set_case(self, case_id: str, *, version: int, who: str, status: str | None = None,
                 title: str | None = None) -> dict[str, Any]:
        """Change a case's status or title from the version it was read at (a stale save raises StaleCase)."""
        if status is not None and status not in CASE_STATUSES:
            raise CaseError(f"a case is {' or '.join(CASE_STATUSES)}, not {status!r}")
        with self.store.transaction():
            current = self.store.claim("case", {"case_id": case_id})
            if current is None:
                raise CaseError(f"no case {case_id!r}")
            if int(current["version"]) != int(version):
                raise StaleCase(case_id, current)
            changes = {k: v for k, v in (("status", status), ("title", (title or "").strip() or None))
                       if v is not None and v != current[k]}
            if not changes:  # nothing to change: the case stays as it is, at its version
                return current
            at = self.now()  # type: ignore[attr-defined]
            self.store.update("case", [Cond("case_id", "eq", case_id)], {**changes, "version": current["version"] + 1})
            self.store.insert("event", [self.event(who, "case", case_id, k, current[k], v, at=at)  # type: ignore
                                        for k, v in changes.items()])
        return {**current, **changes, "version": current["version"] + 1}

    def add_note(self, target: str, text: str, who: str) -> dict[str, Any]:
        """Append a note to a case or a finding (notes are never edited or deleted)."""
        text = (text or "").strip()
        if not text or len(text) > MAX_TEXT:
            raise CaseError(f"a note holds 1 to {MAX_TEXT} characters")
        if not (self.store.one("case", case_id=target) or self.store.one("finding", finding_id=target)):
            raise CaseError(f"no case or recorded finding {target!r}")
        at = self.now()  # type: ignore[attr-defined]
        note = {"note_id": uuid.uuid4().hex, "target": target, "who": who, "at": at, "text": text}
        with self.store.transaction():
            self.store.insert("note", [note])
            self.store.insert("event", [self.event(who, "note", target, "note", None, text, at=at)])  # type: ignore
        return note

    def notes(self, target: str) -> list[dict[str, Any]]:
        return self.store.select("note", [Cond("target", "eq", target)], order=[("at", False), ("note_id", False)])

    def _case_or_fail(self, case_id: str) -> dict[str, Any]:
        case = self.store.one("case", case_id=case_id)
        if case is None:
            raise CaseError(f"no case {case_id!r}")
        return case

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
        return case

    def cases(self, status: str | None = None) -> list[dict[str, Any]]:
        conds = [Cond("status", "eq", status)] if status else []
        rows = self.store.select("case", conds, order=[("created_at", True)])
        counts = dict(self.store.count_by("member", "case_id"))
        return [{**r, "findings": counts.get(r["case_id"], 0)} for r in rows]

    def cases_of(self, finding_id: str) -> list[dict[str, Any]]:
        ids = [m["case_id"] for m in self.store.select("member", [Cond("finding_id", "eq", finding_id)])]
        return self.store.select("case", [Cond("case_id", "in", ids)]) if ids else []


__all__ = ["Casework", "CaseError", "StaleCase", "CASE_KINDS", "CASE_STATUSES"]
