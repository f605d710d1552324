"""Score the source parser on the hand-counted evaluation set (``make eval``).

The set lives in ``data/eval/sources/``: article files under ``articles/`` and the truth counted
by hand in ``truth.toml`` (one ``[[articles]]`` table per file with its ``styles``, its
``[[articles.entries]]`` — title, outlet, type, country, language — and its
``[[articles.attributions]]`` — name, kind, affiliation). Each article is analysed exactly as the
notebook would (same reader, registry and candidate languages) and compared with its truth:

* exact count: the article's number of entries equals the hand count;
* entry precision and recall: found entries matched one to one to true entries by title
  (normalised, spelling-tolerant, greedy best match first; entries with no title, such as a
  link on no words, are paired in reading order);
* outlet, type, country and language accuracy over matched entries (an unregistered site given
  by its host matches the truth's name when the host spells it; a truth left empty, meaning
  "not determinable from the text", is not scored; an empty type means "no type in the
  vocabulary", which the parser must say as "unknown");
* attributions found: hand-listed voices named by some attribution (person or organisation),
  in articles whose truth says ``attributions_scored = true``.

Scores are given per style (an article counts in each style it carries) and overall.
Usage: ``python -m dictamen.sources.evaluate [data/eval/sources] [--detail]``.
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from dictamen.sources.analyse import ArticleSources, analyse_text
from dictamen.sources.outlets import Outlet, Registry, load_outlets, normalise
from dictamen.sources.read import read_article

TITLE_MATCH = 80.0
"""Least rapidfuzz ratio (0-100) between normalised titles for a found entry to match a true one."""
VOICE_MATCH = 88.0
FIELDS = ("outlet", "type", "country", "language")


@dataclass
class ArticleScore:
    """One article compared with its truth."""

    file: str
    styles: list[str]
    language: str
    true_entries: int
    found_entries: int
    matched: int
    correct: dict[str, int] = field(default_factory=dict)
    scored: dict[str, int] = field(default_factory=dict)
    true_voices: int = 0
    found_voices: int = 0
    attributions_scored: bool = False
    misses: list[str] = field(default_factory=list)

    @property
    def exact(self) -> bool:
        return self.true_entries == self.found_entries


def load_truth(folder: Path) -> list[dict]:
    """The ``[[articles]]`` tables of ``folder/truth.toml``."""
    with open(folder / "truth.toml", "rb") as handle:
        return tomllib.load(handle).get("articles", [])


_QUALIFIER = re.compile(r"\s*\([^()]*\)(?:,.*)?$|,\s.*$")


def truth_outlet(label: str, registry: Registry) -> Outlet | None:
    """The registry row a hand label names: the label's own, or that of the label without the
    qualifier a hand count adds ("Wikipedia (Wikimedia Foundation)", "Organización Mundial de la
    Salud (OMS), Weekly Epidemiological Record"); None when neither is registered."""
    outlet = registry.match(label)
    bare = _QUALIFIER.sub("", label).strip() if outlet is None else ""
    return registry.match(bare) if bare and bare != label else outlet


def _same_outlet(found: str, true: str, registry: Registry) -> bool:
    """The same outlet: the same name, one registry row, or, for a site the registry does not
    hold (the report names it by its host and offers the line to add), a host that spells the
    name ("cosasdeladiplomacia.info" / "Cosas de la diplomacia") or that the truth names
    ("David de Ugarte (deugarte.com)")."""
    if normalise(found) == normalise(true):
        return True
    if not found or not true:
        return False
    a, b = registry.match(found), truth_outlet(true, registry)
    if a is not None and a is b:
        return True
    if a is None and "." in found and " " not in found:
        host = found.lower()
        squeezed = normalise(true).replace(" ", "")
        return (f"({host})" in true.lower() or squeezed in host.split(".")
                or squeezed in (host.split(".")[-2] if host.count(".") >= 1 else ""))
    return False


def _match_titles(found: list[str], true: list[str]) -> list[tuple[int, int]]:
    """One-to-one (found index, true index) pairs, best similarity first, above TITLE_MATCH."""
    from rapidfuzz import fuzz

    keys_found = [normalise(title) for title in found]
    keys_true = [normalise(title) for title in true]
    candidates = []
    for i, a in enumerate(keys_found):
        for j, b in enumerate(keys_true):
            if not a or not b:
                continue
            score = fuzz.ratio(a, b)
            if score < TITLE_MATCH and min(len(a), len(b)) >= 12:
                score = max(score, fuzz.partial_ratio(a, b) - 5)  # one side cut or extended
            if score >= TITLE_MATCH:
                candidates.append((score, i, j))
    empty_found = [i for i, key in enumerate(keys_found) if not key]
    empty_true = [j for j, key in enumerate(keys_true) if not key]
    candidates += [(100.0, i, j) for i, j in zip(empty_found, empty_true)]  # "[](...)": no words
    pairs, used_found, used_true = [], set(), set()
    for _, i, j in sorted(candidates, key=lambda item: (-item[0], item[1], item[2])):
        if i not in used_found and j not in used_true:
            pairs.append((i, j))
            used_found.add(i)
            used_true.add(j)
    return pairs


def _voice_found(name: str, voices: list[str]) -> bool:
    from rapidfuzz import fuzz

    key = normalise(name)
    for voice in voices:
        other = normalise(voice)
        if not other:
            continue
        if key == other or fuzz.ratio(key, other) >= VOICE_MATCH:
            return True
        shorter, longer = sorted((key, other), key=len)
        if len(shorter) >= 4 and f" {shorter} " in f" {longer} ":  # "Sachs" / "Jeffrey Sachs"
            return True
    return False


def _title_key(entry) -> str:
    """What an entry is matched by: its title; a bare address by the address; a link on no words
    by nothing (paired in order); an unparsed entry by what is written."""
    if entry.style == "address only":
        return entry.url
    if entry.style == "hyperlink":
        return entry.title
    return entry.title or entry.raw


def score_article(result: ArticleSources, truth: dict, registry: Registry) -> ArticleScore:
    """Compare one analysed article with its hand-counted truth."""
    true_entries = truth.get("entries", [])
    entries = result.entries
    score = ArticleScore(truth["file"], list(truth.get("styles", [])), truth.get("language", ""),
                         len(true_entries), len(entries), 0,
                         correct=dict.fromkeys(FIELDS, 0), scored=dict.fromkeys(FIELDS, 0),
                         attributions_scored=bool(truth.get("attributions_scored", False)))
    pairs = _match_titles([_title_key(entry) for entry in entries],
                          [item.get("title", "") for item in true_entries])
    score.matched = len(pairs)
    matched_true = {j for _, j in pairs}
    for j, item in enumerate(true_entries):
        if j not in matched_true:
            score.misses.append(f"not found: {item.get('title', '')!r}")
    matched_found = {i for i, _ in pairs}
    for i, entry in enumerate(entries):
        if i not in matched_found:
            score.misses.append(f"extra entry {entry.number}: {(entry.title or entry.raw)[:80]!r}")
    for i, j in pairs:
        entry, item = entries[i], true_entries[j]
        found = {"outlet": entry.outlet_name or entry.outlet, "type": entry.type,
                 "country": entry.country, "language": entry.language}
        for name in FIELDS:
            expected = str(item.get(name, ""))
            if name in ("country", "language", "outlet") and not expected:
                continue
            score.scored[name] += 1
            got = found[name]
            if name == "outlet":
                ok = _same_outlet(got, expected, registry)
            elif name == "type":
                ok = got == (expected or "unknown")
            else:
                ok = got.lower() == expected.lower()
            score.correct[name] += ok
            if not ok:
                score.misses.append(f"entry {entry.number} {name}: {got!r}, truth {expected!r}")
    if score.attributions_scored:
        voices = [voice for attribution in result.attributions
                  for voice in (attribution.person, attribution.organisation,
                                attribution.organisation_name) if voice]
        names = [item.get("name", "") for item in truth.get("attributions", [])]
        score.true_voices = len(names)
        for name in names:
            if _voice_found(name, voices):
                score.found_voices += 1
            else:
                score.misses.append(f"voice not found: {name!r}")
    return score


def evaluate(folder: str | Path = "data/eval/sources", outlets_path: str = "data/outlets.csv",
             languages: tuple[str, ...] = ("en", "es")) -> list[ArticleScore]:
    """Analyse and score every article of the evaluation set."""
    from dictamen import catalog

    folder = catalog.resolve_path(str(folder))
    registry = load_outlets(outlets_path)
    scores = []
    for truth in load_truth(folder):
        article = read_article(folder / "articles" / truth["file"])
        result = analyse_text(article, registry, languages)
        scores.append(score_article(result, truth, registry))
    return scores


def summarise(scores: list[ArticleScore]) -> dict[str, float | int]:
    """The headline scores of a group of articles (shares between 0 and 1; NaN-free: 0 when empty)."""
    def share(numerator: int, denominator: int) -> float:
        return numerator / denominator if denominator else float("nan")

    found = sum(s.found_entries for s in scores)
    true = sum(s.true_entries for s in scores)
    matched = sum(s.matched for s in scores)
    voiced = [s for s in scores if s.attributions_scored]
    summary: dict[str, float | int] = {
        "articles": len(scores),
        "exact_count": share(sum(s.exact for s in scores), len(scores)),
        "precision": share(matched, found),
        "recall": share(matched, true),
    }
    for name in FIELDS:
        summary[name] = share(sum(s.correct[name] for s in scores), sum(s.scored[name] for s in scores))
    summary["attributions"] = share(sum(s.found_voices for s in voiced),
                                    sum(s.true_voices for s in voiced))
    return summary


def groups(scores: list[ArticleScore]) -> dict[str, list[ArticleScore]]:
    """Articles per style (an article in every style it carries), per language, and overall."""
    grouped: dict[str, list[ArticleScore]] = {}
    for score in scores:
        for style in score.styles:
            grouped.setdefault(style, []).append(score)
    for score in scores:
        grouped.setdefault(f"language: {score.language or '?'}", []).append(score)
    grouped["overall"] = list(scores)
    return grouped


def table(scores: list[ArticleScore]) -> str:
    """The scores per style and overall as a fixed-width text table."""
    columns = ["articles", "exact_count", "precision", "recall", *FIELDS, "attributions"]
    header = f"{'group':<24}" + "".join(f"{name[:11]:>12}" for name in columns)
    lines = [header, "-" * len(header)]
    for name, members in groups(scores).items():
        summary = summarise(members)
        cells = []
        for column in columns:
            value = summary[column]
            if column == "articles":
                cells.append(f"{value:>12d}")
            elif value != value:  # NaN: nothing to score in this group
                cells.append(f"{'-':>12}")
            else:
                cells.append(f"{value:>11.0%} ")
        lines.append(f"{name[:24]:<24}" + "".join(cells))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Score dictamen.sources on the evaluation set.")
    parser.add_argument("folder", nargs="?", default="data/eval/sources")
    parser.add_argument("--outlets", default="data/outlets.csv")
    parser.add_argument("--detail", action="store_true", help="list every miss per article")
    args = parser.parse_args(argv)
    folder = Path(args.folder)
    if not (folder / "truth.toml").is_file():
        print(f"eval: no truth.toml in {folder}; the evaluation set is missing", file=sys.stderr)
        return 2
    scores = evaluate(folder, args.outlets)
    if args.detail:
        for score in scores:
            print(f"{score.file}: {score.found_entries} found / {score.true_entries} true, "
                  f"{score.matched} matched, voices {score.found_voices}/{score.true_voices}")
            for miss in score.misses:
                print(f"    {miss}")
        print()
    print(table(scores))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
