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


# --------------------------------------------------------------------------- long format and dipMex

LONG_VOTES = "vote_id,member_id,member,party,option\nv1,m1,Ana,A,yes\nv1,m2,Luis,B,no\nv2,m1,Ana,A,abstain\n"
LONG_ROLLCALLS = "vote_id,date,title,seats\nv1,2020-01-01,First,3\nv2,2020-01-02,Second,3\n"


def _long(tmp_path: Path, votes_text: str = LONG_VOTES, rollcalls_text: str = LONG_ROLLCALLS, members_text: str = ""):
    (tmp_path / "votes.csv").write_text(votes_text, encoding="utf-8")
    (tmp_path / "rollcalls.csv").write_text(rollcalls_text, encoding="utf-8")
    members = ""
    if members_text:
        (tmp_path / "members.csv").write_text(members_text, encoding="utf-8")
        members = tmp_path / "members.csv"
    return votes.read_long(tmp_path / "votes.csv", tmp_path / "rollcalls.csv", members)


def test_long_format_reads_a_small_file(tmp_path):
    data = _long(tmp_path, members_text="member_id,member,party,state\nm2,Luis Pérez,,Jalisco\n")
    assert votes.tally_table(data)[["yes", "no", "abstain"]].to_dict("list") == {"yes": [1, 0], "no": [1, 0],
                                                                                 "abstain": [0, 1]}
    assert data.members.set_index("member_id").loc["m2", ["member", "party", "state"]].tolist() == [
        "Luis Pérez", "B", "Jalisco"]  # the members file complements, the votes file's party stays


def test_long_unknown_option_names_row_value_and_vocabulary(tmp_path):
    with pytest.raises(InputError, match="Unknown option 'maybe'") as error:
        _long(tmp_path, LONG_VOTES.replace("v1,m2,Luis,B,no", "v1,m2,Luis,B,maybe"))
    assert (error.value.row, error.value.column) == (3, "option")
    assert "yes, no, abstain, present, absent, excused, paired, invalid, not_member" in str(error.value)


def test_long_member_voting_twice(tmp_path):
    with pytest.raises(InputError, match="Member 'm1' votes twice on 'v1' \\(first at row 2\\)") as error:
        _long(tmp_path, LONG_VOTES + "v1,m1,Ana,A,no\n")
    assert error.value.row == 5


def test_long_vote_not_in_rollcalls_suggests_close_ids(tmp_path):
    with pytest.raises(InputError, match="Vote 'v3' is not in the roll-calls file") as error:
        _long(tmp_path, LONG_VOTES + "v3,m1,Ana,A,no\n")
    assert "did you mean" in str(error.value) and "'v1'" in str(error.value) and error.value.row == 5


@pytest.mark.parametrize("column", ["date", "title"])
def test_long_rollcalls_without_date_or_title(tmp_path, column):
    frame = pd.read_csv(pd.io.common.StringIO(LONG_ROLLCALLS)).drop(columns=[column])
    with pytest.raises(InputError, match=f"Column '{column}' is missing") as error:
        _long(tmp_path, rollcalls_text=frame.to_csv(index=False))
    assert error.value.column == column


def test_long_seats_fewer_than_members_voting(tmp_path):
    with pytest.raises(InputError, match="2 members voting or present but 1 seats") as error:
        _long(tmp_path, rollcalls_text=LONG_ROLLCALLS.replace("First,3", "First,1"))
    assert (error.value.row, error.value.column) == (2, "seats")


def test_long_rule_that_does_not_parse_shows_the_grammar(tmp_path):
    text = "vote_id,date,title,rule\nv1,2020-01-01,First,most\nv2,2020-01-02,Second,2/3-of-present\n"
    with pytest.raises(InputError, match="does not parse") as error:
        _long(tmp_path, rollcalls_text=text)
    assert (error.value.row, error.value.column) == (2, "rule") and "FRACTION-of-BASE" in str(error.value)


def test_long_party_column_missing(tmp_path):
    text = "vote_id,member_id,member,option\nv1,m1,Ana,yes\n"
    with pytest.raises(InputError, match="Column 'party' is missing") as error:
        _long(tmp_path, text)
    assert "vote_id, member_id, member, party, option" in str(error.value)


def test_dipmex_matrix_with_more_columns_than_dipdat_rows(tmp_path):
    dipdat = _copy(tmp_path, "data/votes/dipmex/dipdat61.csv", lambda f: f.iloc[:-1])
    with pytest.raises(InputError, match="1,006 seat columns but the members file") as error:
        votes.read_dipmex("data/votes/dipmex/rc61.csv", dipdat, "data/votes/dipmex/votdat61.csv")
    assert "1,005 rows" in str(error.value) and "joined by position" in str(error.value)


def test_dipmex_party_column_missing(tmp_path):
    dipdat = _copy(tmp_path, "data/votes/dipmex/dipdat61.csv", lambda f: f.drop(columns=["part"]))
    with pytest.raises(InputError, match="Column 'part' is missing"):
        votes.read_dipmex("data/votes/dipmex/rc61.csv", dipdat, "data/votes/dipmex/votdat61.csv")


def test_bad_input_through_the_runner_leaves_no_report(tmp_path):
    import subprocess
    import sys

    from dictamen.catalog import project_root

    (tmp_path / "votes.csv").write_text(LONG_VOTES.replace("v1,m2,Luis,B,no", "v1,m2,Luis,B,maybe"), encoding="utf-8")
    (tmp_path / "rollcalls.csv").write_text(LONG_ROLLCALLS, encoding="utf-8")
    finished = subprocess.run(
        [sys.executable, "-m", "dictamen.pipeline.cli", "run", "notebooks/vote_breakdown.ipynb", "--name", "bad",
         "-p", "data_format", "long", "-p", "votes_path", str(tmp_path / "votes.csv"), "-p", "rollcalls_path",
         str(tmp_path / "rollcalls.csv"), "--output-dir", str(tmp_path / "out"), "--workers", "1"],
        cwd=project_root(), capture_output=True, text=True, timeout=600)
    assert finished.returncode == 2, finished.stdout + finished.stderr  # refused before any kernel starts
    assert "Unknown option 'maybe' (in votes.csv, row 3, column 'option')" in finished.stderr
    assert "Nothing was run." in finished.stderr
    assert not (tmp_path / "out" / "bad.html").exists() and not (tmp_path / "out" / "bad.failed.json").exists()


def test_vote_missing_from_real_dipmex_files_is_refused_before_any_kernel(tmp_path):
    """A vote id the LXI roll-calls file does not have: exit 2 with the close ids, no report written."""
    import subprocess
    import sys

    from dictamen.catalog import project_root

    finished = subprocess.run(
        [sys.executable, "-m", "dictamen.pipeline.cli", "run", "notebooks/vote_breakdown.ipynb", "--name", "lxi",
         "-p", "data_format", "dipmex", "-p", "vote", "sil61vot27x", "-p", "votes_path", "data/votes/dipmex/rc61.csv",
         "-p", "members_path", "data/votes/dipmex/dipdat61.csv", "-p", "rollcalls_path",
         "data/votes/dipmex/votdat61.csv", "--output-dir", str(tmp_path / "out"), "--workers", "1"],
        cwd=project_root(), capture_output=True, text=True, timeout=600)
    assert finished.returncode == 2, finished.stdout + finished.stderr
    assert "did you mean 'sil61vot27'" in finished.stderr and "Nothing was run." in finished.stderr
    assert not any((tmp_path / "out").glob("lxi*"))
