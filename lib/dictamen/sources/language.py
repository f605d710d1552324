"""Language of a cited work, from its title: offline, deterministic, restricted to given languages.

When every candidate language has a function-word list and one language leads the others by
three or more function words, or has two while no other has any ("Anatomía de una masacre"),
that decides at once (fast, and reliable at that margin).
py3langid (its model ships inside the package; nothing is downloaded) decides when it is
confident. Titles are short, and a short title can fool a character model ("The Hunt for El
Chapo"), so below a confidence of 0.9 a count of function words (articles, prepositions,
conjunctions) decides when one candidate language leads; otherwise py3langid's guess stands if
its confidence is at least 0.6, and the language is "und" (undetermined) below that.
"""

from __future__ import annotations

import re
from array import array
from collections import Counter
from functools import lru_cache
from math import exp, log1p, sqrt
from operator import itemgetter, mul

DECISIVE_MARGIN = 3
CONFIDENT = 0.9
ACCEPTABLE = 0.6
UNDETERMINED = "und"
STRONG_WORDS = 3
"""Fewest words for a confident py3langid reading of a title to count as strong evidence."""

FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset("the a an of and or for to in on at by with from as is are was were be "
                    "will what why how do does this that these those its their his her "
                    "against over under after before into".split()),
    "es": frozenset("el la los las un una unos unas de del y o para por en con sin sobre al "
                    "es son fue que qué como cómo se su sus lo le les porque mientras contra "
                    "entre hacia desde hasta ante tras".split()),
    "pt": frozenset("o a os as um uma de do da dos das e ou para por em no na nos nas com "
                    "sem sobre ao é são foi que como se seu sua não".split()),
    "fr": frozenset("le la les un une des de du et ou pour par en dans sur au aux avec sans "
                    "est sont été que qui comme se son sa ses ne pas".split()),
    "de": frozenset("der die das ein eine und oder für von zu im in auf mit ohne über ist "
                    "sind war dass wie sich sein ihre nicht".split()),
    "it": frozenset("il lo la i gli le un una di del della e o per da in su con senza è "
                    "sono che come si suo sua non".split()),
}

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_ASCII_FOLD = {code: chr(code).lower() if chr(code).isalpha() else " " for code in range(128)}
"""ASCII letters to lower case (their casefold), the rest to spaces: ASCII text's words at once."""


class _FoldedLetters(dict):
    """Code point to its casefold when ``_WORD`` counts it a letter, else a space; filled as met,
    up to 65,536 entries (casefolding is per character, so a translated text splits into the
    casefolded words)."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        folded = char.casefold() if _WORD.fullmatch(char) else " "
        if len(self) < 65536:
            self[code] = folded
        return folded


_FOLDED_LETTERS = _FoldedLetters()


@lru_cache(maxsize=8)
def _identifier(languages: tuple[str, ...]):
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    known = set(identifier.nb_classes)
    usable = [code for code in languages if code in known]
    if usable:
        identifier.set_languages(usable)
    _compact(identifier)
    return identifier


def _compact(identifier) -> None:
    """The model's tables, same values, in contiguous memory: a title's walk through the byte
    automaton and its scoring touch a few hundred scattered cells, and as lists of Python ints
    and a column-strided weight table each cell cost its own cache misses (classify took some
    250 µs a title inside a corpus run, 2.5 times what the same arithmetic needs)."""
    import numpy as np

    identifier.nb_ptc = np.ascontiguousarray(identifier.nb_ptc)
    if isinstance(getattr(identifier, "_rowbase", None), list):
        identifier._rowbase = array("I", identifier._rowbase)  # row offsets, < 2**32
    if isinstance(getattr(identifier, "tk_output", None), list):
        identifier.tk_output = array("i", identifier.tk_output)  # feature index or -1


_FLOAT32_UNIT = 2.0 ** -24
"""Unit roundoff of float32, the type py3langid scores in."""
_LOG_2 = log1p(1)


class _Scorer:
    """py3langid's ``classify`` for a few candidate languages, in plain Python floats.

    The same steps on the same tables: py3langid's own text encoding and byte automaton, then
    naive Bayes (sum of log1p(count) * weight, plus the prior) per language, scaled by
    1/sqrt(bytes), softmax, aliased labels folded. Softmax needs each score only relative to
    the first language's, so two candidates need one table of weight differences. This skips
    numpy's fixed cost per call, which on a title outweighed the arithmetic.
    py3langid rounds to float32 and this sums in doubles, so each answer carries a worst-case
    bound on float32's rounding error (Higham's for a sum of n terms, with slack); when that bound
    could change the leader or the side of a decision threshold, py3langid answers instead.
    """

    MOST_CANDIDATES = 8
    """More would mean a table per language (800 KB each); py3langid answers for those."""
    _ROW = (1 << 24) - 1
    """Low bits of a state's cell: its row's offset in the automaton; above them, feature + 1."""

    def __init__(self, identifier, thresholds: tuple[float, ...]) -> None:
        import numpy as np

        self.identifier, self.thresholds = identifier, thresholds
        self.classes = list(identifier.nb_classes)
        self.aliases = list(identifier._alias_pairs)
        rows = np.asarray(identifier._rowbase, dtype=np.int64)
        self.usable = 1 < len(self.classes) <= self.MOST_CANDIDATES and int(rows.max()) < self._ROW
        if not self.usable:
            return
        # one cell per state, row offset and output together: one memory read a byte, not two
        features = np.asarray(identifier.tk_output, dtype=np.int64) + 1
        self.nextmove, self.states = identifier.tk_nextmove, array("q", (features << 24 | rows).tobytes())
        weights = np.vstack([np.zeros((1, len(self.classes))), np.asarray(identifier.nb_ptc, dtype=np.float64)])
        priors = [float(prior) for prior in identifier.nb_pc]
        self.gaps = [(priors[k] - priors[0], _shared_floats(weights[:, k] - weights[:, 0]))  # row 0: none
                     for k in range(1, len(self.classes))]
        self.largest_weight = float(np.abs(weights).max())
        self.largest_prior = max(map(abs, priors))

    def classify(self, text: str) -> tuple[str, float]:
        """(language, confidence), with the decisions py3langid's classify gives."""
        identifier = self.identifier
        if not self.usable:
            return identifier.classify(text)
        data = identifier._encode(text)
        nextmove, states, row = self.nextmove, self.states, self._ROW
        cell, found = states[0], []
        for byte in data:
            cell = states[nextmove[(cell & row) + byte]]
            if cell > row:
                found.append(cell >> 24)  # feature + 1
        if not found:
            return identifier.classify(text)
        if len(set(found)) == len(found):  # each feature once, log1p(1) for all: the usual title
            terms, total_log = len(found), _LOG_2 * len(found)
            sums = [_LOG_2 * sum(map(column.__getitem__, found)) for _, column in self.gaps]
        else:
            visits = Counter(found)
            features, logs = list(visits), list(map(log1p, visits.values()))
            terms, total_log = len(features), sum(logs)
            sums = [sum(map(mul, logs, map(column.__getitem__, features))) for _, column in self.gaps]
        scale = 1.0 / sqrt(len(data) or 1)
        if len(sums) == 1 and not self.aliases:  # two candidates: softmax is a logistic
            gap = (self.gaps[0][0] + sums[0]) * scale
            tail = exp(-abs(gap))
            confidence, runner_up, best = 1.0 / (1.0 + tail), tail / (1.0 + tail), int(gap > 0)
        else:
            scores = [0.0] + [(gap + total) * scale for (gap, _), total in zip(self.gaps, sums)]
            top = max(scores)
            exps = [exp(score - top) for score in scores]
            denominator = sum(exps)
            probabilities = [value / denominator for value in exps]
            for first, dupe in self.aliases:
                probabilities[first] += probabilities[dupe]
                probabilities[dupe] = 0.0
            confidence, runner_up = sorted(probabilities, reverse=True)[:2]
            best = probabilities.index(confidence)
        # py3langid's float32 error on a scaled score: some terms + 8 roundings (40 with slack)
        # of at most (|prior| + sum(log1p(count) * |weight|)) * scale each; scores off by at most
        # e move a probability by a factor within exp(-2e)..exp(2e), softmax's roundings by 64 units
        error = (terms + 40) * _FLOAT32_UNIT * (self.largest_prior + self.largest_weight * total_log) * scale
        low = exp(-2 * error) * (1 - 64 * _FLOAT32_UNIT)
        high = exp(2 * error) * (1 + 64 * _FLOAT32_UNIT)
        if confidence * low <= runner_up * high:
            return identifier.classify(text)
        for threshold in self.thresholds:
            if confidence * low < threshold <= confidence * high:
                return identifier.classify(text)
        return self.classes[best], confidence


def _shared_floats(values) -> list[float]:
    """``values`` as a list whose equal numbers are one float object (weight differences take
    about 2,000 distinct values over 100,000 features): mapped lookups run twice as fast on a
    list as on an array, and the float objects take 50 KB, not 2.4 MB."""
    shared: dict[float, float] = {}
    return [shared.setdefault(value, value) for value in values.tolist()]


@lru_cache(maxsize=8)
def _scorer(languages: tuple[str, ...]) -> _Scorer:
    return _Scorer(_identifier(languages), (CONFIDENT, ACCEPTABLE))


@lru_cache(maxsize=8)
def _function_word_table(languages: tuple[str, ...]) -> tuple[tuple[str, ...], dict[str, tuple[int, ...]]]:
    """The candidates in code order, and each of their function words with a 0/1 per candidate
    (1 where that candidate's list holds the word), so a title's counts are column sums."""
    codes = tuple(sorted(set(languages)))
    words = set().union(*(FUNCTION_WORDS.get(code, ()) for code in codes))
    return codes, {word: tuple(int(word in FUNCTION_WORDS.get(code, ())) for code in codes)
                   for word in words}


def _ranked_words(words: list[str], languages: tuple[str, ...]) -> list[tuple[str, int]]:
    """(language, function words among casefolded ``words``) per candidate, most first, ties by code."""
    codes, table = _function_word_table(languages)
    hits = [*filter(None, map(table.get, words))]
    counts = [*map(sum, zip(*hits))] if hits else [0] * len(codes)
    return sorted(zip(codes, counts), key=itemgetter(1), reverse=True)  # stable: ties by code


def _ranked_function_words(text: str, languages: tuple[str, ...]) -> list[tuple[str, int]]:
    """(language, function words in ``text``) for each candidate, most first, ties by code."""
    return _ranked_words(_folded_words(text), languages)


def _folded_words(text: str) -> list[str]:
    """The runs of letters in ``text`` (``_WORD``), casefolded."""
    return text.translate(_ASCII_FOLD if text.isascii() else _FOLDED_LETTERS).split()


def _leader(ranked: list[tuple[str, int]], margin: int) -> str | None:
    if not ranked or ranked[0][1] == 0:
        return None
    runner_up = ranked[1][1] if len(ranked) > 1 else 0
    if ranked[0][1] - runner_up < margin and not (margin > 1 and runner_up == 0
                                                   and ranked[0][1] >= 2):
        return None
    return ranked[0][0]


def function_word_language(text: str, languages: tuple[str, ...], margin: int = 1) -> str | None:
    """The candidate language leading all others by at least ``margin`` function words, if any."""
    return _leader(_ranked_function_words(text, tuple(languages)), margin)


@lru_cache(maxsize=32768)
def detect_language(text: str, languages: tuple[str, ...] = ("en", "es")) -> tuple[str, str]:
    """(language code, method) for a title; method is 'py3langid', 'function words' or 'none'."""
    code, method, _ = title_evidence(text, languages)
    return code, method


@lru_cache(maxsize=32768)
def title_evidence(text: str, languages: tuple[str, ...] = ("en", "es")) -> tuple[str, str, bool]:
    """(language code, method, strong) for a title: strong when the margin of function words is
    decisive or py3langid is confident, weak for a lead of one function word or a low-confidence
    guess (which :func:`work_language` weighs against the outlet's language)."""
    if not languages:
        raise ValueError("at least one candidate language is needed")
    words = _folded_words(text)
    if not words:
        return UNDETERMINED, "none", False
    if len(languages) == 1:
        return languages[0], "only candidate", True
    ranked = _ranked_words(words, tuple(languages))  # counted once, used twice
    if all(code in FUNCTION_WORDS for code in languages):
        decisive = _leader(ranked, DECISIVE_MARGIN)
        if decisive is not None:
            return decisive, "function words", True
    code, confidence = _scorer(tuple(languages)).classify(text)
    if confidence >= CONFIDENT and code in languages:
        return code, "py3langid", len(words) >= STRONG_WORDS
    by_words = _leader(ranked, 1)
    if by_words is not None:
        return by_words, "function words", False
    if confidence >= ACCEPTABLE and code in languages:
        return code, "py3langid (low confidence)", False
    return UNDETERMINED, "none", False


def work_language(title: str, languages: tuple[str, ...], outlet_languages: tuple[str, ...] = (),
                  address_words: str = "", title_is_link_text: bool = False,
                  address_language: str = "") -> tuple[str, str]:
    """(language, method) of a cited work from its title, its outlet's languages and its address.

    Strong evidence from the title decides ("Anatomía de una masacre" on an English-language
    site is Spanish). Otherwise an outlet that publishes in one candidate language decides; then
    a weak reading of the title. A link's text is the citing author's words, not the work's
    title, so for a link the words of its address ("/top-25-rankings-of-all-time/") come first
    and the link text only after the outlet. A language the address names by its code
    (``address_language``: "/en/", "?lang=es") decides for a link, and for another work right after
    a strong reading of its title. "und" only when nothing points anywhere, or an outlet
    publishing in several languages meets a title too short to tell.
    """
    candidates = tuple(languages)
    outlet_codes = tuple(code for code in outlet_languages if code in candidates)
    named = address_language in candidates
    if named and title_is_link_text:
        return address_language, "address: language code"
    evidence = [(address_words, "address words")] if address_words else []
    if not title_is_link_text:
        evidence.insert(0, (title, "title"))
    for text, label in evidence:
        code, method, strong = title_evidence(text, candidates)
        if strong and code != UNDETERMINED:
            return code, f"{label}: {method}"
        if named and label == "title":
            return address_language, "address: language code"
    if len(outlet_codes) == 1:
        return outlet_codes[0], "outlet's language (registry)"
    weak = evidence + ([(title, "link text")] if title_is_link_text else [])
    for text, label in weak:
        code, method, _ = title_evidence(text, candidates)
        if code != UNDETERMINED and (not outlet_codes or code in outlet_codes):
            return code, f"{label}: {method} (weak)"
    return UNDETERMINED, "none"


_MARKUP = re.compile(r"\]\([^)]*\)|https?://\S+|<[^>]+>|[#*_>`\[\]|]")


def article_language(text: str, languages: tuple[str, ...]) -> str:
    """The language an article is written in (py3langid on its first 1,500 characters, links
    and markup removed), or "" when the model is not confident (below 0.9) among ``languages``."""
    sample = _MARKUP.sub(" ", text[:1500])
    if len(_WORD.findall(sample)) < 20 or len(languages) < 1:
        return ""
    code, confidence = _identifier(tuple(languages)).classify(sample)
    return code if confidence >= CONFIDENT and code in languages else ""
