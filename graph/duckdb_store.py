"""Which files govties opens as its embedded store, and the record that makes a file govties'.

A store is a DuckDB file holding the model's tables and `govties_meta` (model.META_TABLE): key/value rows with the
format (`govties-graph`), its version, the govties that wrote it, when, and the id of the last load or append
(written in the same transaction as the graph, so it also tells whether that transaction committed). Tables whose
names start with `govties_` are govties' own (a workbench adds its own there); other tables in a govties store are
left alone. A file that is not a DuckDB database, another application's database, or a store of a newer format is
refused before anything is written; a store that does not exist is created only by a command that writes a graph.
"""

from __future__ import annotations

import atexit
import datetime as dt
import os
from pathlib import Path

import duckdb

from .backend import BackendError
from .model import FORMAT_VERSION, GRAPH_FORMAT, META_TABLE, TABLES

PURPOSES = ("read", "load", "append")  # what the command opening a store will do with it
_MAGIC = b"DUCK"  # at byte 8 of every DuckDB database file
_LOAD_FIRST = "`govties load DATASET --store {path}` writes one"


def check_file(path: str, purpose: str) -> None:
    """Before connecting (DuckDB would create a missing file, and opens some other files as views)."""
    p = Path(path)
    if not p.exists():
        if purpose == "read":
            raise BackendError(f"the store {path} does not exist: check the path ({_LOAD_FIRST.format(path=path)})")
        if purpose == "append":
            raise BackendError(f"--append adds to a stored graph, and the store {path} does not exist: check the "
                               f"path, or load the full dataset first ({_LOAD_FIRST.format(path=path)})")
        return
    if not p.is_file():
        raise BackendError(f"the store {path} is not a regular file: give --store the path of a DuckDB file")
    with p.open("rb") as fh:
        head = fh.read(4096)
    if not head:
        if purpose == "load":  # an empty file (e.g. made by mktemp), which DuckDB will not open: nothing to lose
            p.unlink()
            return
        raise BackendError(f"the store {path} is an empty file, not a govties store: "
                           f"{_LOAD_FIRST.format(path=path)}")
    if head[8:12] != _MAGIC:
        raise BackendError(f"the store {path} is not a DuckDB database ({_looks_like(head)}): --store takes the "
                           "DuckDB file govties writes; pass data files as DATASET, and give --store a new file name")


def _looks_like(head: bytes) -> str:
    if head.startswith(b"SQLite format 3\x00"):
        return "it is an SQLite database"
    if head.startswith(b"PK\x03\x04"):
        return "it is a zip file, e.g. an .xlsx workbook"
    if head.startswith(b"PAR1"):
        return "it is a Parquet file"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 3:  # not merely a character cut at the end of the sample
            return "it holds binary data of another kind"
    return "it is a text file, e.g. CSV"


def _tables(con) -> dict[str, list[str]]:
    """Every user table and view ("schema.name" outside main) -> its column names."""
    rows = con.execute(
        "SELECT schema_name, table_name, column_name FROM duckdb_columns() WHERE NOT internal "
        "AND database_name = current_database() ORDER BY schema_name, table_name, column_index").fetchall()
    out: dict[str, list[str]] = {}
    for schema, table, column in rows:
        out.setdefault(table if schema == "main" else f"{schema}.{table}", []).append(column)
    return out


def _meta(con, tables: dict[str, list[str]]) -> dict[str, str] | None:
    if tables.get(META_TABLE) != ["key", "value"]:
        return None
    meta = dict(con.execute(f'SELECT key, value FROM "{META_TABLE}"').fetchall())
    return meta if meta.get("format") == GRAPH_FORMAT else None


def check_store(con, path: str, purpose: str) -> None:
    """Refuse, in one line, a database that is not a govties store fit for `purpose`."""
    tables = _tables(con)
    meta = _meta(con, tables)
    if meta is not None:
        version = int(meta.get("version") or 0)
        if version > FORMAT_VERSION:
            raise BackendError(f"the store {path} was written by a newer govties (store format {version}, "
                               f"govties {meta.get('govties')}; this one reads format {FORMAT_VERSION}): upgrade "
                               "govties, or load the dataset into a new file")
        return
    if not tables:
        if purpose == "load":
            return
        raise BackendError(f"the store {path} holds no govties graph: {_LOAD_FIRST.format(path=path)}")
    if _earlier_govties(tables):
        if purpose == "load":
            return  # exactly govties' tables, as an earlier govties wrote them: the load rewrites them all
        raise BackendError(f"the store {path} was written by an earlier govties (it has no {META_TABLE} table): load "
                           f"the dataset into it again once (`govties load DATASET --store {path}`)")
    names = sorted(tables)
    shown = ", ".join(names[:6]) + (f" and {len(names) - 6} more" if len(names) > 6 else "")
    raise BackendError(f"the store {path} is a DuckDB database of another application (tables {shown}; no "
                       f"{META_TABLE} record): govties keeps its graph in a file of its own and never changes "
                       "another's; give --store a new file name")


def _earlier_govties(tables: dict[str, list[str]]) -> bool:
    """Exactly the model's tables, besides govties' own `govties_*` tables (a workspace's)."""
    own = {name: columns for name, columns in tables.items() if not name.startswith("govties_")}
    return own == {name: table.column_names for name, table in TABLES.items()}


def write_meta(con, stamp: str) -> None:
    """Record, in the caller's transaction, that the file is a govties store, its format, and this write's stamp."""
    from .. import __version__

    con.execute(f'CREATE TABLE IF NOT EXISTS "{META_TABLE}" (key VARCHAR PRIMARY KEY, value VARCHAR)')
    rows = {"format": GRAPH_FORMAT, "version": str(FORMAT_VERSION), "govties": __version__,
            "written": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "load": stamp}
    con.executemany(f'INSERT OR REPLACE INTO "{META_TABLE}" VALUES (?, ?)', list(rows.items()))


def last_stamp(con) -> str | None:
    """The stamp of the last load or append that committed (None when the file has no record)."""
    try:
        # fetched whole, never fetchone(): a result left unfinished holds the connection
        rows = con.execute(f"SELECT value FROM \"{META_TABLE}\" WHERE key = 'load'").fetchall()
    except duckdb.CatalogException:  # no such table
        return None
    return rows[0][0] if rows else None


#: what DuckDB raises when a store's file cannot be written (a commit fails as a transaction error; a database
#: invalidated by a failed write, as a fatal one), as against a query's own errors
WRITE_FAILURES = (duckdb.IOException, duckdb.TransactionException, duckdb.FatalException)


def write_failure(exc: duckdb.Error) -> str:
    """Why DuckDB could not write a store or its workspace, as a person reads it."""
    text = str(exc)
    if "No space left" in text:
        return "the disk is full"
    if "Permission denied" in text or "Read-only file system" in text:
        return "permission denied (a read-only folder or file?)"
    return first_line(exc)


def first_line(exc: BaseException) -> str:
    """An error's message's first line (its type's name when it has none)."""
    lines = str(exc).splitlines()
    return lines[0] if lines else type(exc).__name__


class MadeStores:
    """Store files this process created for a load, until it is known whether they hold a graph.

    A load that fails or is interrupted leaves no empty store behind, as if the command had not run. The backend
    settles its own file when it closes; a Ctrl-C can land where no close follows (inside `duckdb.connect`, which
    may have created the file, or between opening a store and the `with` that would close it), so whatever is left
    unsettled is looked at once more when the process exits, and removed if it holds no table. In doubt (the store
    cannot be read, or another process holds it) the file is kept."""

    unsettled: set[str] = set()
    watching = False

    @classmethod
    def made(cls, path: str) -> None:
        cls.unsettled.add(os.path.abspath(path))
        if not cls.watching:
            atexit.register(cls.settle_all)
            cls.watching = True

    @classmethod
    def forget(cls, path: str) -> None:
        """The file was not this process's to make after all (connecting to it failed: another process has it)."""
        cls.unsettled.discard(os.path.abspath(path))

    @staticmethod
    def remove_unopened(path: str, exc: duckdb.Error) -> None:
        """A store file this process created and DuckDB could not open (it could not write its header: a full disk)
        is removed; not one another process holds (it made the file meanwhile)."""
        if "Conflicting lock" not in str(exc):
            for part in (Path(path), Path(f"{path}.wal")):
                part.unlink(missing_ok=True)

    @classmethod
    def settle(cls, path: str, con: duckdb.DuckDBPyConnection) -> None:
        """Close `con`, the connection to a store this process made; if the store holds no table, remove it first,
        while it is still open (no other process can have taken the path in between)."""
        key = os.path.abspath(path)
        try:
            holds = bool(con.execute("SELECT count(*) FROM information_schema.tables").fetchall()[0][0])
            if not holds:
                for part in (Path(key), Path(key + ".wal")):
                    part.unlink(missing_ok=True)
            cls.unsettled.discard(key)
        except duckdb.Error:  # closed already, or broken: looked at again when the process exits
            pass
        except OSError:  # a system that cannot remove an open file: kept
            cls.unsettled.discard(key)
        finally:
            con.close()

    @classmethod
    def settle_all(cls) -> None:
        try:
            for path in sorted(cls.unsettled):
                if not Path(path).exists():
                    cls.unsettled.discard(path)
                    continue
                try:
                    con = duckdb.connect(path)
                except duckdb.Error:  # another process has it now: it is not this process's to remove
                    cls.unsettled.discard(path)
                    continue
                cls.settle(path, con)
        except KeyboardInterrupt:  # as the process exits (a library's user; the program ignores Ctrl-C by now)
            pass
