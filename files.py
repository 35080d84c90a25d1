"""Writing output files so that nothing is lost: every output is written to a temporary file beside its target and
renamed into place only when complete. A failure midway (a full disk, Ctrl-C, an error) leaves the previous file
as it was and no partial file behind. A missing output folder is created.

Before a long run, `check_outputs` refuses outputs that would overwrite an input or each other, and output folders
that cannot be written, so that nothing is computed for nothing.
"""

from __future__ import annotations

import contextvars
import errno
import os
import signal
import tempfile
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from pathlib import Path

from .cells import encodable
from .errors import GovtiesError


class OutputError(GovtiesError):
    """An output cannot be written where asked; the message says where and why."""


#: the outputs replaced so far where noting_replaced is active (what a Ctrl-C message names as written)
_REPLACED: contextvars.ContextVar[list[Path] | None] = contextvars.ContextVar("replaced", default=None)


@contextmanager
def noting_replaced(on: bool = True) -> Iterator[list[Path]]:
    """`with noting_replaced() as done:` every output written whole inside the block is appended to `done`, in
    order (a command interrupted midway says which of its outputs are new). `on=False`: none is noted inside the
    block (a server, whose downloads are not a command's outputs, and would be noted for as long as it runs)."""
    done: list[Path] = []
    token = _REPLACED.set(done if on else None)
    try:
        yield done
    finally:
        _REPLACED.reset(token)


def _reason(exc: OSError, in_folder: bool = False) -> str:
    """Why a write failed, as a person reads it; `in_folder`: a new file in a folder that exists."""
    if in_folder and exc.errno == errno.ENOENT:  # /proc, /sys: the folder is there but makes no new files
        return "the folder takes no new files (a system folder?): write the output in another folder"
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
    refuse_special(target, str(target))
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except OSError as exc:
        raise OutputError(f"cannot write in {target.parent}: {_reason(exc, in_folder=True)}") from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        if target.exists():  # keep the target's permission bits, not mkstemp's 0600
            os.chmod(tmp, target.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
        replaced = _REPLACED.get()
        if replaced is not None:
            replaced.append(target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise OutputError(f"cannot write {target}: {_reason(exc)}; the previous file, if any, is unchanged") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@contextmanager
def atomic_paths(targets: Iterable[str | Path]) -> Iterator[list[Path]]:
    """Several files that belong together (the ranked tables, a generated dataset): each written to its temporary
    file, and all renamed into place only when every one is complete; a Ctrl-C while they are renamed is held until
    the last one is in place (never a mix of old and new files)."""
    with ExitStack() as stack:
        yield [stack.enter_context(atomic_path(t)) for t in targets]
        with _interrupts_held():
            stack.close()


@contextmanager
def _interrupts_held() -> Iterator[None]:
    """A Ctrl-C inside the block raised at its end (only the main thread receives signals)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, _frame: caught.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught:
        raise KeyboardInterrupt


def _resolved(path: str | Path) -> Path:
    return Path(os.path.abspath(Path(path).expanduser())).resolve()


def input_files(path: str | Path | None) -> list[Path]:
    """The files an input names: a file itself, or every regular file in a folder (not in its subfolders)."""
    if not path:
        return []
    p = Path(path)
    if p.is_dir():
        return sorted(x for x in p.iterdir() if x.is_file())
    return [p]


def refuse_empty(value: str | Path | None, option: str, what: str = "file") -> None:
    """An output named by an empty string (`-o ''`, an unset shell variable) is refused: it would be the current
    folder, written into unasked."""
    if value is not None and isinstance(value, str) and not value.strip():
        raise OutputError(f"{option + ' ' if option else ''}names no {what} (it is empty): give one")


def check_outputs(outputs: Mapping[str, str | Path | Iterable[str | Path] | None],
                  inputs: Iterable[str | Path]) -> None:
    """Refuse, before any work, an output that is an input file or another output, and an output folder that
    cannot be created or written. `outputs` maps what names an output (an option; "" for none) to its file or
    files."""
    taken = {_resolved(i): str(i) for i in inputs}
    seen: dict[Path, str] = {}
    folders: dict[Path, str] = {}
    for option, value in outputs.items():
        if value is None:
            continue
        paths = [value] if isinstance(value, (str, Path)) else list(value)
        for path in paths:
            refuse_empty(path, option)
            real = _resolved(path)
            if real in taken:
                raise OutputError(f"{option} {path} would overwrite the input {taken[real]}: write it elsewhere")
            if real in seen:
                raise OutputError(f"{option} {path} is also the file of {seen[real]}: give each output its own file")
            if real.is_dir():
                raise OutputError(f"{option} {path} is a folder: give a file name")
            refuse_special(real, f"{option} {path}")
            seen[real] = option
            folders.setdefault(real.parent, option)
    for folder, option in folders.items():
        _check_folder(folder, option)


def refuse_special(path: Path, what: str) -> None:
    """An output is a regular file or nothing yet: a device or a pipe in its place would be replaced by a file (as
    root, -o /dev/null would replace the system's /dev/null), so it is refused."""
    if path.exists() and not path.is_file():
        raise OutputError(f"{what} is not a regular file (a device, a pipe or a socket): give a file name")


def _check_folder(folder: Path, option: str) -> None:
    """The folder exists and takes files, or it can be created: its nearest existing ancestor is a folder that takes
    files. Nothing is created here (a run refused later leaves no empty folder behind); atomic_path creates it."""
    existing = folder
    while not existing.exists() and existing.parent != existing:
        existing = existing.parent
    named = f"{option}: " if option else ""
    if not existing.is_dir():
        raise OutputError(f"{named}cannot write in {folder}: {existing} is a file, not a folder")
    try:
        fd, probe = tempfile.mkstemp(prefix=".govties-probe.", dir=existing)
    except OSError as exc:
        raise OutputError(f"{named}cannot write in {folder}: {_reason(exc, in_folder=True)}") from None
    os.close(fd)
    os.unlink(probe)


def write_text(target: str | Path, text: str) -> Path:
    """A text file (UTF-8), written whole or not at all; a lone surrogate in `text` is written as U+FFFD."""
    with atomic_path(target) as tmp:
        tmp.write_text(encodable(text), encoding="utf-8")
    return Path(target)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
