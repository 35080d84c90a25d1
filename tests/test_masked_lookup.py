"""A masked identifier found again in the graph, as `serve --mask` does after a restart: the identifiers inside
entity ids (persons' with their merged source ids, organizations', decisions') that mask as a given text, on
both backends alike; never one the graph's ids do not hold (a name, a guess), and a tag is accepted only for the
one identifier it was made for."""

from __future__ import annotations

import os
import subprocess
import sys

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


def test_what_a_request_may_cost_is_bounded(graph):
    """A masked text longer than an identifier finds nothing (no query); a request looks up at most its
    allowance of masked texts not looked up before; what a lookup found, or that it found nothing, is
    remembered, so made-up tags cost nothing more."""
    for text in ("1" + "*" * 1001 + "1", "3301021" + "*" * 8 + "1018", "330102" + "*" * 9 + "1018"):
        assert graph.masked_identifiers(text) == [], text
    assert graph.backend.ids_with("330102", "1018", (8, 21)) == []
    asked = []

    def lookup(masked: str) -> list[str]:
        asked.append(masked)
        return graph.masked_identifiers(masked)

    keys = FindingKeys(lookup)
    made_up = [f"{mask_text(OFFICIAL)}~gggggggggg", "330103********2222~gggggggggg", "330104********3333~gggggggggg"]
    allowance = [2]
    assert [keys.entity(v, allowance) for v in made_up] == made_up  # none names an entity
    assert asked == [made_up[0].split("~")[0], made_up[1].split("~")[0]] and allowance == [0]
    real = FindingKeys().entity_shown(OFFICIAL)
    assert keys.entity(real, [0]) == OFFICIAL  # its masked text was looked up: no allowance needed
    phone = FindingKeys().entity_shown("T+86 138-1234-5678")
    assert keys.entity(phone, [0]) == phone  # not looked up yet, and no allowance left: not found
    assert len(asked) == 2
    assert keys.entity(phone, [1]) == "T+86 138-1234-5678" and len(asked) == 3
    assert keys.entity("9" * 16000 + real, [1]) == "9" * 16000 + OFFICIAL  # a long value: only its end is read


def test_a_long_value_is_read_in_linear_time():
    """What a request sends as an entity is matched by regular expressions that read a bounded stretch before each
    tag: a long run of * or digits (which once made the match try every start, for minutes) is read at once. Run
    in a process of its own, so that a regression fails here instead of hanging the suite."""
    code = ("from govties.workbench.masking import FindingKeys\n"
            "keys = FindingKeys(lambda masked: [])\n"
            "for v in ('*' * 20000, '9' * 20000 + '*', '* ' * 10000 + '~gggggggggg', '1' * 20000 + '~gggggggggg'):\n"
            "    assert keys.entity(v, [2]) == v\n")
    done = subprocess.run([sys.executable, "-c", code], timeout=60, capture_output=True, text=True,
                          env={**os.environ, "GOVTIES_MASK_KEY": KEY})
    assert done.returncode == 0, done.stderr


def test_a_fingerprint_in_a_findings_history_is_shown_keyed(monkeypatch):
    """The history of a finding lists its evidence fingerprint when it changed; that hash of the evidence (in which
    resident IDs appear whole) is shown keyed under --mask, as finding ids are, and as it is without --mask."""
    from govties.privacy import keyed_id
    from govties.workbench.render import environment

    monkeypatch.setenv("GOVTIES_MASK_KEY", "k" * 32)
    event, plain = {"field": "fingerprint", "kind": "triage"}, "90b5466c3d27aaaa"
    macro = '{% from "macros.html" import event_value %}{{ event_value(e, v) }}'
    masked = environment(True, FindingKeys()).from_string(macro).render(e=event, v=plain)
    shown = keyed_id(plain, b"k" * 32)
    assert masked == f'<code title="{shown}">{shown[:12]}</code>' and plain[:12] not in masked
    assert environment(False).from_string(macro).render(e=event, v=plain) == (
        f'<code title="{plain}">{plain[:12]}</code>')
