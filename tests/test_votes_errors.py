"""Bad input to dictamen.votes: a clear InputError naming file, row and column, never a silent number."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from dictamen import votes
from dictamen.catalog import resolve_path
from dictamen.errors import InputError

VOTES = "data/votes/voteview_S116_votes.csv"
MEMBERS = "data/votes/voteview_S116_members.csv"
ROLLCALLS = "data/votes/voteview_S116_rollcalls.csv"
TALLIES = "data/votes/mx_ley_seguridad_nacional_2020_tallies.csv"


def _copy(tmp_path: Path, source: str, edit=None, name: str | None = None) -> Path:
    frame = pd.read_csv(resolve_path(source), dtype=str, keep_default_na=False)
    if edit is not None:
        frame = edit(frame)
    target = tmp_path / (name or Path(source).name)
    frame.to_csv(target, index=False)
    return target


def _load(votes_path=VOTES, members_path=MEMBERS, rollcalls_path=ROLLCALLS):
    return votes.read_voteview(votes_path, members_path, rollcalls_path)


def _set(frame, row, column, value):
    frame.loc[row, column] = value
    return frame


def test_missing_column(tmp_path):
    path = _copy(tmp_path, VOTES, lambda f: f.drop(columns=["cast_code"]))
    with pytest.raises(InputError) as error:
        _load(votes_path=path)
    assert error.value.column == "cast_code" and "voteview_S116_votes.csv" in str(error.value)


def test_renamed_column(tmp_path):
    path = _copy(tmp_path, MEMBERS, lambda f: f.rename(columns={"party_code": "party"}))
    with pytest.raises(InputError, match="party_code") as error:
        _load(members_path=path)
    assert "found:" in str(error.value)


def test_unknown_vote_code(tmp_path):
    path = _copy(tmp_path, VOTES, lambda f: _set(f, 10, "cast_code", "12.0"))
    with pytest.raises(InputError, match="Unknown vote code") as error:
        _load(votes_path=path)
    assert (error.value.row, error.value.column) == (12, "cast_code")


def test_non_numeric_vote_code(tmp_path):
    path = _copy(tmp_path, VOTES, lambda f: _set(f, 3, "cast_code", "yea"))
    with pytest.raises(InputError) as error:
        _load(votes_path=path)
    assert (error.value.row, error.value.column) == (5, "cast_code")


def test_member_voting_twice(tmp_path):
    def duplicate(frame):
        return pd.concat([frame, frame.iloc[[7]]], ignore_index=True)

    path = _copy(tmp_path, VOTES, duplicate)
    with pytest.raises(InputError, match="votes twice") as error:
        _load(votes_path=path)
    assert error.value.row == len(pd.read_csv(path)) + 1 and "first at row 9" in str(error.value)


def test_more_members_than_seats(tmp_path):
    chambers = _copy(tmp_path, "data/votes/chambers.csv", lambda f: _set(f, 2, "seats", "50"))
    with pytest.raises(InputError, match="more than the 50 seats"):
        votes.read_voteview(VOTES, MEMBERS, ROLLCALLS, chambers_path=chambers)


def test_vote_that_does_not_exist_suggests_close_ids():
    with pytest.raises(InputError, match="Vote '9999'") as error:
        votes.analyse(data_format="voteview", vote="9999", votes_path=VOTES, members_path=MEMBERS,
                      rollcalls_path=ROLLCALLS)
    assert error.value.column == "vote_id" and "parameter 'vote'" in str(error.value)
    with pytest.raises(InputError, match=r"did you mean 'sil61vot27'"):
        votes.analyse(data_format="dipmex", vote="sil61vot27x", votes_path="data/votes/dipmex/rc61.csv",
                      members_path="data/votes/dipmex/dipdat61.csv", rollcalls_path="data/votes/dipmex/votdat61.csv")


def test_vote_on_rollcall_missing_from_rollcalls_file(tmp_path):
    path = _copy(tmp_path, ROLLCALLS, lambda f: f[f["rollnumber"] != "5"])
    with pytest.raises(InputError, match="Roll call 5 is not in the rollcalls file") as error:
        _load(rollcalls_path=path)
    assert error.value.column == "rollnumber"


def test_empty_files(tmp_path):
    empty = tmp_path / "votes.csv"
    empty.write_text("")
    with pytest.raises(InputError, match="empty"):
        _load(votes_path=empty)
    header_only = tmp_path / "tallies.csv"
    header_only.write_text("law_id,chamber,date,stage,in_favor,against,abstain,source\n")
    with pytest.raises(InputError, match="no data rows"):
        votes.load_tallies(header_only, "mx-lsn-2020")


def test_tally_larger_than_chamber(tmp_path):
    path = _copy(tmp_path, TALLIES, lambda f: _set(f, 0, "in_favor", "171"))
    with pytest.raises(InputError, match="larger than the 128 seats of Senado") as error:
        votes.load_tallies(path, "mx-lsn-2020")
    assert error.value.row == 2


def test_negative_count(tmp_path):
    path = _copy(tmp_path, TALLIES, lambda f: _set(f, 4, "against", "-3"))
    with pytest.raises(InputError) as error:
        votes.load_tallies(path, "mx-lsn-2020")
    assert (error.value.row, error.value.column) == (6, "against") and ">= 0" in str(error.value)


def test_unknown_chamber_and_unknown_law(tmp_path):
    path = _copy(tmp_path, TALLIES, lambda f: _set(f, 2, "chamber", "Cámara Alta"))
    with pytest.raises(InputError, match="not in the chambers file") as error:
        votes.load_tallies(path, "mx-lsn-2020")
    assert (error.value.row, error.value.column) == (4, "chamber")
    with pytest.raises(InputError, match="mx-lsn-2021") as error:
        votes.load_tallies(TALLIES, "mx-lsn-2021")
    assert "mx-lsn-2020" in str(error.value)


def test_bad_date_and_duplicate_report(tmp_path):
    path = _copy(tmp_path, TALLIES, lambda f: _set(f, 1, "date", "9/12/2020"))
    with pytest.raises(InputError, match="YYYY-MM-DD") as error:
        votes.load_tallies(path, "mx-lsn-2020")
    assert error.value.row == 3
    path = _copy(tmp_path, TALLIES, lambda f: pd.concat([f, f.iloc[[0]]], ignore_index=True), name="dup.csv")
    with pytest.raises(InputError, match="twice"):
        votes.load_tallies(path, "mx-lsn-2020")


def test_mixed_congresses(tmp_path):
    path = _copy(tmp_path, VOTES, lambda f: _set(f, 20, "congress", "115"))
    with pytest.raises(InputError, match="congress") as error:
        _load(votes_path=path)
    assert error.value.row == 22


def test_error_message_never_shows_an_absolute_path(tmp_path):
    path = _copy(tmp_path, VOTES, lambda f: f.drop(columns=["icpsr"]))
    with pytest.raises(InputError) as error:
        _load(votes_path=path)
    assert str(tmp_path) not in str(error.value)
