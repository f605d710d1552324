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
from functools import lru_cache

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


def _word_languages() -> dict[str, tuple[str, ...]]:
    """Each function word with the languages whose list holds it (one lookup per word)."""
    index: dict[str, list[str]] = {}
    for code, words in FUNCTION_WORDS.items():
        for word in words:
            index.setdefault(word, []).append(code)
    return {word: tuple(codes) for word, codes in index.items()}


_WORD_LANGUAGES = _word_languages()


def _ranked_function_words(text: str, languages: tuple[str, ...]) -> list[tuple[str, int]]:
    """(language, function words in ``text``) for each candidate, most first, ties by code."""
    scores = dict.fromkeys(languages, 0)
    for word in _WORD.findall(text):
        for code in _WORD_LANGUAGES.get(word.casefold(), ()):
            if code in scores:
                scores[code] += 1
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))


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
    if _WORD.search(text) is None:
        return UNDETERMINED, "none", False
    if len(languages) == 1:
        return languages[0], "only candidate", True
    ranked = _ranked_function_words(text, tuple(languages))  # counted once, used twice
    if all(code in FUNCTION_WORDS for code in languages):
        decisive = _leader(ranked, DECISIVE_MARGIN)
        if decisive is not None:
            return decisive, "function words", True
    code, confidence = _identifier(tuple(languages)).classify(text)
    if confidence >= CONFIDENT and code in languages:
        return code, "py3langid", len(_WORD.findall(text)) >= STRONG_WORDS
    by_words = _leader(ranked, 1)
    if by_words is not None:
        return by_words, "function words", False
    if confidence >= ACCEPTABLE and code in languages:
        return code, "py3langid (low confidence)", False
    return UNDETERMINED, "none", False


def work_language(title: str, languages: tuple[str, ...], outlet_languages: tuple[str, ...] = (),
                  address_words: str = "", title_is_link_text: bool = False) -> tuple[str, str]:
    """(language, method) of a cited work from its title, its outlet's languages and its address.

    Strong evidence from the title decides ("Anatomía de una masacre" on an English-language
    site is Spanish). Otherwise an outlet that publishes in one candidate language decides; then
    a weak reading of the title. A link's text is the citing author's words, not the work's
    title, so for a link the words of its address ("/top-25-rankings-of-all-time/") come first
    and the link text only after the outlet. "und" only when nothing points anywhere, or an outlet
    publishing in several languages meets a title too short to tell.
    """
    candidates = tuple(languages)
    outlet_codes = tuple(code for code in outlet_languages if code in candidates)
    evidence = [(address_words, "address words")] if address_words else []
    if not title_is_link_text:
        evidence.insert(0, (title, "title"))
    for text, label in evidence:
        code, method, strong = title_evidence(text, candidates)
        if strong and code != UNDETERMINED:
            return code, f"{label}: {method}"
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
