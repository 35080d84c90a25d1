"""The workspace of a stored graph, as the workbench and the CLI use it: recorded sweeps and the findings inbox,
triage with its append-only history, cases and notes, accounts, watches and visits, entity pages and the
evaluation of agencies and regions.

    import govties.api as gt

    with gt.open_graph(store="graph.duckdb") as g:
        ws = g.workspace()
        page = ws.inbox(gt.InboxQuery(severity=["high"], status=["open"], q="华兴", size=20))
        row = page.rows[0]
        ws.save_triage(row["finding_id"], version=ws.triage(row["finding_id"])["version"], who="li",
                       status="confirmed", note="checked the registry extract")
        ws.export_triage().to_csv("triage.csv", index=False)   # today's triage CSV (+ assignee, fingerprint)

Everything is stored beside the graph (tables `govties_*` in the DuckDB file, nodes `Govties*` in Neo4j), never
in the graph's own tables: a full load replaces the graph and keeps all of this. A finding is a lead for review,
not proof of wrongdoing.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from typing import TYPE_CHECKING, Any

from ..graph.workspace import Workspace as Store, open_workspace
from .accounts import Accounts
from .casework import Casework
from .downloads import Downloads
from .entities import Entities
from .evaluation import Evaluation
from .inbox import Inbox
from .record import Recording
from .triage import Triage

if TYPE_CHECKING:
    from .graph import Graph


_SEQUENCE = itertools.count()


def now() -> str:
    """The time of a change, as ISO text in UTC (sorts as text on both backends)."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


class Workspace(Recording, Inbox, Downloads, Triage, Casework, Accounts, Entities, Evaluation):
    """One stored graph's workspace. Methods are grouped by area in the modules of the mixins."""

    def __init__(self, graph: Graph):
        self.graph = graph
        self.backend = graph.backend
        self.store: Store = open_workspace(graph.backend)
        self._cache: dict[tuple, Any] = {}
        self.file_without_region()  # findings recorded before agencies without a region were filed so

    def now(self) -> str:
        return now()

    def event(self, who: str, kind: str, target: str, field: str = "", before: Any = None, after: Any = None,
              at: str | None = None) -> dict[str, Any]:
        """An audit event row (append-only: nothing ever updates or deletes one). Its id sorts in the order the
        events were made (time, then a counter of this process)."""
        import uuid

        at = at or now()

        def text(v: Any) -> str | None:
            return v if v is None or isinstance(v, str) else json.dumps(v, ensure_ascii=False, sort_keys=True)

        return {"event_id": f"{at}-{next(_SEQUENCE):010d}-{uuid.uuid4().hex[:8]}", "at": at, "who": who,
                "kind": kind, "target": target, "field": field, "before": text(before), "after": text(after)}

    def opened(self, who: str, finding_id: str, where: str = "") -> None:
        """Record in the audit trail that `who` opened a finding (`where`: on a printable sheet, a case sheet)."""
        self.store.insert("event", [self.event(who, "open", finding_id, where)])

    def events(self, target: str | None = None, *, who: str | None = None, kind: str | None = None,
               limit: int = 500) -> list[dict[str, Any]]:
        """The audit trail, newest first: of one finding or case, of one person, or of one kind (open, triage,
        evidence, case, note, import, watch, account)."""
        from ..graph.workspace import Cond

        conds = [Cond(c, "eq", v) for c, v in (("target", target), ("who", who), ("kind", kind)) if v is not None]
        return self.store.select("event", conds, order=[("at", True), ("event_id", True)], limit=limit)

    def cached(self, key: tuple, make):
        """A value computed once per recorded sweep (the key names the sweep)."""
        if key not in self._cache:
            if len(self._cache) > 64:
                self._cache.clear()
            self._cache[key] = make()
        return self._cache[key]


__all__ = ["Workspace", "now"]
