"""The sweep's reference date (as_of): the latest date in the data up to today, so that one year mistyped into the
future neither moves it nor rescores every finding; a date after today is warned about with its file and line; a
sweep given an earlier --as-of than the data's latest date says that the rules read every row."""

from __future__ import annotations

import datetime

import pandas as pd
from click.testing import CliRunner

from govties.cli.main import main

from conftest import DEMO, demo_changed


def _sweep(data, out, *extra):
    res = CliRunner().invoke(main, ["sweep", str(data), "-o", str(out), "--lang", "en", *extra])
    assert res.exit_code == 0, res.output
    return res.output, pd.read_csv(out, dtype=str, keep_default_na=False)


def test_a_date_mistyped_into_the_future_does_not_move_the_reference_date(tmp_path):
    clean_out, clean = _sweep(DEMO, tmp_path / "clean.csv")
    data, line = demo_changed(tmp_path / "typo", "XD0015", "date", "2092-02-02")
    out, typo = _sweep(data, tmp_path / "typo.csv")

    as_of = clean["as_of"].iloc[0]
    assert as_of < datetime.date.today().isoformat()
    assert set(typo["as_of"]) == {as_of} and f"sweep as of {as_of}:" in out
    today = datetime.date.today().isoformat()
    assert (f"warning: decisions.csv, line {line}, column 3 (date): the date lies after today ({today}); the row "
            "is kept" in out), out
    assert "found '2092-02-02'); fix: correct the date from the source record" in out
    # the findings the mistyped decision is not part of keep their scores (a moved reference date rescored them)
    keep = ~typo["decision_ids"].str.contains("XD0015")
    scored = typo[keep].set_index("finding_id")["score"]
    assert len(scored) > 50 and scored.equals(clean.set_index("finding_id").loc[scored.index, "score"])
    assert "past the reference date" not in clean_out  # the demo's dates all lie before today
    # the mistyped date is still read by the rules: the sweep says so
    assert f"note: the data runs to 2092-02-02, past the reference date; the rules read every row, so a finding may " \
           f"describe what happened after {as_of}" in out


def test_an_earlier_reference_date_than_the_data_says_so(tmp_path):
    out, findings = _sweep(DEMO, tmp_path / "f.csv", "--as-of", "2017-01-01")
    latest = _sweep(DEMO, tmp_path / "g.csv")[1]["as_of"].iloc[0]
    assert set(findings["as_of"]) == {"2017-01-01"}
    assert (f"note: the data runs to {latest}, past the reference date; the rules read every row, so a finding may "
            "describe what happened after 2017-01-01") in out
    later, _ = _sweep(DEMO, tmp_path / "h.csv", "--as-of", "2030-01-01")
    assert "past the reference date" not in later


def test_evidence_dated_after_the_reference_date_counts_as_recent(tmp_path):
    """A finding whose evidence runs past the sweep's reference date (a role that ended after the latest decision,
    a date typed into the future) is as recent as one just before it: +5, as under a reference date after it (a
    reference date leaves role ends out, so the most recent findings are often dated after it)."""
    data, _ = demo_changed(tmp_path / "typo", "XD0015", "date", "2092-02-02")
    _, typo = _sweep(data, tmp_path / "typo.csv")
    after = typo[typo["last_date"] > typo["as_of"]].set_index("finding_id")
    assert len(after) >= 1 and set(after["last_date"]) == {"2092-02-02"}
    _, moved = _sweep(data, tmp_path / "moved.csv", "--as-of", "2093-01-01")
    assert (moved.set_index("finding_id").loc[after.index, "score"] == after["score"]).all()
