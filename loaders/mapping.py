"""Mapping files (YAML): how a source's files or sheets, columns and words map to the dataset contract.

    files:
      人员信息表:                 # a source file (with or without .csv) or an Excel sheet
        file: people.csv          # the contract file it fills (default: the one the source is named after)
        columns: {工号: person_id, 名字: name}
        values:
          gender: {M: 男, F: 女}   # source word -> contract word, per contract column
        header_row: 3             # the header's line (row); the lines above it are titles (default: --header-row)

An entry named after a contract file that it fills (people, 人员) also maps the source named after that contract
file by another of its names. Every key is checked before any data is read; an error names the mapping key and the
fix.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ..cells import quoted
from .contract import FILES
from .headers import contract_file_for, file_zh
from .limits import CHECK_PATH, YAML_MAX_DEPTH, YAML_MAX_NODES, NotReadable, cannot_read, read_small
from .problems import DataError, Problem, Zh
from .values import vocabulary_choice, vocabulary_word


@dataclass
class SourceMap:
    file: str
    columns: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    header_row: int | None = None


@dataclass
class Mapping:
    sources: dict[str, SourceMap] = field(default_factory=dict)  # source name (normalized) -> map
    path: str = ""

    def key_of(self, name: str) -> str:
        """The mapping key a file (its name) or a sheet (its title) is looked up by."""
        return (name.rsplit(".", 1)[0] if name.lower().endswith((".csv", ".xlsx")) else name).strip()

    def entry_for(self, name: str) -> str | None:
        """The key of the entry that maps a file or sheet: the one named as it is, else one named after the
        contract file the source is named after and filling it (an entry `relatives` maps the sheet 亲属 as it maps
        relatives.csv; an entry 干部 that fills decision_makers.csv maps no 人员.csv, though both name people)."""
        key = self.key_of(name)
        if key in self.sources:
            return key
        contract = contract_file_for(name)
        if contract is None:
            return None
        return next((k for k, m in self.sources.items() if m.file == contract and contract_file_for(k) == contract),
                    None)

    def for_source(self, name: str) -> SourceMap | None:
        key = self.entry_for(name)
        return self.sources[key] if key is not None else None

    def unmatched(self, names: list[str]) -> list[str]:
        """The mapping's keys that none of the dataset's files or sheets (`names`) matches."""
        matched = {self.entry_for(n) for n in names}
        return [key for key in self.sources if key not in matched]


MAX_HEADER_ROW = 1000


def load_mapping(path: str | Path | None) -> Mapping:
    if not path:
        return Mapping()
    path = Path(path)
    where = path.name
    data = _read_yaml(path, where)
    problems: list[Problem] = []

    def bad(key: str, message: str, fix: str, zh: Zh) -> None:  # a key's path, as YAML tools name it (files.x.y)
        problems.append(Problem(where, None, None, f"{key}: {message}", fix=fix, zh=Zh(f"{key}：{zh.message}", zh.fix)))

    if not isinstance(data, dict) or set(data) - {"files"}:
        bad("(top)", "a mapping has one key, files", "write files: followed by one entry per source file or sheet",
            Zh("映射文件只有一个键：files", "写 files:，其下每个源文件或工作表各一项"))
        raise DataError(problems)
    files = data.get("files") or {}
    if not isinstance(files, dict):
        bad("files", "must be a table of source files or sheets", "write one `NAME:` entry per source under files:",
            Zh("应是源文件或工作表的表", "在 files: 下为每个来源写一项 `NAME:`（NAME 为其名称）"))
        raise DataError(problems)
    out = Mapping(path=str(path))
    for source, spec in files.items():
        key = f"files.{source}"
        if not isinstance(spec, dict):
            bad(key, "must be a table with file, columns, values and header_row", "indent file:, columns: under it",
                Zh("应是含 file、columns、values、header_row 的表", "在其下缩进写 file:、columns:"))
            continue
        unknown = sorted(str(k) for k in set(spec) - {"file", "columns", "values", "header_row"})
        if unknown:
            bad(key, f"has unknown key(s) {', '.join(unknown)}", "use file, columns, values and header_row",
                Zh(f"有未知的键：{'、'.join(quoted(k) for k in unknown)}", "只用 file、columns、values 和 header_row"))
        target = spec.get("file")
        if target is None:  # a source named after a contract file fills it (people, 人员, 人员.csv: people.csv)
            target = contract_file_for(str(source))
        if target is None:
            bad(f"{key}.file", "is missing, and the source's name stands for no contract file: an entry says which "
                "contract file its source fills (unless named after it: people, 人员 ...)",
                f"add file: with one of {', '.join(FILES)}",
                Zh("缺少此项，而来源的名称不对应任何数据规范文件：每一项须说明其来源填入哪个数据规范文件（来源按该文件命名时除外："
                   "people、人员……）", f"添加 file:，取 {_one_of(FILES)}"))
            continue
        if not isinstance(target, str) or target not in FILES:
            bad(f"{key}.file", f"names {target!r}, which is not a contract file",
                f"use one of {', '.join(FILES)}",
                Zh(f"写的是“{quoted(target)}”，不是数据规范文件", f"改用 {_one_of(FILES)}"))
            continue
        names = set(FILES[target].column_names)
        header_row = spec.get("header_row")
        if header_row is not None and (isinstance(header_row, bool) or not isinstance(header_row, int)
                                       or not 1 <= header_row <= MAX_HEADER_ROW):
            bad(f"{key}.header_row", f"is {header_row!r}: expected the header's line or row, a whole number from 1 "
                f"to {MAX_HEADER_ROW}", "write header_row: 3 when two title lines come first",
                Zh(f"是“{quoted(header_row)}”：应为表头所在的行，1至{MAX_HEADER_ROW}的整数",
                   "前面有两行标题时写 header_row: 3"))
            header_row = None
        columns = {}
        given = spec.get("columns") or {}
        if not isinstance(given, dict):
            bad(f"{key}.columns", "must map source headers to contract columns", "write columns: {工号: person_id}",
                Zh("应把来源的表头对应到数据规范的列", "写 columns: {工号: person_id}"))
            given = {}
        for src, dst in given.items():
            if not isinstance(dst, str) or dst not in names:
                bad(f"{key}.columns.{src}", f"maps to {dst!r}, which is not a column of {target}",
                    f"use one of {', '.join(sorted(names))}",
                    Zh(f"对应到“{quoted(dst)}”，而 {file_zh(target)}没有这一列", f"改用 {_one_of(sorted(names))}"))
                continue
            columns[str(src)] = dst
        values = {}
        given = spec.get("values") or {}
        if not isinstance(given, dict):
            bad(f"{key}.values", "must map contract columns to word tables", "write values: {relation: {内人: spouse}}",
                Zh("应把数据规范的列对应到词表", "写 values: {relation: {内人: spouse}}"))
            given = {}
        for col, words in given.items():
            if col not in names:
                bad(f"{key}.values.{col}", f"{col!r} is not a column of {target}",
                    f"use one of {', '.join(sorted(names))}",
                    Zh(f"“{quoted(col)}”不是 {file_zh(target)}的列", f"改用 {_one_of(sorted(names))}"))
            elif not isinstance(words, dict) or not all(_scalar(k) and _scalar(v) for k, v in words.items()):
                bad(f"{key}.values.{col}", "must map source words to contract words", "write 内人: spouse",
                    Zh("应把来源的词对应到数据规范的词", "写 内人: spouse"))
            else:
                values[col] = {str(k): str(v) for k, v in words.items()}
                column = next(c for c in FILES[target].columns if c.name == col)
                for word, meant in values[col].items():  # a word of a vocabulary column maps to a word it takes
                    if not meant.strip() and not column.required:
                        continue  # or to nothing, in a column that may be empty (不详: "")
                    if column.vocabulary and vocabulary_word(column.vocabulary, meant) is None:
                        bad(f"{key}.values.{col}.{word}", f"maps to {meant!r}, which {col} does not take",
                            f"use {vocabulary_choice(column.vocabulary)}",
                            Zh(f"对应到“{quoted(meant)}”，而列 {col} 不接受这个词",
                               f"改用{vocabulary_choice(column.vocabulary, 'zh')}"))
        out.sources[out.key_of(str(source))] = SourceMap(target, columns, values, header_row)
    if problems:
        raise DataError(problems)
    return out


def _one_of(names) -> str:
    """A choice of names, as a Chinese fix offers it (甲、乙、丙之一)."""
    return "、".join(names) + " 之一"


def _scalar(value) -> bool:
    return isinstance(value, (str, int, float, bool, dt.date)) or value is None


def _read_yaml(path: Path, where: str):
    """The mapping file's YAML, refused before it is built when it is too big, nested too deeply or would expand
    (through aliases) beyond limits.YAML_MAX_NODES nodes: a kilobyte of aliases can stand for billions."""
    try:
        import yaml
    except ImportError as exc:  # pragma: no cover
        raise DataError([Problem(where, None, None, "mapping files need PyYAML", fix="pip install pyyaml",
                                 zh=Zh("读取映射文件需要 PyYAML", "pip install pyyaml"))]) from exc
    try:
        text = read_small(path, "mapping file", "映射文件").decode("utf-8")
    except NotReadable as exc:
        raise DataError([exc.problem(where)]) from None
    except OSError as exc:
        raise DataError([cannot_read(where, exc, CHECK_PATH)]) from None
    except UnicodeDecodeError as exc:
        raise DataError([Problem(where, None, None, f"is not UTF-8 text (bad byte at offset {exc.start})",
                                 fix="save the mapping file as UTF-8",
                                 zh=Zh(f"不是 UTF-8 文本（第{exc.start}字节有误，从0计）",
                                       "把映射文件另存为 UTF-8"))]) from None
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return {}
        _check_size(node, where)
        return loader.construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        message = _yaml_said(exc)
        raise DataError([Problem(where, mark.line + 1 if mark else None, None, f"is not valid YAML: {message}",
                                 fix="check indentation and colons",
                                 zh=Zh(f"不是有效的 YAML（解析器的提示：{message}）", "检查缩进和冒号"))]) from None
    except RecursionError:
        raise DataError([Problem(where, None, None, "is nested too deeply to be a mapping file",
                                 fix="a mapping is files: NAME: file/columns/values, a few levels deep",
                                 zh=Zh("嵌套太深，不会是映射文件",
                                       "映射文件的结构是 files: NAME: file/columns/values，只有几层"))]) from None
    finally:
        loader.dispose()


def _check_size(root, where: str) -> None:
    """The node count of the document as it would be expanded, and its depth, without expanding it."""
    import yaml

    size: dict[int, int] = {}
    stack = [(root, 1, False)]
    on_path: set[int] = set()
    while stack:
        node, depth, done = stack.pop()
        if depth > YAML_MAX_DEPTH:
            _too_big(where, f"is nested more than {YAML_MAX_DEPTH} levels deep", f"嵌套超过{YAML_MAX_DEPTH}层")
        children = ([c for pair in node.value for c in pair] if isinstance(node, yaml.MappingNode)
                    else list(node.value) if isinstance(node, yaml.SequenceNode) else [])
        if done:
            on_path.discard(id(node))
            size[id(node)] = 1 + sum(size[id(c)] for c in children)
            if size[id(node)] > YAML_MAX_NODES:
                _too_big(where, f"expands (through its aliases) to more than {YAML_MAX_NODES:,} values",
                         f"经由别名展开后超过{YAML_MAX_NODES:,}个值")
            continue
        if id(node) in size:
            continue
        if id(node) in on_path:
            _too_big(where, "has an alias that refers to itself", "有引用自身的别名")
        on_path.add(id(node))
        stack.append((node, depth, True))
        stack.extend((c, depth + 1, False) for c in children if id(c) not in size)


def _too_big(where: str, what: str, what_zh: str) -> None:
    raise DataError([Problem(where, None, None, what, fix="write the mapping out without YAML anchors and aliases "
                                                          "(& and *)",
                             zh=Zh(what_zh, "不用 YAML 的锚点和别名（& 和 *），把映射完整写出"))])


def _yaml_said(exc) -> str:
    """What the YAML parser found, in one line that counts lines as the problem's location does (from 1): what it
    expected, at which column, and what it was reading from which line (a flow mapping opened on line 4)."""
    problem, mark = getattr(exc, "problem", None), getattr(exc, "problem_mark", None)
    if not problem:
        return " ".join(str(exc).split())
    said = problem + (f" (column {mark.column + 1})" if mark else "")
    context, opened = getattr(exc, "context", None), getattr(exc, "context_mark", None)
    if context:
        said += f", {context}" + (f" begun on line {opened.line + 1}" if opened else "")
    return said
