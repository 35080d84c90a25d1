"""The dataset contract the repository carries (docs/dataset.md) and the code cannot drift apart: the files,
columns, vocabularies, findings columns and rule ids the document lists are exactly the ones the code accepts,
and the document is the shared contract itself wherever that is beside the repository."""

from __future__ import annotations

import re

from govties.graph.vocabulary import CONTRACT
from govties.loaders.contract import FILES
from govties.rules.catalog import catalog
from govties.rules.engine import FINDING_COLUMNS

from conftest import REPO

DOC_PATH = REPO / "docs" / "dataset.md"
DOC = DOC_PATH.read_text(encoding="utf-8")
TICKED = re.compile(r"`([^`]+)`")


def _section(title: str) -> str:
    """The text under a heading, up to the next heading of the same or a higher level."""
    level = title.split(" ", 1)[0]
    start = DOC.index(title + "\n") + len(title) + 1
    ends = [m.start() for m in re.finditer(rf"^#{{1,{len(level)}}} ", DOC[start:], re.M)]
    return DOC[start:start + ends[0]] if ends else DOC[start:]


def _rows(text: str) -> list[list[str]]:
    """A markdown table's body rows, as cells (the header and the rule line skipped)."""
    rows = [[c.strip() for c in line.strip().strip("|").split(" | ")] for line in text.splitlines()
            if line.startswith("| `")]
    return rows


def _items(cell: str) -> list[tuple[str, str]]:
    """A columns cell as (column, what its parentheses say), split at the commas outside parentheses."""
    items, depth, current = [], 0, ""
    for ch in cell + ",":
        if ch == "," and depth == 0:
            if current.strip():
                name = TICKED.search(current).group(1)
                inner = current[current.index("(") + 1:current.rindex(")")] if "(" in current else ""
                items.append((name, inner))
            current = ""
            continue
        depth += (ch == "(") - (ch == ")")
        current += ch
    return items


def _documented_files() -> dict[str, list[tuple[str, str]]]:
    return {TICKED.search(file).group(1): _items(cols)
            for file, cols in _rows(_section("## A dataset is a folder of CSV files"))}


def _bullets() -> dict[str, list[str]]:
    """The vocabulary bullets: name -> the words of their first sentence."""
    out = {}
    text = _section("### Vocabularies")
    for bullet in re.split(r"^- ", text, flags=re.M)[1:]:
        m = re.match(r"`([a-z_]+)`: (.*?)\.(\s|$)", " ".join(bullet.split()))
        if m:
            out[m.group(1)] = TICKED.findall(m.group(2))
    return out


def test_files_and_columns_are_the_ones_the_loader_accepts():
    documented = _documented_files()
    assert list(documented) == list(FILES)
    for name, spec in FILES.items():
        contract = [c.name + ("*" if c.required else "") for c in spec.columns if c.contract]
        assert [col for col, _ in documented[name]] == contract, name
    optional = re.search(r"Files other than (.*?) are optional", " ".join(DOC.split())).group(1)
    assert set(TICKED.findall(optional)) == {n for n, f in FILES.items() if f.required_file}


def test_vocabularies_are_the_ones_the_loader_accepts():
    listed: dict[str, list[list[str]]] = {}
    for name, items in _documented_files().items():
        kinds = {c.name: c.kind for c in FILES[name].columns}
        for column, inner in items:
            kind = kinds[column.rstrip("*")]
            words = TICKED.findall(inner)
            if kind.startswith("vocab:") and words:
                listed.setdefault(kind.removeprefix("vocab:"), []).append(words)
    for name, words in _bullets().items():
        if name in CONTRACT:
            listed.setdefault(name, []).append(words)
    assert set(listed) == set(CONTRACT), "every vocabulary of the contract is listed, and only those"
    for name, lists in listed.items():
        for words in lists:
            assert words == list(CONTRACT[name].ids), name
    used = {c.kind.removeprefix("vocab:") for f in FILES.values() for c in f.columns if c.kind.startswith("vocab:")}
    assert used == set(CONTRACT)


def test_findings_columns_and_rule_ids_are_the_ones_the_engine_writes():
    columns = [w for cell, _ in _rows(_section("## A sweep writes a findings table")) for w in TICKED.findall(cell)]
    assert columns == FINDING_COLUMNS
    rules = [TICKED.search(cell).group(1) for cell, _ in _rows(_section("## Rule ids"))]
    assert sorted(rules) == sorted(catalog()) and len(rules) == len(set(rules))


def test_the_document_is_the_shared_contract():
    """Wherever the shared contract sits beside the repository (a `shared/spec/dataset.md` in a folder above
    it), the repository's copy is that text exactly."""
    shared = [p / "shared" / "spec" / "dataset.md" for p in REPO.parents
              if (p / "shared" / "spec" / "dataset.md").is_file()]
    for copy in shared:
        assert copy.read_text(encoding="utf-8") == DOC, f"{DOC_PATH} differs from {copy}: copy it again"
    assert "](docs/dataset.md)" in (REPO / "README.md").read_text(encoding="utf-8"), "the README links the contract"
