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


DIPMEX = {n: {"votes_path": f"data/votes/dipmex/rc{n}.csv", "members_path": f"data/votes/dipmex/dipdat{n}.csv",
              "rollcalls_path": f"data/votes/dipmex/votdat{n}.csv"} for n in ("60", "61")}


@pytest.fixture(scope="module")
def s116():
    return votes.read_voteview(S116["votes_path"], S116["members_path"], S116["rollcalls_path"])


@pytest.fixture(scope="module")
def synthetic():
    return votes.read_voteview(SYNTH["votes_path"], SYNTH["members_path"], SYNTH["rollcalls_path"])


@pytest.fixture(scope="module")
def lsn():
    return votes.load_tallies(TALLIES, "mx-lsn-2020")


# --------------------------------------------------------------------------- readers into the one model

def test_voteview_parity_on_all_720_s116_rollcalls_through_the_model(s116):
    computed = votes.tally_table(s116)
    published = pd.read_csv(resolve_path(S116["rollcalls_path"])).set_index("rollnumber")
    assert len(computed) == 720 and s116.source == "voteview"
    assert (computed["yes"].to_numpy() == published["yea_count"].to_numpy()).all()
    assert (computed["no"].to_numpy() == published["nay_count"].to_numpy()).all()
    assert list(computed.index) == [str(n) for n in published.index]


def test_president_identified_through_members_file_and_left_out(s116):
    raw = pd.read_csv(resolve_path(S116["votes_path"]))
    assert (raw.loc[raw["icpsr"] == 99912, "chamber"] == "Senate").all()  # labelled Senate in the votes file
    assert s116.notes["president_rows"] == int((raw["icpsr"] == 99912).sum()) > 0
    assert "99912" not in set(s116.members["member_id"])


def test_synthetic_congress_with_paired_and_announced_codes(synthetic):
    raw = pd.read_csv(resolve_path(SYNTH["votes_path"]))
    members = pd.read_csv(resolve_path(SYNTH["members_path"]))
    president = members.loc[members["chamber"] == "President", "icpsr"]
    chamber_rows = raw[~raw["icpsr"].isin(president)]
    assert set(chamber_rows["cast_code"].astype(int)) == set(range(10))
    computed = votes.tally_table(synthetic)
    computed.index = computed.index.astype(int)
    published = pd.read_csv(resolve_path(SYNTH["rollcalls_path"])).set_index("rollnumber")
    assert (computed["yes"] == published["yea_count"]).all() and (computed["no"] == published["nay_count"]).all()
    by_code = chamber_rows.groupby(["rollnumber", "cast_code"]).size().unstack(fill_value=0)
    assert (computed["paired"] == by_code[[2, 3, 4, 5]].sum(axis=1)).all()  # paired and announced positions
    assert (computed["abstain"] == by_code[[7, 8]].sum(axis=1)).all()  # Voteview's "present": as before
    assert (computed["present"] == 0).all()
    assert (computed["absent"] == by_code[9]).all()
    assert (computed["vacant"] == 435 - chamber_rows[chamber_rows["cast_code"] != 0].groupby("rollnumber").size()).all()


def test_usmca_rollcall_442(s116):
    row = votes.apply_rule(votes.with_shares(votes.tally_table(s116, [s116.position("442")])), "simple").iloc[0]
    assert (row["yes"], row["no"], row["absent"]) == (89, 10, 1)
    assert row["needed"] == 50 and row["margin"] == 39 and bool(row["passed"])
    assert row["turnout"] == pytest.approx(99 / 100)
    assert row["yes_of_attending"] == pytest.approx(89 / 99)


@pytest.mark.parametrize("legislature", ["60", "61"])
def test_dipmex_totals_equal_votdat_on_every_rollcall(legislature):
    data = votes.read_dipmex(**DIPMEX[legislature])
    votdat = pd.read_csv(resolve_path(DIPMEX[legislature]["rollcalls_path"]), escapechar="\\")
    computed = votes.tally_table(data)
    assert len(computed) == len(votdat) == {"60": 590, "61": 738}[legislature]
    assert list(computed.index) == votdat["filename"].tolist()
    for option, column in [("yes", "favor"), ("no", "contra"), ("abstain", "absten"), ("present", "quorum"),
                           ("absent", "ausen")]:
        assert (computed[option].to_numpy() == votdat[column].to_numpy()).all(), option
    assert (data.rollcalls["seats"] == 500).all()  # chambers file: Diputados 500 seats


def test_dipmex_repeated_seat_ids_are_joined_by_position():
    data = votes.read_dipmex(**DIPMEX["61"])
    dipdat = pd.read_csv(resolve_path(DIPMEX["61"]["members_path"]), escapechar="\\")
    assert len(data.members) == len(dipdat) == 1006
    repeated = data.members[data.members["seat"] == "c3rp41p"]
    assert len(repeated) == 2 and repeated["member"].nunique() == 2
    assert list(data.members["member"]) == dipdat["nom"].str.strip().tolist()
    matrix = pd.read_csv(resolve_path(DIPMEX["61"]["votes_path"]))
    column = int(repeated.index[1])  # the second holder: column 'c3rp41p.1' once pandas renames it
    assert matrix.columns[column] == "c3rp41p.1"
    own = data.votes[data.votes["member"] == column]
    assert len(own) == int((matrix.iloc[:, column] != 0).sum())
    assert set(data.members["state"]) >= {"AGS", "DF", "ZAC"}


def test_long_format_round_trip_gives_the_same_tallies(s116, tmp_path):
    paths = votes.write_long(s116, tmp_path, "s116")
    again = votes.read_long(paths["votes"], paths["rollcalls"], paths["members"])
    first, second = votes.tally_table(s116), votes.tally_table(again)
    assert list(second.index) == list(first.index)
    for column in [*votes.OPTIONS, "not_voting", "membership"]:
        assert (first[column].to_numpy() == second[column].to_numpy()).all(), column
    header = pd.read_csv(paths["votes"], nrows=1).columns.tolist()
    assert header == ["vote_id", "member_id", "member", "party", "option"]
    assert votes.legislature(again).party_line_share == pytest.approx(votes.legislature(s116).party_line_share)


# --------------------------------------------------------------------------- rules

def _one(yes, no, abstain, membership, present=0, rule=""):
    return pd.DataFrame({"yes": [yes], "no": [no], "abstain": [abstain], "present": [present],
                         "membership": [membership], "rule": [rule]})


@pytest.mark.parametrize("rule, yes, no, abstain, membership, needed, margin", [
    ("simple", 50, 50, 0, 100, 51, -1),                    # a tie fails
    ("simple", 51, 49, 10, 100, 51, 0),
    ("1/2-of-voting", 329, 98, 40, 500, 214, 115),         # the 2020 Chamber of Deputies vote
    ("absolute", 64, 10, 0, 128, 65, -1),                  # 128/2 + 1
    ("1/2-of-membership", 251, 0, 0, 500, 251, 0),
    ("two_thirds_present", 329, 98, 40, 500, 312, 17),     # ceil(2 * 467 / 3)
    ("2/3-of-present", 2, 1, 0, 500, 2, 0),
    ("three_fifths_membership", 59, 41, 0, 100, 60, -1),   # cloture
    ("3/5-of-membership", 60, 0, 0, 100, 60, 0),
    ("2/3-of-membership", 473, 0, 0, 709, 473, 0),         # ceil(2 * 709 / 3) = ceil(472.67)
    ("2/3-of-membership", 472, 0, 0, 709, 473, -1),
    ("4/7-of-membership", 89, 0, 0, 155, 89, 0),           # ceil(4 * 155 / 7) = ceil(88.57)
    ("4/7-of-membership", 80, 0, 0, 140, 80, 0),           # exactly 4/7 of 140: at least, not more than
    ("four_sevenths_membership", 79, 0, 0, 140, 80, -1),
    ("3/4-of-voting", 30, 10, 0, 100, 30, 0),
])
def test_rules_hand_worked(rule, yes, no, abstain, membership, needed, margin):
    row = votes.apply_rule(_one(yes, no, abstain, membership), rule).iloc[0]
    assert row["needed"] == needed
    assert row["margin"] == margin
    assert bool(row["passed"]) is (margin >= 0)


def test_rule_base_present_counts_present_not_voting_members():
    row = votes.apply_rule(_one(10, 5, 3, 100, present=12), "1/2-of-present").iloc[0]
    assert row["needed"] == 16  # more than half of 30


def test_rule_names_normalise_and_a_rollcall_rule_overrides_the_parameter():
    assert votes.parse_rule("simple").name == "1/2-of-voting"
    assert votes.parse_rule(" 2 / 3 -of- Membership ").name == "2/3-of-membership"
    assert votes.parse_rule("4/8-of-voting").name == "1/2-of-voting"  # the same fraction
    table = pd.concat([_one(60, 40, 0, 100), _one(60, 40, 0, 100, rule="2/3-of-voting")], ignore_index=True)
    judged = votes.apply_rule(table, "simple")
    assert judged["passed"].tolist() == [True, False]
    assert judged["rule_applied"].tolist() == ["1/2-of-voting", "2/3-of-voting"]


@pytest.mark.parametrize("bad", ["unanimity", "3/2-of-voting", "1/2-of-everyone", "0/3-of-voting", "half"])
def test_a_rule_that_does_not_parse_shows_the_grammar(bad):
    from dictamen.errors import ParameterError

    with pytest.raises(ParameterError, match="FRACTION-of-BASE") as error:
        votes.apply_rule(_one(1, 0, 0, 3), bad)
    assert "Parameter 'rule'" in str(error.value)


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
    position = s116.position("442")
    breakdown = votes.party_breakdown(s116, position).set_index("party")
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
    found = votes.defectors(s116, position)
    assert set(found["member"]) == expected
    assert (found["vote"] == "no").all() and (found["party_majority"] == "yes").all()
    assert breakdown.at["Independent", "majority"] == "none"  # 1-1 split: nobody defects from a tie
    assert not votes.is_party_unity_vote(s116, votes.party_breakdown(s116, position))


def test_legislature_matches_a_per_rollcall_reference(s116):
    leg = votes.legislature(s116, "simple")
    raw = pd.read_csv(resolve_path(S116["votes_path"]))
    members = pd.read_csv(resolve_path(S116["members_path"]))
    senate = members[members["chamber"] == "Senate"].set_index("icpsr")
    party_name = senate["party_code"].map({100: "Democrat", 200: "Republican", 328: "Independent"})
    merged = raw[raw["icpsr"].isin(senate.index) & raw["cast_code"].isin([1, 6])].copy()
    merged["party"] = merged["icpsr"].map(party_name)
    counts = merged.groupby(["rollnumber", "party", "cast_code"]).size().unstack(fill_value=0)
    majority = np.sign(counts[1] - counts[6]).unstack(fill_value=0)
    rollnumbers = pd.read_csv(resolve_path(S116["rollcalls_path"]))["rollnumber"]
    party_line = (majority["Democrat"] * majority["Republican"] == -1).reindex(rollnumbers, fill_value=False)
    assert leg.party_line_share == pytest.approx(party_line.mean())
    assert set(leg.major_parties) == {"Democrat", "Republican"}
    # one member's CQ unity by hand
    member_id = leg.members.sort_values("unity").iloc[0]["member_id"]
    own = merged[merged["icpsr"] == int(member_id)].join(majority.stack().rename("maj"), on=["rollnumber", "party"])
    own = own[own["rollnumber"].map(party_line) & (own["maj"] != 0)]
    score = (np.where(own["cast_code"] == 1, 1, -1) == own["maj"]).mean()
    assert leg.members.set_index("member_id").at[member_id, "unity"] == pytest.approx(score)
    # party agreement, Democrats vs Republicans, by hand: both majorities decided, and the same way
    both = majority[(majority["Democrat"] != 0) & (majority["Republican"] != 0)]
    assert leg.agreement.at["Democrat", "Republican"] == pytest.approx(
        (both["Democrat"] == both["Republican"]).mean())
    assert leg.agreement.at["Democrat", "Democrat"] == 1
    # cohesion by month: January 2020's mean Democratic Rice index by hand
    dates = pd.read_csv(resolve_path(S116["rollcalls_path"])).set_index("rollnumber")["date"]
    dem = counts.xs("Democrat", level="party")
    rice = ((dem[1] - dem[6]).abs() / (dem[1] + dem[6]))
    january = rice[dates.reindex(rice.index).str.startswith("2020-01").to_numpy()]
    assert leg.cohesion_by_month.at["2020-01", "Democrat"] == pytest.approx(january.mean())
    divisive = leg.most_divisive(3)
    assert (divisive["closeness"].diff().dropna() >= 0).all()


def test_published_results_read_as_passed_or_failed():
    read = votes.published_outcome(pd.Series(["Bill Passed", "Amendment Rejected", "Aprobado", "Rechazado",
                                              "Veto Sustained", "Unánime", ""]))
    assert read.tolist()[:5] == [True, False, True, False, False]
    assert read.isna().tolist()[5:] == [True, True]


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
    assert votes.tally_mapping(final) == {"yes": 329, "no": 98, "abstain": 40, "not_voting": 33}
    assert final["margin"] == 329 - (427 // 2 + 1)
    under_two_thirds = votes.stage_table(votes.reconcile(lsn, votes.load_priority()), "two_thirds_present")
    assert pd.isna(under_two_thirds.loc[1, "passed"])  # particular: abstentions not reported -> unknown
    assert tally_module.stage_kind("committee:Hacienda") == "committee"
