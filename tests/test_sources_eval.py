"""The parser's scores on the hand-counted evaluation set (data/eval/sources, issue 16) are pinned:
a change that loses ground fails here. The floors are the scores measured when they were last
raised (see README, "Source diversity on real articles"); raise them when the parser improves.
Issue 16's targets are 90% exact count, 90% outlet and language accuracy and 70% attributions;
the floors below are the figures measured (rounded down to the percent), not the targets."""

from __future__ import annotations

from functools import lru_cache

import pytest

from dictamen.catalog import project_root
from dictamen.sources import evaluate

FLOORS = {  # overall, 50 articles (047-050, medical styles, added in the seventh session); measured
    # 90.0%, 98.2%, 95.6%, 95.7%, 95.7%, 95.2%, 96.6%, 72.1% (46 articles before: 91.3%, 98.9%, 96.3%,
    # 95.0%, 95.0%, 94.4%, 96.1%, 76.9%). Eighth session (book subtitles, footnote lists ending with
    # their last definition, AMA web pages, Spanish reporting forms): 94.0%, 99.1%, 97.9%, 96.1%,
    # 96.1%, 95.6%, 96.6%, 76.7%
    "exact_count": 0.94, "precision": 0.99, "recall": 0.97, "outlet": 0.96, "type": 0.96,
    "country": 0.95, "language": 0.96, "attributions": 0.76,
}


HELD_OUT_FLOORS = {  # 18 articles never tuned on. At first sight, outlets not in the registry: 44.4%,
    # 93.4%, 86.4%, 49.2%, 25.4%, 22.9%, 80.4%, 28.2%. After five fixes (links' language codes, HTML
    # fragments read whole, written-out addresses and Hugo ref shortcodes as links, signed
    # quotations), still without its outlets: 72.2%, 91.2%, 90.4%, 48.5%, 25.7%, 21.6%, 84.8%, 56.4%
    # (precision fell as more works were found, three titled by their address where the truth has
    # the label). With its 77 outlets registered (README): 72.2%, 91.2%, 90.4%, 86.4%, 85.9%,
    # 90.2%, 91.0%, 56.4%; a footnote linking several pages read as several works: 77.8%, 91.3%,
    # 91.7%, 86.6%, 86.1%, 90.3%, 91.1%, 56.4%; numbered lists whose entries wrap unindented, and
    # reST links inside entries: 83.3%, 92.1%, 91.7%, 86.6%, 86.1%, 90.3%, 91.1%, 56.4%; a closing
    # list with no heading: 83.3%, 93.8%, 93.4%, 89.2%, 88.7%, 93.7%, 91.3%, 56.4%; citing verbs,
    # reporting participles, more works after a possessive, a registered outlet before a work's
    # noun (seventh session): attributions 76.9%. Eighth session (named anchors and <sup> as layout,
    # a citation repeated with another page, list items linking several works, embedded posts'
    # signatures): 88.9%, 96.5%, 96.5%, 89.5%, 89.1%, 93.98%, 91.6%, 84.6%.
    "exact_count": 0.88, "precision": 0.96, "recall": 0.96, "outlet": 0.89, "type": 0.89,
    "country": 0.93, "language": 0.91, "attributions": 0.84,
}
SECOND_HELD_OUT_FLOORS = {  # 10 articles never tuned on, scored once at first sight with the parser
    # as committed and their outlets not in the registry (data/eval/sources-heldout-2/README.md): 60.0%,
    # 96.6%, 97.7%, 50.0%, 46.4%, 22.95%, 84.2%, 28.6%. Seventh session: the medical-style journal
    # reader, written after seeing its 403 fail (so no longer blind for that style), 51.2% outlet and
    # 92.1% language; the attribution changes made on the first held-out set, 33.3% attributions; the
    # registry rows of development articles 047-050 (CMAJ is cited by its 403 too): 52.4% outlet,
    # 47.6% type, 24.6% country. Eighth session, its 47 outlets registered: 89.3% outlet, 94.05% type,
    # 81.97% country, 93.4% language.
    "exact_count": 0.60, "precision": 0.96, "recall": 0.97, "outlet": 0.89, "type": 0.94,
    "country": 0.81, "language": 0.93, "attributions": 0.33,
}
THIRD_HELD_OUT_FLOORS = {  # 10 articles of 8 new publishers, scored once at first sight (eighth session,
    # 963ea58, its outlets not in the registry; data/eval/sources-heldout-3/README.md): 60.0%, 93.3%,
    # 94.0%, 23.6%, 20.0%, 17.5%, 92.1%, 34.0%. Then (no longer blind for these forms) Spanish
    # reporting verbs, trades before names and author-date citations: 56.6% attributions; pandoc
    # citation keys read as works titled by their key (505): 70.0% exact count, precision down to
    # 91.0% (the hand count titles keys by the .bib, which is not part of the article), recall 95.3%;
    # its 84 outlets registered: 94.3% outlet, 84.5% type, 94.7% country, 97.1% language; a date or
    # an issue in brackets continues the line above (501): 80.0%, 92.2% precision, 58.5% attributions;
    # a list item of one one-word link titled by it (603): 92.9% precision, 96.0% recall, 83.9% type
    "exact_count": 0.80, "precision": 0.92, "recall": 0.95, "outlet": 0.94, "type": 0.83,
    "country": 0.94, "language": 0.97, "attributions": 0.58,
}
FLOORS_BY_SET = {"sources": FLOORS, "sources-heldout": HELD_OUT_FLOORS, "sources-heldout-2": SECOND_HELD_OUT_FLOORS,
                 "sources-heldout-3": THIRD_HELD_OUT_FLOORS}


@lru_cache(maxsize=None)
def scored(folder: str) -> tuple:
    return tuple(evaluate.evaluate(f"data/eval/{folder}"))


@pytest.fixture(scope="module")
def scores():
    return list(scored("sources"))


@pytest.fixture(scope="module")
def held_out_scores():
    return list(scored("sources-heldout"))


def test_the_set_is_the_one_scored(scores):
    truth = evaluate.load_truth(project_root() / "data" / "eval" / "sources")
    assert len(scores) == len(truth) >= 40
    assert sum(score.language == "es" for score in scores) >= 15


@pytest.mark.parametrize("folder, measure", [(folder, measure) for folder, floors in FLOORS_BY_SET.items()
                                             for measure in sorted(floors)])
def test_overall_scores_hold(folder, measure):
    """Pinned at the figures last measured (README): a change that lowers one says why."""
    scores, floor = scored(folder), FLOORS_BY_SET[folder][measure]
    summary = evaluate.summarise(list(scores))
    assert summary[measure] >= floor, (
        f"{folder}: {measure} fell to {summary[measure]:.1%} (floor {floor:.0%}):\n" + evaluate.table(list(scores)))


def test_founding_styles_stay_exact(scores):
    """Styles the parser had before issue 16 must stay exact on real articles."""
    groups = evaluate.groups(scores)
    for style in ("apa", "numbered"):
        assert evaluate.summarise(groups[style])["exact_count"] == 1.0, style


def test_table_prints_every_style_and_overall(scores):
    text = evaluate.table(scores)
    for label in ("hyperlinks", "credit-line", "markdown-footnotes", "language: es", "overall"):
        assert label in text
    assert evaluate.main(["data/eval/sources"]) == 0


def test_a_miss_is_scored_as_a_miss():
    """The scorer itself: a made-up truth that the parser cannot meet scores below one."""
    from dictamen.sources.analyse import analyse_string
    from dictamen.sources.outlets import load_outlets

    registry = load_outlets()
    result = analyse_string('Text.\n\nSources\n\nAsmann, Parker. "What Do Security Law Reforms Mean?" '
                            "InSight Crime. December 18, 2020.\n", registry)
    truth = {"file": "x.md", "styles": ["chicago-heading"], "language": "en",
             "entries": [{"title": "What Do Security Law Reforms Mean?", "outlet": "InSight Crime",
                          "type": "think tank", "country": "CO", "language": "en"},
                         {"title": "A work the parser never saw", "outlet": "Reuters",
                          "type": "wire", "country": "GB", "language": "en"}]}
    score = evaluate.score_article(result, truth, registry)
    assert (score.found_entries, score.true_entries, score.matched) == (1, 2, 1)
    assert not score.exact and score.correct["outlet"] == score.scored["outlet"] == 1


def test_every_outlet_the_set_cites_is_in_the_registry():
    """Issue 16: the registry grows with the set (each held-out set's outlets were added after it
    was scored without them). Every outlet a hand label names is a registry
    row (typed, or with an empty type: none in the vocabulary), and every row says where its
    facts come from."""
    from dictamen.sources.outlets import load_outlets

    registry = load_outlets()
    named = {entry["outlet"] for folder in ("sources", "sources-heldout", "sources-heldout-2", "sources-heldout-3")
             for article in evaluate.load_truth(project_root() / "data" / "eval" / folder)
             for entry in article.get("entries", []) if entry.get("outlet")}
    assert sorted(name for name in named if evaluate.truth_outlet(name, registry) is None) == []
    assert all(outlet.source for outlet in registry.outlets)
    untyped = [outlet for outlet in registry.outlets if outlet.type == "unknown"]
    assert len(untyped) >= 39
    for outlet in untyped:  # each fact's origin is said
        assert "Type: none in the vocabulary" in outlet.source, outlet.name
        assert "Country:" in outlet.source and "Language" in outlet.source, outlet.name


@pytest.mark.parametrize("file, title, outlet, country", [
    # a DOI link by its registrant prefix
    ("012_proghist-glam-labs.md", "pandas-dev/pandas", "Zenodo", "CH"),
    # a link on an organisation's name, to a comment it posted on GSA's GitHub repository
    ("001_18f-https-everywhere.md", "Mozilla", "Mozilla", "US"),
    # an organisation's space on a shared host
    ("038_18f-analytics-traffic-patterns.md", "", "18F", "US"),
    # the outlet inside the written outlet field ("PLOS Biology 21(7): e3002184")
    ("013_ropensci-czi-america-latina.md", "", "PLOS Biology", "US"),
    # the organisational author of a report ("FMI. 2014. Perspectivas ...")
    ("007_ljz-vulnerabilidad-financiera.md", "Perspectivas de la economía mundial", "International Monetary Fund", "US"),
    # the place of publication: a Mexican edition of a Barcelona-seated imprint
    ("042_ljz-14-lecturas.md", "Medianoche en México", "Editorial Debate", "MX"),
    # an outlet with no type in the vocabulary, registered for its country
    ("005_conocimientoabierto-economia-desarrollo.md", "Sachs", "Wikipedia", "US"),
])
def test_outlets_from_the_entry_evidence(file, title, outlet, country):
    """Real entries of the set whose outlet comes from evidence other than a written outlet name."""
    from dictamen.sources.analyse import analyse_text
    from dictamen.sources.outlets import load_outlets
    from dictamen.sources.read import read_article

    registry = load_outlets()
    result = analyse_text(read_article(project_root() / "data" / "eval" / "sources" / "articles" / file),
                          registry, ("en", "es"))
    found = [entry for entry in result.entries if entry.outlet_name == outlet
             and (not title or title in entry.title)]
    assert found, [(entry.title, entry.outlet_name) for entry in result.entries]
    assert all(entry.country == country and entry.outlet_registered for entry in found)


def test_unregistered_outlets_are_listed_with_the_line_to_add():
    """An outlet the registry does not hold is listed with its CSV line (nothing guessed); one it
    holds with no vocabulary type (Wikipedia) is not."""
    from dictamen.sources import analyse, report

    article = project_root() / "data" / "eval" / "sources" / "articles" / "029_proghist-national-narrative-gpt.md"
    table = report.unregistered_outlets(analyse(str(article)))
    assert list(table["outlet"]) == ["perma.cc"]
    assert table["line to add"][0] == "perma.cc,,TYPE,COUNTRY,LANGUAGE,https://perma.cc,SOURCE OF THESE FACTS"
    wikipedia = project_root() / "data" / "eval" / "sources" / "articles" / "039_conocimientoabierto-primates-violencia.md"
    assert report.unregistered_outlets(analyse(str(wikipedia))).empty





def test_the_held_out_set_is_apart_from_the_development_set(held_out_scores):
    """Its own files and publishers: none of the development set's articles or publishers."""
    root = project_root() / "data" / "eval"
    held_out = evaluate.load_truth(root / "sources-heldout")
    development = evaluate.load_truth(root / "sources")
    assert len(held_out_scores) == len(held_out) >= 18
    assert {article["file"] for article in held_out}.isdisjoint(article["file"] for article in development)
    assert {article["publisher"] for article in held_out}.isdisjoint(
        article["publisher"] for article in development)
    assert sum(score.language == "es" for score in held_out_scores) >= 8


@pytest.mark.parametrize("later, earlier_sets", [("sources-heldout-2", ("sources", "sources-heldout")),
                                                  ("sources-heldout-3", ("sources", "sources-heldout", "sources-heldout-2"))])
def test_each_later_held_out_set_is_apart_from_the_earlier_ones(later, earlier_sets):
    """Its own files and publishers: none of an earlier set's."""
    root = project_root() / "data" / "eval"
    articles = evaluate.load_truth(root / later)
    assert len(list(scored(later))) == len(articles) >= 5
    for other in earlier_sets:
        earlier = evaluate.load_truth(root / other)
        assert {article["file"] for article in articles}.isdisjoint(article["file"] for article in earlier)
        assert {article["publisher"] for article in articles}.isdisjoint(article["publisher"] for article in earlier)
