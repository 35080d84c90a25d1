"""Profiles: named sets of parameters that read the rules as a jurisdiction's law does, checked when loaded; a
config file and --param win over them."""

from __future__ import annotations

import pandas as pd
import pytest
from click.testing import CliRunner

from govties.cli.main import main
from govties.rules import profiles as P
from govties.rules.catalog import catalog

from conftest import write_dataset

# A division-rank director of a bureau retired 2018-06-30; 2 years 6 months later he joins a company he approved
# (inside China's three years, outside the UK's two), and 1 year later a university's board (an employer the UK
# rules cover, not a company).
RETIRED = {
    "people.csv": """
        person_id,name
        P1,陈刚
        """,
    "organizations.csv": """
        org_id,name,kind,region,industry
        A1,区环保局,agency,330106,
        C1,绿源环保科技有限公司,company,310000,environment
        U1,某某大学,institution,330106,education
        """,
    "positions.csv": """
        person_id,org_id,title,rank,start_date,end_date,portfolio
        P1,A1,局长,division,2012-01-01,2018-06-30,education
        """,
    "company_roles.csv": """
        holder_id,org_id,role,start_date
        P1,C1,director,2020-12-30
        P1,U1,adviser,2019-06-30
        """,
    "decisions.csv": """
        decision_id,kind,date,agency_id,beneficiary_id,amount
        D1,permit,2017-03-01,A1,C1,0
        """,
    "decision_makers.csv": """
        decision_id,person_id
        D1,P1
        """,
}


def test_bundled_profiles_load_and_cite_their_basis():
    found = P.profiles()
    assert {"cn", "uk", "eu"} <= set(found) and P.DEFAULT == "cn"
    for name, profile in found.items():
        assert profile.title and len(profile.basis) > 60, name
    assert "第一百零七条" in found["cn"].basis
    assert "Business Appointment Rules" in found["uk"].basis and "ACOBA" in found["uk"].basis
    assert "Article 11" in found["eu"].basis


def test_the_default_profile_is_what_the_rules_default_to():
    """A sweep without --profile (cn) and the library's sweep (the rules' own defaults) read the rules alike."""
    rules = catalog()
    for rule_id, values in P.parameters(None).items():
        for name, value in values.items():
            assert rules[rule_id].parameters[name].default == value, (rule_id, name)


def test_later_layers_win():
    got = P.parameters("uk", {"post-retirement": {"senior_years": 4, "junior_years": 3}},
                       {"post-retirement": {"senior_years": "5"}})
    assert got["post-retirement"]["senior_years"] == "5"  # --param (still text: the engine coerces it)
    assert got["post-retirement"]["junior_years"] == 3  # the config file
    assert got["post-retirement"]["org_kinds"] == ["company", "institution", "association", "other"]  # the profile


@pytest.mark.parametrize("text,message", [
    ("title = 't'\nbasis = 'b'\n[params.no-such-rule]\nx = 1\n",
     "key params.no-such-rule names no rule; fix: use a rule id from `govties rules list`"),
    ("title = 't'\nbasis = 'b'\n[params.post-retirement]\nsenior_yrs = 2\n",
     "key params.post-retirement.senior_yrs: post-retirement has no parameter 'senior_yrs'; fix: use one of "
     "senior_ranks, senior_years, junior_years, org_kinds, reappointment_gap_days"),
    ("title = 't'\nbasis = 'b'\n[params.post-retirement]\nsenior_years = 'two'\n",
     "key params.post-retirement.senior_years: expects a value of type int, got the text 'two'; fix: write the "
     "value without "
     "quotes"),
    ("title = 't'\nbasis = 'b'\n[params.post-retirement]\nsenior_years = 99\n",
     "key params.post-retirement.senior_years: expects a value of at most 20, got 99; fix: correct the value"),
    ("title = 't'\nbasis = 'b'\n[params.post-retirement]\norg_kinds = ['company', 'charity']\n",
     "key params.post-retirement.org_kinds: expects items from company, agency, village, institution, "
     "association, other, got ['company', 'charity']; fix: correct the value"),
    ("title = 't'\n[params.post-retirement]\nsenior_years = 2\n",
     "no 'basis'; fix: add basis = \"the law or code it follows, cited\""),
    ("title = 't'\nbasis = 'b'\nrules = ['x']\n", "unknown key 'rules'; fix: use only title, basis, params"),
    ("title = 't\n", "not valid TOML"),
])
def test_a_broken_profile_is_one_line_naming_file_key_and_fix(tmp_path, text, message):
    path = tmp_path / "xx.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(P.ProfileError) as exc:
        P.profile("xx", tmp_path)
    assert str(exc.value).startswith(f"profile {path}: ")
    assert message in str(exc.value)
    assert "\n" not in str(exc.value)


def test_a_profile_writes_a_share_as_a_percentage(tmp_path):
    (tmp_path / "xx.toml").write_text("title = 't'\nbasis = 'b'\n[params.indirect-relative-business]\n"
                                      "min_share = '30%'\n", encoding="utf-8")
    assert P.profile("xx", tmp_path).params["indirect-relative-business"]["min_share"] == pytest.approx(0.3)


def test_a_profile_writes_an_amount_as_the_data_does(tmp_path):
    (tmp_path / "xx.toml").write_text("title = 't'\nbasis = 'b'\n[params.sole-major-decision]\n"
                                      "min_amount = '300万'\n", encoding="utf-8")
    assert P.profile("xx", tmp_path).params["sole-major-decision"]["min_amount"] == 3_000_000


def test_an_unknown_profile_names_the_known_ones():
    with pytest.raises(P.ProfileError) as exc:
        P.profile("fr")
    assert str(exc.value) == "no profile 'fr'; fix: use one of cn, eu, uk (`govties rules profiles` lists them)"


def _sweep(tmp_path, *args) -> tuple[set[str], str]:
    data = write_dataset(tmp_path / "data", RETIRED)
    out = tmp_path / "f.csv"
    res = CliRunner().invoke(main, ["sweep", str(data), "-o", str(out), "-q", "--rules", "post-retirement", *args])
    assert res.exit_code == 0, res.output
    return set(pd.read_csv(out, dtype=str)["org_id"].dropna()), res.output


def test_sweep_profile_reads_the_rule_as_that_jurisdiction(tmp_path):
    assert _sweep(tmp_path)[0] == {"C1"}  # cn: three years from division rank, companies only
    assert _sweep(tmp_path, "--profile", "cn")[0] == {"C1"}
    assert _sweep(tmp_path, "--profile", "uk")[0] == {"U1"}  # two years, any employer
    assert _sweep(tmp_path, "--profile", "uk", "-p", "post-retirement.senior_years=3")[0] == {"C1", "U1"}
    config = tmp_path / "govties.toml"
    config.write_text("[params.post-retirement]\nsenior_years = 3\n", encoding="utf-8")
    assert _sweep(tmp_path, "--profile", "uk", "-c", str(config))[0] == {"C1", "U1"}
    assert _sweep(tmp_path, "--profile", "uk", "-c", str(config), "-p", "post-retirement.senior_years=2")[0] \
        == {"U1"}  # --param wins over the config file


def test_sweep_with_a_bad_profile_exits_2_with_one_line(tmp_path):
    data = write_dataset(tmp_path / "data", RETIRED)
    res = CliRunner().invoke(main, ["sweep", str(data), "-o", str(tmp_path / "f.csv"), "--profile", "fr"])
    assert res.exit_code == 2
    assert "no profile 'fr'; fix: use one of cn, eu, uk" in res.output
    assert not (tmp_path / "f.csv").exists()


def test_rules_profiles_lists_name_title_and_basis():
    res = CliRunner().invoke(main, ["rules", "profiles"])
    assert res.exit_code == 0, res.output
    for name, profile in P.profiles().items():
        default = " (default)" if name == "cn" else ""
        assert f"{name}{default}: {profile.title}" in res.output
        assert profile.basis.splitlines()[0] in res.output
    assert "post-retirement: senior_years=2, junior_years=2, org_kinds=company,institution,association,other" \
        in res.output
