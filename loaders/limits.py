"""Bounds on what govties reads, so that a small hostile file cannot take the memory, the time or the process:
only regular files are read, headers and workbooks have size limits, small text inputs (mappings, configs) have
a byte limit. Each refusal is one problem that names the limit and, where it can be raised, how."""

from __future__ import annotations

import os
import stat
from pathlib import Path

#: Columns in a header (CSV or sheet): Excel's own limit (XFD). The contract has at most ten columns per file.
MAX_COLUMNS = 16_384
#: Rows in a sheet: Excel's own limit; a row numbered beyond it is a damaged sheet.
MAX_SHEET_ROWS = 1_048_576
#: What the XML parts of an .xlsx workbook may inflate to, in MB (the zip directory is checked before reading).
#: A sheet of a million rows of ten columns inflates to a few hundred MB.
XLSX_INFLATED_MB = 1024
XLSX_INFLATED_ENV = "GOVTIES_XLSX_MAX_MB"
#: Small text inputs read whole: mapping files (YAML), config files (TOML).
SMALL_FILE_BYTES = 16 * 1024 * 1024
#: A mapping file's YAML, counted as it would be expanded (aliases repeat what they point to), and its depth.
YAML_MAX_NODES = 100_000
YAML_MAX_DEPTH = 32


class NotReadable(Exception):
    """A path that is not a regular file, or too big; the message is one sentence and `fix` says what to do."""

    def __init__(self, message: str, fix: str):
        super().__init__(message)
        self.fix = fix


def xlsx_inflated_limit() -> int:
    """The inflated-size limit in bytes (GOVTIES_XLSX_MAX_MB overrides the default)."""
    raw = os.environ.get(XLSX_INFLATED_ENV, "").strip()
    try:
        mb = int(raw) if raw else XLSX_INFLATED_MB
    except ValueError:
        mb = XLSX_INFLATED_MB
    return max(mb, 1) * 1024 * 1024


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


def open_regular(path: str | Path):
    """Open a file for reading in binary mode, refusing anything that is not a regular file (a FIFO would hang,
    /dev/zero never ends) before a byte is read. Raises NotReadable or OSError."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # a FIFO opens at once instead of waiting
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotReadable(f"is {_kind(mode)}, not a regular file",
                              "give a regular file (copy the data into a file first)")
        if hasattr(os, "O_NONBLOCK"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_small(path: str | Path, what: str, limit: int = SMALL_FILE_BYTES) -> bytes:
    """The bytes of a small input file (a mapping, a config), refusing non-regular files and files over `limit`."""
    with open_regular(path) as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise NotReadable(f"is over {limit // (1024 * 1024)} MB, more than a {what} can be",
                          f"check that this is the {what} you meant")
    return data


def check_regular(path: str | Path) -> None:
    """Raise NotReadable unless `path` is a regular file (following symlinks); OSError when it cannot be stat'ed."""
    mode = os.stat(path).st_mode
    if not stat.S_ISREG(mode):
        raise NotReadable(f"is {_kind(mode)}, not a regular file", "give a regular file")
