"""Real data nobody here prepared, through the long-format reader: Chile's Cámara de Diputados, 2018.

The upstream files (github.com/bedw8/congreso, MIT, copied byte for byte into data/votes/cl_camara/)
have their own shape: one CSV per roll call with each deputy's ``Voto``, a deputies file with
``Militancia`` and a list of roll calls with the published totals. The test converts them
mechanically (rename columns, map the four vote words) into dictamen's documented long format,
reads them with the long-format reader and compares every tally with the totals the Cámara published.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from dictamen import votes
from dictamen.catalog import resolve_path

ROOT = "data/votes/cl_camara"
OPTION_OF_VOTO = {"Afirmativo": "yes", "En Contra": "no", "Abstención": "abstain", "Dispensado": "excused"}
RULE_OF_QUORUM = {"Quórum Simple": "", "Ley Orgánica Constitucional": "4/7-of-membership",
                  "Quórum Calificado": "1/2-of-membership", "Reforma Constitucional 3/5": "3/5-of-membership",
                  "Reforma Constitucional 2/3": "2/3-of-membership"}


def _to_long(directory: Path) -> dict[str, Path]:
    lista = pd.read_csv(resolve_path(f"{ROOT}/lista_subset.csv"))
    seats = votes.load_chambers().at["Cámara CL", "seats"]
    frames = []
    for vote_id in lista["Id"]:
        detail = pd.read_csv(resolve_path(f"{ROOT}/DetalleVotaciones/{vote_id}.csv"))
        frames.append(pd.DataFrame({"vote_id": vote_id, "member_id": detail["Id"], "member": detail["NombreCompleto"],
                                    "party": "", "option": detail["Voto"].map(OPTION_OF_VOTO)}))
    paths = {kind: directory / f"cl_{kind}.csv" for kind in ("votes", "rollcalls", "members")}
    pd.concat(frames).to_csv(paths["votes"], index=False)
    pd.DataFrame({"vote_id": lista["Id"], "date": lista["Fecha"], "title": lista["Descripcion"],
                  "chamber": "Cámara de Diputados (Chile)", "seats": seats,
                  "rule": lista["Quorum"].map(RULE_OF_QUORUM), "result": lista["Resultado"]}).to_csv(
        paths["rollcalls"], index=False)
    deputies = pd.read_csv(resolve_path(f"{ROOT}/diputados.csv"), dtype=str, keep_default_na=False)
    deputies.rename(columns={"Id": "member_id", "NombreCompleto": "member", "Militancia": "party"})[
        ["member_id", "member", "party"]].to_csv(paths["members"], index=False)
    return paths


@pytest.fixture(scope="module")
def chile(tmp_path_factory):
    paths = _to_long(tmp_path_factory.mktemp("cl"))
    return paths, votes.read_long(paths["votes"], paths["rollcalls"], paths["members"])


def test_every_vote_word_is_mapped():
    words = set()
    for path in sorted(Path(resolve_path(f"{ROOT}/DetalleVotaciones")).glob("*.csv")):
        words |= set(pd.read_csv(path)["Voto"])
    assert words <= set(OPTION_OF_VOTO)


def test_chilean_tallies_equal_the_published_totals(chile):
    _paths, data = chile
    lista = pd.read_csv(resolve_path(f"{ROOT}/lista_subset.csv")).set_index("Id")
    computed = votes.tally_table(data)
    assert len(computed) == len(lista) == 26
    computed.index = computed.index.astype(int)
    for option, column in [("yes", "TotalSi"), ("no", "TotalNo"), ("abstain", "TotalAbstencion"),
                           ("excused", "TotalDispensado")]:
        assert (computed[option] == lista.loc[computed.index, column]).all(), option


def test_chilean_parties_come_from_the_members_file(chile):
    _paths, data = chile
    parties = set(data.members["party"])
    assert {"UDI", "RN", "PS", "PC", "DC"} <= parties and "" in parties  # empty Militancia is kept empty
    breakdown = votes.party_breakdown(data, data.position("28231"))
    assert "no party recorded" in set(breakdown["party"])
    assert breakdown["yes"].sum() == 84


def test_chilean_rules_and_published_results(chile):
    _paths, data = chile
    leg = votes.legislature(data, "simple")
    rc = leg.rollcalls.set_index("vote_id")
    # a Ley Orgánica Constitucional vote needs 4/7 of the 155 deputies: ceil(88.57) = 89
    assert rc.at["28847", "rule_applied"] == "4/7-of-membership" and rc.at["28847", "needed"] == 89
    assert not rc.at["28847", "passed"]  # 80 yes: short of 89 (the Cámara's ResultadoCode 2)
    assert rc.at["28899", "rule_applied"] == "2/3-of-membership" and rc.at["28899", "needed"] == 104
    # published "Aprobado" for 73 yes, 74 no is listed as a disagreement; "Unánime" is not compared
    assert rc.at["28895", "published_passed"] and not rc.at["28895", "passed"]
    assert pd.isna(rc.at["28240", "published_passed"])
    differ = rc["published_passed"].notna() & (rc["published_passed"] != rc["passed"])
    assert "28895" in set(rc.index[differ])


@pytest.mark.slow
def test_chilean_legislature_report_through_dictamen_run(chile, tmp_path):
    import json
    import subprocess
    import sys

    from dictamen.catalog import project_root

    paths, _data = chile
    finished = subprocess.run(
        [sys.executable, "-m", "dictamen.pipeline.cli", "run", "notebooks/vote_breakdown.ipynb", "--name", "cl",
         "-p", "data_format", "long", "-p", "votes_path", str(paths["votes"]), "-p", "rollcalls_path",
         str(paths["rollcalls"]), "-p", "members_path", str(paths["members"]), "-p", "title", "",
         "--output-dir", str(tmp_path / "out"), "--workers", "1"],
        cwd=project_root(), capture_output=True, text=True, timeout=600)
    assert finished.returncode == 0, finished.stderr
    results = json.loads((tmp_path / "out" / "cl.json").read_text(encoding="utf-8"))["results"]
    assert results["mode"] == "legislature" and results["rollcalls"] == 26
    assert "28895" in results["published_disagreements"]
    page = (tmp_path / "out" / "cl.html").read_text(encoding="utf-8")
    assert "Cámara de Diputados (Chile)" in page and str(tmp_path) not in page
