"""A run's index page: one static, offline HTML file (no script, nothing fetched; the Content-Security-Policy
forbids both) that links everything the run wrote — report, overview, each finding's view, findings tables, ranked
tables, the resolution list, data warnings — and states the run's parameters and the fingerprint of its input.
Every value is HTML-escaped and isolated from the text around it (<bdi>), so a name cannot inject markup or
reverse the rest of a line."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

from ..graph.vocabulary import DISCLAIMER, SEVERITY, counted
from ..titles import ABOUT_KEYS
from .style import CJK_FONTS

SHOWN_WARNINGS = 50  # data warnings a page lists; the rest are counted

WORDS = {
    "zh": {"title": "govties 运行索引", "start": "从这里开始", "outputs": "本次运行写出的文件", "file": "文件",
           "what": "内容", "findings": "线索", "id": "线索编号", "rule": "规则", "severity": "风险等级",
           "score": "评分", "explanation": "说明", "view": "视图", "params": "运行参数", "key": "参数",
           "value": "值", "input": "输入指纹", "input_note": "对输入文件逐个计算 SHA-256，按文件名排序列成清单"
           "（与 sha256sum 的输出格式相同），再对清单计算 SHA-256：",
           "no_input": "未读取输入文件（使用已存储的图）", "warnings": "数据警告", "none": "无",
           "warned": "本次载入有 {n} 条数据警告，列在本页末尾：",
           "more": "其余 {n} 条见 {file}",
           "more_listed": "其余 {n} 条未列出：govties validate 列出全部",
           "views": "已为评分最高的 {n} 条线索（共 {total} 条）各写了一个视图。",
           "all_views": "已为全部 {n} 条线索各写了一个视图。", "no_views": "本次运行未写单条线索视图。",
           "in_overview": "总览"},
    "en": {"title": "govties run index", "start": "Start here", "outputs": "Files this run wrote", "file": "file",
           "what": "what it holds", "findings": "Findings", "id": "finding", "rule": "rule", "severity": "severity",
           "score": "score", "explanation": "explanation", "view": "view", "params": "Parameters of the run",
           "key": "parameter", "value": "value", "input": "Input fingerprint",
           "input_note": "SHA-256 of each input file, listed by name as sha256sum prints them, and SHA-256 of that "
           "list:", "no_input": "no input files were read (a stored graph)", "warnings": "Data warnings",
           "warned": "The load gave {n} data warning(s), listed at the end of this page: ",
           "none": "none", "more": "{n} more in {file}",
           "more_listed": "{n} more not listed: govties validate lists all",
           "views": "A view was written for each of the {n} highest-scoring of {total} findings.",
           "all_views": "A view was written for each of the {n} findings.",
           "no_views": "This run wrote no single-finding views.", "in_overview": "overview"},
}


@dataclass
class Link:
    href: str  # relative to the page
    label: str
    note: str = ""


@dataclass
class RunIndex:
    lang: str
    start: list[Link]
    outputs: list[Link]
    params: list[tuple[str, str]]
    files: list[tuple[str, str]] = field(default_factory=list)  # (sha256, name) of each input file
    digest: str | None = None  # sha256 of the manifest
    findings: list[dict[str, Any]] = field(default_factory=list)  # top findings, each with "view" (href or None)
    total_findings: int = 0
    views_written: int = 0
    warnings: list[str] = field(default_factory=list)
    warnings_total: int = 0
    warnings_file: str | None = None


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def _d(value: Any) -> str:
    """A value from data: escaped and isolated from the text around it."""
    return f"<bdi>{_e(value)}</bdi>"


def _link(link: Link) -> str:
    return f'<tr><td><a href="{_e(link.href)}">{_d(link.label)}</a></td><td>{_e(link.note)}</td></tr>'


def _about_key(key: str, lang: str) -> str:
    """A parameter of the run as the page names it (数据来源; 参数 relative-business), an unknown key as it is."""
    head, _, rule = key.partition(" ")
    if head not in ABOUT_KEYS.ids:
        return key
    return ABOUT_KEYS.label(head, lang) + (f" {rule}" if rule else "")


def render(index: RunIndex) -> str:
    w = WORDS["zh" if index.lang == "zh" else "en"]
    lang = "zh" if index.lang == "zh" else "en"
    start = "".join(_link(x) for x in index.start)
    outputs = "".join(_link(x) for x in index.outputs)
    params = "".join(f"<tr><th>{_e(_about_key(k, lang))}</th><td>{_d(v)}</td></tr>" for k, v in index.params)
    if index.digest:
        manifest = "\n".join(f"{_e(h)}  {_d(n)}" for h, n in index.files)
        fingerprint = (f"<p>{_e(w['input_note'])} <code class=digest>{_e(index.digest)}</code></p>"
                       f"<pre>{manifest}</pre>")
    else:
        fingerprint = f"<p>{_e(w['no_input'])}</p>"
    if index.views_written and index.views_written < index.total_findings:
        views_note = w["views"].format(n=index.views_written, total=index.total_findings)
    elif index.views_written:
        views_note = w["all_views"].format(n=index.views_written)
    else:
        views_note = w["no_views"]
    rows = []
    for f in index.findings:
        label = w["in_overview"] if "#" in (f.get("view") or "") else w["view"]
        view = f'<a href="{_e(f["view"])}">{_e(label)}</a>' if f.get("view") else ""
        sev = f.get("severity") or ""
        rows.append(f"<tr><td><code>{_d(f.get('finding_id'))}</code></td><td>{_d(f.get('rule_title') or f.get('rule'))}"
                    f"</td><td class=\"nw sev-{_e(sev)}\">{_e(SEVERITY.label(sev, lang))}</td>"
                    f"<td class=num>{_e(f.get('score'))}</td><td>{_d(f.get('explanation'))}</td>"
                    f"<td class=nw>{view}</td></tr>")
    findings = (f"<table><tr><th>{_e(w['id'])}</th><th>{_e(w['rule'])}</th><th>{_e(w['severity'])}</th>"
                f"<th>{_e(w['score'])}</th><th>{_e(w['explanation'])}</th><th>{_e(w['view'])}</th></tr>"
                + "".join(rows) + "</table>") if rows else f"<p>{_e(w['none'])}</p>"
    warnings = warnings_list(index.warnings, index.warnings_total, lang, index.warnings_file)
    disclaimer = DISCLAIMER["zh"] + " " + DISCLAIMER["en"]
    warned = warned_note(index.warnings_total, lang)
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>{_e(w['title'])}</title>
<style>
body {{ font-family: {CJK_FONTS}; margin: 24px; color: #222; max-width: 1200px; }}
table {{ border-collapse: collapse; margin: 8px 0 24px; }}
th, td {{ border: 1px solid #ddd; padding: 4px 8px; vertical-align: top; font-size: 13px; text-align: left; }}
th {{ background: #f6f8fa; white-space: nowrap; }} td.num {{ text-align: right; }}
td.num, td.nw {{ white-space: nowrap; }}
.sev-high {{ color: #c00; font-weight: bold; }} .sev-medium {{ color: #d58512; }} .sev-low {{ color: #5a5; }}
.note {{ background: #fff8e1; border: 1px solid #f0d98c; padding: 8px; }}
.start a {{ font-size: 16px; font-weight: bold; }}
pre {{ background: #f6f8fa; padding: 8px; font-size: 12px; overflow-x: auto; }}
code.digest {{ word-break: break-all; }}
/* a phone: a table scrolls inside its box, its columns keeping a readable width */
@media (max-width: 640px) {{ body {{ margin: 10px; }} table {{ display: block; overflow-x: auto; max-width: 100%; }}
  td {{ min-width: 4em; }} td:not(.num) {{ min-width: 10em; }} }}
</style></head><body>
<h1>{_e(w['title'])}</h1>
<p class="note">{_e(disclaimer)}</p>
{warned}
<h2>{_e(w['start'])}</h2>
<table class="start">{start}</table>
<h2>{_e(w['findings'])}</h2>
<p>{_e(views_note)}</p>
{findings}
<h2>{_e(w['outputs'])}</h2>
<table><tr><th>{_e(w['file'])}</th><th>{_e(w['what'])}</th></tr>{outputs}</table>
<h2>{_e(w['params'])}</h2>
<table><tr><th>{_e(w['key'])}</th><th>{_e(w['value'])}</th></tr>{params}</table>
<h2>{_e(w['input'])}</h2>
{fingerprint}
{warnings}
</body></html>
"""


__all__ = ["Link", "RunIndex", "render", "WORDS"]


def warned_note(total: int, lang: str) -> str:
    """The note at the top of a page that lists a load's warnings at its end (none when there are none)."""
    if not total:
        return ""
    w = WORDS[lang]
    return (f'<p class="note">{_e(counted(w["warned"], total).format(n=total))}'
            f'<a href="#warnings">{_e(w["warnings"])}</a></p>')


def warnings_list(shown: list[str], total: int, lang: str, file: str | None = None) -> str:
    """The warnings section: its heading (the note's link lands on it) and the warnings `shown` (texts in the
    page's language, masked where the page is), then how many more are in `file` (a link) or not listed."""
    w = WORDS[lang]
    items = "".join(f"<li>{_d(x)}</li>" for x in shown) or f"<li>{_e(w['none'])}</li>"
    more = total - len(shown)
    if more > 0 and file:
        before, _, after = w["more"].partition("{file}")
        items += f"<li>{_e(before.format(n=more))}<a href=\"{_e(file)}\">{_d(file)}</a>{_e(after)}</li>"
    elif more > 0:
        items += f"<li>{_e(w['more_listed'].format(n=more))}</li>"
    return f'<h2 id="warnings">{_e(w["warnings"])}</h2>\n<ul>{items}</ul>'


def warning_texts(warnings: list[Any], lang: str, mask: bool = False) -> list[str]:
    """A load's warnings as a page lists them: each in the page's language where it has one (loaders.Problem.text),
    else as it is said; masked under `mask`."""
    from ..privacy import mask_text

    texts = [w.text(lang) if hasattr(w, "text") else str(w) for w in warnings]
    return [mask_text(t) for t in texts] if mask else texts
