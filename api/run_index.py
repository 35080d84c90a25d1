"""A run's index page (visualize/index_page.py): what the run wrote, linked relative to the page, with the run's
parameters and the fingerprint of its input.

The fingerprint is reproducible with standard tools: the SHA-256 of each input file (every regular file of a
dataset folder, not its subfolders; or the workbook; and the mapping file), listed one per line as `sha256sum`
prints them (`HASH  NAME`), sorted by name in byte order, and the SHA-256 of that list — in a dataset folder,
`LC_ALL=C sha256sum * | sha256sum` gives the same digest.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pandas as pd

from ..files import input_files, write_text
from ..graph.vocabulary import filled
from ..privacy import mask_text
from ..visualize.index_page import SHOWN_WARNINGS, Link, RunIndex, render, warning_texts

SHOWN_FINDINGS = 100
NOTES = {
    "zh": {"report": "核查报告：按规则和风险等级计数、时间分布、公职人员排名、重点线索",
           "overview": "关系网络总览：全部线索的证据，可按规则和风险等级筛选",
           "findings": "{n} 条线索", "findings_xlsx": "{n} 条线索（Excel，便于核查工作）",
           "ranks_xlsx": "公职人员、企业、机关、地区排名表（Excel）", "rank_csv": "排名表（CSV）",
           "undated_csv": "无开始日期、规则无法判断的企业任职（CSV）",
           "about_csv": "说明：线索仅供核查，事实如何计数，本次运行的参数（CSV）",
           "resolution": "按身份证号合并 {merged} 人次，{review} 条按姓名和出生日期的可能匹配待核对",
           "warnings": "{n} 条数据警告"},
    "en": {"report": "report: counts per rule and severity, timeline, ranked officials, top findings",
           "overview": "overview: every finding's evidence in one network, filterable by rule and severity",
           "findings": "{n} finding(s)", "findings_xlsx": "{n} finding(s) (Excel, for case work)",
           "ranks_xlsx": "ranked officials, companies, agencies and regions (Excel)", "rank_csv": "ranked table (CSV)",
           "undated_csv": "company roles without a start date, which the rules could not place (CSV)",
           "about_csv": "about: a lead for review, how facts are counted, the run's parameters (CSV)",
           "resolution": "{merged} merge(s) by resident ID, {review} possible match(es) by name and birth date for "
                         "review",
           "warnings": "{n} data warning(s)"},
}


def note(kind: str, lang: str, **values: Any) -> str:
    """What an output holds, for the index page, in the page's language."""
    return filled(NOTES["zh" if lang == "zh" else "en"][kind], **values)


def ranking_notes(paths: Iterable[Path], lang: str) -> list[tuple[Path, str]]:
    """The ranked tables' files (api.ranking_files) with what each holds: one workbook, or a CSV per table, of
    which undated.csv lists the roles the rules could not place (not a ranking)."""
    paths = list(paths)
    if len(paths) == 1 and paths[0].suffix.lower() == ".xlsx":
        return [(paths[0], note("ranks_xlsx", lang))]
    kinds = {"undated": "undated_csv", "about": "about_csv"}
    return [(p, note(kinds.get(p.stem, "rank_csv"), lang)) for p in paths]


def resolution_note(resolution: pd.DataFrame, lang: str) -> str:
    merged = int((resolution["decision"] == "merged").sum()) if len(resolution) else 0
    return note("resolution", lang, merged=merged, review=len(resolution) - merged)


def fingerprint(sources: Iterable[str | Path | None]) -> tuple[list[tuple[str, str]], str | None]:
    """(sha256, name) of every input file, by name, and the SHA-256 of that manifest; (…, None) without inputs."""
    files = sorted({p.name: p for s in sources for p in input_files(s)}.items(), key=lambda x: x[0].encode())
    entries = []
    for name, path in files:
        h = hashlib.sha256()
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
        entries.append((h.hexdigest(), name))
    if not entries:
        return [], None
    manifest = "".join(f"{digest}  {name}\n" for digest, name in entries)
    return entries, hashlib.sha256(manifest.encode("utf-8")).hexdigest()


@dataclass
class RunOutputs:
    """What a run wrote, for its index page: (path, what it holds) in the order to list them."""
    start: list[tuple[Path, str]] = field(default_factory=list)  # the report, the overview, the findings workbook
    files: list[tuple[Path, str]] = field(default_factory=list)
    views: dict[str, Path] = field(default_factory=dict)  # finding_id -> its view
    overview: Path | None = None  # the other findings link to their place in the overview
    warnings_file: Path | None = None


def href(target: Path, page: Path) -> str:
    rel = os.path.relpath(Path(target).resolve(), Path(page).resolve().parent)
    return "/".join(quote(part) for part in Path(rel).parts)


def write_run_index(path: str | Path, *, lang: str, about: Mapping[str, Any], findings: pd.DataFrame,
                    outputs: RunOutputs, sources: Iterable[str | Path | None] = (), warnings: list[Any] | None = None,
                    mask: bool = False) -> Path:
    """Write the index page at `path`. `findings` is the findings table as written (masked when `mask`), highest
    score first; `warnings` the load's data warnings."""
    page = Path(path)
    files, digest = fingerprint(sources)
    shown = mask_text if mask else (lambda s: s)
    warnings = warning_texts(warnings or [], lang, mask)
    top: list[dict[str, Any]] = []
    for record in findings.head(SHOWN_FINDINGS).to_dict(orient="records"):
        row = {str(k): v for k, v in record.items()}
        view = outputs.views.get(str(row["finding_id"]))
        if view:
            link = href(view, page)
        elif outputs.overview:
            link = f"{href(outputs.overview, page)}#{quote(str(row['finding_id']))}"
        else:
            link = None
        top.append({**row, "view": link})
    index = RunIndex(
        lang=lang,
        start=[Link(href(p, page), p.name, note) for p, note in outputs.start],
        outputs=[Link(href(p, page), _name(p, page), note) for p, note in outputs.files],
        params=[(k, shown(str(v))) for k, v in about.items()],
        files=[(d, shown(n)) for d, n in files], digest=digest,
        findings=top, total_findings=len(findings), views_written=len(outputs.views),
        warnings=warnings[:SHOWN_WARNINGS], warnings_total=len(warnings),
        warnings_file=href(outputs.warnings_file, page) if outputs.warnings_file else None,
    )
    return write_text(page, render(index))


def _name(target: Path, page: Path) -> str:
    rel = os.path.relpath(Path(target).resolve(), Path(page).resolve().parent)
    return rel.replace(os.sep, "/")


__all__ = ["fingerprint", "RunOutputs", "write_run_index", "href", "note", "resolution_note"]
