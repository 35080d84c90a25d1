"""Outputs that cannot be written as asked: a full disk, a read-only folder, a missing folder, an output that would
overwrite an input or another output, a dataset folder that exists — one line and exit status 2, the previous
file intact and no partial file left; and Ctrl-C from the first instant: one line, exit status 130."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from govties.cli.main import main
from govties.loaders import values as V

from conftest import DEMO, MINIMAL, REPO, write_dataset


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def error_lines(res) -> list[str]:
    return [line for line in res.output.splitlines() if line.strip()]


@pytest.fixture
def data(tmp_path):
    return write_dataset(tmp_path / "data", MINIMAL)


@pytest.fixture
def mounted(tmp_path):
    """mount(options) -> a fresh tmpfs folder (root only; CI runs as root). Unmounted afterwards."""
    points = []

    def mount(options: str) -> Path:
        point = tmp_path / f"mnt{len(points)}"
        point.mkdir()
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(point)], capture_output=True)
        if done.returncode != 0:
            pytest.fail(f"cannot mount a tmpfs here (need root): {done.stderr.decode().strip()}")
        points.append(point)
        return point

    yield mount
    for point in points:
        subprocess.run(["umount", "-l", str(point)], check=False)


@pytest.mark.parametrize("output", ["-o f.csv", "-o f.xlsx", "-o f.jsonl", "-o f.parquet", "--aggregate-out ranks",
                                    "--aggregate-out ranks.xlsx", "--resolution-out r.csv", "--index run.html"])
def test_a_full_disk_leaves_the_previous_output_as_it_was(mounted, output, tmp_path):
    disk = mounted("size=256k")
    option, name = output.split()
    target = disk / name
    files = [target / f"{n}.csv" for n in ("officials", "companies", "agencies", "regions")] \
        if name == "ranks" else [target]
    for f in files:
        f.parent.mkdir(exist_ok=True)
        f.write_bytes(b"the previous export\n")
    fill(disk / "filler")
    args = ["sweep", DEMO, "-q", option, target]
    if option != "-o":
        args += ["-o", tmp_path / "f.csv"]
    res = run(*args)
    assert res.exit_code == 2, res.output
    lines = error_lines(res)
    assert lines[-1].startswith("error: cannot write ") and "the disk is full" in lines[-1], lines
    assert sum(line.startswith("error") for line in lines) == 1 and "Traceback" not in res.output
    for f in files:
        assert f.read_bytes() == b"the previous export\n"
    left = sorted(p.name for p in disk.rglob("*") if p.is_file() and p.name != "filler")
    assert left == sorted(f.name for f in files)  # no temporary file left behind


@pytest.mark.parametrize("command, names", [
    (["view", "-o", "{disk}/v.html"], ["v.html"]),
    (["view", "--all", "-o", "{disk}/v.gexf"], ["v.gexf"]),
    (["report", "--out", "{disk}", "--index"], ["report.html", "overview.html", "index.html"]),
])
def test_a_full_disk_leaves_previous_views_and_reports_as_they_were(mounted, data, command, names):
    disk = mounted("size=256k")
    for name in names:
        (disk / name).write_bytes(b"the previous page\n")
    fill(disk / "filler")
    res = run(command[0], data, "-q", *[a.replace("{disk}", str(disk)) for a in command[1:]])
    assert res.exit_code == 2, res.output
    lines = error_lines(res)
    assert len(lines) == 1 and lines[0].startswith("error: cannot write ") and "the disk is full" in lines[0]
    assert all((disk / name).read_bytes() == b"the previous page\n" for name in names)
    assert sorted(p.name for p in disk.iterdir()) == sorted([*names, "filler"])


@pytest.mark.parametrize("command", [["generate", "--people", "50", "-o", "{out}"],
                                     ["neo4j-import", str(DEMO), "--out", "{out}"]])
def test_the_folder_commands_say_a_folder_they_cannot_write_in_one_line(tmp_path, command):
    """generate and neo4j-import make their folder themselves: one under a file, or in /proc, is said in one line
    with exit status 2 (each ended in a traceback), before any work, and nothing is written."""
    (tmp_path / "afile").write_text("a file\n")
    for out, why in ((tmp_path / "afile" / "sub", f"{tmp_path / 'afile'} is a file, not a folder"),
                     (Path("/proc/govties-out"), "the folder takes no new files (a system folder?): write the output "
                                                 "in another folder")):
        res = run(*[a.replace("{out}", str(out)) for a in command])
        assert res.exit_code == 2, res.output
        assert error_lines(res) == [f"error: --out: cannot write in {out}: {why}"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile"]


def test_neo4j_import_files_are_written_all_or_none(mounted, data, tmp_path):
    """A run that cannot finish (a full disk, an output name taken by a folder) leaves the folder's previous files
    as they were: import.sh never loads a mix of two runs' files."""
    disk = mounted("size=512k")
    assert run("neo4j-import", data, "--out", disk / "imp").exit_code == 0
    before = {p.name: p.read_bytes() for p in (disk / "imp").iterdir()}
    assert "import.sh" in before and "nodes_person.csv" in before
    fill(disk / "filler")
    res = run("neo4j-import", DEMO, "--out", disk / "imp")
    assert res.exit_code == 2, res.output
    assert error_lines(res)[-1].startswith("error: cannot write ") and "the disk is full" in error_lines(res)[-1]
    assert {p.name: p.read_bytes() for p in (disk / "imp").iterdir()} == before  # no partial file left either
    (tmp_path / "imp" / "counts.json").mkdir(parents=True)
    res = run("neo4j-import", DEMO, "--out", tmp_path / "imp")
    assert res.exit_code == 2 and error_lines(res) == [f"error: {tmp_path / 'imp' / 'counts.json'} is a folder: "
                                                       "give a file name"]
    assert [p.name for p in (tmp_path / "imp").iterdir()] == ["counts.json"]


def fill(path: Path) -> None:
    """Use up every free block of the disk `path` is on."""
    with path.open("wb", buffering=0) as fh:
        for size in (1 << 16, 1 << 12, 1):
            try:
                while True:
                    fh.write(b"x" * size)
            except OSError:
                pass


def test_a_store_that_cannot_be_written_is_said_in_one_line_and_left_as_it_was(mounted):
    disk = mounted("size=4m")  # the demo's store and its log fit once, not twice
    store = disk / "s.duckdb"
    assert run("load", DEMO, "--store", store, "-q").exit_code == 0
    before = store.read_bytes()
    res = run("load", DEMO, "--store", store, "-q")  # the commit finds the disk full
    assert res.exit_code == 2, res.output
    assert error_lines(res)[-1] == (f"error: cannot write the store {store}: the disk is full; the load into the "
                                    f"store {store} was rolled back: the stored graph is as it was before")
    assert store.read_bytes() == before
    assert run("sweep", "--no-load", "--store", store, "-o", disk.parent / "f.csv", "--no-record").exit_code == 0
    full = mounted("size=4k")
    res = run("load", DEMO, "--store", full / "new.duckdb", "-q")
    assert res.exit_code == 2, res.output
    assert error_lines(res)[-1] == f"error: cannot open the store {full / 'new.duckdb'}: the disk is full"
    assert list(full.iterdir()) == []  # no empty store left behind


def test_a_read_only_folder_is_refused_before_the_sweep(mounted, data, tmp_path):
    ro = mounted("ro,size=64k")
    res = run("sweep", data, "-o", ro / "f.csv")
    assert res.exit_code == 2
    assert error_lines(res) == [f"error: -o: cannot write in {ro}: permission denied (a read-only folder?)"]


def test_a_folder_that_makes_no_files_is_said_to_be_one(data):
    """/proc exists, but the kernel makes no file there: said so, not as the folder's "No such file or directory"."""
    res = run("sweep", data, "-o", "/proc/f.csv")
    assert res.exit_code == 2
    assert error_lines(res) == ["error: -o: cannot write in /proc: the folder takes no new files (a system folder?): "
                                "write the output in another folder"]


@pytest.mark.parametrize("args, message", [
    (["sweep", "{data}", "-o", "{tmp}/o.csv", "--resolution-out", "{tmp}/o.csv"],
     "error: --resolution-out {tmp}/o.csv is also the file of -o: give each output its own file"),
    (["sweep", "{data}", "-o", "{data}/people.csv"],
     "error: -o {data}/people.csv would overwrite the input {data}/people.csv: write it elsewhere"),
    (["sweep", "{data}", "-o", "{tmp}/r/officials.csv", "--aggregate-out", "{tmp}/r"],
     "error: --aggregate-out {tmp}/r/officials.csv is also the file of -o: give each output its own file"),
    (["sweep", "{data}", "-o", "{tmp}/t.csv", "--triage", "{tmp}/t.csv"],
     "error: -o {tmp}/t.csv would overwrite the input {tmp}/t.csv: write it elsewhere"),
    (["sweep", "{data}", "-o", "{tmp}/g.duckdb", "--format", "csv", "--store", "{tmp}/g.duckdb"],
     "error: -o {tmp}/g.duckdb would overwrite the input {tmp}/g.duckdb: write it elsewhere"),
    (["resolve", "{data}", "-o", "{data}/relatives.csv"],
     "error: -o {data}/relatives.csv would overwrite the input {data}/relatives.csv: write it elsewhere"),
    (["diff", "{tmp}/t.csv", "{tmp}/t.csv", "-o", "{tmp}/t.csv"],
     "error: -o {tmp}/t.csv would overwrite the input {tmp}/t.csv: write it elsewhere"),
    (["view", "{data}", "-o", "{data}/people.csv"],  # refused by its extension, before anything is read
     "error: cannot write a view as 'people.csv': name it .html (interactive, offline), .gexf (Gephi) or .graphml "
     "(yEd)"),
    (["ftm-export", "{tmp}/t.csv", "-o", "{tmp}/t.csv"],
     "error: -o {tmp}/t.csv would overwrite the input {tmp}/t.csv: write it elsewhere"),
    (["sweep", "{data}", "-o", "{tmp}/o.json"],  # what a case handler types for JSON: the format it writes, said
     "error: o.json: findings are written as JSON lines (one finding a line, not one JSON document): name it "
     "o.jsonl, or give the format (--format jsonl)"),
    (["sweep", "{data}", "-o", "{tmp}/o.xlsx", "--format", "csv"],  # a workbook of CSV text opens nowhere
     "error: o.xlsx is named as an Excel workbook but the format asked for is csv (CSV): name it o.csv, or leave "
     "the format out"),
    (["ftm-export", "{tmp}/t.csv", "-o", "{data}/people.csv", "--dataset", "{data}"],
     "error: -o {data}/people.csv would overwrite the input {data}/people.csv: write it elsewhere"),
])
def test_outputs_that_would_overwrite_an_input_or_each_other_are_refused_first(data, tmp_path, args, message):
    (tmp_path / "t.csv").write_text("finding_id,status\n", encoding="utf-8")
    before = {p: p.read_bytes() for p in [*data.iterdir(), tmp_path / "t.csv"]}
    fill = {"{data}": str(data), "{tmp}": str(tmp_path)}

    def sub(text: str) -> str:
        for k, v in fill.items():
            text = text.replace(k, v)
        return text

    res = run(*[sub(a) for a in args])
    assert res.exit_code == 2, res.output
    assert error_lines(res) == [sub(message)]  # nothing was loaded or swept first
    assert {p: p.read_bytes() for p in before} == before
    assert not (tmp_path / "o.csv").exists()


@pytest.mark.parametrize("command", [["sweep", "{data}", "-o", "{target}", "--format", "csv", "-q"],
                                     ["view", "{data}", "-o", "{target}.html", "-q"],
                                     ["resolve", "{data}", "-o", "{target}"]])
@pytest.mark.parametrize("kind", ["pipe", "device"])
def test_an_output_that_is_a_pipe_or_a_device_is_refused_and_left_as_it_is(data, tmp_path, command, kind):
    """os.replace would put a file where the pipe or device was (as root, -o /dev/null replaced the system's)."""
    target = tmp_path / "out"
    for path in (target, Path(f"{target}.html")):
        if kind == "pipe":
            os.mkfifo(path)
        else:
            if os.geteuid() != 0:
                pytest.skip("making a device node needs root (CI runs as root)")
            os.mknod(path, 0o666 | 0o020000, os.makedev(1, 3))  # a character device: the null device's numbers
    res = run(*[a.replace("{data}", str(data)).replace("{target}", str(target)) for a in command])
    assert res.exit_code == 2, res.output
    shown = command[command.index("-o") + 1].replace("{target}", str(target))
    assert error_lines(res) == [f"error: -o {shown} is not a regular file (a device, a pipe or a socket): "
                                "give a file name"]
    for path in (target, Path(f"{target}.html")):
        assert not path.is_file() and (path.is_fifo() or path.is_char_device())
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary file left


def test_a_findings_file_named_by_nothing_or_by_a_device_is_said_as_such(data):
    """-o /dev/null without --format was "cannot tell the format of null", -o '' "cannot tell the format of :"."""
    for output, said in (("/dev/null", "error: /dev/null is not a regular file (a device, a pipe or a socket): give "
                                       "a file name"),
                         ("", "error: no findings file named (the name is empty): give its name, such as "
                              "findings.csv")):
        res = run("sweep", data, "-o", output, "-q")
        assert res.exit_code == 2 and error_lines(res) == [said], res.output


@pytest.mark.parametrize("command", [
    ["sweep", "{data}", "-o", "{out}/a/f.csv", "--resolution-out", "{out}/b/r.csv", "--aggregate-out", "{out}/c/x",
     "--index", "{out}/d/i.html"],
    ["sweep", "{data}", "-o", "{out}/a/f.xlsx", "--aggregate-out", "{out}/c/x.xlsx"],
    ["resolve", "{data}", "-o", "{out}/a/r.csv"],
    ["diff", "{f}", "{f}", "-o", "{out}/a/d.csv"],
    ["view", "{data}", "-o", "{out}/a/v.html"],
    ["view", "{data}", "--all", "-o", "{out}/a/v.gexf"],
    ["report", "{data}", "--out", "{out}/a/r", "--index"],
    ["ftm-export", "{f}", "-o", "{out}/a/f.ftm.json"],
])
def test_missing_output_folders_are_created_by_every_command(data, tmp_path, command):
    f = tmp_path / "f.csv"
    assert run("sweep", data, "-o", f, "-q").exit_code == 0
    out = tmp_path / "new"
    args = [a.replace("{data}", str(data)).replace("{out}", str(out)).replace("{f}", str(f)) for a in command]
    res = run(*args, *(["-q"] if command[0] in ("sweep", "view", "report") else []))
    assert res.exit_code == 0, res.output
    written = [Path(a) for a in args if a.startswith(str(out))]
    assert written and all(p.exists() for p in written)


def test_as_of_takes_the_data_s_date_forms_and_refuses_garbage_before_loading(data, tmp_path):
    res = run("sweep", data, "-o", tmp_path / "f.csv", "--as-of", "2024/12/01", "-q")
    assert res.exit_code == 0, res.output
    assert set(pd.read_csv(tmp_path / "f.csv", dtype=str)["as_of"]) == {"2024-12-01"}
    res = run("sweep", data, "-o", tmp_path / "g.csv", "--as-of", "garbage")  # progress on: none may be printed
    assert res.exit_code == 2
    assert error_lines(res) == [f"error: --as-of 'garbage' is not a date: expected {V.DATE_EXPECTED}"]
    res = run("sweep", data, "-o", tmp_path / "g.csv", "--as-of", "2023-02-30")  # the form is right, the day is not
    assert res.exit_code == 2
    assert error_lines(res) == ["error: --as-of '2023-02-30' is not a date: there is no day 30 in month 2 of 2023"]
    for month in ("13", "00"):  # the month is what is wrong, not the day
        res = run("sweep", data, "-o", tmp_path / "g.csv", "--as-of", f"2024-{month}-01")
        assert res.exit_code == 2
        assert error_lines(res) == [f"error: --as-of '2024-{month}-01' is not a date: there is no month "
                                    f"{int(month)} (months are 1 to 12)"]


def test_generate_refuses_a_folder_that_holds_files_unless_forced(tmp_path):
    folder = tmp_path / "ds"
    folder.mkdir()
    (folder / "people.csv").write_text("precious\n", encoding="utf-8")
    res = run("generate", "--out", folder, "--people", "10")
    assert res.exit_code == 2
    assert error_lines(res) == [f"error: --out {folder} already holds files (a dataset?): give an empty or new "
                                "folder, or --force to write into it"]
    assert (folder / "people.csv").read_text(encoding="utf-8") == "precious\n"
    assert run("generate", "--out", folder, "--people", "10", "--force").exit_code == 0
    assert run("generate", "--out", tmp_path / "new", "--people", "10").exit_code == 0


def _console_script() -> str:
    """The script pip writes for the `govties` command, from pyproject's [project.scripts], saying `ready` once
    the entry point's module is imported. Before that run Python's own startup, the import of that module (a few
    lines that import nothing) and, after `ready`, the few instructions that call it: govties cannot answer a
    signal earlier, so the first delay is 10 ms."""
    spec = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]["govties"]
    module, func = spec.split(":")
    return (f"import re, sys\nfrom {module} import {func}\nsys.argv[0] = 'govties'\n"
            f"sys.stdout.write('ready\\n'); sys.stdout.flush()\nsys.exit({func}())\n")


def test_generate_interrupted_while_writing_leaves_the_previous_dataset_whole(tmp_path, monkeypatch):
    """--force over a dataset: a Ctrl-C while its files are written leaves every previous file, no mix of two
    provinces and no temporary file."""
    from govties.examples import generator

    folder = tmp_path / "ds"
    generator.write_dataset(folder, 300)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    write_csv, calls = generator.pacsv.write_csv, []

    def interrupted(*args, **kwargs):
        calls.append(args)
        if len(calls) == 4:
            raise KeyboardInterrupt
        return write_csv(*args, **kwargs)

    monkeypatch.setattr(generator.pacsv, "write_csv", interrupted)
    with pytest.raises(KeyboardInterrupt):
        generator.write_dataset(folder, 500, seed=8)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_a_ctrl_c_while_files_that_belong_together_are_renamed_is_held_until_all_are_in_place(tmp_path, monkeypatch):
    from govties import files

    targets = [tmp_path / f"{name}.csv" for name in "abc"]
    for t in targets:
        t.write_text("old", encoding="utf-8")
    replace = os.replace

    def signalled(src, dst):
        if Path(dst) == targets[-1]:  # the first renamed (the stack closes last in, first out)
            os.kill(os.getpid(), signal.SIGINT)
        replace(src, dst)

    monkeypatch.setattr(files.os, "replace", signalled)
    with pytest.raises(KeyboardInterrupt):
        with files.atomic_paths(targets) as tmps:
            for tmp in tmps:
                tmp.write_text("new", encoding="utf-8")
    assert [t.read_text(encoding="utf-8") for t in targets] == ["new"] * 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "b.csv", "c.csv"]


def test_the_entry_point_imports_nothing_heavy_before_it_can_answer_ctrl_c():
    spec = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]["govties"]
    module = spec.split(":")[0]
    probe = (f"import sys\nimport {module}\nprint(sorted(m for m in ('click', 'pandas', 'numpy', 'pyarrow', 'duckdb', "
             "'neo4j', 'openpyxl', 'networkx') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


# The libraries load in about half a second; a signal later than that reaches a command (tested where it runs).
@pytest.mark.parametrize("delay", [0.01, 0.03, 0.05, 0.1, 0.2, 0.3])
def test_ctrl_c_in_the_first_instants_ends_with_one_line_and_130(tmp_path, delay):
    proc = subprocess.Popen([sys.executable, "-c", _console_script(), "sweep", str(DEMO), "-q", "-o",
                             str(tmp_path / "f.csv")], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    assert proc.stdout.readline() == b"ready\n"
    time.sleep(delay)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    lines = [line for line in err.decode().splitlines() if line.strip()]
    assert proc.returncode == 130, (proc.returncode, err.decode())  # a sweep of the demo takes seconds
    assert len(lines) == 1 and lines[0].startswith("interrupted"), err.decode()
    assert not (tmp_path / "f.csv").exists() and not list(tmp_path.glob(".f.csv.*"))


def test_outputs_written_whole_are_noted_inside_a_command_and_not_inside_a_server(tmp_path):
    """What a Ctrl-C line names as written (files.noting_replaced): each output once it replaced its file, in
    order; none inside a block noted off (the workbench's downloads, for as long as it serves)."""
    from govties.files import atomic_path, noting_replaced

    with noting_replaced() as done:
        for name in ("a.csv", "b.csv"):
            with atomic_path(tmp_path / name) as tmp:
                tmp.write_text("x\n", encoding="utf-8")
        with noting_replaced(on=False), atomic_path(tmp_path / "download.csv") as tmp:
            tmp.write_text("x\n", encoding="utf-8")
    assert done == [tmp_path / "a.csv", tmp_path / "b.csv"] and (tmp_path / "download.csv").exists()


@pytest.mark.parametrize("args, said", [
    (["neo4j-import", "{data}", "--out", ""], "error: --out names no folder (it is empty): give one"),
    (["generate", "--out", "", "--people", "50"], "error: --out names no folder (it is empty): give one"),
    (["report", "{data}", "--out", "", "-q"], "error: --out names no folder (it is empty): give one"),
    (["sweep", "{data}", "-o", "f.csv", "--index", "", "-q"], "error: --index names no file (it is empty): give one"),
])
def test_an_output_named_by_an_empty_string_is_refused_not_the_current_folder(data, tmp_path, monkeypatch, args,
                                                                             said):
    """An empty name (an unset shell variable) wrote into the current folder unasked (neo4j-import: 16 files and
    'wrote : run import.sh'), or said '--index  is a folder'."""
    monkeypatch.chdir(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    res = run(*[a.replace("{data}", str(data)) for a in args])
    assert res.exit_code == 2 and error_lines(res) == [said], res.output
    assert sorted(p.name for p in tmp_path.iterdir()) == before
