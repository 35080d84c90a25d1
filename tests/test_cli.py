"""The command line through click's runner: output and exit codes."""

from __future__ import annotations

import json
import os
import shlex
import re

import pandas as pd
import pyarrow.parquet as pq
import click
import pytest
from click.testing import CliRunner

from govties.graph.vocabulary import DISCLAIMER
from govties.cli.main import main
from govties.rules.casework import CASE_COLUMNS
from govties.rules.engine import EXTRA_COLUMNS, FINDING_COLUMNS
from govties.titles import COLUMNS

from conftest import DEMO as DEMO_DIR, MINIMAL, write_dataset, ended

WRITTEN = FINDING_COLUMNS + EXTRA_COLUMNS  # the contract's columns first, then the evidence fingerprint


@pytest.fixture
def runner():
    return CliRunner()


def test_sweep_writes_findings_and_summary(runner, minimal_dataset, tmp_path):
    out = tmp_path / "f.csv"
    res = runner.invoke(main, ["sweep", str(minimal_dataset), "-o", str(out), "--lang", "en", "-q"])
    assert res.exit_code == 0, res.output
    df = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(df.columns) == WRITTEN + list(CASE_COLUMNS)
    assert df["rule"].tolist() == ["relative-business"]
    assert re.search(r"relative-business\s+Decision for a relative's company\s+1 finding  \(high 1, medium 0, low 0\)",
                     res.output)
    assert "skipped: needs positions.csv, absent or empty" in res.output  # post-retirement
    assert DISCLAIMER["en"] in res.output
    assert "entity resolution:" in res.output


@pytest.mark.parametrize("suffix", [".jsonl", ".xlsx", ".parquet"])
def test_format_follows_extension(runner, minimal_dataset, tmp_path, suffix):
    out = tmp_path / f"f{suffix}"
    res = runner.invoke(main, ["sweep", str(minimal_dataset), "-o", str(out), "-q"])
    assert res.exit_code == 0, res.output
    columns = WRITTEN + list(CASE_COLUMNS)  # the contract's first and in order, the fingerprint, the case handler's
    if suffix == ".jsonl":
        rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        assert list(rows[0]) == columns
    elif suffix == ".xlsx":
        df = pd.read_excel(out, sheet_name="findings")  # titles in the language (zh by default)
        assert list(df.columns) == [COLUMNS.label(c, "zh") for c in columns] and len(df) == 1
        about = pd.read_excel(out, sheet_name="about")
        assert about[COLUMNS.label("value", "zh")].str.contains("not proof of wrongdoing").any()
    else:
        assert list(pd.read_parquet(out).columns) == columns
        types = {f.name: str(f.type) for f in pq.read_schema(out)}  # typed: dates as dates, scores as numbers
        assert types["first_date"] == types["last_date"] == types["as_of"] == "date32[day]", types
        assert types["score"].startswith(("int", "double")), types
        none = tmp_path / "none.parquet"  # no finding: the day columns are date columns all the same
        assert runner.invoke(main, ["sweep", str(minimal_dataset), "-o", str(none), "--rules", "nepotism",
                                    "-q"]).exit_code == 0
        assert len(pd.read_parquet(none)) == 0 and str(pq.read_schema(none).field("first_date").type) == "date32[day]"


def test_rules_filter_and_params(runner, minimal_dataset, tmp_path):
    out = tmp_path / "f.csv"
    res = runner.invoke(main, ["sweep", str(minimal_dataset), "-o", str(out), "--rules", "self-dealing", "-q",
                               "--lang", "en"])
    assert res.exit_code == 0
    ran = re.findall(r"^  ([a-z-]+)  ", res.output, re.MULTILINE)  # the summary's rows: only the rule asked for
    assert ran == ["self-dealing", "total"] and pd.read_csv(out).empty
    res = runner.invoke(main, ["sweep", str(minimal_dataset), "-o", str(out), "-q",
                               "-p", "relative-business.relations=child,parent"])
    assert res.exit_code == 0 and pd.read_csv(out).empty  # spouse no longer counts


def test_config_file_sets_params_and_cli_wins(runner, minimal_dataset, tmp_path):
    cfg = tmp_path / "govties.toml"
    cfg.write_text('lang = "en"\n[params.relative-business]\nrelations = ["child"]\n', encoding="utf-8")
    out = tmp_path / "f.csv"
    res = runner.invoke(main, ["sweep", str(minimal_dataset), "-o", str(out), "-q", "-c", str(cfg)])
    assert res.exit_code == 0 and pd.read_csv(out).empty
    res = runner.invoke(main, ["sweep", str(minimal_dataset), "-o", str(out), "-q", "-c", str(cfg),
                               "-p", "relative-business.relations=spouse"])
    df = pd.read_csv(out)
    assert len(df) == 1 and "lead for review" in df["explanation"][0]


@pytest.mark.parametrize("args,message", [
    (["--rules", "nope"], "unknown rule id(s): nope; known rules: relative-business"),
    (["--rules", "self_dealing,nope"], "unknown rule id(s): self_dealing, nope (did you mean self-dealing for "
                                       "self_dealing?); known rules:"),
    (["--rules", "relative-busines"], "unknown rule id(s): relative-busines (did you mean relative-business?); "
                                      "known rules:"),
    (["-p", "post-retirement.senior_years=abc"], "parameter senior_years expects a whole number"),
    (["-p", "post-retirement.bogus=1"], "has no parameter 'bogus'"),
    (["-p", "oops"], "write RULE.PARAMETER=VALUE"),
    (["-o", "findings.txt"], "name it .csv, .jsonl, .xlsx or .parquet"),
])
def test_usage_errors_exit_2_without_traceback(runner, minimal_dataset, args, message):
    res = runner.invoke(main, ["sweep", str(minimal_dataset), *args])
    ended(res, 2)
    assert message in res.output


@pytest.mark.parametrize("args,message", [
    (["sweep", "DEMO", "-o", "OUT"], "govties sweep: Invalid value for '-o' / '--output': File 'OUT' is a directory."),
    (["sweep", "DEMO", "--format", "json"], "govties sweep: Invalid value for '--format': 'json' is not one of"),
    (["validate", "DEMO", "--bogus"], "govties validate: No such option '--bogus'."),
    (["diff", "DEMO"], "govties diff: Missing argument 'NEW'."),
    (["sweep", "DEMO", "--lang"], "govties sweep: Option '--lang' requires an argument."),
    (["nope"], "govties: No such command 'nope'."),
])
def test_command_lines_click_refuses_are_one_line(runner, tmp_path, args, message):
    """Unknown options, bad values and missing arguments get one line (what is wrong, then where the fix is) and
    exit status 2, not click's usage block."""
    out = tmp_path / "out"
    out.mkdir()
    args = [str(DEMO_DIR) if a == "DEMO" else str(out) if a == "OUT" else a for a in args]
    res = runner.invoke(main, args, prog_name="govties")
    ended(res, 2)
    lines = res.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(message.replace("OUT", str(out))), res.output
    assert lines[0].endswith("--help` lists the arguments and options)" if args[0] != "nope" else
                             "`govties --help` lists the commands)")


@pytest.mark.parametrize("args,message", [
    (["diff", "F", "F", "-o", "OUT/d.jsonl"], "error: cannot write the table -o d.jsonl: name it .csv, or .xlsx"),
    (["sweep", "DEMO", "-o", "OUT/f.csv", "--resolution-out", "OUT/r.txt"],
     "error: cannot write the table --resolution-out r.txt: name it .csv, or .xlsx for Excel"),
    (["triage", "export", "--store", "OUT/none.duckdb", "-o", "OUT/t.xlsx"],  # what reads it back reads CSV
     "error: cannot write the table -o t.xlsx: name it .csv"),
    (["resolve", "DEMO", "-o", "OUT/r.jsonl"], "error: cannot write the table -o r.jsonl: name it .csv, or .xlsx"),
])
def test_a_table_named_for_a_format_it_is_not_written_in_is_refused(runner, tmp_path, args, message):
    """diff's table, the resolution list and the triage export are CSV or Excel: a .jsonl or .txt name (which got
    CSV bytes) is refused in one line before any work, and nothing is written."""
    findings = tmp_path / "f.csv"
    ended(runner.invoke(main, ["sweep", str(DEMO_DIR), "-o", str(findings), "-q"]), 0)
    out = tmp_path / "out"
    out.mkdir()
    args = [str(DEMO_DIR) if a == "DEMO" else str(findings) if a == "F" else a.replace("OUT", str(out)) for a in args]
    res = runner.invoke(main, args, prog_name="govties")
    ended(res, 2)
    assert res.output.strip().splitlines()[-1].startswith(message), res.output
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("args", [[], ["rules"], ["users"]])
def test_a_group_given_no_command_shows_its_help(runner, args):
    """Not an error line: the group's help, its commands listed (click ends it with exit status 2 or 0, by
    version)."""
    res = runner.invoke(main, args, prog_name="govties")
    assert res.exit_code in (0, 2)
    assert res.exception is None or isinstance(res.exception, SystemExit)
    assert res.output.startswith(f"Usage: {' '.join(['govties', *args])} [OPTIONS] COMMAND [ARGS]...")
    assert "\nCommands:\n" in res.output


def test_the_help_lists_every_command_in_the_order_a_new_user_meets_them_each_said_whole(runner):
    """demo first, then validate, sweep, load and serve; each command's line a whole sentence (it was cut at 45
    characters mid-phrase: 'Turn FollowTheMoney entities (JSON lines, e.g.')."""
    res = runner.invoke(main, ["--help"], prog_name="govties")
    assert res.exit_code == 0, res.output
    listed = res.output.split("\nCommands:\n")[1].splitlines()
    names = [line.split()[0] for line in listed if line.strip()]
    assert names[:5] == ["demo", "validate", "sweep", "load", "serve"] and set(names) == set(main.commands), names
    assert all(line.rstrip().endswith(".") and "..." not in line for line in listed if line.strip()), listed
    for group in ("rules", "users", "triage"):  # and each group's commands
        res = runner.invoke(main, [group, "--help"], prog_name="govties")
        lines = [line for line in res.output.split("\nCommands:\n")[1].splitlines() if line.strip()]
        assert res.exit_code == 0 and lines and all(line.rstrip().endswith(".") and "..." not in line
                                                    for line in lines), (group, lines)


def test_bad_data_exits_2_with_every_problem(runner, tmp_path):
    folder = write_dataset(tmp_path / "bad", {**MINIMAL, "decisions.csv": """
        decision_id,kind,date,agency_id,beneficiary_id
        D1,permit,2020-05-xx,A1,C1
        D2,gift,2020-05-01,A1,C9
        """})
    res = runner.invoke(main, ["sweep", str(folder), "-o", str(tmp_path / "f.csv")])
    ended(res, 2)
    assert "decisions.csv, line 2, column 3 (date)" in res.output
    assert "decisions.csv, line 3, column 2 (kind)" in res.output
    assert "decisions.csv, line 3, column 5 (beneficiary_id)" in res.output
    assert "nothing was loaded" in res.output
    assert not (tmp_path / "f.csv").exists()


def test_validate_and_resolve(runner, tmp_path):
    folder = write_dataset(tmp_path / "d", {**MINIMAL, "people.csv": """
        person_id,name,id_number,birth_date
        P1,王建国,330102197001010013,
        P2,李梅,330102197202020023,
        R1,王建国,330102700101001,
        X1,李梅,,1972-02-02
        """})
    res = runner.invoke(main, ["validate", str(folder)])
    assert res.exit_code == 0 and "valid" in res.output
    res = runner.invoke(main, ["resolve", str(folder), "--lang", "en"])
    assert res.exit_code == 0
    assert "merged   P1;R1 -> P1  王建国  (same resident ID after normalization)" in res.output
    assert "possible P2;X1" in res.output
    # the reasons in the --lang language (they were English under Chinese titles); the decisions ids under the
    # contract's names and words under titles
    for headers, decisions in (("contract", ["merged", "possible"]), ("lang", ["已合并", "疑似同一人"])):
        res = runner.invoke(main, ["resolve", str(folder), "-o", str(tmp_path / "r.csv"), "--headers", headers])
        assert res.exit_code == 0, res.output
        table = pd.read_csv(tmp_path / "r.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
        assert table.iloc[:, 4].tolist() == decisions
        assert table.iloc[:, 5].tolist() == ["身份证号规范化后相同", "姓名和出生日期相同，身份证号不同或缺失（未合并）"]


def test_validate_and_load_say_rows_per_file_and_what_the_graph_holds(runner, tmp_path):
    """validate lists each contract file with the data rows it had (its name as the user wrote it, not a model
    table's), then what a load would store, in words: two records of one person are one person, a relatives row
    is a kinship link each way, a repeated row is counted once; load says the same in one line."""
    folder = write_dataset(tmp_path / "d", {**MINIMAL, "people.csv": """
        person_id,name,id_number,birth_date
        P1,王建国,330102197001010013,
        P2,李梅,330102197202020023,
        R1,王建国,330102700101001,
        """})
    rows = {name: len(pd.read_csv(folder / name, dtype=str)) for name in os.listdir(folder)}
    res = runner.invoke(main, ["validate", str(folder)])
    ended(res, 0)
    listed = dict(re.findall(r"^(\S+\.csv) +([\d,]+) rows?$", res.output, re.M))
    assert {k: int(v.replace(",", "")) for k, v in listed.items()} == rows, res.output
    stored = re.search(r"^would be stored: (.*)$", res.output, re.M)
    assert stored is not None and stored[1].startswith("2 people, 2 organizations, "), res.output
    assert f"{2 * rows['relatives.csv']} kinship links (counted each way)" in stored[1]
    assert not re.search(r"^(person|org|kin|role) ", res.output, re.M), res.output  # no model table's name
    store = tmp_path / "a store's graph.duckdb"  # said as a shell takes it, quoted
    res = runner.invoke(main, ["load", str(folder), "--store", str(store)])
    ended(res, 0)
    assert res.output.splitlines()[0] == (f"loaded {folder}: {len(rows)} files, {sum(rows.values())} rows; stored "
                                          f"{stored[1]}"), res.output
    quoted = shlex.quote(str(store))
    assert quoted.startswith("'") and quoted != str(store)
    assert res.output.splitlines()[-1] == (f"the graph is in {store}: `govties sweep --no-load --store {quoted} -o "
                                           f"findings.csv` sweeps it, `govties serve --store {quoted}` opens the "
                                           "workbench on it"), res.output


def test_validate_missing_folder(runner, tmp_path):
    res = runner.invoke(main, ["validate", str(tmp_path / "nope")])
    assert res.exit_code == 2 and "does not exist" in res.output


def test_store_then_no_load(runner, minimal_dataset, tmp_path):
    store = tmp_path / "g.duckdb"
    res = runner.invoke(main, ["load", str(minimal_dataset), "--store", str(store), "-q"])
    assert res.exit_code == 0, res.output
    out = tmp_path / "f.csv"
    res = runner.invoke(main, ["sweep", "--no-load", "--store", str(store), "-o", str(out), "-q"])
    assert res.exit_code == 0, res.output
    assert len(pd.read_csv(out)) == 1


def test_no_load_needs_a_store(runner, tmp_path):
    res = runner.invoke(main, ["sweep", "--no-load", "-o", str(tmp_path / "f.csv")])
    assert res.exit_code == 2 and "--store" in res.output


def test_demo_says_where_outputs_are(runner, tmp_path):
    res = runner.invoke(main, ["demo", "--out", str(tmp_path / "demo"), "--lang", "en"])
    assert res.exit_code == 0, res.output
    for name in ("findings.csv", "findings.xlsx", "resolution.csv"):
        assert str(tmp_path / "demo" / name) in res.output
        assert (tmp_path / "demo" / name).exists()


def test_rules_workbench(runner):
    res = runner.invoke(main, ["rules", "list"])  # in Chinese by default, as every other command
    assert res.exit_code == 0 and "post-retirement" in res.output and "离职后违规任职" in res.output
    res = runner.invoke(main, ["rules", "list", "--lang", "en"])
    assert res.exit_code == 0 and "Role in a regulated company within the cooling-off period" in res.output
    res = runner.invoke(main, ["rules", "show", "post-retirement", "--lang", "en"])
    assert res.exit_code == 0
    assert "公务员法" in res.output and "senior_years (int) = 3" in res.output
    assert "query (sql" in res.output and "query (cypher" in res.output
    res = runner.invoke(main, ["rules", "show", "split-decisions", "--lang", "en"])
    assert "threshold (money: an amount in yuan, also read as 120万, 1.2亿 or ¥1,500,000) = 1000000\n" in res.output
    res = runner.invoke(main, ["rules", "show", "nope"])
    assert res.exit_code == 2 and "no rule 'nope'" in res.output
    res = runner.invoke(main, ["rules", "test", "--rules", "self-dealing"])
    assert res.exit_code == 0 and "passed, 0 failed" in res.output


def test_an_amount_parameter_is_written_as_the_data_writes_amounts(runner, tmp_path):
    """-p split-decisions.threshold=120万 is 1,200,000 yuan, as 120万 in decisions.csv is: the same findings, the same
    explanation, as the threshold written in digits."""
    found = {}
    for given in ("1200000", "120万", "１２０万元"):
        out = tmp_path / f"{len(found)}.csv"
        res = runner.invoke(main, ["sweep", str(DEMO_DIR), "-o", str(out), "-q", "--lang", "en", "--rules",
                                   "split-decisions", "-p", f"split-decisions.threshold={given}"])
        assert res.exit_code == 0, res.output
        found[given] = pd.read_csv(out, dtype=str)[["finding_id", "explanation"]].values.tolist()
    assert found["120万"] == found["1200000"] == found["１２０万元"] and found["120万"]
    assert "each below 1,200,000 yuan" in found["120万"][0][1]


def test_generate(runner, tmp_path):
    res = runner.invoke(main, ["generate", "--out", str(tmp_path / "g"), "--people", "60"])
    assert res.exit_code == 0
    assert (tmp_path / "g" / "planted.csv").exists()
    res = runner.invoke(main, ["validate", str(tmp_path / "g")])
    assert res.exit_code == 0, res.output


def test_every_command_has_help_with_an_example(runner):
    for path, _cmd in _commands(main, []):
        res = runner.invoke(main, [*path, "-h"])
        assert res.exit_code == 0
        assert "Example" in res.output, f"`govties {' '.join(path)} -h` shows no example"


def _commands(group, prefix):
    for name, cmd in group.commands.items():
        yield [*prefix, name], cmd
        if hasattr(cmd, "commands"):
            yield from _commands(cmd, [*prefix, name])


def test_every_command_takes_a_language_in_any_case(runner, minimal_dataset, tmp_path):
    """--lang is one option in every command that has it: zh or en, EN read as en; anything else refused (2)."""
    from govties.graph.vocabulary import LANGS

    options = {" ".join(path): next(p for p in cmd.params if p.name == "lang")
               for path, cmd in _commands(main, []) if any(p.name == "lang" for p in cmd.params)}
    assert set(options) >= {"sweep", "view", "demo", "diff", "serve", "rules list"}
    for name, lang in options.items():
        assert isinstance(lang.type, click.Choice) and tuple(lang.type.choices) == LANGS, name
        assert lang.type.case_sensitive is False, name
    listed = runner.invoke(main, ["rules", "list", "--lang", "EN"])
    assert listed.exit_code == 0 and listed.output == runner.invoke(main, ["rules", "list", "--lang", "en"]).output
    res = runner.invoke(main, ["sweep", str(minimal_dataset), "-o", str(tmp_path / "f.csv"), "--lang", "En", "-q"])
    assert res.exit_code == 0, res.output
    explanation = pd.read_csv(tmp_path / "f.csv", dtype=str)["explanation"].iloc[0]
    assert "took part in" in explanation, explanation  # the English explanation
    diffed = runner.invoke(main, ["diff", str(tmp_path / "f.csv"), str(tmp_path / "f.csv"), "--lang", "EN"])
    assert diffed.exit_code == 0, diffed.output
    refused = runner.invoke(main, ["sweep", str(minimal_dataset), "-o", str(tmp_path / "g.csv"), "--lang", "fr"])
    assert refused.exit_code == 2 and "'fr' is not one of 'zh', 'en'" in refused.output


def test_ctrl_c_during_a_store_load_leaves_the_store_as_it_was(runner, minimal_dataset, tmp_path, monkeypatch):
    from govties.graph import duckdb_backend

    store = tmp_path / "g.duckdb"
    assert runner.invoke(main, ["load", str(DEMO_DIR), "--store", str(store), "-q"]).exit_code == 0
    before = duckdb_backend.DuckDBBackend(store)
    counts = before.counts()
    before.close()
    calls = {"n": 0}
    real = duckdb_backend.to_arrow

    def interrupt(name, df):
        calls["n"] += 1
        if calls["n"] == 4:
            raise KeyboardInterrupt
        return real(name, df)

    monkeypatch.setattr(duckdb_backend, "to_arrow", interrupt)
    res = runner.invoke(main, ["load", str(minimal_dataset), "--store", str(store), "-q"])
    assert res.exit_code == 130 and "interrupted" in res.output
    after = duckdb_backend.DuckDBBackend(store)
    assert after.counts() == counts
    after.close()


def test_bad_input_through_a_pipe_gives_its_problem_line_and_no_progress(tmp_path):
    """A script or a log reading stderr gets the problem's one line, ending with what was done, then the warnings
    found beside it, not the stages' progress (shown only on a terminal), and exit status 2."""
    import shutil

    from cli_process import run_cli
    from govties.loaders import load_dataset

    data = tmp_path / "bad"
    shutil.copytree(DEMO_DIR, data)
    lines = (data / "decisions.csv").read_text(encoding="utf-8").splitlines()
    lines[2] = re.sub(r'"\d{4}-\d{2}-\d{2}"', '"2019-13-45"', lines[2], count=1)
    (data / "decisions.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = run_cli("sweep", data, "-o", tmp_path / "out.csv")
    assert res.returncode == 2
    said = res.stderr.splitlines()
    assert said[0].startswith("decisions.csv, line 3, column 3 (date): ") and \
        said[0].endswith(" (nothing was loaded)"), said
    # then the warnings the checks found in the same files (the demo's own: those of building the graph, such as
    # repeated rows, come later), so that fixing the error brings no second round of checks
    everything = [f"warning: {w}" for w in load_dataset(DEMO_DIR).warnings]
    checked = [w for w in everything if w.startswith("warning: people.csv")]
    assert checked and set(checked) <= set(said[1:]) <= set(everything), said


def test_the_sweep_summary_counts_line_up_in_chinese(tmp_path):
    """Each rule's count and the total's stand in one column, as a terminal shows them (a CJK character takes two
    columns)."""
    from govties.cli.summary import _width

    res = CliRunner().invoke(main, ["sweep", str(DEMO_DIR), "-o", str(tmp_path / "f.csv"), "--quiet"])
    assert res.exit_code == 0, res.output
    rows = [line for line in res.output.splitlines() if "条线索（" in line]
    assert len(rows) >= 10 and rows[-1].lstrip().startswith("合计")
    assert len({_width(line[:line.index("条线索")]) for line in rows}) == 1, rows


@pytest.mark.parametrize("args, said", [
    (["--around", "-o", "x.html"], "--around takes an id or a name, not the option -o: give it right after --around"),
    (["--path", "XP0003", "-o", "x.html"], "--path takes two ids or names, not the option -o: give them right after "
                                           "--path"),
    (["--finding", "--hops", "2"], "--finding takes a finding id, not the option --hops: give it right after "
                                   "--finding"),
])
def test_a_view_option_whose_value_was_forgotten_says_so(args, said):
    """The next option was taken as the value (the rest of the line then said to be an unexpected argument)."""
    res = CliRunner().invoke(main, ["view", str(DEMO_DIR), *args])
    assert res.exit_code == 2, res.output
    assert said in res.output and "unexpected extra argument" not in res.output
