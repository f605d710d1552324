"""Where many literal words occur in a text, all found in one pass: the places a pattern is tried.

Python's ``re`` tries a pattern at every position a first character allows; for a cue list of a
few hundred words ("according to", "señaló", "reports") that is most of an article's words.
Hyperscan (Intel's multi-literal matcher, made for this) finds every occurrence of every word
in one pass over the bytes, so ``re`` runs only where a word is. Where hyperscan is not
installed (it has wheels for Linux x86-64, macOS arm64 and Windows), :meth:`LiteralSet.find`
returns None and callers scan with ``re`` as before: the matches are the same either way, only
the time differs (``tests/test_sources_literals.py`` compares the two on the real articles of
the evaluation sets).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

try:
    import hyperscan
except ImportError:  # pragma: no cover - the fallback is tested by switching it off
    hyperscan = None

ENABLED = hyperscan is not None
"""Whether the one-pass scan is used; set False to compare against ``re`` alone."""


class LiteralSet:
    """Named groups of literal words; :meth:`find` gives, per group, the character offsets where
    one of the group's words starts in a text (ascending, each offset once)."""

    def __init__(self, groups: dict[str, Iterable[str]]):
        self.names = list(groups)
        words: list[tuple[str, str]] = []  # (group, word), the index is hyperscan's id
        for name, group_words in groups.items():
            for word in dict.fromkeys(group_words):
                if not word or "?" in word or not all(character <= "\xff" for character in word):
                    raise ValueError(f"literal group {name!r}: {word!r} is empty, holds '?' or a "
                                     "character beyond Latin-1")
                words.append((name, word))
        self._groups = [self.names.index(name) for name, _ in words]
        self._lengths = [len(word) for _, word in words]
        self._words = [word.encode("latin-1") for _, word in words]
        self._database = None
        self._lock = threading.Lock()
        self._local = threading.local()

    def _compiled(self):
        with self._lock:
            if self._database is None:
                database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
                database.compile(expressions=self._words, ids=list(range(len(self._words))),
                                 elements=len(self._words), flags=[0] * len(self._words), literal=True)
                self._database = database
        scratch = getattr(self._local, "scratch", None)
        if scratch is None:  # hyperscan's working memory: one per thread
            scratch = self._local.scratch = hyperscan.Scratch(self._database)
        return self._database, scratch

    def find(self, text: str) -> dict[str, list[int]] | None:
        """Per group, where its words start in ``text``; None when hyperscan is not available."""
        if not ENABLED:
            return None
        database, scratch = self._compiled()
        # one byte a character, so byte offsets are character offsets: a character beyond Latin-1
        # becomes "?", which no word holds, so no word is found or lost through it
        data = text.encode("latin-1", "replace")
        groups, lengths = self._groups, self._lengths
        starts: list[set[int]] = [set() for _ in self.names]

        def on_match(word: int, _from: int, to: int, _flags: int, _context) -> None:
            starts[groups[word]].add(to - lengths[word])

        database.scan(data, match_event_handler=on_match, scratch=scratch)
        return {name: sorted(found) for name, found in zip(self.names, starts)}
