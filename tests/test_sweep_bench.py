"""The sweep benchmark's logic (never its timings): which stages it flags as growing with size, what it reports
per unit, and that a shape reaches the generator."""

from __future__ import annotations

import csv
import importlib.util
import sys
from pathlib import Path

# bench/ holds scripts run from a checkout (`python bench/sweep_bench.py`), not part of the installed package: load
# the script from the repository the tests run in.
_SCRIPT = Path(__file__).resolve().parents[1] / "bench" / "sweep_bench.py"
_spec = importlib.util.spec_from_file_location("sweep_bench", _SCRIPT)
assert _spec is not None and _spec.loader is not None
bench = importlib.util.module_from_spec(_spec)
sys.modules["sweep_bench"] = bench
_spec.loader.exec_module(bench)


def test_a_stage_whose_cost_per_unit_rises_between_sizes_is_flagged():
    assert bench.grows([1.0, 1.0, 1.5], [0.1, 0.1, 0.1])  # 1.5x from the second size to the third
    assert bench.grows([1.0, 1.4, 1.4], [0.1, 0.1, 0.1])  # a rise between the first two is enough
    assert bench.grows([2.0, 1.0, 1.4], [0.1, 0.1, 0.1])  # fixed costs hide it at the smallest size: still a rise


def test_falling_or_noisy_costs_and_negligible_stages_are_not_flagged():
    assert not bench.grows([3.0, 1.3, 1.2], [0.1, 0.1, 0.1])  # small sizes pay fixed costs: falling is fine
    assert not bench.grows([1.0, 1.25, 1.2], [0.1, 0.1, 0.1])  # within the run-to-run noise
    assert not bench.grows([0.01, 0.05, 0.2], [0.001, 0.005, 0.01])  # under 2% of the total: not material
    assert not bench.grows([1.0], [1.0])


def _run(stages: dict[str, float], parts: dict[str, float], findings: int) -> dict:
    return {"stages": stages, "parts": parts, "findings": findings}


def test_costs_per_million_rows_and_per_thousand_findings_and_the_flags():
    results = {  # findings grow with rows; the rules' queries grow faster, the findings built do not
        1000: {"baseline": {"rows": 1_000_000},
               "duckdb": _run({"parse": 1.0, "rules and findings": 1.2}, {"rule a": 1.0, "findings": 0.5}, 1000)},
        2000: {"baseline": {"rows": 2_000_000},
               "duckdb": _run({"parse": 2.0, "rules and findings": 4.5}, {"rule a": 4.0, "findings": 1.0}, 2000)},
    }
    units = bench.per_unit(results[2000]["duckdb"], 2_000_000)
    assert units["rule a"] == (2.0, 2.0) and units["findings"] == (0.5, 0.5)
    assert units["rules (queries)"] == (2.0, 2.0)
    assert units["total"] == (3.25, 3.25)  # the stages only: the parts overlap within "rules and findings"
    flagged = bench.growth(results)
    assert set(flagged) == {"rule a (per row)", "rule a (per finding)", "rules (queries) (per row)",
                            "rules (queries) (per finding)", "rules and findings (per row)",
                            "rules and findings (per finding)"}


def test_a_shape_is_generated_into_a_folder_of_its_own(tmp_path):
    assert bench.shape_name(500, None, 0.0, 0.0) == "people-500"
    folder = bench.ensure_data(500, tmp_path, density=None, merged=0.05, dirty=0.0)
    assert folder.name == "people-500-merged0.05"
    plain = bench.ensure_data(500, tmp_path)
    with (folder / "people.csv").open(encoding="utf-8") as fh, (plain / "people.csv").open(encoding="utf-8") as fp:
        merged_rows, plain_rows = list(csv.reader(fh)), list(csv.reader(fp))
    assert len(merged_rows) > len(plain_rows)  # people recorded twice: the shape reached the generator


def test_the_baseline_is_the_best_of_several_parses(tmp_path, monkeypatch):
    (tmp_path / "people.csv").write_text("person_id,name\nP1,a\nP2,b\n", encoding="utf-8")
    (tmp_path / "planted.csv").write_text("rule\nx\n", encoding="utf-8")  # not an input file: not parsed
    ticks = iter([0.0, 3.0, 10.0, 11.0, 20.0, 25.0, 30.0, 32.0, 40.0, 44.0])  # parses of 3, 1, 5, 2 and 4 s
    monkeypatch.setattr(bench.time, "perf_counter", lambda: next(ticks))
    base = bench.baseline(str(tmp_path), runs=5)
    assert (base["rows"], base["seconds"], base["slowest"], base["runs"]) == (2, 1.0, 5.0, 5)
