"""A graph opened for work: load registries into it, sweep rules over it, draw subgraphs of it."""

from __future__ import annotations

import inspect
import numbers
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from ..graph.backend import Backend, BackendError, StoreInterrupted, backend_class, open_backend
from ..graph.find_keys import find_by_keys
from ..loaders import Dataset, load_dataset
from ..loaders.known import Known
from ..loaders.values import check_credit_code, id_shaped, normalize_id_number
from ..privacy import IDENTIFIER, MASKED, SEPARATORS, mask_text
from ..rules.aggregate import aggregate
from ..rules.engine import SweepResult, sweep as run_sweep
from ..rules.undated import undated_frame
from ..visualize import views
from ..visualize.subgraph import ViewGraph
from .entities import squeezed, typed_keys
from .settings import SettingsError, SweepSettings, sweep_settings

Progress = Callable[[str, int, int], None]  # (stage, done, total)
# what a drawing of a neighbourhood or of paths takes (the command line's options take the same)
VIEW_LIMITS = {"hops": (1, 8), "k": (1, 50), "max_nodes": (2, 20000)}
SETTINGS_KEYWORDS = tuple(inspect.signature(sweep_settings).parameters)


def _within(**given: Any) -> None:
    for name, value in given.items():
        low, high = VIEW_LIMITS[name]
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or not low <= int(value) <= high:
            raise views.ViewError(f"{name}={value!r} is not a whole number from {low} to {high}")


@dataclass
class Loaded:
    """What a load did: the dataset as read (resolution, warnings, encodings, header maps; its tables are released
    once stored) and the rows stored (a full load) or added (an append) per table."""
    dataset: Dataset
    counts: dict[str, int]
    appended: bool = False
    notes: list[str] = field(default_factory=list)


class Graph:
    """The embedded DuckDB graph (in memory or a file) or a Neo4j database, opened for work. Use as a context
    manager, or call close()."""

    def __init__(self, backend: Backend):
        self.backend = backend
        self._workspace: Any = None
        self.recorded: dict[str, Any] | None = None  # what the last sweep recorded in the workspace, if it did

    @property
    def name(self) -> str:
        return self.backend.name

    @property
    def concurrent(self) -> bool:
        """Whether the backend answers queries from several threads at once (a server's driver); otherwise one
        connection serves one query at a time."""
        return "concurrent-queries" in self.backend.features

    @property
    def persistent(self) -> bool:
        """Whether the graph outlives this process (a DuckDB store file or a Neo4j database)."""
        return "shared-server" in self.backend.features or getattr(self.backend, "store", ":memory:") != ":memory:"

    def workspace(self):
        """The workspace beside this graph (api.workspace.Workspace): recorded sweeps and findings, triage,
        cases, accounts, watches; stored with the graph, never in its tables."""
        if self._workspace is None:
            from .workspace import Workspace

            self._workspace = Workspace(self)
        return self._workspace

    # -- loading ---------------------------------------------------------------------------------------
    def load(self, source: str | Path, *, append: bool = False, encoding: str | None = None,
             mapping: str | Path | None = None, header_row: int | None = None,
             progress: Progress | None = None) -> Loaded:
        """Validate and resolve `source` (a folder of the contract's CSV files or an .xlsx workbook), then replace
        the stored graph by it — or, with `append`, add its rows to the stored graph (validated against it).
        `header_row`: the line every file's and sheet's header is on, when title lines come first.
        Raises loaders.DataError listing every problem; nothing is stored then."""
        known = Known.from_backend(self.backend) if append else None
        dataset = load_dataset(source, encoding=encoding, progress=progress, mapping=mapping, known=known,
                               header_row=header_row)
        if progress:
            progress("store", 0, 1)
        if append:
            counts = self.backend.append(dataset.tables, dataset.alias_updates, progress=progress)
        else:
            counts = self.backend.load(dataset.tables, progress=progress)
        if self.persistent:  # where each record came from, for entity pages (the workspace, not the graph)
            self._record_sources(dataset, append)
        dataset.release()
        return Loaded(dataset, counts, append)

    def _record_sources(self, dataset: Dataset, append: bool) -> None:
        try:
            self.workspace().record_sources(dataset, append=append)
        except KeyboardInterrupt:  # the graph is stored; only the record of its sources is not (rolled back)
            done = self.backend.last_write
            if done is None:
                raise
            raise StoreInterrupted(replace(done, aside=(
                "but not where its records came from, which entity pages show: run the same command again to "
                "record it"))) from None

    def counts(self) -> dict[str, int]:
        return self.backend.counts()

    # -- sweeping --------------------------------------------------------------------------------------
    def sweep(self, settings: SweepSettings | None = None, *, workers: int = 1, progress: Progress | None = None,
              record: bool | None = None, by: str = "govties", **options: Any) -> SweepResult:
        """Run the rules over the stored graph. `settings` from api.sweep_settings (or give its keyword arguments
        here: rules, params, config, lang, as_of, profile). `workers` > 1 runs several rules at once where the
        backend can (Neo4j). `record`: record the sweep and its findings in the workspace (for the workbench, "new
        since last visit" and triage), replacing the recorded findings of the rules that ran; by default when the
        graph is persistent. What was recorded is in `self.recorded`."""
        unknown = sorted(set(options) - set(SETTINGS_KEYWORDS))
        if unknown:
            raise SettingsError(f"Graph.sweep() takes no {', '.join(unknown)}; give {', '.join(SETTINGS_KEYWORDS)} "
                                "(what sweep_settings takes), or settings made by sweep_settings")
        if settings is not None and options:
            raise SettingsError(f"Graph.sweep() got settings and {', '.join(sorted(options))} as well: give "
                                "sweep_settings(...) every setting, or only the keywords")
        settings = settings or sweep_settings(**options)
        if workers > 1:
            self.backend.require("concurrent-queries")
        result = run_sweep(self.backend, list(settings.rules), settings.params, lang=settings.lang,
                           as_of=settings.as_of, progress=progress, workers=workers)
        self.recorded = None
        if record or (record is None and self.persistent):
            if progress:
                progress("record", 0, 1)
            self.recorded = self.workspace().record(result, settings, by=by)
        return result

    def rankings(self, result: SweepResult) -> dict[str, pd.DataFrame]:
        """Ranked tables of a sweep's findings: officials, companies, agencies, regions; and undated: the roles the
        rules could not place for want of a start date."""
        tables = aggregate(self.backend, result.findings, [run.rule.id for run in result.runs])
        tables["undated"] = undated_frame(result.undated)
        return tables

    # -- drawing ---------------------------------------------------------------------------------------
    def overview(self, result: SweepResult) -> ViewGraph:
        """Every finding's evidence in one graph (networkx in `.graph`), each finding knowing its nodes and edges."""
        return views.overview(self.backend, result.findings, _rules(result))

    def finding(self, result: SweepResult, finding_id: str) -> ViewGraph:
        """One finding's evidence path, laid out left to right in layers."""
        return views.finding(self.backend, result.findings, finding_id, _rules(result))

    def around(self, entity: str, hops: int = 2, max_nodes: int = 300, result: SweepResult | None = None,
               fold: bool = False) -> ViewGraph:
        """The neighbourhood of a person, organization or decision (an id — any id of a merged person — or a name
        that matches one entity; several matches raise visualize.views.AmbiguousName listing them), with the
        findings of `result` that involve it; left to right in layers from it when small, unless `fold` (to be
        written folded, write_view(..., fold=True): its decisions behind weighted edges, settled by physics)."""
        _within(hops=hops, max_nodes=max_nodes)
        findings = result.findings if result is not None else None
        return views.neighbourhood(self.backend, entity, int(hops), int(max_nodes), findings,
                                   _rules(result) if result is not None else None, fold)

    def paths(self, a: str, b: str, hops: int = 4, k: int = 5, max_nodes: int = 300, keys: bool = True
              ) -> ViewGraph:
        """The k shortest paths of at most `hops` steps between two entities (ids, names, and with `keys` a
        person's resident ID or an organization's credit code, in any form the loader reads: a reader who must
        not see resident IDs passes keys=False, or an answer would confirm a guess of one)."""
        _within(hops=hops, k=k, max_nodes=max_nodes)
        typed = (a, b)
        if keys:
            a, b = self._by_key(a), self._by_key(b)
        try:
            view = views.connections(self.backend, a, b, int(hops), int(k), int(max_nodes))
        except views.NoEntity as exc:
            raise _bad_id(exc) if keys else exc from None
        except views.AmbiguousName as exc:  # the other end's problem said with it, read the same way
            exc.also = [_bad_id(e) if keys and isinstance(e, views.NoEntity) else e for e in exc.also]
            raise
        for text, read in zip(typed, (a, b), strict=True):
            if read != text:  # a resident ID or a credit code read as its entity: said as a name read is
                view.note("note_name", text=text, id=read,
                          name=(self.backend.nodes([read]).get(read) or {}).get("name") or read)
        return view

    def _by_key(self, text: str) -> str:
        """The id of the one person whose resident ID, or the one organization whose credit code, `text` is; else
        `text` as it is (an id or a name, read by views.resolve)."""
        if self.backend.canonical(text) is not None:
            return text
        id_key, code = typed_keys(text)
        if not id_key and not code:
            return text
        hits = {h["id"] for h in find_by_keys(self.backend, text, id_key=id_key, code=code, limit=2)}
        if len(hits) > 1:  # organizations sharing a credit code: read as written, which views.resolve lists
            return code or text
        return hits.pop() if hits else text

    def find(self, text: str, limit: int = 20) -> list[dict[str, Any]]:
        """People, organizations and decisions whose id, name or alias contains `text`, exact matches first."""
        return self.backend.find(text, limit)

    def masked_identifiers(self, masked: str, limit: int = 100) -> list[str]:
        """The identifiers (resident IDs, phone numbers) inside this graph's entity ids that `--mask` shows as
        `masked` (privacy.mask_text: 330102********1018, 138****5678), sorted: the few ids a masked page may have
        named that way, for a front end to tell apart by their keyed tags. A text that is not one masked
        identifier finds none; at most `limit` entity ids are read."""
        shown = MASKED.fullmatch(masked)
        if shown is None:
            return []
        prefix, hidden, suffix = shown.groups()
        ids = self.backend.ids_with(prefix, suffix, (len(hidden), len(hidden) + SEPARATORS), limit)
        return sorted({m[0] for i in ids for m in IDENTIFIER.finditer(i) if mask_text(m[0]) == masked})

    def unmasked(self, text: str) -> str:
        """An entity id (or a name) as `--mask` prints it, read back: each masked identifier in `text`
        (330102********1018) as the one identifier of this graph that masks as it (masked_identifiers); one that
        stands for none is left as it is (and names no entity); one that stands for several that mask alike is
        refused (views.NoEntity), saying so. For a reader who holds the data (the command line): a masked page's
        front end tells masked ids apart by keyed tags instead, since a masked id alone could test a guess of the
        hidden digits."""
        def one(m: re.Match) -> str:
            found = self.masked_identifiers(m[0])
            if len(found) > 1:
                raise views.NoEntity("several", text=m[0], n=len(found))
            return found[0] if found else m[0]

        return MASKED.sub(one, text)

    def nodes(self, ids) -> dict[str, dict[str, Any]]:
        """id -> {id, type, name, kind, official} of the persons, organizations and decisions among `ids`."""
        return self.backend.nodes(ids)

    def canonical(self, entity_id: str) -> str | None:
        """The id the graph knows an entity by (a merged person's source id gives the person's), or None."""
        return self.backend.canonical(entity_id)

    def edges_of(self, ids: list[str]) -> list[dict[str, Any]]:
        """Every relationship of these nodes, dated as the graph holds it."""
        return self.backend.edges_of(ids)

    def lookup(self, table: str, ids: list[str], columns: list[str] | None = None) -> pd.DataFrame:
        """The rows of a model table (person, org, decision, post) whose key is among `ids`."""
        return self.backend.lookup(table, ids, columns)

    def details(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        """Every model column of these persons, organizations and decisions (persons with their posts)."""
        return self.backend.details(ids)

    def whole(self) -> ViewGraph:
        """Every node and edge (for GEXF/GraphML export)."""
        return views.whole_graph(self.backend)

    # -- lifetime --------------------------------------------------------------------------------------
    def close(self) -> None:
        self.backend.close()

    def __enter__(self) -> Graph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _rules(result: SweepResult) -> list:
    return [run.rule for run in result.runs]


def open_graph(backend: str = "duckdb", store: str | Path | None = None, *, uri: str | None = None,
               user: str | None = None, database: str | None = None, create: bool = False, append: bool = False,
               adopt: bool = False) -> Graph:
    """Open the embedded graph (in memory, or the DuckDB file `store`) or a Neo4j database (`backend="neo4j"`;
    the URI, user and database from the arguments or NEO4J_URI, NEO4J_USERNAME, NEO4J_DATABASE; the password from
    NEO4J_PASSWORD only). `create`: the caller will load a graph, so a store that does not exist yet, or an empty
    database, may be used; otherwise it must hold a govties graph. `append`: the caller will add rows to the graph
    it holds. `adopt` (Neo4j, with `create`): a graph an earlier govties wrote without the `Govties` label is marked
    as govties' first. A store or database holding another application's data is refused (graph.backend.BackendError),
    and so is a graph that another govties load is writing right now."""
    purpose = "append" if append else "load" if create else "read"
    if adopt and (purpose != "load" or "shared-server" not in backend_class(backend).features):
        raise BackendError("adopting a graph goes with a full load into a Neo4j database (--backend neo4j, "
                           "without --append); a load into an embedded store rewrites it anyway")
    opened = open_backend(backend, purpose, store=str(store) if store else None, uri=uri, user=user,
                          database=database, adopt=adopt)
    try:
        busy = opened.writer()  # a graph half written: a sweep or a view would mix old and new rows
    except BackendError:
        opened.close()
        raise
    if busy:
        opened.close()
        raise BackendError(busy)
    return Graph(opened)


def _bad_id(exc: views.NoEntity) -> views.NoEntity:
    """A path end found nowhere that is shaped as a resident ID its birth date or check digit refutes (and is no
    valid credit code: 18 digits may be one), refused as that; any other refusal as it is. Only for a reader who
    may look IDs up: a masked reader's answer is the same for any ID typed, valid or not."""
    if exc.key == "names":  # two ends found nowhere: the first refuted ID said beside them
        ends = [str(exc.values.get(k, "")) for k in ("text", "other")]
        bad = next(((end, why) for end in ends if (why := _refuted(end)) is not None), None)
        if bad is None:
            return exc
        return views.NoEntity("names_bad_id", text=ends[0], other=ends[1], bad=bad[0], why=bad[1][0],
                              why_zh=bad[1][1])
    text = str(exc.values.get("text", ""))
    why = _refuted(text) if exc.key == "name" else None
    return exc if why is None else views.NoEntity("bad_id", text=text, why=why[0], why_zh=why[1])


def _refuted(text: str) -> tuple[str, str] | None:
    """Why (in English and Chinese) `text`, shaped as a resident ID, is none: its birth date or check digit refutes
    it, and it is no valid credit code either (18 digits may be one); None when it is not so."""
    read = squeezed(text)  # 330102-19650312-1019, as forms print an ID, is read as the search reads it
    _, why = normalize_id_number(read)
    if why is None or not id_shaped(read) or check_credit_code(read)[0]:
        return None
    return why, normalize_id_number(read, "zh")[1] or why
