"""The one member-level model of roll calls that every reader produces and every analysis consumes.

A :class:`RollCalls` holds three things:

* ``rollcalls``: one row per roll call, in the order of the source: ``vote_id`` (text), ``date``
  (YYYY-MM-DD), ``title``, ``chamber``, ``seats`` (full membership, empty when unknown), ``rule``
  (the roll call's own majority rule, empty for "the report's rule"), ``question``, ``bill``,
  ``result`` (the published outcome, empty when none);
* ``members``: one row per member: ``member_id`` (text), ``member`` (name), ``party`` (empty when
  no party is recorded), then any extra attributes a reader keeps (``state``, ...);
* ``votes``: one row per member and roll call as integer positions: ``rollcall`` (row of
  ``rollcalls``), ``member`` (row of ``members``) and ``option``, a code of :data:`OPTIONS`
  (``yes``, ``no``, ``abstain``, ``present`` = present, not voting, ``absent``, ``excused``,
  ``paired``, ``invalid``) or :data:`NOT_MEMBER` (not a member on that date).

Integer positions let every analysis count with one ``numpy.bincount`` over all roll calls at once.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from dictamen.errors import InputError

#: The closed vote vocabulary, in display order; ``votes.option`` codes index it.
OPTIONS: tuple[str, ...] = ("yes", "no", "abstain", "present", "absent", "excused", "paired", "invalid")
YES, NO, ABSTAIN, PRESENT, ABSENT, EXCUSED, PAIRED, INVALID = range(len(OPTIONS))
NOT_MEMBER = len(OPTIONS)
#: The vocabulary as written in files, with the "not a member on that date" word.
OPTION_WORDS: tuple[str, ...] = OPTIONS + ("not_member",)
#: Options that are not a vote cast (yes, no or abstain), counted together as ``not_voting``.
NOT_VOTING = (PRESENT, ABSENT, EXCUSED, PAIRED, INVALID)

ROLLCALL_COLUMNS = ["vote_id", "date", "title", "chamber", "seats", "rule", "question", "bill", "result"]


@dataclass(frozen=True)
class RollCalls:
    """Roll calls, members and every member's vote on each roll call (see the module docstring)."""

    rollcalls: pd.DataFrame
    members: pd.DataFrame
    votes: pd.DataFrame
    source: str  # "voteview", "dipmex" or "long": which reader made it
    paths: dict[str, str] = field(default_factory=dict)
    notes: dict[str, object] = field(default_factory=dict)

    @property
    def chamber(self) -> str:
        """The chamber's name: the reader's, else the one value of the roll calls' ``chamber`` (or empty)."""
        named = str(self.notes.get("chamber") or "")
        values = [v for v in dict.fromkeys(self.rollcalls["chamber"]) if v]
        return named or (values[0] if len(values) == 1 else "")

    @property
    def member_votes(self) -> int:
        """Rows of member votes (excluding "not a member" rows)."""
        return int((self.votes["option"].to_numpy() != NOT_MEMBER).sum())

    def position(self, vote: str, *, parameter: str = "vote") -> int:
        """The row of roll call ``vote`` (its ``vote_id``), or an InputError suggesting close ids."""
        ids = self.rollcalls["vote_id"]
        found = np.flatnonzero(ids.to_numpy() == str(vote).strip())
        if found.size:
            return int(found[0])
        close = difflib.get_close_matches(str(vote).strip(), ids.tolist(), n=5, cutoff=0.5)
        hint = f"did you mean {', '.join(repr(c) for c in close)}? " if close else ""
        raise InputError(
            f"Vote {vote!r} (parameter '{parameter}') is not in the roll-calls file; {hint}"
            f"its ids run from {ids.iloc[0]!r} to {ids.iloc[-1]!r} ({len(ids):,} roll calls)",
            path=self.paths.get("rollcalls"), column="vote_id",
            expected="a vote id listed in the roll-calls file, or empty for the whole legislature")

    def subset(self, positions: np.ndarray | list[int]) -> "RollCalls":
        """The same members with only the roll calls at ``positions`` (renumbered in that order)."""
        positions = np.asarray(positions, dtype=np.int64)
        lookup = np.full(len(self.rollcalls), -1, dtype=np.int64)
        lookup[positions] = np.arange(len(positions))
        new = lookup[self.votes["rollcall"].to_numpy()]
        keep = new >= 0
        votes = pd.DataFrame({"rollcall": new[keep].astype(np.int32),
                              "member": self.votes["member"].to_numpy()[keep],
                              "option": self.votes["option"].to_numpy()[keep]})
        return replace(self, rollcalls=self.rollcalls.iloc[positions].reset_index(drop=True), votes=votes)


def empty_text(values: pd.Series | None, n: int) -> pd.Series:
    """A text column with empty strings for missing values (all empty when the column is absent)."""
    if values is None:
        return pd.Series([""] * n, dtype=object)
    return values.astype("string").fillna("").str.strip().astype(str).reset_index(drop=True)


def make_rollcalls(**columns) -> pd.DataFrame:
    """A roll-calls table with every model column, optional ones filled with empty values."""
    n = len(columns["vote_id"])
    table = pd.DataFrame({"vote_id": pd.Series(columns["vote_id"]).astype(str).reset_index(drop=True)})
    for name in ROLLCALL_COLUMNS[1:]:
        value = columns.get(name)
        if name == "seats":
            table[name] = (pd.array([pd.NA] * n, dtype="Int64") if value is None
                           else pd.array(np.asarray(value), dtype="Int64"))
        else:
            table[name] = empty_text(None if value is None else pd.Series(value), n)
    return table


def counts_by(group: np.ndarray, option: np.ndarray, n_groups: int) -> np.ndarray:
    """Counts of each option per group, shape (n_groups, len(OPTIONS)), "not a member" left out."""
    width = NOT_MEMBER + 1
    counts = np.bincount(group.astype(np.int64) * width + option, minlength=n_groups * width)
    return counts.reshape(n_groups, width)[:, :NOT_MEMBER]


def option_codes(words: pd.Series, *, path, column: str, row_offset: int = 2) -> np.ndarray:
    """Option words (the closed vocabulary) as codes, or an InputError naming the first unknown one."""
    lookup = {word: code for code, word in enumerate(OPTION_WORDS)}
    text = words.astype("string").str.strip().str.lower()
    codes = text.map(lookup)
    bad = codes.isna().to_numpy()
    if bad.any():
        position = int(np.flatnonzero(bad)[0])
        raise InputError(f"Unknown option {words.iloc[position]!r}", path=path, row=position + row_offset,
                         column=column, expected="one of " + ", ".join(OPTION_WORDS))
    return codes.to_numpy(dtype=np.int8)
