"""Bounds on what govties reads, so that a small hostile file cannot take the memory, the time or the process:
only regular files are read, headers and workbooks have size limits, small text inputs (mappings, configs) have
a byte limit. Each refusal is one problem that names the limit and, where it can be raised, how."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from .problems import Problem, Zh

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
    """A path that is not a regular file, or too big; the message is one sentence and `fix` says what to do; `zh`
    both in Chinese (a problem's zh=)."""

    def __init__(self, message: str, fix: str, zh: Zh):
        super().__init__(message)
        self.fix = fix
        self.zh = zh

    def problem(self, where: str) -> Problem:
        """The refusal as a problem of the file `where`."""
        return Problem(where, None, None, str(self), fix=self.fix, zh=self.zh)


#: What to check when the system would not open a file: (English, Chinese)
CHECK_PATH = ("check the path", "检查路径")
CHECK_ACCESS = ("check the path and permissions", "检查路径和权限")
#: The system's reasons in Chinese, by error number (strerror says them in English)
_REASONS_ZH = {errno.ENOENT: "没有这个文件或文件夹", errno.EACCES: "没有访问权限", errno.EPERM: "操作不被允许",
               errno.EISDIR: "这是一个文件夹", errno.ENOTDIR: "路径中有一段不是文件夹", errno.ELOOP: "符号链接层数过多",
               errno.ENAMETOOLONG: "文件名过长", errno.EIO: "读写出错", errno.ENOSPC: "磁盘空间不足",
               errno.EDQUOT: "超出磁盘配额", errno.EROFS: "文件系统只读", errno.EMFILE: "打开的文件过多",
               errno.ENFILE: "打开的文件过多", errno.EBUSY: "设备或资源正忙", errno.ENXIO: "没有这个设备或地址",
               errno.EEXIST: "已经存在", errno.EINVAL: "参数无效"}


def reason_zh(exc: OSError) -> str:
    """Why the system refused, in Chinese (its own words, quoted, where the error is not one of _REASONS_ZH)."""
    return _REASONS_ZH.get(exc.errno or 0) or f"系统提示“{exc.strerror or type(exc).__name__}”"


def cannot_read(where: str, exc: OSError, check: tuple[str, str] = CHECK_ACCESS) -> Problem:
    """The problem of a file the system would not open or read (missing, no permission ...), with its reason."""
    return Problem(where, None, None, f"cannot be read: {exc.strerror}", fix=check[0],
                   zh=Zh(f"无法读取：{reason_zh(exc)}", check[1]))


def xlsx_inflated_limit() -> int:
    """The inflated-size limit in bytes (GOVTIES_XLSX_MAX_MB overrides the default)."""
    raw = os.environ.get(XLSX_INFLATED_ENV, "").strip()
    try:
        mb = int(raw) if raw else XLSX_INFLATED_MB
    except ValueError:
        mb = XLSX_INFLATED_MB
    return max(mb, 1) * 1024 * 1024


def _kind(mode: int) -> tuple[str, str]:
    """What a path that is not a regular file is, in English and in Chinese."""
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)", "命名管道（FIFO）"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device", "设备"
    if stat.S_ISSOCK(mode):
        return "a socket", "套接字"
    if stat.S_ISDIR(mode):
        return "a folder", "文件夹"
    return "not a regular file", ""


def _not_regular(mode: int, fix: str, fix_zh: str) -> NotReadable:
    kind, kind_zh = _kind(mode)
    return NotReadable(f"is {kind}, not a regular file", fix,
                       Zh(f"是{kind_zh}，不是普通文件" if kind_zh else "不是普通文件", fix_zh))


def open_regular(path: str | Path):
    """Open a file for reading in binary mode, refusing anything that is not a regular file (a FIFO would hang,
    /dev/zero never ends) before a byte is read. Raises NotReadable or OSError."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # a FIFO opens at once instead of waiting
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise _not_regular(mode, "give a regular file (copy the data into a file first)",
                               "请给出普通文件（先把数据复制到一个文件里）")
        if hasattr(os, "O_NONBLOCK"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_small(path: str | Path, what: str, what_zh: str, limit: int = SMALL_FILE_BYTES) -> bytes:
    """The bytes of a small input file (a mapping, a config: `what`, and `what_zh` in Chinese), refusing
    non-regular files and files over `limit`."""
    with open_regular(path) as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        mb = limit // (1024 * 1024)
        raise NotReadable(f"is over {mb} MB, more than a {what} can be", f"check that this is the {what} you meant",
                          Zh(f"超过 {mb} MB，{what_zh}不会这么大", f"确认这是您要用的{what_zh}"))
    return data


def check_regular(path: str | Path) -> None:
    """Raise NotReadable unless `path` is a regular file (following symlinks); OSError when it cannot be stat'ed."""
    mode = os.stat(path).st_mode
    if not stat.S_ISREG(mode):
        raise _not_regular(mode, "give a regular file", "请给出普通文件")
