"""The parser's scores on the hand-counted evaluation set (data/eval/sources, issue 16) are pinned:
a change that loses ground fails here. The floors are the scores measured when they were last
raised (see README, "Source diversity on real articles"); raise them when the parser improves.
Issue 16's targets (90% exact count, 90% outlet and language accuracy, 70% attributions) are
not all met yet; the floors below are the honest current figures, not the targets."""

from __future__ import annotations

import pytest

from dictamen.catalog import project_root
from dictamen.sources import evaluate

FLOORS = {  # overall, 44 articles
    "exact_count": 0.90, "precision": 0.98, "recall": 0.95, "outlet": 0.66, "type": 0.68,
    "country": 0.39, "language": 0.90, "attributions": 0.70,
}


@pytest.fixture(scope="module")
def scores():
    return evaluate.evaluate("data/eval/sources")


def test_the_set_is_the_one_scored(scores):
    truth = evaluate.load_truth(project_root() / "data" / "eval" / "sources")
    assert len(scores) == len(truth) >= 40
    assert sum(score.language == "es" for score in scores) >= 15


@pytest.mark.parametrize("measure", sorted(FLOORS))
def test_overall_scores_hold(scores, measure):
    summary = evaluate.summarise(scores)
    assert summary[measure] >= FLOORS[measure], (
        f"{measure} fell to {summary[measure]:.1%} (floor {FLOORS[measure]:.0%}):\n"
        + evaluate.table(scores))


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
