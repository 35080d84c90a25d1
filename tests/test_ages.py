"""Implausible ages: validation warns (never refuses) about a post that starts before its holder's 16th birthday
and a child born before the parent; the generator makes no such people."""

from __future__ import annotations

import numpy as np
import pandas as pd

from govties.examples.generator import write_dataset as generate
from govties.loaders import load_dataset

from conftest import MINIMAL, write_dataset

PEOPLE = """
    person_id,name,id_number,birth_date
    P1,王建国,330102197001010013,
    P2,李梅,,1972-02-02
    P3,王小明,,1960-05-05
    P4,王小红,330102199503030021,
    P5,王无生日,,
    """


def _warnings(tmp_path, files) -> list[str]:
    ds = load_dataset(write_dataset(tmp_path / "d", {**MINIMAL, "people.csv": PEOPLE, **files}))
    return [str(w) for w in ds.warnings]


def test_a_post_before_the_holders_16th_birthday_is_warned_about_and_kept(tmp_path):
    warnings = _warnings(tmp_path, {
        "organizations.csv": """
            org_id,name,kind,region
            A1,市住建局,agency,330100
            C1,华兴建设有限公司,company,330102
            """,
        "positions.csv": """
            person_id,org_id,title,rank,start_date
            P1,A1,科员,staff,1985-12-31
            P1,A1,科长,section,1986-01-01
            P2,A1,科员,staff,1988-02-01
            P5,A1,科员,staff,1950-01-01
            """,
    })
    early = [w for w in warnings if "16th birthday" in w]
    # P1 is born 1970-01-01 (from the resident ID): 1985-12-31 is a day too early, 1986-01-01 is not;
    # P2 is born 1972-02-02 (birth_date); P5 has no birth date and is not checked
    assert [w.split(":")[0] for w in early] == ["positions.csv, line 2, column 5 (start_date)",
                                                "positions.csv, line 4, column 5 (start_date)"]
    assert "(found '1985-12-31')" in early[0]
    ds = load_dataset(tmp_path / "d")
    assert ds.counts()["post"] == 4  # kept


def test_a_child_born_before_the_parent_is_warned_about_and_kept(tmp_path):
    warnings = _warnings(tmp_path, {
        "relatives.csv": """
            person_id,relative_id,relation
            P1,P3,child
            P1,P4,child
            P1,P3,子女
            P4,P1,parent
            P3,P1,parent
            P2,P3,spouse
            P5,P1,child
            """,
    })
    wrong = [w for w in warnings if "the relative is born" in w]
    assert [w.split(":")[0] for w in wrong] == ["relatives.csv, line 2, column 2 (relative_id)",
                                                "relatives.csv, line 4, column 2 (relative_id)",
                                                "relatives.csv, line 6, column 2 (relative_id)"]
    assert "born before the person whose child" in wrong[0] and "(found 'P3')" in wrong[0]
    assert "born after the person whose parent" in wrong[2]
    assert load_dataset(tmp_path / "d").counts()["kin"] > 0


def test_generated_people_are_plausible(tmp_path):
    folder = tmp_path / "g"
    generate(folder, 3000)
    people = pd.read_csv(folder / "people.csv", dtype=str, keep_default_na=False)
    from_id = people["id_number"].str[6:14].where(people["id_number"] != "", "")
    dates = from_id.where(from_id != "", people["birth_date"].str.replace("-", ""))
    born = dict(zip(people["person_id"], dates, strict=True))
    posts = pd.read_csv(folder / "positions.csv", dtype=str, keep_default_na=False)
    ages = [(int(s.replace("-", "")) - int(born[p])) // 10000
            for p, s in zip(posts["person_id"], posts["start_date"], strict=True) if born.get(p)]
    assert len(ages) > 250 and min(ages) >= 18
    kin = pd.read_csv(folder / "relatives.csv", dtype=str, keep_default_na=False)
    kin = kin[kin["relation"] == "child"]
    gaps = [(int(born[c]) - int(born[p])) // 10000 for p, c in zip(kin["person_id"], kin["relative_id"], strict=True)
            if born.get(p) and born.get(c)]
    assert len(gaps) > 150 and min(gaps) >= 18
    assert np.all(people["birth_date"].where(people["birth_date"] != "", None).dropna().str.replace("-", "")
                  .map(lambda b: b <= "20240630"))
    ds = load_dataset(folder)
    assert not [w for w in ds.warnings if "16th birthday" in str(w) or "the relative is born" in str(w)]
