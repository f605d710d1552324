"""Law registry validation and the law dossier, end to end through the real runner."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from dictamen import laws
from dictamen.pipeline.config import load_config
from dictamen.errors import InputError

GOOD = '''
[laws.test-law]
name = "Ley de prueba"
name_en = "Test law"
jurisdiction = "Nowhere"

[[laws.test-law.stages]]
kind = "floor"
label = "Senate floor vote"
date = 2020-12-09
source = "Canal del Congreso"

[[laws.test-law.stages]]
kind = "publication"
label = "Gazette"
date = 2020-12-18
source = "DOF"

[laws.test-law.votes]
report = "mx-lsn-2020"
law_id = "mx-lsn-2020"
tallies_path = "data/votes/mx_ley_seguridad_nacional_2020_tallies.csv"
'''


def _write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "laws.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def _error(tmp_path: Path, text: str) -> str:
    with pytest.raises(InputError) as caught:
        laws.load_laws(_write(tmp_path, text))
    return str(caught.value)


def test_small_registry_loads(tmp_path):
    law = laws.get_law("test-law", _write(tmp_path, GOOD))
    assert [s.date.isoformat() for s in law.stages] == ["2020-12-09", "2020-12-18"]
    assert law.report("votes") == "mx-lsn-2020" and law.report("impact") == ""
    assert law.section("votes")["law_id"] == "mx-lsn-2020"


def test_missing_date_names_law_and_key(tmp_path):
    message = _error(tmp_path, GOOD.replace("date = 2020-12-18\n", ""))
    assert "test-law" in message and "stages[2].date" in message and "no date" in message


def test_unknown_data_file(tmp_path):
    message = _error(tmp_path, GOOD.replace("2020_tallies.csv", "2020_talies.csv"))
    assert "votes.tallies_path" in message and "does not exist" in message and "test-law" in message


def test_user_file_outside_data_folder_is_accepted(tmp_path):
    """A user's own file outside data/ need not be catalogued (files inside data/ must be)."""
    law = laws.get_law("test-law", _write(tmp_path, GOOD.replace(
        "data/votes/mx_ley_seguridad_nacional_2020_tallies.csv", "reports.toml")))
    assert law.section("votes")["tallies_path"] == "reports.toml"


def test_stages_out_of_order_by_date(tmp_path):
    message = _error(tmp_path, GOOD.replace("2020-12-18", "2020-12-01"))
    assert "out of order" in message and "stages[2]" in message


def test_stages_out_of_order_by_kind(tmp_path):
    text = GOOD + '''
[[laws.test-law.stages]]
kind = "floor"
label = "Chamber floor vote after publication"
date = 2020-12-20
source = "Reuters"
'''
    message = _error(tmp_path, text)
    assert "out of order" in message and "stages[3]" in message


def test_unknown_keys(tmp_path):
    assert "unknown key(s) ['nmae']" in _error(tmp_path, GOOD.replace('name = "Ley', 'nmae = "x"\nname = "Ley'))
    message = _error(tmp_path, GOOD.replace('report = "mx-lsn-2020"', 'report = "mx-lsn-2020"\nroll_call = 3'))
    assert "roll_call" in message and "votes" in message
    message = _error(tmp_path, GOOD.replace('source = "DOF"', 'source = "DOF"\nsauce = "x"'))
    assert "sauce" in message and "stages[2]" in message


def test_stage_without_source_and_unknown_kind(tmp_path):
    assert "stages[2].source" in _error(tmp_path, GOOD.replace('source = "DOF"', ""))
    assert "kind 'gazette'" in _error(tmp_path, GOOD.replace('kind = "publication"', 'kind = "gazette"'))


def test_unknown_law_lists_known_ids(tmp_path):
    with pytest.raises(InputError, match="test-law"):
        laws.get_law("no-such-law", _write(tmp_path, GOOD))


def test_bundled_registry_matches_reports_toml():
    """Each law section holds the same parameters as the detailed report it names."""
    registry = laws.load_laws()
    assert set(registry) == {"mx-lsn-2020", "usmca-2020"}
    config = load_config()
    for law in registry.values():
        assert f"dossier-{law.law_id}" in config.reports
        dossier = config.reports[f"dossier-{law.law_id}"]
        for section in ("votes", "impact", "sources"):
            name = law.report(section)
            if not name:
                continue
            assert name in dossier.after
            parameters = config.reports[name].parameters
            for key, value in law.section(section).items():
                assert parameters[key] == value, (law.law_id, section, key)
        for name, _spanish, designed in law.impact_designs()[1:]:
            assert name in dossier.after
            parameters = config.reports[name].parameters
            for key, value in designed.items():
                assert parameters.get(key, "") == value, (law.law_id, name, key)
    mx = registry["mx-lsn-2020"]
    assert [(s.kind, s.date.isoformat()) for s in mx.stages][1:] == [
        ("floor", "2020-12-09"), ("committee", "2020-12-14"), ("floor", "2020-12-15"),
        ("publication", "2020-12-18"), ("in_force", "2020-12-19")]


def test_dossier_matches_detailed_reports_through_runner(tmp_path):
    from dictamen.pipeline.cli import main

    names = ["mx-lsn-2020", "border-trucks-2020", "border-trucks-synth-2020", "seed-article", "dossier-mx-lsn-2020",
             "mx-lsn-2020-es", "border-trucks-2020-es", "seed-article-es", "dossier-mx-lsn-2020-es"]
    assert main(["run", *names, "--output-dir", str(tmp_path), "--workers", "2"]) == 0
    records = {name: json.loads((tmp_path / f"{name}.json").read_text()) for name in names}
    loaded = {name: record["results"] for name, record in records.items()}
    dossier = loaded["dossier-mx-lsn-2020"]
    # the difference-in-differences' pre-trends diverge, so the dossier cites the synthetic control
    assert dossier["reports"] == {"votes": "mx-lsn-2020", "impact": "border-trucks-synth-2020", "sources": "seed-article"}
    for section, report in dossier["reports"].items():
        assert dossier[section], section
        for key, value in dossier[section].items():
            assert loaded[report][key] == value, (section, key)
    assert loaded["dossier-mx-lsn-2020-es"] == dossier, "one code path: the Spanish twin records the same results"
    # known values from the tallies file and PROVENANCE.md
    assert dossier["votes"]["tally"]["yes"] == 329 and dossier["votes"]["tally"]["no"] == 98
    assert dossier["votes"]["passed"] is True
    assert dossier["impact"]["effect"]["relative_ci_low"] < dossier["impact"]["effect"]["relative"]
    html = (tmp_path / "dossier-mx-lsn-2020.html").read_text(encoding="utf-8")
    links = set(re.findall(r'href="([a-z0-9._-]+\.html)"', html))
    assert {"mx-lsn-2020.html", "border-trucks-synth-2020.html", "seed-article.html",
            "dossier-mx-lsn-2020-es.html"} <= links
    assert "Design cited: Synthetic control: the pre-trends of the difference-in-differences diverge" in html
    for link in links:
        assert (tmp_path / link).is_file(), link
    _check_verdict(records["dossier-mx-lsn-2020"], "en")
    _check_verdict(records["dossier-mx-lsn-2020-es"], "es")
    spanish = (tmp_path / "dossier-mx-lsn-2020-es.html").read_text(encoding="utf-8")
    assert '<html lang="es">' in spanish and 'href="dossier-mx-lsn-2020.html"' in spanish
    assert "Cámara de Diputados: aprobada el 15 de diciembre de 2020, 329–98–40, con 115 votos de sobra." in spanish
    canal = ("https://www.canaldelcongreso.gob.mx/noticias/13767/Las_y_los_senadores_avalan_regular_actividades_de_"
             "los_agentes_extranjeros_en_Mxic")
    for page in (html, spanish):
        assert f'href="{canal}"' in page, "the registry's source address reaches the page byte for byte"


def _check_verdict(record: dict, language: str) -> None:
    """The dossier's verdict states the numbers its recorded results hold, in the report's language."""
    from dictamen import messages

    results, verdict = record["results"], record["verdict"]
    assert verdict["language"] == language
    assert 1 <= len(verdict["sentences"]) <= 3 and 3 <= len(verdict["figures"]) <= 6
    tally, effect = results["votes"]["tally"], results["impact"]["effect"]
    previous = messages.language()
    try:
        messages.use(language)
        expected = {
            "tally": f"{tally['yes']}–{tally['no']}–{tally['abstain']}",
            "margin": messages.number(results["votes"]["margin"]),
            "effect": messages.percent(effect["relative"], signed=True),
            "low": messages.percent(effect["relative_ci_low"], signed=True),
            "high": messages.percent(effect["relative_ci_high"], signed=True),
            "works": messages.number(results["sources"]["n_works_counted"]),
        }
    finally:
        messages.use(previous)
    figures = [figure["value"] for figure in verdict["figures"]]
    assert figures[:3] == [expected["tally"], expected["margin"], expected["effect"]]
    assert figures[3] == expected["works"]
    votes_sentence, effect_sentence, sources_sentence = verdict["sentences"]
    assert expected["tally"] in votes_sentence and f"{expected['margin']} " in votes_sentence
    assert all(expected[key] in effect_sentence for key in ("effect", "low", "high"))
    assert results["impact"]["detectable"] is False
    assert effect_sentence.startswith("No detectable effect" if language == "en" else "Sin efecto detectable")
    assert sources_sentence.startswith(expected["works"] + " ")


@pytest.mark.parametrize("abstain, expected", [
    (40, "329–98–40 (yes–no–abstain)"),  # Chamber of Deputies, 15 Dec 2020: abstentions reported
    (0, "329–98 (yes–no)"),  # a roll call records abstain = 0: no count was reported
    (None, "329–98 (yes–no)"),  # a tally with abstentions left empty
    (float("nan"), "329–98 (yes–no)"),
])
def test_tally_words_show_abstentions_only_when_reported(abstain, expected):
    from dictamen import dossier

    assert dossier._tally_words(329, 98, abstain) == expected


def test_rollcall_vote_sentence_has_no_zero_abstentions():
    from dictamen import dossier

    sentences = dossier.vote_sentences(dossier.build("usmca-2020"))
    assert len(sentences) == 1
    assert "89–10 (yes–no)" in sentences[0]  # Voteview's yea_count and nay_count for roll call 442
    assert "–0" not in sentences[0]
