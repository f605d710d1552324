"""Title language: the plain-Python scorer decides exactly as py3langid does, on real texts.

The texts are the repository's own real data: every hand-recorded title of the evaluation set,
the founding article's titles, the U.S. Senate's roll-call descriptions (Voteview), the Chilean
Chamber's vote descriptions, the outlet registry's names and notes, and each line and sentence
of the evaluation articles and the founding article.
"""

from __future__ import annotations

import csv
import re
import tomllib
from functools import lru_cache

import pytest

from dictamen.catalog import project_root
from dictamen.sources import language
from dictamen.sources.language import ACCEPTABLE, CONFIDENT, FUNCTION_WORDS

DATA = project_root() / "data"
SEED = DATA / "articles" / "000_844dcaef5a0c3383.txt"


@lru_cache(maxsize=1)
def real_texts() -> tuple[str, ...]:
    texts: list[str] = []
    truth = tomllib.loads((DATA / "eval" / "sources" / "truth.toml").read_text(encoding="utf-8"))
    texts += [entry["title"] for article in truth["articles"] for entry in article.get("entries", [])]
    texts += re.findall(r"“([^”]+)”", SEED.read_text(encoding="utf-8").partition("\nSources\n")[2])
    with open(DATA / "votes" / "voteview_S116_rollcalls.csv", encoding="utf-8") as rows:
        texts += [row[key] for row in csv.DictReader(rows) for key in ("vote_desc", "vote_question", "dtl_desc")]
    with open(DATA / "votes" / "cl_camara" / "lista_subset.csv", encoding="utf-8") as rows:
        texts += [row["Descripcion"] for row in csv.DictReader(rows)]
    with open(DATA / "outlets.csv", encoding="utf-8") as rows:
        for row in csv.DictReader(rows):
            texts += [row["name"], *row["aliases"].split("|"), *re.split(r"(?<=[.;])\s+", row["source"])]
    articles = sorted((DATA / "eval" / "sources" / "articles").iterdir()) + [SEED]
    for path in articles:
        for line in path.read_text(encoding="utf-8").splitlines():
            texts += [line.strip(), *re.split(r"(?<=[.;:?!])\s+", line.strip())]
    return tuple(text for text in dict.fromkeys(texts) if text)


def test_the_real_texts_are_many_and_in_both_languages():
    texts = real_texts()
    assert len(texts) > 4000
    assert "Anatomía de una masacre." in texts and "The Hunt for El Chapo." in texts
    identifier = language._identifier(("en", "es"))
    spanish = sum(identifier.classify(text)[0] == "es" for text in texts[:1500])
    assert 200 < spanish < 1300


@pytest.mark.parametrize("languages", [("en", "es"), ("en", "es", "pt", "fr")])
def test_the_scorer_decides_as_py3langid_on_real_texts(languages):
    scorer, identifier = language._scorer(languages), language._identifier(languages)
    texts = real_texts() if len(languages) == 2 else real_texts()[::4]
    largest = 0.0
    for text in texts:
        (code, confidence), (expected, expected_confidence) = scorer.classify(text), identifier.classify(text)
        assert code == expected, text
        for threshold in (CONFIDENT, ACCEPTABLE):
            assert (confidence >= threshold) == (expected_confidence >= threshold), text
        largest = max(largest, abs(confidence - expected_confidence))
    assert largest < 1e-4  # float32 against double rounding, nothing more


def test_title_evidence_is_the_same_as_with_py3langid_itself(monkeypatch):
    texts = real_texts()
    with_scorer = [language.title_evidence.__wrapped__(text, ("en", "es")) for text in texts]
    monkeypatch.setattr(language, "_scorer", language._identifier)  # py3langid's own classify
    assert [language.title_evidence.__wrapped__(text, ("en", "es")) for text in texts] == with_scorer
    assert {method for _, method, _ in with_scorer} >= {"py3langid", "function words", "none"}


def test_a_confidence_within_the_rounding_bound_of_a_threshold_is_py3langids_own():
    identifier = language._identifier(("en", "es"))
    for title in ("The Hunt for El Chapo", "Aprueba Senado reforma a Ley de Seguridad Nacional"):
        expected = identifier.classify(title)
        assert language._Scorer(identifier, (expected[1],)).classify(title) == expected
        code, confidence = language._Scorer(identifier, (0.5,)).classify(title)
        assert code == expected[0] and confidence != expected[1]  # computed here, in doubles


def test_function_words_counted_as_defined():
    languages = ("en", "es", "pt")
    for text in real_texts()[::3]:
        words = [word.casefold() for word in re.findall(r"[^\W\d_]+", text)]
        counts = {code: sum(word in FUNCTION_WORDS[code] for word in words) for code in languages}
        expected = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        assert language._ranked_function_words(text, languages) == expected, text


def test_words_are_the_casefolded_runs_of_letters_for_every_character():
    for code in range(0x30000):
        if not 0xD800 <= code < 0xE000:
            text = f"Ab{chr(code)}cD {chr(code)}"
            expected = [word.casefold() for word in re.findall(r"[^\W\d_]+", text)]
            assert language._folded_words(text) == expected, hex(code)


@pytest.mark.parametrize("url, expected", [  # links in the held-out evaluation articles 103, 106, 108
    ("https://www.u-tokyo.ac.jp/en/", "en"), ("https://beyondai.jp/?lang=en", "en"),
    ("https://www.esri.com/en-us/racial-equity/overview", "en"),
    ("https://support.orcid.org/hc/en-us/articles/360006897334-What-is-my-ORCID-iD", "en"),
    ("http://irrepressible.info/?lang=es", "es"),  # development article 036
    ("https://www.linkedin.com/in/clintongjohnson/", ""),  # "in": no candidate language
    ("https://carpentries.org/blog/2021/02/complete-R-lesson-japanese/", ""), ("", "")])
def test_a_link_names_its_language_by_code(url, expected):
    from dictamen.sources.crosscheck import address_language, address_words

    assert address_language(url, ("en", "es")) == expected
    if expected:  # the code is not read as a word: "/en/" is no Spanish "en"
        assert "en" not in address_words(url).split() and "es" not in address_words(url).split()


def test_a_language_code_in_a_link_decides_its_language_on_a_real_article():
    """The Carpentries' post on its first Japanese workshop (held-out 103, CC BY 4.0) links
    English pages of Japanese institutions ("/en/"): read as English, not as Spanish "en"."""
    from dictamen import sources

    path = DATA / "eval" / "sources-heldout" / "articles" / "103_carpentries-first-japanese-workshop.md"
    entries = {entry.title: entry for entry in sources.analyse(str(path)).articles[0].entries}
    for title in ("University of Tokyo", "Softbank", "B'AI Global Forum"):
        assert (entries[title].language, entries[title].language_method) == ("en", "address: language code")
