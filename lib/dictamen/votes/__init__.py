"""dictamen.votes: how a law was voted, by whom, and whether the published tallies agree.

One member-level model (:mod:`.model`: roll calls, members, votes in a closed option vocabulary)
made by three small readers — :mod:`.voteview` (US Congress), :mod:`.dipmex` (Mexico's
Chamber of Deputies), :mod:`.long_format` (the documented long format, any legislature) — and
consumed by every analysis: :mod:`.tally` (tallies, rules, reported tallies), :mod:`.rules` (the
``FRACTION-of-BASE`` grammar), :mod:`.cohesion` (party indices, defectors, legislature mode),
:mod:`.charts` (figures) and :mod:`.report` (what the notebook shows).
"""

from dictamen.lazy import lazy_names

# Names are loaded on first use (PEP 562): checking a run's parameters (:func:`preflight`) must not
# pay for pandas, matplotlib and parliamentarch before any kernel starts.
_SOURCES = {
    'ALIASES': 'dictamen.votes.rules',
    'CAST_CODES': 'dictamen.votes.voteview',
    'DATA_FORMATS': 'dictamen.votes.checks',
    'Legislature': 'dictamen.votes.cohesion',
    'NOT_MEMBER': 'dictamen.votes.model',
    'OPTIONS': 'dictamen.votes.model',
    'ReportedTallies': 'dictamen.votes.load',
    'RollCalls': 'dictamen.votes.model',
    'Rule': 'dictamen.votes.rules',
    'VoteBreakdown': 'dictamen.votes.report',
    'agreement_index': 'dictamen.votes.cohesion',
    'agreement_matrix': 'dictamen.votes.cohesion',
    'analyse': 'dictamen.votes.report',
    'apply_rule': 'dictamen.votes.tally',
    'defectors': 'dictamen.votes.cohesion',
    'final_vote': 'dictamen.votes.tally',
    'is_party_unity_vote': 'dictamen.votes.cohesion',
    'legislature': 'dictamen.votes.cohesion',
    'load_chambers': 'dictamen.votes.load',
    'load_composition': 'dictamen.votes.load',
    'load_priority': 'dictamen.votes.load',
    'load_tallies': 'dictamen.votes.load',
    'load_voteview': 'dictamen.votes.voteview',
    'member_votes': 'dictamen.votes.cohesion',
    'parse_rule': 'dictamen.votes.rules',
    'party_breakdown': 'dictamen.votes.cohesion',
    'preflight': 'dictamen.votes.checks',
    'published_outcome': 'dictamen.votes.tally',
    'read_dipmex': 'dictamen.votes.dipmex',
    'read_long': 'dictamen.votes.long_format',
    'read_rollcalls': 'dictamen.votes.report',
    'read_voteview': 'dictamen.votes.voteview',
    'reconcile': 'dictamen.votes.tally',
    'rice_index': 'dictamen.votes.cohesion',
    'side_by_side': 'dictamen.votes.tally',
    'stage_table': 'dictamen.votes.tally',
    'tally_mapping': 'dictamen.votes.tally',
    'tally_table': 'dictamen.votes.tally',
    'with_shares': 'dictamen.votes.tally',
    'write_long': 'dictamen.votes.long_format',
}


__getattr__ = lazy_names(__name__, _SOURCES)

__all__ = sorted(_SOURCES)
