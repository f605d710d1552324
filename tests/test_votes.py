"""dictamen.votes: tallies, rules, reconciliation, stages and party indices on real and hand-worked data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dictamen import votes
from dictamen.catalog import resolve_path
from dictamen.votes import tally as tally_module

S116 = {"votes_path": "data/votes/voteview_S116_votes.csv",
        "members_path": "data/votes/voteview_S116_members.csv",
        "rollcalls_path": "data/votes/voteview_S116_rollcalls.csv"}
SYNTH = {key: f"tests/fixtures/votes/synthetic_H999_{key.split('_')[0]}.csv" for key in S116}
TALLIES = "data/votes/mx_ley_seguridad_nacional_2020_tallies.csv"


@pytest.fixture(scope="module")
def s116():
    return votes.load_voteview(S116["votes_path"], S116["members_path"], S116["rollcalls_path"])


@pytest.fixture(scope="module")
def synthetic():
    return votes.load_voteview(SYNTH["votes_path"], SYNTH["members_path"], SYNTH["rollcalls_path"])


@pytest.fixture(scope="module")
def lsn():
    return votes.load_tallies(TALLIES, "mx-lsn-2020")


# --------------------------------------------------------------------------- tallies vs Voteview

def test_tallies_reproduce_voteview_counts_on_all_720_s116_rollcalls(s116):
    computed = votes.rollcall_tallies(s116)
    published = s116.rollcalls.set_index("rollnumber")
    assert len(computed) == 720
    assert (computed["yes"] == published["yea_count"]).all()
    assert (computed["no"] == published["nay_count"]).all()


def test_president_identified_through_members_file_and_left_out(s116):
    raw = pd.read_csv(resolve_path(S116["votes_path"]))
    assert s116.president_icpsr == (99912,)
    assert (raw.loc[raw["icpsr"] == 99912, "chamber"] == "Senate").all()  # labelled Senate in the votes file
    assert s116.president_rows == int((raw["icpsr"] == 99912).sum()) > 0
    assert 99912 not in set(s116.votes["icpsr"])


def test_synthetic_congress_with_paired_and_announced_codes(synthetic):
    raw = pd.read_csv(resolve_path(SYNTH["votes_path"]))
    members = pd.read_csv(resolve_path(SYNTH["members_path"]))
    president = members.loc[members["chamber"] == "President", "icpsr"]
    chamber_rows = raw[~raw["icpsr"].isin(president)]
    assert set(chamber_rows["cast_code"].astype(int)) == set(range(10))
    computed = votes.rollcall_tallies(synthetic)
    published = synthetic.rollcalls.set_index("rollnumber")
    assert (computed["yes"] == published["yea_count"]).all()
    assert (computed["no"] == published["nay_count"]).all()
    announced = chamber_rows[chamber_rows["cast_code"].between(2, 5)].groupby("rollnumber").size()
    assert (computed["announced"] == announced.reindex(computed.index, fill_value=0)).all()
    assert synthetic.chamber == "House" and synthetic.seats == 435
    assert (computed["vacant"] == 435 - chamber_rows[chamber_rows["cast_code"] != 0].groupby("rollnumber").size()).all()


def test_usmca_rollcall_442(s116):
    row = votes.apply_rule(votes.with_shares(votes.rollcall_tallies(s116, [442])), "simple").iloc[0]
    assert (row["yes"], row["no"]) == (89, 10)
    assert row["needed"] == 50 and row["margin"] == 39 and bool(row["passed"])
    assert row["turnout"] == pytest.approx(99 / 100)
    assert row["yes_of_present"] == pytest.approx(89 / 99)


# --------------------------------------------------------------------------- rules

def _one(yes, no, abstain, membership):
    return pd.DataFrame({"yes": [yes], "no": [no], "abstain": [abstain], "membership": [membership]})


@pytest.mark.parametrize("rule, yes, no, abstain, membership, needed, margin", [
    ("simple", 50, 50, 0, 100, 51, -1),                    # a tie fails
    ("simple", 51, 49, 10, 100, 51, 0),
    ("absolute", 64, 10, 0, 128, 65, -1),                  # 128/2 + 1
    ("absolute", 251, 0, 0, 500, 251, 0),
    ("two_thirds_present", 329, 98, 40, 500, 312, 17),     # ceil(2 * 467 / 3)
    ("two_thirds_present", 2, 1, 0, 500, 2, 0),
    ("three_fifths_membership", 59, 41, 0, 100, 60, -1),   # cloture
    ("three_fifths_membership", 60, 0, 0, 100, 60, 0),
])
def test_rules_hand_worked(rule, yes, no, abstain, membership, needed, margin):
    row = votes.apply_rule(_one(yes, no, abstain, membership), rule).iloc[0]
    assert row["needed"] == needed
    assert row["margin"] == margin
    assert bool(row["passed"]) is (margin >= 0)


def test_unknown_rule_is_a_parameter_error():
    from dictamen.errors import ParameterError

    with pytest.raises(ParameterError, match="rule"):
        votes.apply_rule(_one(1, 0, 0, 3), "unanimity")


# --------------------------------------------------------------------------- indices

def test_rice_and_agreement_hand_worked():
    assert votes.rice_index(10, 10) == 0
    assert votes.agreement_index(10, 10, 100) == pytest.approx(0.75)
    assert votes.rice_index(90, 10) == pytest.approx(0.8)
    assert votes.agreement_index(90, 10, 0) == pytest.approx((90 - 5) / 100)
    assert votes.agreement_index(40, 40, 40) == pytest.approx(0.0)  # (40 - 40) / 120
    assert votes.agreement_index(100, 0, 0) == 1
    assert np.isnan(votes.rice_index(0, 0)) and np.isnan(votes.agreement_index(0, 0, 0))


def test_party_breakdown_and_defectors_usmca(s116):
    breakdown = votes.party_breakdown(s116, 442).set_index("party")
    raw = pd.read_csv(resolve_path(S116["votes_path"]))
    members = pd.read_csv(resolve_path(S116["members_path"]))
    merged = raw[raw["rollnumber"] == 442].merge(members[members["chamber"] == "Senate"], on="icpsr")
    for code, party in [(100, "Democrat"), (200, "Republican"), (328, "Independent")]:
        rows = merged[merged["party_code"] == code]
        assert breakdown.at[party, "yes"] == (rows["cast_code"] == 1).sum()
        assert breakdown.at[party, "no"] == (rows["cast_code"] == 6).sum()
    dem = breakdown.loc["Democrat"]
    assert dem["rice"] == pytest.approx(abs(dem["yes"] - dem["no"]) / (dem["yes"] + dem["no"]))
    # defectors, computed independently: members voting nay in a party whose majority voted yea
    expected = set(merged.loc[(merged["cast_code"] == 6) & merged["party_code"].isin([100, 200]), "bioname"])
    found = votes.defectors(s116, 442)
    assert set(found["name"]) == expected
    assert (found["vote"] == "no").all() and (found["party_majority"] == "yes").all()
    assert breakdown.at["Independent", "majority"] == "none"  # 1-1 split: nobody defects from a tie
    assert not votes.is_party_unity_vote(s116, votes.party_breakdown(s116, 442))


def test_legislature_matches_a_per_rollcall_reference(s116):
    leg = votes.legislature(s116, "simple")
    members = s116.members.set_index("icpsr")
    merged = s116.votes.join(members[["party"]], on="icpsr")
    merged = merged[merged["cast_code"].isin([1, 6])]
    counts = merged.groupby(["rollnumber", "party", "cast_code"]).size().unstack(fill_value=0)
    majority = np.sign(counts[1] - counts[6]).unstack(fill_value=0)
    party_line = (majority["Democrat"] * majority["Republican"] == -1).reindex(
        s116.rollcalls["rollnumber"], fill_value=False)
    assert leg.party_line_share == pytest.approx(party_line.mean())
    assert set(leg.major_parties) == {"Democrat", "Republican"}
    # one member's CQ unity by hand
    icpsr = int(leg.members.sort_values("unity").iloc[0]["icpsr"])
    own = merged[merged["icpsr"] == icpsr].join(majority.stack().rename("maj"), on=["rollnumber", "party"])
    own = own[own["rollnumber"].map(party_line) & (own["maj"] != 0)]
    direction = np.where(own["cast_code"] == 1, 1, -1)
    score = (direction == own["maj"]).mean()
    assert leg.members.set_index("icpsr").at[icpsr, "unity"] == pytest.approx(score)
    tallies = votes.rollcall_tallies(s116)
    assert (leg.rollcalls.set_index("rollnumber")["yes"] == tallies["yes"]).all()
    divisive = leg.most_divisive(3)
    assert (divisive["closeness"].diff().dropna() >= 0).all()


# --------------------------------------------------------------------------- reported tallies

def test_reconcile_headline_from_priority_and_flags_disagreement(lsn):
    priority = votes.load_priority()
    table = votes.reconcile(lsn, priority).set_index(["chamber", "stage"])
    senate = table.loc[("Senado", "general")]
    assert (senate["yes"], senate["no"], senate["abstain"]) == (71, 21, 1)
    assert senate["source"] == "Canal del Congreso"
    assert not senate["agree"] and senate["differing"] == "no, abstain"
    assert "CNN Español 71–20–1" in senate["other_figures"] and "Televisa 71–21–2" in senate["other_figures"]
    particular = table.loc[("Senado", "particular")]
    assert particular["agree"] and pd.isna(particular["abstain"])
    deputies = table.loc[("Diputados", "general and particular")]
    assert deputies["source"] == "Cámara de Diputados (@Mx_Diputados)" and deputies["agree"]
    # another declared priority gives another headline, from the same rows
    cnn_first = pd.DataFrame({"rank": [1], "source": ["CNN Español"], "kind": [""]})
    other = votes.reconcile(lsn, cnn_first).set_index(["chamber", "stage"]).loc[("Senado", "general")]
    assert (other["no"], other["source"]) == (20, "CNN Español")


def test_side_by_side_has_every_source(lsn):
    table = votes.side_by_side(lsn, votes.load_priority())
    assert set(lsn.rows["source"]) <= set(table.columns)
    assert len(table) == 5


def test_stage_table_and_final_vote(lsn):
    stages = votes.stage_table(votes.reconcile(lsn, votes.load_priority()), "simple")
    assert list(stages["kind"]) == ["general", "particular", "committee", "committee", "general and particular"]
    committees = stages[stages["kind"] == "committee"]
    assert committees["membership"].isna().all() and committees["passed"].all()
    final = votes.final_vote(stages)
    assert votes.tally_mapping(final) == {"yes": 329, "no": 98, "abstain": 40, "not_voting": 33,
                                          "announced": None, "vacant": None}
    assert final["margin"] == 329 - (427 // 2 + 1)
    under_two_thirds = votes.stage_table(votes.reconcile(lsn, votes.load_priority()), "two_thirds_present")
    assert pd.isna(under_two_thirds.loc[1, "passed"])  # particular: abstentions not reported -> unknown
    assert tally_module.stage_kind("committee:Hacienda") == "committee"
