"""Majority rules as data: the grammar ``FRACTION-of-BASE``.

* ``FRACTION`` is ``N/D`` with whole numbers, 0 < N/D <= 1. ``1/2`` means **more than half**;
  any other fraction means **at least** that fraction, rounded up (``2/3-of-membership`` of
  709 seats needs ceil(2 x 709 / 3) = 473 yes votes).
* ``BASE`` is ``voting`` (yes + no), ``present`` (yes + no + abstain + present, not voting) or
  ``membership`` (the chamber's seats).
* Aliases: ``simple`` = ``1/2-of-voting``, ``absolute`` = ``1/2-of-membership``,
  ``two_thirds_present`` = ``2/3-of-present``, ``three_fifths_membership`` = ``3/5-of-membership``,
  ``two_thirds_membership`` = ``2/3-of-membership``, ``four_sevenths_membership`` = ``4/7-of-membership``.

Every rule needs at least one yes vote. A roll call's own ``rule`` (roll-calls file) overrides
the report's rule, so a legislature is judged vote by vote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pandas as pd

from dictamen.errors import InputError, ParameterError
from dictamen.messages import _

BASES = ("voting", "present", "membership")
ALIASES = {
    "simple": "1/2-of-voting",
    "absolute": "1/2-of-membership",
    "two_thirds_present": "2/3-of-present",
    "three_fifths_membership": "3/5-of-membership",
    "two_thirds_membership": "2/3-of-membership",
    "four_sevenths_membership": "4/7-of-membership",
}
GRAMMAR = ("FRACTION-of-BASE, e.g. '1/2-of-voting', '2/3-of-present', '3/5-of-membership': FRACTION is N/D "
           "with 0 < N/D <= 1 ('1/2' means more than half, any other fraction at least that share, rounded up), "
           "BASE is voting (yes + no), present (yes + no + abstain + present) or membership (seats); "
           "or an alias: " + ", ".join(f"{name} = {rule}" for name, rule in ALIASES.items()))
_PATTERN = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*-\s*of\s*-\s*([a-z]+)\s*$")


@dataclass(frozen=True)
class Rule:
    """A parsed majority rule."""

    fraction: Fraction
    base: str

    @property
    def name(self) -> str:
        """The normalised text of the rule, e.g. ``2/3-of-membership``."""
        return f"{self.fraction.numerator}/{self.fraction.denominator}-of-{self.base}"

    @property
    def more_than(self) -> bool:
        return self.fraction == Fraction(1, 2)

    def describe(self) -> str:
        """The rule in words, in the language in use."""
        fraction = f"{self.fraction.numerator}/{self.fraction.denominator}"
        if self.more_than:
            return {"voting": _("a simple majority: more than half of those voting (yes + no)"),
                    "present": _("a majority of those present: more than half of yes + no + abstain + present"),
                    "membership": _("an absolute majority: more than half of the full membership")}[self.base]
        return {"voting": _("a qualified majority of at least {fraction} of those voting (yes + no)"),
                "present": _("a qualified majority of at least {fraction} of those present "
                             "(yes + no + abstain + present)"),
                "membership": _("a qualified majority of at least {fraction} of the full membership")}[
            self.base].format(fraction=fraction)

    def needed(self, base: np.ndarray | float | int) -> np.ndarray:
        """Yes votes needed for each base count (NaN where the base is unknown)."""
        values = np.asarray(base, dtype="float64")
        n, d = self.fraction.numerator, self.fraction.denominator
        with np.errstate(invalid="ignore"):
            if self.more_than:
                needed = np.floor(values / 2) + 1
            else:
                # exact integer ceiling of n * base / d where the base is known
                whole = np.where(np.isnan(values), 0, values).astype(np.int64)
                needed = np.where(np.isnan(values), np.nan, -(-(n * whole) // d)).astype("float64")
            return np.where(np.isnan(values), np.nan, np.maximum(needed, 1))


def parse_rule(text: str, *, parameter: str = "rule", path=None, row: int | None = None) -> Rule:
    """Parse a rule (or alias); a bad one is a ParameterError (parameter) or InputError (file cell)."""
    raw = str(text).strip()
    spelled = ALIASES.get(raw.lower(), raw.lower())
    match = _PATTERN.match(spelled)
    problem = None
    if not match:
        problem = f"the rule {raw!r} does not parse"
    else:
        n, d, base = int(match.group(1)), int(match.group(2)), match.group(3)
        if d == 0 or n == 0 or n > d:
            problem = f"the fraction of {raw!r} is not between 0 (excluded) and 1"
        elif base not in BASES:
            problem = f"the base {base!r} of {raw!r} is unknown"
    if problem:
        if path is not None:
            raise InputError(problem[0].upper() + problem[1:], path=path, row=row, column="rule",
                             expected=f"a rule written {GRAMMAR}, or empty for the report's rule")
        raise ParameterError(f"Parameter '{parameter}' is {raw!r}: {problem}; expected {GRAMMAR}.")
    return Rule(Fraction(n, d), base)


def base_counts(tally: pd.DataFrame, base: str) -> np.ndarray:
    """The count a rule's base refers to, per row of a tally table (NaN where unknown)."""
    def column(name: str) -> np.ndarray:
        return (tally[name].astype("Float64").to_numpy(dtype="float64", na_value=np.nan)
                if name in tally else np.zeros(len(tally)))
    if base == "voting":
        return column("yes") + column("no")
    if base == "present":
        return column("yes") + column("no") + column("abstain") + column("present")
    return column("membership")
