"""The library API as the README documents it: the notebook example runs as written, and the CLI's checks live
in the library (the same refusals from a notebook as from the command line)."""

from __future__ import annotations

import re

import networkx as nx
import openpyxl
import pandas as pd
import pytest

import govties.api as gt
from govties.errors import GovtiesError
from govties.rules.engine import FINDING_COLUMNS

from conftest import DEMO, REPO


def _readme_example() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## Python API", 1)[1].split("\n## ", 1)[0]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_the_readme_example_runs(monkeypatch, capsys, tmp_path):
    (tmp_path / "examples").symlink_to(REPO / "examples")  # its paths, as from the repository's root
    monkeypatch.chdir(tmp_path)
    scope: dict = {}
    exec(compile(_readme_example(), "README.md (Python API)", "exec"), scope)  # noqa: S102 - our own README
    findings = scope["findings"]
    assert isinstance(findings, pd.DataFrame) and len(findings) > 0
    assert list(findings.columns[:len(FINDING_COLUMNS)]) == FINDING_COLUMNS
    assert {"rule_title", "total_amount", "relation", "official_rank"} <= set(findings.columns)  # the case handler's
    book = openpyxl.load_workbook(tmp_path / "findings.xlsx", read_only=True)
    header = next(book["findings"].iter_rows(max_row=1, values_only=True))
    about = dict(book["about"].iter_rows(min_row=2, max_col=2, values_only=True))
    assert "relation" in header and "规则" not in header, header  # English titles: the column ids
    assert about["lang"] == "en" and about["rules"] and about["source"] == "examples/demo", about
    assert isinstance(scope["path"], nx.MultiDiGraph) and scope["path"].number_of_nodes() >= 2
    assert set(scope["ranks"]) >= {"officials", "companies", "agencies", "regions"}
    assert scope["matches"] and scope["matches"][0]["name"] == "周国平"
    assert "A finding is a lead" in findings.explanation.iloc[0]


@pytest.mark.parametrize("kwargs,message", [
    ({"rules": "nope"}, "unknown rule id(s): nope"),
    ({"rules": ""}, "rules names no rule"),  # an empty shell variable: refused, not every rule
    ({"rules": " , "}, "rules names no rule"),
    ({"config": {"rules": []}}, "rules in the config names no rule"),
    ({"params": ["post-retirement.senior_years=abc"]}, "parameter senior_years expects a whole number"),
    ({"params": {"nope": {"x": 1}}}, "parameters name unknown rule(s) nope"),
    # a shape other than {rule: {name: value}} or ["rule.name=value", ...]: the rule named, the shapes given
    ({"params": {"post-retirement": 5}}, 'sweep_settings: key params.post-retirement must be a table of parameters, '
     'not 5; fix: give params as {rule: {name: value}} or ["rule.name=value", ...], e.g. {"post-retirement": '
     '{"senior_years": 5}}'),
    ({"params": 5}, 'sweep_settings: params must hold one table per rule, not 5; fix: give params as {rule: '
     '{name: value}} or ["rule.name=value", ...]'),
    ({"params": [("post-retirement", 5)]}, "sweep_settings: params must hold one table per rule, not "
     "[('post-retirement', 5)]; fix: give params as"),
    ({"config": {"params": {"post-retirement": 5}}}, "config: key params.post-retirement must be a table of "
     "parameters, not 5; fix: write [params.RULE] tables of NAME = VALUE lines"),
    ({"lang": "fr"}, "lang 'fr' is not a language govties writes"),
    ({"as_of": "garbage"}, "as_of 'garbage' is not a date"),
    ({"params": ["oops"]}, "params 'oops': write RULE.PARAMETER=VALUE, e.g. "
                           'params=["post-retirement.senior_years=5"]'),
])
def test_settings_refuse_what_the_cli_refuses(kwargs, message):
    """In the library's words: an argument is named as a Python caller writes it (lang, not --lang)."""
    with pytest.raises(GovtiesError) as exc:
        gt.sweep_settings(**kwargs)
    assert message in str(exc.value) and "--" not in str(exc.value)


def test_settings_accept_the_date_forms_the_data_accepts_and_each_rule_once():
    s = gt.sweep_settings(as_of="2024/12/01", rules="self-dealing,self-dealing,nepotism")
    assert s.as_of == "2024-12-01"
    # a share as a percentage, as the data writes shares; a number that is not a share takes no percent sign
    for share in ("30%", " 30 % ", "３０％"):
        assert gt.sweep_settings(params=[f"indirect-relative-business.min_share={share}"]).params[
            "indirect-relative-business"]["min_share"] == pytest.approx(0.3), share
    with pytest.raises(GovtiesError, match="parameter threshold expects an amount in yuan, .*, got '30%'"):
        gt.sweep_settings(params=["split-decisions.threshold=30%"])
    assert sorted(s.rule_ids) == ["nepotism", "self-dealing"]  # in the catalog's order, each once


def test_a_notebook_is_told_each_problem_and_each_misuse_of_the_library(tmp_path):
    """What an analyst meets in a notebook: a refused dataset's message is its problems (file, line, column, fix),
    not only their count; a sweep given settings and keywords, or a keyword it does not take, is refused; the
    drawings refuse the ranges the command line refuses; an inbox filter takes one value or a list, and refuses a
    severity or status that does not exist (no silent empty page)."""
    bad = tmp_path / "bad"
    bad.mkdir()
    for path in DEMO.glob("*.csv"):
        (bad / path.name).write_bytes(path.read_bytes())
    decisions = pd.read_csv(bad / "decisions.csv", dtype=str, keep_default_na=False)
    decisions.loc[1, "amount"] = "12x"
    decisions.to_csv(bad / "decisions.csv", index=False)
    with pytest.raises(gt.DataError) as refused:
        gt.validate(bad)
    column = list(decisions.columns).index("amount") + 1
    assert str(refused.value).startswith(f"decisions.csv, line 3, column {column} (amount): "), str(refused.value)
    assert "(found '12x'); fix: " in str(refused.value)
    with gt.open_graph(store=str(tmp_path / "g.duckdb"), create=True) as g:
        g.load(DEMO)
        with pytest.raises(gt.SettingsError, match=r"got settings and lang as well"):
            g.sweep(gt.sweep_settings(lang="en"), lang="zh")
        with pytest.raises(gt.SettingsError, match=r"takes no language; give rules, params"):
            g.sweep(language="en")
        for call, message in ((lambda: g.paths("XP0003", "XO0005", k=0), "k=0 is not a whole number from 1 to 50"),
                              (lambda: g.around("XP0003", hops=-1), "hops=-1 is not a whole number from 1 to 8")):
            with pytest.raises(GovtiesError, match=message):
                call()
        g.sweep(lang="en", record=True)
        ws = g.workspace()
        high = ws.inbox(gt.InboxQuery(severity=["high"])).total
        assert high > 0 and ws.inbox(gt.InboxQuery(severity="high")).total == high
        # a region as findings are filed (3301), or any code an investigator may type for it: the same findings
        hangzhou = ws.inbox(gt.InboxQuery(region=["3301"], size=200)).total
        assert hangzhou > 0 and all(ws.inbox(gt.InboxQuery(region=[code], size=200)).total == hangzhou
                                    for code in ("330100", "330102", "330110001", " 3301 "))
        assert ws.inbox(gt.InboxQuery(region=["330000"])).total == ws.inbox(gt.InboxQuery(region=["33"])).total > 0
        # the region of agencies that record none, as the evaluation names it in either language
        typed = ("未登记地区", "(none)", "(NONE)")
        assert [gt.InboxQuery(region=[words]).region for words in typed] == [["(none)"]] * 3
        with pytest.raises(GovtiesError, match=r"severity 'critical': choose among high, medium, low"):
            gt.InboxQuery(severity=["critical"])
        for wrong, message in (({"sort": "x" * 500}, "cannot sort by 'x{40}': choose one of score"),
                               ({"size": 7}, "a page holds 20, 50, 100, 200 findings, not 7")):
            with pytest.raises(GovtiesError, match=message):
                gt.InboxQuery(**wrong)  # refused when made, not when a page is asked for
        # a range the wrong way round would list only what spans both ends: refused, both pairs in one error
        with pytest.raises(GovtiesError) as wrong_way:
            gt.InboxQuery(date_from="2023/1/1", date_to="2022-01-01", amount_min=1.2e8, amount_max=1e6)
        assert wrong_way.value.each() == {
            "date_from": "A range from date_from 2023-01-01 to date_to 2022-01-01 runs the wrong way round: are they "
                         "swapped?",
            "amount_min": "A range from amount_min 120,000,000 to amount_max 1,000,000 runs the wrong way round: are "
                          "they swapped?"}
        assert wrong_way.value.each("zh")["date_from"].startswith("起始日期 date_from（2023-01-01）晚于截止日期")
        with pytest.raises(GovtiesError, match=r"^a date is written YYYY-MM-DD .*, not date_to='31\.2\.2020'$"):
            gt.InboxQuery(date_to="31.2.2020")
        # an empty end is no bound; an amount given as its text is read as a number, compared as one
        assert gt.InboxQuery(date_from="2023-01-01", date_to="", amount_min="").date_to is None
        assert (gt.InboxQuery(amount_min="50", amount_max=100).amount_min, gt.InboxQuery(amount_max="1e6")
                .amount_max) == (50.0, 1e6)
        for low, high in (("100", 50), ("100", "50")):
            with pytest.raises(GovtiesError, match="amount_min 100 to amount_max 50 runs the wrong way round"):
                gt.InboxQuery(amount_min=low, amount_max=high)
        with pytest.raises(gt.InboxError, match=r"^an amount is a number of yuan \(.*\), not amount_max='lots'$"):
            gt.InboxQuery(amount_max="lots")
        with pytest.raises(gt.InboxError, match="amount_min='nan'"):  # a number that is none filters nothing
            gt.InboxQuery(amount_min=float("nan"))
        # the text forms the workbench's boxes read; a score as text; a page before the first is the first
        read = gt.InboxQuery(amount_min="120万", amount_max="1,500,000", score_min="50", page=0)
        assert (read.amount_min, read.amount_max, read.score_min, read.page) == (1_200_000, 1_500_000, 50, 1)
        with pytest.raises(gt.InboxError, match="a minimum score runs from 0 to 100, not abc"):
            gt.InboxQuery(score_min="abc")
        # a date in any form the data accepts is read as the findings' dates are written; one day is a range
        same = gt.InboxQuery(date_from="2021年3月5日", date_to="2021.3.5", amount_min=5, amount_max=5)
        assert (same.date_from, same.date_to) == ("2021-03-05", "2021-03-05")
        dated = ws.inbox(gt.InboxQuery(date_from="2024/1/1", size=200))
        assert dated.total == ws.inbox(gt.InboxQuery(date_from="2024-01-01", size=200)).total > 0


def test_a_sweep_through_the_api_equals_the_cli_s_findings_file(tmp_path):
    from click.testing import CliRunner

    from govties.cli.main import main

    out = tmp_path / "f.csv"
    res = CliRunner().invoke(main, ["sweep", str(DEMO), "-o", str(out), "--lang", "en", "-q"])
    assert res.exit_code == 0, res.output
    with gt.open_graph() as g:
        g.load(DEMO)
        frame = gt.findings_table(g.sweep(lang="en"))
    cli = pd.read_csv(out, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert cli["finding_id"].tolist() == frame["finding_id"].tolist()
    assert cli["explanation"].tolist() == frame["explanation"].tolist()


def test_generate_refuses_what_the_command_refuses_before_writing_anything(tmp_path):
    with pytest.raises(gt.GenerateError, match="^people must be at least 1$"):
        gt.generate(tmp_path / "a", 0)
    with pytest.raises(ValueError, match="^density 99: give findings per 1,000 input rows, from 0 to 50$"):
        gt.generate(tmp_path / "a", 10, density=99)
    assert not (tmp_path / "a").exists()
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(GovtiesError, match="is a file: give a folder"):
        gt.generate(tmp_path / "file", 10)
    folder = tmp_path / "ds"
    folder.mkdir()
    (folder / "people.csv").write_text("precious\n", encoding="utf-8")
    with pytest.raises(gt.GenerateError) as refused:
        gt.generate(folder, 10)
    assert str(refused.value) == (f"out_dir {folder} already holds files (a dataset?): give an empty or new folder, "
                                  "or force=True to write into it")
    assert (folder / "people.csv").read_text(encoding="utf-8") == "precious\n"
    assert gt.generate(folder, 10, force=True)["people.csv"] > 0
    assert (folder / "people.csv").read_text(encoding="utf-8") != "precious\n"


@pytest.mark.parametrize("args, line", [
    (["--people", "0"], "error: --people must be at least 1"),
    (["--people", "10", "--merged", "0.9"], "error: --merged 0.9: give a share from 0 to 0.5"),
    (["--people", "10"], "error: --out {out} already holds files (a dataset?): give an empty or new folder, or "
                         "--force to write into it"),
])
def test_the_generate_command_says_the_library_s_refusal_in_its_options_words(tmp_path, args, line):
    import shutil
    import subprocess

    out = tmp_path / "ds"
    out.mkdir()
    (out / "keep.txt").write_text("precious\n", encoding="utf-8")
    res = subprocess.run([shutil.which("govties"), "generate", "--out", str(out), *args], capture_output=True,
                         text=True, timeout=120)
    assert res.returncode == 2 and res.stdout == ""
    assert res.stderr.splitlines() == [line.format(out=out)]
    assert [p.name for p in out.iterdir()] == ["keep.txt"]


def test_a_recorded_finding_draws_as_the_swept_one_with_its_records_and_groups(tmp_path):
    """What the workbench shows of a finding, through the library: its evidence drawn from the recorded row, the
    source records of its entities, how many findings share its official and company."""
    with gt.open_graph(store=tmp_path / "g.duckdb", create=True) as g:
        g.load(DEMO)
        result = g.sweep(lang="en")
        ws = g.workspace()
        f = next(f for f in result.findings if f.get("official_id") and f.get("org_id"))
        row = ws.finding(f["finding_id"])
        view = gt.finding_view(g, row, gt.rules().values())
        swept = g.finding(result, f["finding_id"])
        assert sorted(view.graph.nodes) == sorted(swept.graph.nodes) and len(view.graph.nodes) >= 2
        assert sorted(view.graph.edges) == sorted(swept.graph.edges)
        data = gt.view_data(view, "en")
        assert data["layout"] == "layered" and {n["id"] for n in data["nodes"]} >= set(view.graph.nodes)
        records = ws.records_of(sorted(view.graph.nodes))
        assert {r["entity_id"] for r in records} == {n for n in view.graph.nodes if n in ws.store.values(
            "record", "entity_id")}
        assert [(r["entity_id"], r["file"], r["line"]) for r in records] == sorted(
            (r["entity_id"], r["file"], r["line"]) for r in records)
        sizes = dict(ws.group_sizes(row))
        assert sizes["official"] == sum(x.get("official_id") == f["official_id"] for x in result.findings)
        assert sizes["company"] == sum(x.get("org_id") == f["org_id"] for x in result.findings)
        assert "ring" not in sizes or row.get("ring_id")


def test_an_output_of_no_known_format_names_the_argument_that_gives_one(tmp_path):
    findings = pd.DataFrame(columns=FINDING_COLUMNS)
    with pytest.raises(GovtiesError, match=r"name it \.csv, \.jsonl, \.xlsx or \.parquet, or give the format "
                                           r"\(--format on the command line, fmt= in Python\)"):
        gt.write_findings(findings, tmp_path / "f.txt")
    assert not (tmp_path / "f.txt").exists()
    gt.write_findings(findings, tmp_path / "f.txt", fmt="csv")
    assert (tmp_path / "f.txt").read_text(encoding="utf-8-sig").startswith("finding_id,")


def test_paths_take_a_resident_id_or_a_credit_code_as_the_search_box_does(tmp_path):
    """The paths between two entities, one named by a resident ID (18 or full-width digits, or with hyphens) and
    the other by its credit code, are those between their ids: the explore page's paths form takes what its add box
    takes."""
    with gt.open_graph(store=str(tmp_path / "g.duckdb"), create=True) as g:
        g.load(DEMO)
        person = g.backend.lookup("person", ["XP0003"]).iloc[0]
        org = g.backend.lookup("org", ["XO0005"]).iloc[0]
        by_id = g.paths("XP0003", "XO0005")
        def wide(text: str) -> str:  # full-width digits and letters
            return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in text)

        code = org["credit_code"]
        spaced = " ".join(code[i:i + 6] for i in range(0, 18, 6)).lower()  # as the loader reads it, not as find does
        number = person["id_number"]
        dashed = (f"{number[:6]}-{number[6:14]}-{number[14:]}", f"{code[:8]}-{code[8:]}")  # as forms print them
        for a, b in ((number, spaced), (wide(number), wide(code)), dashed):
            by_key = g.paths(a, b)
            assert [f["nodes"] for f in by_key.findings] == [f["nodes"] for f in by_id.findings] != [], (a, b)
            # each end says what it was read as, as a name read does
            assert [(said["text"], said["id"]) for key, said in by_key.notes if key == "note_name"] == [
                (a, "XP0003"), (b, "XO0005")], by_key.notes
        assert [key for key, _ in by_id.notes if key == "note_name"] == []
        with pytest.raises(GovtiesError, match="330102196503121019"):  # an ID no one has: no entity, said so
            g.paths("330102196503121019", "XO0005")
        # an ID whose check digit is wrong (one digit mistyped): said so, in both languages, with the right one
        with pytest.raises(gt.NoEntity) as refused:
            g.paths("330102196503121017", "XO0005")
        assert str(refused.value) == ("'330102196503121017' is not a valid resident ID: the check digit is wrong "
                                      "(GB 11643 gives '8'); nor is it an id or a name in the graph")
        assert refused.value.said("zh") == ("“330102196503121017”不是有效的身份证号："
                                            "校验码不对（按 GB 11643 应为“8”）；图中也没有这个编号或名称")
        with pytest.raises(gt.NoEntity) as dashed:  # typed with hyphens, as the search reads it: said so too
            g.paths("330102-19650312-1017", "XO0005")
        assert str(dashed.value).startswith("'330102-19650312-1017' is not a valid resident ID: the check digit")
        with pytest.raises(gt.NoEntity) as both:  # the other end found nowhere too: both said, and why the ID is none
            g.paths("无此人", "330102－19650312－1017")
        assert str(both.value).endswith("neither end was found; nor is '330102－19650312－1017' a valid resident ID: "
                                        "the check digit is wrong (GB 11643 gives '8')")
        assert "校验码不对" in both.value.said("zh")
        with pytest.raises(gt.NoEntity, match="the birth date inside the resident ID"):  # a 13th month
            g.paths("XO0005", "330102196513121018")
        with pytest.raises(gt.NoEntity, match="no person, organization or decision with id or name '91330106"):
            g.paths("913301060000000000", "XO0005")  # 18 digits and a valid credit code's shape: no ID said wrong
