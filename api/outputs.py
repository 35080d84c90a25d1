"""What a sweep writes for people: the findings table (with the case handler's columns, triage and masking),
ranked tables, the entity-resolution list and data warnings. Every file is written whole or not at all
(govties.files); how tables are laid out (BOM, headers, formula cells) is a rules.export.Layout."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from .. import __version__
from ..files import atomic_paths
from ..graph.vocabulary import LANGS, match_reason
from ..loaders import Dataset
from ..loaders.names import name_matches
from ..privacy import keyed_id, mask_key, mask_value
from ..rules.casework import CASE_COLUMNS, case_columns
from ..rules.catalog import catalog
from ..rules.collector import no_cycle_collection
from ..rules.engine import SweepResult
from ..rules.profiles import DEFAULT as DEFAULT_PROFILE
from ..rules.findings import facts_of
from ..rules.export import Layout, disclaimer_rows, findings_frame, write_csv_file, write_findings, write_table
from ..rules.tracking import apply_triage
from ..rules.workbook import Sheet, write_workbook
from ..titles import REGION, title
from .triage import plain_fingerprint

if TYPE_CHECKING:
    from .graph import Graph

RANKED = ("officials", "companies", "agencies", "regions", "undated")  # undated: roles rules could not place
KEYED_NOTE = ("masked: resident IDs and phones are masked, and finding_id and fingerprint are keyed ids "
              "(HMAC-SHA256 under the mask key), stable across runs with the same key")


def findings_table(result: SweepResult, *, graph: Graph | None = None, triage: pd.DataFrame | None = None,
                   mask: bool = False, archive: Mapping[str, Mapping[str, Any]] | None = None) -> pd.DataFrame:
    """A sweep's findings as a DataFrame: the contract's columns first and in order, then the evidence fingerprint;
    then, with `graph`, the columns a case handler sorts by (rules.casework: rule title, total amount, decision
    kinds, the official's post and rank at the time, the relation); the sweep's `as_of`; the triage columns when a
    triage table is given (read with api.read_triage; its ids may be plain or keyed): a triaged finding whose
    evidence changed since its triage says so, and what changed when `archive` (fingerprint -> the evidence facts
    then, as Workspace.facts_many gives) holds the evidence it was triaged on. With `mask`, identifiers are masked
    and finding ids keyed (govties.privacy)."""
    with no_cycle_collection():  # many young objects alive after a sweep (rules.collector)
        findings = result.findings
        frame = findings_frame(findings)
        if graph is not None:
            extra = case_columns(graph.backend, findings, result.lang, result.as_of)
            frame = pd.concat([frame.reset_index(drop=True), extra], axis=1)
        else:
            frame["as_of"] = result.as_of
        key = mask_key() if mask else None
        if triage is not None:
            facts = {f["finding_id"]: known for f in findings if (known := facts_of(f)) is not None}
            frame = apply_triage(frame, _plain_ids(triage, frame, key) if key else triage, archive,
                                 facts)
        return mask_findings(frame, key) if key else frame


def _plain_ids(triage: pd.DataFrame, frame: pd.DataFrame, key: bytes) -> pd.DataFrame:
    """The triage table, also under the plain id of each finding it names by keyed id (a masked export's), with
    the keyed fingerprint such a row carries read as the plain one it keys."""
    extra = {}
    for fid, fp in zip(frame["finding_id"], frame["fingerprint"], strict=True):
        k = keyed_id(fid, key)
        if k in triage.index and fid not in triage.index:
            row = triage.loc[k].copy()
            if "fingerprint" in row.index and row["fingerprint"]:  # keyed: another one says the evidence changed
                row["fingerprint"] = plain_fingerprint(row["fingerprint"], (fp,)) or row["fingerprint"]
            extra[fid] = row
    if not extra:
        return triage
    return pd.concat([triage, pd.DataFrame.from_dict(extra, orient="index")])


def mask_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Every value with resident IDs and phones masked (ranked tables, the resolution list, warnings)."""
    return frame.map(mask_value) if len(frame) else frame


def mask_findings(frame: pd.DataFrame, key: bytes | None = None) -> pd.DataFrame:
    """A findings table (or a triage table) as masked outputs carry it: values masked, finding ids and evidence
    fingerprints keyed. A plain fingerprint would let anyone test guesses of a masked ID's hidden digits: it is a
    hash of the evidence, in which the ID appears whole."""
    key = key or mask_key()
    out = mask_frame(frame)
    if len(out):
        for column in ("finding_id", "fingerprint"):
            if column in frame.columns:
                out[column] = frame[column].map(lambda v: keyed_id(v, key) if isinstance(v, str) and v else v)
    return out


def masked_result(result: SweepResult) -> SweepResult:
    """The sweep as masked views and reports show it: each finding's id keyed (they mask the values they show
    themselves: write_view and write_report with mask=True)."""
    key = mask_key()
    return replace(result, runs=[replace(run, findings=[{**f, "finding_id": keyed_id(f["finding_id"], key)}
                                                        for f in run.findings]) for run in result.runs])


def about(result: SweepResult, source: str | None, backend: str, *, mask: bool = False,
          profile: str | None = None) -> dict[str, Any]:
    """The run's parameters, written beside the findings (the Excel `about` sheet) and on the run's index page."""
    out: dict[str, Any] = {"source": source or "(stored graph)", "backend": backend, "as_of": result.as_of,
                           "lang": result.lang, "profile": profile or DEFAULT_PROFILE,
                           "rules": ",".join(run.rule.id for run in result.runs if run.status == "ran")}
    skipped = [run.rule.id for run in result.runs if run.status != "ran"]
    if skipped:  # for want of their input files: their findings are unknown, not none (diff reads this)
        out["skipped"] = ",".join(skipped)
    for run in result.runs:
        if run.params:
            out[f"params {run.rule.id}"] = ", ".join(f"{k}={param_text(v)}" for k, v in sorted(run.params.items()))
    out["govties"] = __version__
    if mask:
        out = {k: mask_value(str(v)) for k, v in out.items()}
        out["masked"] = KEYED_NOTE
    return out


def param_text(value: Any) -> str:
    """A rule parameter's value as a --param takes it: a list comma-separated, a whole amount with no decimals."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # an amount in yuan as 1000000, not 1000000.0
    return ",".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)


def write_csv(frame: pd.DataFrame, path: str | Path, layout: Layout | None = None) -> Path:
    """A table as CSV (or Excel, when the name ends in .xlsx), written whole or not at all."""
    return write_table(frame, path, layout)


def rule_titles(lang: str) -> dict[str, str]:
    """Column titles for the per-rule columns of the officials table."""
    return {rule_id: rule.title(lang) for rule_id, rule in catalog().items()}


def write_rankings(tables: dict[str, pd.DataFrame], target: str | Path, *, mask: bool = False,
                   layout: Layout | None = None, about: dict[str, Any] | None = None) -> dict[str, int]:
    """The ranked tables: officials.csv, companies.csv, agencies.csv, regions.csv into the folder `target`, or one
    workbook with a sheet each when `target` ends in .xlsx. All are replaced together, once all are complete.
    Returns rows per table."""
    layout = layout or Layout()
    target = Path(target)
    frames = {name: (mask_frame(df) if mask else df) for name, df in tables.items()}
    titles = rule_titles(layout.lang)
    # rule ids as their titles, and a region no agency records in words, where the header shows titles
    words = {"rule": titles, "rules": titles, "region": REGION.labels(layout.lang)}
    rows = [*disclaimer_rows(), *(("counting", FACTS_NOTE[lang]) for lang in LANGS),
            *((k, str(v)) for k, v in (about or {}).items())]
    if target.suffix.lower() == ".xlsx":
        with atomic_paths([target]) as (tmp,):
            write_workbook(tmp, [Sheet(name, df, titles, words) for name, df in frames.items()], rows, lang=layout.lang,
                           headers=layout.headers_for("xlsx"), raw_cells=layout.raw_cells)
        return {name: len(df) for name, df in frames.items()}
    # the CSV folder's about.csv says what the workbook's about sheet says: a lead for review, how facts count
    with atomic_paths([target / f"{name}.csv" for name in frames] + [target / ABOUT_CSV]) as tmps:
        *sheets, about_file = tmps
        for tmp, df in zip(sheets, frames.values(), strict=True):
            write_csv_file(df, tmp, layout, titles, words)
        write_csv_file(pd.DataFrame(rows, columns=["key", "value"]), about_file, layout, {})
    return {f"{name}.csv": len(df) for name, df in frames.items()}


ABOUT_CSV = "about.csv"


def _zh(column: str) -> str:
    return title(column, "zh")


FACTS_NOTE = {  # how the ranked tables count: in both languages, as the disclaimer is given (columns as titled)
    "zh": "每个事实只计一次：同一公职人员（企业、机关单位、地区）的线索涉及同一决定的，"
          "或无决定而公职人员、单位及中间人均相同的，合为一个事实，评分和风险等级取其中最高者；"
          f"{_zh('combined_score')} = 100 × (1 − ∏(1 − 评分/100))，对各事实连乘；"
          f"{_zh('weighted')}为各事实按风险等级加权之和（高3、中2、低1），{_zh('index_per_10_officials')} = "
          f"{_zh('weighted')} × 10 ÷ {_zh('officials')}，{_zh('flagged_share')} = {_zh('officials_flagged')} ÷ "
          f"{_zh('officials')}；"
          "机关单位的公职人员数为曾在该单位任职的人数"
          "加上其线索涉及的公职人员，地区的为区内全部机关单位和村（社区）的这些人员（无论有无线索），同一人只计一次；"
          "省级机关的地区代码止于省（如33），该行只含省级机关，不含省内各市，其地区名称亦注明（如浙江省（省级机关））；"
          "“未登记地区”一行汇总未登记地区代码的机关单位的线索，列于末尾，不参与排名",
    "en": "each fact counts once: findings of one official (company, agency, region) that share a decision, or "
          "without decisions the same official, organization and person in between, are one fact whose score "
          "and severity are the strongest of them; combined_score = 100 x (1 - prod(1 - score/100)) over facts; "
          "weighted is the facts weighted by severity (high 3, medium 2, low 1), index_per_10_officials = weighted "
          "x 10 / officials, flagged_share = officials_flagged / officials; an "
          "agency's officials are the people who held a post there and the officials its findings name, a "
          "region's those of every agency and village in it (with findings or not), each person once; a "
          "provincial department's region code stops at the province (33): that row holds the province-level "
          "agencies alone, not the province's cities, and its region_name says so (33: 浙江省（省级机关）); the row "
          "(none) holds the findings of agencies that record no region: listed last, not ranked",
}


def ranking_files(target: str | Path) -> list[Path]:
    """The files write_rankings writes for `target`."""
    target = Path(target)
    if target.suffix.lower() == ".xlsx":
        return [target]
    return [target / f"{name}.csv" for name in RANKED] + [target / ABOUT_CSV]


def resolution_list(dataset: Dataset, *, name_help: bool = False, lang: str = "en") -> tuple[pd.DataFrame, list[str]]:
    """Who was merged by resident ID and the possible matches by name and birth date; with `name_help`, also
    company-role holders without a resident ID whose name matches someone else (simplified characters, pinyin
    with govties[names]). Listed for review, never merged. Returns the list (each reason in `lang`; the decision
    an id: merged, possible, name) and notes on what was not checked."""
    frame = dataset.resolution.frame(lang)
    notes: list[str] = []
    if name_help:
        matches, notes = name_matches(dataset.frame("person"), dataset.frame("role"))
        if matches:
            frame = pd.concat([frame, pd.DataFrame(
                [{"canonical_id": "", "person_ids": f"{m.holder_id};{m.candidate_id}",
                  "names": f"{m.holder_name};{m.candidate_name}", "id_number": "", "decision": "name",
                  "reason": match_reason(m.code, lang)}
                 for m in matches])], ignore_index=True)
    return frame, notes


def warnings_table(dataset: Dataset, lang: str = "en") -> pd.DataFrame:
    """The load's data warnings, one per row, each in `lang` ("zh": in Chinese where it has its Chinese, as the
    index page lists them)."""
    return pd.DataFrame({"warning": [w.text(lang) for w in dataset.warnings]})


__all__ = ["findings_table", "mask_frame", "mask_findings", "masked_result", "about", "write_csv", "write_findings",
           "param_text", "write_rankings", "ranking_files", "resolution_list", "warnings_table", "rule_titles",
           "CASE_COLUMNS", "FACTS_NOTE"]
