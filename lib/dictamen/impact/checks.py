"""Bad input refused before any kernel starts: the policy-impact notebook's preflight.

Named in the notebook's metadata (``dictamen.check_inputs``), so ``dictamen run`` calls it for a report
that is about to run: it reads and checks the input exactly as :func:`dictamen.impact.analyse` does
(:func:`dictamen.impact.inputs.load_inputs`, the same code and the same one-paragraph messages:
donors missing from the file or among them the treated unit, too few donors, donors with gaps in
the pre-period, negative counts, a population measure that is missing periods or zero, irregular or
mixed dates), so a bad file exits 2 with nothing written instead of a failed report.

A non-finite value is left to the kernel: issue 10 made it a failed report (exit 1, ``NAME.failed.json``),
and so are the per-unit panel's units, which are not read here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

ANALYSIS_PARAMETERS = ("series_path", "measure", "unit", "control_path", "control_measure", "control_unit",
                       "intervention_date", "method", "exclude", "pre_months", "post_months", "donor_units",
                       "model", "population_measure")


def preflight(parameters: dict[str, Any], supplied: Iterable[str] = ()) -> None:
    """Refuse (InputError naming file, unit, measure or dates) input the analysis could not use.

    ``parameters`` are the values the run will use (defaults and supplied); ``supplied`` the names
    given explicitly (unused: every value is checked).
    """
    from dictamen.impact.inputs import load_inputs
    from dictamen.impact.load import NonFiniteValue

    given = {name: parameters[name] for name in ANALYSIS_PARAMETERS if name in parameters}
    try:
        load_inputs(given.pop("series_path"), given.pop("measure"), given.pop("unit"), **given)
    except NonFiniteValue:
        return  # a failed report, as issue 10 tests it: the kernel raises it again
