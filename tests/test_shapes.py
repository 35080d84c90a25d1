"""The generator's shapes: the default province is the bundled demo byte for byte; a dense province reaches about the
density asked for; merged records come back together through entity resolution; dirty values load to the very same
graph and findings as clean ones."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import govties.api as gt
from govties.examples.generator import write_dataset
from govties.examples.shapes import Shape

from conftest import DEMO


def _files(folder) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_the_default_shape_is_the_bundled_demo(tmp_path):
    write_dataset(tmp_path / "default", 400, 7)
    write_dataset(tmp_path / "shape", 400, 7, shape=Shape())
    demo = _files(DEMO)
    assert _files(tmp_path / "default") == demo
    assert _files(tmp_path / "shape") == demo


def _sweep(folder) -> tuple[pd.DataFrame, gt.Loaded]:
    with gt.open_graph() as g:
        loaded = g.load(folder)
        result = g.sweep(gt.sweep_settings(lang="zh"))
        return gt.findings_table(result, graph=g), loaded


def _rows(folder) -> int:
    return sum(len(pd.read_csv(f, dtype=str)) for f in folder.glob("*.csv") if f.name != "planted.csv")


@pytest.fixture(scope="module")
def shaped(tmp_path_factory):
    root = tmp_path_factory.mktemp("shapes")
    write_dataset(root / "clean", 2000, 3, shape=Shape(density=4, merged=0.02))
    write_dataset(root / "dirty", 2000, 3, shape=Shape(density=4, merged=0.02, dirty=0.3))
    return root


def test_a_dense_province_has_about_the_density_asked_for(tmp_path):
    # without the planted scenarios, whose findings weigh on a small province
    write_dataset(tmp_path / "plain", 5000, 3, planted=False)
    write_dataset(tmp_path / "dense", 5000, 3, planted=False, shape=Shape(density=4))
    plain, _ = _sweep(tmp_path / "plain")
    dense, _ = _sweep(tmp_path / "dense")
    per_thousand = 1000 * len(dense) / _rows(tmp_path / "dense")
    assert 4 * 0.85 <= per_thousand <= 4 * 1.15, per_thousand
    assert len(dense) > 2.5 * len(plain)
    fired = dense["rule"].value_counts()
    for rule in ("relative-business", "self-dealing", "post-retirement", "split-decisions", "bid-collusion",
                 "nepotism", "village-relatives", "in-office-business", "undisclosed-relative-business"):
        assert fired.get(rule, 0) >= 10, (rule, fired.to_dict())


def test_merged_records_come_back_together(shaped):
    people = pd.read_csv(shaped / "clean" / "people.csv", dtype=str, keep_default_na=False)
    ids = people["id_number"][people["person_id"].str.startswith("P")]  # not the planted scenarios' X ids
    assert ids.str.fullmatch(r"\d{15}").any()  # the 15-digit form
    assert ids.str.contains("[０-９]").any()  # full-width digits
    assert ids.str.fullmatch(r"\d{6} \d{8} \d{3}[\dX]").any()  # spaces between the parts
    _, loaded = _sweep(shaped / "clean")
    res = loaded.dataset.resolution
    merged = sum(len(m.ids) for m in res.merges)
    assert 0.015 <= merged / len(people) <= 0.03
    assert len(res.possible) >= 5
    # the second records are named by rows of other files: roles, kinships, decisions
    second = {i for m in res.merges for i in m.ids[1:]}
    roles = pd.read_csv(shaped / "clean" / "company_roles.csv", dtype=str)
    makers = pd.read_csv(shaped / "clean" / "decision_makers.csv", dtype=str)
    assert roles["holder_id"].isin(second).sum() > 10 and makers["person_id"].isin(second).sum() > 10


def test_dirty_values_load_to_the_same_findings(shaped):
    text = "".join(p.read_text(encoding="utf-8") for p in (shaped / "dirty").glob("*.csv"))
    for form in (r"\d{4}年\d{1,2}月\d{1,2}日", r"\d{4}/\d{1,2}/\d{1,2}", r"\d{4}\.\d{2}\.\d{2}", r"[０-９]{4}-",
                 r"\d+(\.\d+)?万", r"\d{1,3}(,\d{3})+", "¥", "中标", "配偶", "股东", "2023年"):
        assert re.search(form, text), form
    clean, _ = _sweep(shaped / "clean")
    dirty, _ = _sweep(shaped / "dirty")
    assert len(clean) > 100
    pd.testing.assert_frame_equal(clean, dirty)
