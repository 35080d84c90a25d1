"""What a sweep prints: per rule (its id and title), findings by severity, skipped rules with their reasons, the
disclaimer — in the sweep's language. Lines that quote data are masked under --mask (options.say)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .. import DISCLAIMER_EN, DISCLAIMER_ZH
from ..api import SEVERITY, TRIAGE_STATUS, Loaded, SweepResult, counted, filled, stored_counts
from .options import say

LEVELS = ("high", "medium", "low")
WORDS = {
    "zh": {"note": "注意：{text}",
           "as_of": "核查参照日期 {d}：", "no_date": "无（数据中没有日期）", "findings": "{n:5d} 条线索",
           "skipped": "跳过：{r}", "total": "合计",
           "triage": "核查状态：{counts}（已排除的线索仍在表中，标为已排除）", "sep": "，", "lp": "（", "rp": "）",
           "changed_since": "核查后证据有变化（triage_evidence = changed）：{n} 条已确认或已排除的线索需重新核查",
           "evidence_changed": "证据有变化",
           "unmatched": "注意：核查文件中有 {n} 行不对应本次扫描的任何线索（编号来自其他扫描或其他脱敏密钥，"
                        "或该线索已不再出现），未被采用：{ids}",
           "recorded": "已记入工作区 {sweep_id}：{findings} 条线索，新增 {new} 条，证据有变化 {changed} 条，"
                       "重新打开 {reopened} 条（确认或排除后证据有变化）",
           "undated": "个企业角色无开始日期，无法判断", "undated_listed": "（--aggregate-out 的 undated.csv 列出）",
           "undated_in": "（列于 {path}）", "undated_sheet": "（列于 {path} 的 undated 工作表）",
           "later": "注意：数据中的日期晚至 {latest}，晚于核查参照日期；规则读取全部记录，线索可能涉及 {d} 之后的事"},
    "en": {"note": "note: {text}",
           "as_of": "sweep as of {d}:", "no_date": "none (no dates in the data)", "findings": "{n:5d} finding(s)",
           "skipped": "skipped: {r}", "total": "total",
           "triage": "triage: {counts} (dismissed findings stay in the table, marked as dismissed)",
           "sep": ", ", "lp": " (", "rp": ")",
           "changed_since": "evidence changed since triage (triage_evidence = changed): {n} confirmed or dismissed "
                            "finding(s) to review again",
           "evidence_changed": "evidence changed",
           "unmatched": "note: {n} row(s) of the triage file matched no finding of this sweep, so not applied (an "
                        "id from another sweep or another mask key, or a finding no longer found): {ids}",
           "recorded": "recorded {sweep_id} in the workspace: {findings} findings, {new} new, {changed} with changed "
                       "evidence, {reopened} reopened (their evidence changed since they were confirmed or dismissed)",
           "undated": "role(s) without a start date not placed",
           "undated_listed": " (listed in undated.csv with --aggregate-out)",
           "undated_in": " (listed in {path})", "undated_sheet": " (listed in the undated sheet of {path})",
           "later": "note: the data runs to {latest}, past the reference date; the rules read every row, so a finding "
                    "may describe what happened after {d}"},
}


def print_load(loaded: Loaded, verbose_warnings: int = 20) -> None:
    """A load's summary: the files and rows read, what they became in the graph (stored, or added by an append),
    its warnings and its entity resolution."""
    dataset = loaded.dataset
    rows = sum(dataset.rows.values())
    files = counted(f"{len(dataset.rows)} file(s)", len(dataset.rows))
    say(f"loaded {dataset.source}: {files}, " + counted(f"{rows:,} row(s)", rows)
        + ("; added " if loaded.appended else "; stored ") + stored_counts(loaded.counts))
    tell_warnings(dataset, verbose_warnings)
    say(dataset.resolution.summary())


def tell_warnings(dataset, shown: int = 20) -> None:
    """A load's warnings on stderr, as when the load is refused (stdout holds what the command made): the first
    `shown` a line each, then how many more."""
    for w in dataset.warnings[:shown]:
        say(f"warning: {w}", err=True)
    if len(dataset.warnings) > shown:
        say(f"... and {len(dataset.warnings) - shown} more warnings (govties validate lists all)", err=True)


def _severities(counts: dict[str, int], lang: str) -> str:
    w = WORDS[lang]
    return w["lp"] + w["sep"].join(f"{SEVERITY.label(s, lang)} {counts[s]}" for s in LEVELS) + w["rp"]


def _findings(w: dict[str, str], n: int) -> str:
    """The count of findings in a column of the summary: "    1 finding " lines up with "    3 findings"."""
    return counted(w["findings"], n).format(n=n).ljust(len(counted(w["findings"], 2).format(n=n)))


def print_sweep(result: SweepResult, ranked: str | Path | None = None) -> None:
    """The sweep's counts per rule; `ranked`: where the ranked tables were written (a folder, or a workbook), which
    lists the roles a rule could not place for want of a start date."""
    lang = "en" if result.lang == "en" else "zh"
    w = WORDS[lang]
    listed = w["undated_listed"]
    if ranked is not None:
        sheet = Path(ranked).suffix.lower() == ".xlsx"
        where = ranked if sheet else Path(ranked) / "undated.csv"
        listed = w["undated_sheet" if sheet else "undated_in"].format(path=where)
    say("\n" + w["as_of"].format(d=result.as_of or w["no_date"]))
    if result.later:
        say(w["later"].format(latest=result.later, d=result.as_of))
    width = max((len(r.rule.id) for r in result.runs), default=10)
    titles = {r.rule.id: r.rule.title(lang) for r in result.runs}
    title_width = max((_width(t) for t in titles.values()), default=10)
    total = dict.fromkeys(LEVELS, 0)
    for run in result.runs:
        title = titles[run.rule.id] + " " * (title_width - _width(titles[run.rule.id]))
        if run.status == "skipped":
            say(f"  {run.rule.id:<{width}}  {title}  {w['skipped'].format(r=run.why(lang))}")
            continue
        sev = dict.fromkeys(LEVELS, 0)
        for f in run.findings:
            sev[f["severity"]] += 1
            total[f["severity"]] += 1
        say(f"  {run.rule.id:<{width}}  {title}  {_findings(w, len(run.findings))}"
            f"{_severities(sev, lang)}  {run.seconds:.2f}s")
        if run.rule.undated is not None:
            say(f"  {'':<{width}}  {len(run.undated):5d} " + counted(w["undated"], len(run.undated))
                + (listed if run.undated else ""))
    n = sum(total.values())
    label = w["total"] + " " * (width - _width(w["total"]))  # 合计 takes four columns
    say(f"  {label}  {'':<{title_width}}  {_findings(w, n)}{_severities(total, lang)}")
    say(f"\n{DISCLAIMER_EN if lang == 'en' else DISCLAIMER_ZH}")
    if lang != "en":
        say(DISCLAIMER_EN)


def print_triage(frame, lang: str = "zh", unmatched: Sequence[str] = (), show_ids: bool = True) -> None:
    """The triage statuses of a sweep's findings, what changed since, and the triage rows that matched none (their
    ids listed unless `show_ids` is off: a masked run prints no finding id that is not keyed)."""
    w = WORDS["en" if lang == "en" else "zh"]
    if unmatched:
        ids = (", ".join(unmatched[:10]) + (" …" if len(unmatched) > 10 else "")) if show_ids else "…"
        say(filled(w["unmatched"], n=len(unmatched), ids=ids))
    counts = frame["triage_status"].value_counts().to_dict() if len(frame) else {}
    say(w["triage"].format(counts=w["sep"].join(f"{TRIAGE_STATUS.label(s, lang)} {counts.get(s, 0)}"
                                                 for s in TRIAGE_STATUS.ids)))
    if len(frame) and "triage_evidence" in frame.columns:
        changed = frame[(frame["triage_evidence"] == "changed")
                        & frame["triage_status"].isin(["confirmed", "dismissed"])]
        if len(changed):
            say(filled(w["changed_since"], n=len(changed)))
            for row in changed.head(20).itertuples(index=False):
                say(f"  {row.finding_id} {TRIAGE_STATUS.label(row.triage_status, lang)}: "
                    f"{row.triage_changes or w['evidence_changed']}")


def print_recorded(recorded: dict | None, lang: str = "zh") -> None:
    if recorded:
        say(WORDS["en" if lang == "en" else "zh"]["recorded"].format(**recorded))


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
