"""dictamen.votes: how a law was voted, by whom, and whether the published tallies agree.

Two kinds of input: member-level Voteview files (one roll call, or a whole legislature when the
roll call is 0) and reported tallies of a law from several sources. See :mod:`.load` for the
formats, :mod:`.tally` for tallies and majority rules, :mod:`.cohesion` for party indices,
:mod:`.charts` for figures and :mod:`.report` for what the notebook shows.
"""

from dictamen.votes.cohesion import (
    Legislature, agreement_index, defectors, is_party_unity_vote, legislature, member_votes, party_breakdown,
    rice_index,
)
from dictamen.votes.load import (
    CAST_CODES, OPTIONS, ReportedTallies, VoteviewData, load_chambers, load_composition, load_priority,
    load_tallies, load_voteview,
)
from dictamen.votes.report import MODES, VoteBreakdown, analyse, mode_for
from dictamen.votes.tally import (
    RULES, apply_rule, final_vote, reconcile, rollcall_tallies, side_by_side, stage_table, tally_mapping,
    with_shares,
)

__all__ = [
    "CAST_CODES", "MODES", "OPTIONS", "RULES", "VoteBreakdown", "analyse", "mode_for", "Legislature", "ReportedTallies", "VoteviewData", "agreement_index",
    "apply_rule", "defectors", "final_vote", "is_party_unity_vote", "legislature", "load_chambers",
    "load_composition", "load_priority", "load_tallies", "load_voteview", "member_votes", "party_breakdown",
    "reconcile", "rice_index", "rollcall_tallies", "side_by_side", "stage_table", "tally_mapping", "with_shares",
]
