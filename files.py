"""Writing output files so that nothing is lost: every output is written to a temporary file beside its target and
renamed into place only when complete. A failure midway (a full disk, Ctrl-C, an error) leaves the previous file
as it was and no partial file behind. A missing output folder is created.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import GovtiesError


class OutputError(GovtiesError):
    """An output cannot be written where asked; the message says where and why."""


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "the disk is full"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "permission denied (a read-only folder?)"
    return exc.strerror or type(exc).__name__


@contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """`with atomic_path("out.csv") as tmp:` write tmp; on success it replaces out.csv, on any error it is removed
    and out.csv is left as it was."""
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the folder {target.parent} for {target.name}: {_reason(exc)}") from None
    if target.is_dir():
        raise OutputError(f"{target} is a folder: give a file name")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except OSError as exc:
        raise OutputError(f"cannot write in {target.parent}: {_reason(exc)}") from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        if target.exists():  # keep the target's permission bits, not mkstemp's 0600
            os.chmod(tmp, target.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise OutputError(f"cannot write {target}: {_reason(exc)}; the previous file, if any, is unchanged") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_text(target: str | Path, text: str) -> Path:
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(target)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
