"""A masked identifier found again in the graph, as `serve --mask` does after a restart: the identifiers inside
entity ids (persons' with their merged source ids, organizations', decisions') that mask as a given text, on
both backends alike; never one the graph's ids do not hold (a name, a guess), and a tag is accepted only for the
one identifier it was made for."""

from __future__ import annotations

import pytest

from govties.api import Graph
from govties.loaders import load_dataset
from govties.privacy import mask_text
from govties.workbench.masking import FindingKeys

from conftest import write_dataset

KEY = "a-test-key-that-is-long-enough-0123456789"


def resident_id(body17: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body17 + "10X98765432"[sum(int(d) * w for d, w in zip(body17, weights, strict=True)) % 11]


OFFICIAL = resident_id("33010219700615123")  # a person keyed by his resident ID
TWIN = OFFICIAL[:6] + "19881231" + OFFICIAL[-4:]  # masks as the official's ID does
HOUSEHOLD = f"HH-{TWIN} 13612345678"  # an id holding two identifiers
MERGED = resident_id("33010619650101002")  # the resident ID of a person two sources name by different ids
FILES = {
    "people.csv": f"""
        person_id,name,id_number
        {OFFICIAL},王建国,{OFFICIAL}
        {HOUSEHOLD},赵四,
        T+86 138-1234-5678,张三,
        R2,李梅 13912345678,
        Q7,孙五,{MERGED}
        ZR{MERGED},孙五,{MERGED}
        """,
    "organizations.csv": """
        org_id,name,kind,region,industry
        A1,市住建局,agency,330100,
        (0571) 8765-4321,华兴建设有限公司,company,330102,construction
        """,
    "decisions.csv": """
        decision_id,kind,date,agency_id,beneficiary_id,amount
        D-057112344321,permit,2020-05-01,A1,(0571) 8765-4321,2000000
        """,
}


@pytest.fixture
def graph(backend, tmp_path, monkeypatch):
    monkeypatch.setenv("GOVTIES_MASK_KEY", KEY)
    backend.load(load_dataset(write_dataset(tmp_path / "data", FILES)).tables)
    return Graph(backend)


def test_the_identifiers_that_mask_alike_come_from_entity_ids_only(graph):
    masked = mask_text(OFFICIAL)
    assert masked == OFFICIAL[:6] + "********" + OFFICIAL[-4:] == mask_text(TWIN)
    assert graph.masked_identifiers(masked) == sorted([OFFICIAL, TWIN])
    assert graph.masked_identifiers("138****5678") == ["+86 138-1234-5678"]  # separators and all, as in the id
    assert graph.masked_identifiers("0571****4321") == ["(0571) 8765-4321", "057112344321"]
    assert graph.masked_identifiers(mask_text(MERGED)) == [MERGED]  # a merged person's source id counts
    assert graph.backend.canonical(f"ZR{MERGED}") == "Q7"  # ... which only a source id holds
    # a phone number in a name is not an id; a text that is not one masked identifier finds nothing
    for text in ("139****5678", OFFICIAL, OFFICIAL[:6] + "*******" + OFFICIAL[-4:], "330102%", "", "****1018",
                 f"{masked} ", f"x{masked}"):
        assert graph.masked_identifiers(text) == [], text
    assert graph.masked_identifiers("136****5678") == ["13612345678"]
    assert graph.backend.ids_with(OFFICIAL[:6], OFFICIAL[-4:], (8, 8)) == sorted([OFFICIAL, HOUSEHOLD])
    assert graph.backend.ids_with(OFFICIAL[:6], OFFICIAL[-4:], (8, 8), limit=1) == [OFFICIAL]
    for prefix in ("1%", "1_", ".*", "[0-9]+"):  # only digits are taken: nothing a pattern would read
        assert graph.backend.ids_with(prefix, "5678", (0, 20)) == [], prefix
    assert graph.backend.ids_with("1", "5678", (0, 20)) != []


def test_a_tag_shown_before_a_restart_names_its_identifier_after_it(graph):
    before = FindingKeys()  # the server that showed the pages
    shown = {plain: before.entity_shown(plain) for plain in (OFFICIAL, HOUSEHOLD, "(0571) 8765-4321")}
    after = FindingKeys(graph.masked_identifiers)  # a fresh one, with the same key: it has shown nothing
    assert after.tagged == {}
    for plain, text in shown.items():
        assert after.entity(text) == plain, text
    assert after.entity(f"/explore?a={shown[OFFICIAL]}") == f"/explore?a={OFFICIAL}"
    masked, tag = shown[OFFICIAL].split("~")
    wrong = "".join("g" if c != "g" else "h" for c in tag)
    assert after.entity(f"{masked}~{wrong}") == f"{masked}~{wrong}"  # names no entity
    assert after.entity(OFFICIAL) == masked  # a plain ID is masked: no entity has that id
    unlisted = FindingKeys().tag(OFFICIAL[:6] + "20000101" + OFFICIAL[-4:])  # a real tag of an ID not in the graph
    assert FindingKeys(graph.masked_identifiers).entity(unlisted) == unlisted
    assert FindingKeys().entity(shown[OFFICIAL]) == shown[OFFICIAL]  # without the graph: only what it showed
