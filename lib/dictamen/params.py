"""Notebook parameters: read the typed ``parameters`` cell, and check supplied values before a run.

A parameters cell declares one parameter per statement, with a type annotation and a help comment,
Papermill's convention::

    rollcall: int = 442  # Voteview roll-call number; 0 means legislature mode [0..]
    rule: Literal["simple", "absolute"] = "simple"  # majority rule
    intervention_date: ISODate = "2020-12-19"  # when the law took effect
    votes_path: DataPath = "data/votes/voteview_S116_votes.csv"  # Voteview votes file

Types: ``int``, ``float``, ``str``, ``bool``, ``list[str]``, ``list[int]``, ``list[float]``,
``Literal[...]`` (the allowed values), and the aliases below. A trailing ``[min..max]`` in the help
comment declares a numeric range (either bound may be left out).
"""

from __future__ import annotations

ISODate = str
"""A calendar date written YYYY-MM-DD (kept as text so Papermill can inject it)."""

DataPath = str
"""A path to an input file (or folder or glob), relative to the project root unless absolute."""
