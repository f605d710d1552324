"""No silent mode: refuse, before any kernel starts, parameters that would report on something else.

Named in the notebook's metadata (``dictamen.preflight``), so ``dictamen run`` calls it while
checking parameters; :func:`dictamen.votes.analyse` calls it again inside the kernel (JupyterLab).
Kept free of pandas and matplotlib so that checking a run stays cheap. :func:`check_inputs`
(metadata ``dictamen.check_inputs``) reads the data files too, for a report about to run only.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from dictamen.errors import ParameterError
from dictamen.paths import resolve_path

DATA_FORMATS = ("tallies", "voteview", "dipmex", "long")
MEMBER_FILES = ("votes_path", "members_path", "rollcalls_path")


def sniff_format(path: str) -> str:
    """The member-level format a votes file looks like, from its header (empty when unsure)."""
    try:
        with open(resolve_path(path), encoding="utf-8", errors="replace") as handle:
            header = {c.strip().strip('"') for c in handle.readline(1 << 16).split(",")}
    except OSError:
        return ""
    if {"rollnumber", "icpsr", "cast_code"} <= header:
        return "voteview"
    if {"vote_id", "member_id", "option"} <= header:
        return "long"
    if header and all(h[:1].isalpha() and h[-1:] in "ps" for h in header):
        return "dipmex"
    return ""


def preflight(parameters: dict[str, Any], supplied: Iterable[str] = ()) -> None:
    """Refuse, before any kernel starts, a run whose parameters would make a report about something else.

    ``parameters`` are the values the run will use (defaults and supplied); ``supplied`` the names
    given explicitly. Raises :class:`ParameterError` naming the parameter and the value to set.
    """
    supplied = set(supplied)
    if "rollcall" in supplied:
        raise ParameterError(
            "Parameter 'rollcall' is gone: name the roll call with 'vote' (e.g. -p data_format voteview -p vote 442; "
            "vote empty means the whole legislature).")
    data_format = parameters.get("data_format", "tallies")
    if data_format not in DATA_FORMATS:
        raise ParameterError(f"Parameter 'data_format' is {data_format!r}; expected one of "
                             + ", ".join(repr(f) for f in DATA_FORMATS) + ".")
    vote = str(parameters.get("vote", "") or "").strip()
    given = [name for name in MEMBER_FILES if str(parameters.get(name, "") or "").strip()]
    if data_format == "tallies":
        guess = sniff_format(parameters["votes_path"]) if "votes_path" in given else ""
        value = repr(guess) if guess else "'voteview', 'dipmex' or 'long'"
        if vote:
            raise ParameterError(
                f"Parameter 'vote' is {vote!r} but 'data_format' is 'tallies', which reports the published tallies "
                f"of law_id and no roll call: set data_format to {value} (the format of the member-level files) "
                f"to report on vote {vote!r}, or leave vote empty.")
        if given:
            raise ParameterError(
                f"Member-level files are given ({', '.join(f'{name}={parameters[name]!r}' for name in given)}) but "
                f"'data_format' is 'tallies', which would ignore them: set data_format to {value}, or leave "
                f"{', '.join(given)} empty.")
        return
    needed = MEMBER_FILES if data_format in ("voteview", "dipmex") else ("votes_path", "rollcalls_path")
    missing = [name for name in needed if name not in given]
    if missing:
        raise ParameterError(f"'data_format' is {data_format!r} but {', '.join(missing)} "
                             f"{'is' if len(missing) == 1 else 'are'} empty: give the {data_format} files.")


def check_inputs(parameters: dict[str, Any], supplied: Iterable[str] = ()) -> None:
    """Read and validate the run's files before any kernel starts, with the notebook's own reader
    (:func:`dictamen.votes.report.read_inputs`): a bad file is one paragraph (InputError naming file,
    row and column), ``dictamen run`` exits 2 and nothing is written."""
    from dictamen.votes.report import read_inputs

    read_inputs(**parameters)
