"""The outlet registry (data/outlets.csv) and matching names written in articles against it.

Each outlet has a canonical name, aliases, a type (news, wire, magazine, think tank, academic,
government, legislature, social media, ngo), a country (ISO 3166-1 alpha-2), its languages and
the source of those facts. An empty type means the outlet has none in the vocabulary (a company,
a personal blog, an encyclopaedia, a book publisher): it is registered for its country and
language, and its type reads "unknown". Names in articles are matched exactly after
normalisation (case, accents, a leading "The", possessives, punctuation), then by spelling
similarity (rapidfuzz), then, for long affiliation phrases, by the longest registry name they
contain. A link is matched by its address: the registry row whose ``url`` (or an alias written as a domain, such as
``eluniversal.com.mx``) is the longest prefix of the link's host and path, sub-domains included
(``sociedad.elpais.com`` is El País when ``elpais.com`` is); a DOI link (``doi.org/10.5281/...``)
by the registrant prefix the registry lists for it (``doi.org/10.5281`` is Zenodo's).
A cited work's outlet (``Registry.outlet_of``) is taken from the strongest evidence it carries:
the outlet written in the entry, its address, a registry name inside the written outlet ("PLOS
Biology 21(7)"), the organisation that wrote it, and last a registry name written elsewhere in
the entry than its title ("Tesis doctoral, University of Nebraska - Lincoln").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from dictamen import catalog
from dictamen.errors import InputError

if TYPE_CHECKING:
    from dictamen.sources.bibliography import Entry

REQUIRED_COLUMNS = ("name", "aliases", "type", "country", "language", "url", "source")
TYPES = ("news", "wire", "magazine", "think tank", "academic", "government", "legislature",
         "social media", "ngo")
_COMBINING = re.compile(r"[\u0300-\u036f]")
_POSSESSIVE = re.compile(r"'s\b")
_PUNCTUATION = re.compile(r"[^\w@\s]+")
_ASCII_SEPARATORS = bytes(code if chr(code).isalnum() or chr(code) in "_@" else 0x20 for code in range(128)
                          ) + bytes(range(128, 256))  # ASCII punctuation and white space -> space
_LEADING_THE = re.compile(r"^the (?=\w)")
_DOMAIN_ALIAS = re.compile(r"^(?:[a-z0-9-]+\.)+[a-z]{2,}(?:/\S*)?$", re.I)
_BLOGSPOT_COUNTRY = re.compile(r"\.blogspot\.(?:com\.)?[a-z]{2}$")
_DOI_HOST = "doi.org"
_WORD_RUN = re.compile(r"\w+")
FUZZY_CUTOFF = 90.0
FUZZY_MIN_LENGTH = 6
ACRONYM_MAX_LENGTH = 6
"""Registry spellings in capitals up to this length ("FAR", "IMCO") are found inside a phrase only
when written in capitals there: "far" or "ops" in running words are no outlet."""
UNTYPED = "unknown"
PLACES = {  # places of publication written before a publisher ("México, D.F.: Alfaguara"), normalised
    "mexico": "MX", "mexico df": "MX", "mexico d f": "MX", "ciudad de mexico": "MX",
    "mexico city": "MX", "guadalajara": "MX", "monterrey": "MX", "madrid": "ES", "barcelona": "ES",
    "sevilla": "ES", "seville": "ES", "london": "GB", "londres": "GB", "oxford": "GB",
    "edinburgh": "GB", "new york": "US", "nueva york": "US", "nueva york ny": "US", "new york ny": "US",
    "chicago": "US", "boston": "US", "washington": "US", "washington dc": "US", "san francisco": "US",
    "buenos aires": "AR", "bogota": "CO", "medellin": "CO", "santiago de chile": "CL", "lima": "PE",
    "caracas": "VE", "quito": "EC", "montevideo": "UY", "la habana": "CU", "paris": "FR",
    "berlin": "DE", "toronto": "CA", "lisboa": "PT", "lisbon": "PT", "roma": "IT", "rome": "IT",
}
_DISTINCTIVE_WORD = re.compile(r"^[^\sa-z]+$|\d|^\S+[A-Z]\S*$")
_SENTENCE_BREAK = re.compile(r"[.?!]\s+(?=[A-ZÁÉÍÓÚÑ])")
_PLACE_PARTS = re.compile(r"\s*[,;/\u2013-]\s*|\s+(?:and|y|&)\s+")


@dataclass(frozen=True)
class Outlet:
    """One registry row."""

    name: str
    type: str
    country: str
    languages: tuple[str, ...]
    url: str
    source: str
    domains: tuple[str, ...] = ()
    names: tuple[str, ...] = ()  # the name and aliases as written in the registry


@lru_cache(maxsize=131072)
def normalise(name: str) -> str:
    """A matching key: accents, case, leading 'the', possessive endings and punctuation removed.

    Punctuation (anything but a word character, '@' or white space) and white space become single
    spaces. An apostrophe that is no possessive "'s" is punctuation like any other: one before
    white space or at the end ("the Barrs' view") leaves a space that is collapsed anyway. ASCII
    text (most names and titles, after accents are taken off) goes through one byte translation
    table instead of a regex pass per character class."""
    if name.isascii():
        text = name.lower()  # = casefold() on ASCII
    else:
        text = unicodedata.normalize("NFKD", name)
        if not text.isascii():
            text = _COMBINING.sub("", text)
        text = text.casefold().replace("\u2019", "'").replace("\u2018", "'")
    if "'s" in text:
        text = _POSSESSIVE.sub("", text)
    if text.isascii():
        text = text.encode("ascii").translate(_ASCII_SEPARATORS).decode("ascii")
        while "  " in text:
            text = text.replace("  ", " ")
        text = text.strip(" ")
    else:
        text = " ".join(_PUNCTUATION.sub(" ", text).split())  # split(): the same white space as \s
    return _LEADING_THE.sub("", text) if text.startswith("the ") else text


class Registry:
    """Outlets by normalised name and alias, with exact, fuzzy and contained-name matching."""

    def __init__(self, outlets: list[Outlet], keys: dict[str, Outlet], path: str = "") -> None:
        self.outlets = outlets
        self.keys = keys
        self.path = path
        self._fuzzy_keys = [key for key in keys if len(key) >= FUZZY_MIN_LENGTH]
        ordered = sorted(keys, key=len, reverse=True)
        self._by_first_run: dict[str, list[tuple[int, str]]] = {}  # for find_in, see _contained_in
        irregular = []
        for rank, key in enumerate(key for key in ordered if len(key) >= 3):
            run = _WORD_RUN.match(key)
            if run is not None and _WORD_RUN.match(key[-1]):
                self._by_first_run.setdefault(run.group(0), []).append((rank, key))
            else:
                irregular.append((rank, key))  # "@mx_diputados": starts or ends outside a word
        self._irregular = (re.compile(r"\b(" + "|".join(re.escape(key) for _, key in irregular) + r")\b"),
                           {key: rank for rank, key in irregular}) if irregular else None
        self._acronyms = {normalise(written): written for outlet in outlets for written in outlet.names
                          if written.isupper() and len(written) <= ACRONYM_MAX_LENGTH}
        self._distinctive = {normalise(written) for outlet in outlets for written in outlet.names
                             if _DISTINCTIVE_WORD.search(written)}  # "rOpenSci", "18F", "IMCO"
        self._by_first_word: dict[str, list[list[str]]] = {}  # for named_in: keys by first word
        for key in ordered:
            if len(key) >= 3:
                self._by_first_word.setdefault(key.split(" ", 1)[0], []).append(key.split(" "))
        self._addresses: dict[str, list[tuple[str, Outlet]]] = {}
        for outlet in outlets:
            for written in (outlet.url, *outlet.domains):
                host, path = address_key(written)
                if host:
                    self._addresses.setdefault(host, []).append((path, outlet))
        for entries in self._addresses.values():
            entries.sort(key=lambda item: len(item[0]), reverse=True)

    def match(self, name: str) -> Outlet | None:
        """The outlet a written name refers to, or None: exact key first, then spelling similarity."""
        return _match_cached(self, name)

    def _match(self, name: str) -> Outlet | None:
        key = normalise(name)
        if not key:
            return None
        if key in self.keys:
            return self.keys[key]
        if len(key) >= FUZZY_MIN_LENGTH and self._fuzzy_keys:
            from rapidfuzz import fuzz, process

            found = process.extractOne(key, self._fuzzy_keys, scorer=fuzz.ratio,
                                       score_cutoff=FUZZY_CUTOFF)
            if found is not None:
                return self.keys[found[0]]
        return None

    def for_url(self, url: str) -> Outlet | None:
        """The outlet a link's address belongs to: longest registry address prefix, sub-domains too."""
        host, path = address_key(url)
        labels = host.split(".")
        for start in range(len(labels) - 1):
            suffix = ".".join(labels[start:])
            for prefix, outlet in self._addresses.get(suffix, ()):
                if path == prefix or path.startswith(prefix.rstrip("/") + "/") or not prefix:
                    return outlet
                if (suffix == _DOI_HOST and path.startswith(prefix)  # "/10.1371/journal.pbio.0020106"
                        and not path[len(prefix):len(prefix) + 1].isdigit()):
                    return outlet
        return None

    def named_in(self, phrase: str, anywhere: bool = False) -> Outlet | None:
        """The registry outlet whose name is written inside ``phrase`` ("PLOS Biology 21(7): e3002184",
        "La Jornada, octubre 3"), longest name first; a short capitals spelling only in capitals.
        ``anywhere`` (a whole entry, not an outlet field): a one-word name counts only when it
        cannot be an ordinary word (capitals, a digit or an inner capital: "IMCO", "18F",
        "rOpenSci"), since "Reforma", "Proceso" or "Verso" are also words of titles and notes."""
        words = normalise(phrase).split(" ") if phrase else []
        for start, word in enumerate(words):  # leftmost, then longest: a word-index lookup, not
            for key_words in self._by_first_word.get(word, ()):  # one regex of every name
                if words[start:start + len(key_words)] != key_words:
                    continue
                key = " ".join(key_words)
                if anywhere and len(key_words) == 1 and key not in self._distinctive:
                    continue
                acronym = self._acronyms.get(key)
                if acronym is None or re.search(rf"(?<!\w){re.escape(acronym)}(?!\w)", phrase):
                    return self.keys[key]
        return None

    def outlet_of(self, entry: Entry, author_outlet: Outlet | None = None) -> Outlet | None:
        """The registry outlet of a cited work, strongest evidence first: the outlet written in the
        entry, its address, a registry name inside the written outlet, for a credit line the outlet
        its text names, the organisation that wrote the work (``author_outlet``: "FMI. 2014.
        Perspectivas ..."), and, for a list entry, a registry name written outside its title
        ("... Carolina del Norte, Duke University"). None when nothing in the entry names one:
        the report then lists the outlet as unregistered, nothing is guessed."""
        outlet = self.match(entry.outlet) if entry.outlet else None
        if outlet is None and entry.url:
            outlet = self.for_url(entry.url)
        if outlet is None and entry.outlet:
            outlet = self.named_in(entry.outlet)
        if outlet is None and entry.style.startswith("credit line") and not entry.outlet:
            outlet = self.find_in(entry.title)  # "Fuente: Sondeo ... realizado por La Jornada"
        if outlet is None and author_outlet is not None:
            outlet = author_outlet
        if outlet is None and entry.style not in ("hyperlink", "address only", "wire credit"):
            rest = entry.raw.replace(entry.title, " ") if entry.title else entry.raw
            outlet = self.named_in(rest, anywhere=True)
        if outlet is not None and outlet.type == UNTYPED and entry.outlet:
            country = place_of_publication(entry.raw, entry.outlet)
            if country and country != outlet.country:
                outlet = replace(outlet, country=country)  # this edition's house, not the group's seat
        return outlet

    def find_in(self, phrase: str) -> Outlet | None:
        """The registry outlet named inside a longer phrase (e.g. an affiliation), longest name first."""
        direct = self.match(phrase)
        if direct is not None:
            return direct
        key = self._contained_in(normalise(phrase))
        return self.keys[key] if key is not None else None

    def _contained_in(self, key_text: str) -> str | None:
        """The key ``re.search(r"\b(k1|k2|...)\b", key_text)`` finds in a normalise() key, keys
        of three or more characters longest first: the leftmost key written between word
        boundaries, the first in that order where several start. A key that starts and ends with
        a word character can start only where a run of word characters starts, and that run is
        then the key's own first run (a non-word character or, for a one-run key, the closing
        boundary ends both), so only the keys indexed under the text's runs are tried, in order;
        the few other keys keep a regex of their own. A key holds word characters, '@' and single
        spaces only, so without an '@' its runs are its words."""
        found_rank, found_at, found_key = len(self.keys), len(key_text) + 1, None
        if self._irregular is not None:
            pattern, ranks = self._irregular
            other = pattern.search(key_text) if any(key in key_text for key in ranks) else None
            if other is not None:
                found_rank, found_at, found_key = ranks[other.group(1)], other.start(), other.group(1)
        index = self._by_first_run
        if "@" in key_text:
            runs = [(run.start(), run.group(0)) for run in _WORD_RUN.finditer(key_text)
                    if run.group(0) in index]
        else:
            runs, at = [], 0
            for word in key_text.split(" "):
                if word in index:  # only the runs some key begins with
                    runs.append((at, word))
                at += len(word) + 1
        size = len(key_text)
        for start, run in runs:
            if start > found_at:
                break
            for rank, key in index[run]:
                end = start + len(key)
                if key_text.startswith(key, start) and (end == size or not _WORD_RUN.match(key_text, end)):
                    if start < found_at or rank < found_rank:
                        return key
                    break
        return found_key


@lru_cache(maxsize=65536)
def _match_cached(registry: Registry, name: str) -> Outlet | None:
    return registry._match(name)


def load_outlets(path: str = "data/outlets.csv") -> Registry:
    """Read and check an outlet registry CSV (columns: name, aliases, type, country, language, url, source)."""
    import pandas as pd

    opened = catalog.open_data(path, parameter="outlets_path")
    try:
        frame = pd.read_csv(opened, dtype=str, keep_default_na=False, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError) as error:
        raise InputError(f"The outlet registry cannot be read as a UTF-8 CSV ({error})",
                         path=opened, expected="a CSV with a header row") from None
    missing = [column for column in REQUIRED_COLUMNS if column not in frame.columns]
    if missing:
        raise InputError(f"The outlet registry lacks the column(s) {', '.join(missing)}",
                         path=opened, expected="columns " + ", ".join(REQUIRED_COLUMNS))
    outlets: list[Outlet] = []
    keys: dict[str, Outlet] = {}
    for row_number, row in enumerate(frame.itertuples(index=False), start=2):
        if not row.name.strip():
            raise InputError("An outlet has no name", path=opened, row=row_number, column="name",
                             expected="the outlet's name")
        if row.type not in TYPES and row.type.strip():
            raise InputError(f"Unknown outlet type '{row.type}'", path=opened, row=row_number,
                             column="type", expected="one of " + ", ".join(TYPES)
                             + ", or empty for an outlet with none of these types")
        aliases = [alias.strip() for alias in row.aliases.split("|") if alias.strip()]
        outlet = Outlet(row.name.strip(), row.type.strip() or UNTYPED, row.country.strip() or "unknown",
                        tuple(part for part in row.language.split("|") if part), row.url.strip(),
                        row.source.strip(),
                        tuple(alias for alias in aliases if _DOMAIN_ALIAS.match(alias)),
                        (row.name.strip(), *aliases))
        outlets.append(outlet)
        for written in [row.name, *row.aliases.split("|")]:
            key = normalise(written)
            if key and key not in keys:
                keys[key] = outlet
    return Registry(outlets, keys, catalog.display_path(opened))


def place_of_publication(raw: str, publisher: str) -> str:
    """The country (ISO alpha-2) of the place written just before ``publisher`` in a book entry
    ("México, DF.: Editorial Debate, 2013" -> "MX", "London - New York: Verso" -> "GB"), or ''
    when there is none or it is not a place in PLACES. A publisher with houses in several countries
    (Penguin Random House's imprints) publishes each edition from one of them; the registry gives
    its seat, the entry the edition's."""
    position = raw.find(publisher)
    before = raw[:position].rstrip() if position > 0 else ""
    if not before.endswith(":"):
        return ""
    pieces = _SENTENCE_BREAK.split(before[:-1])
    for place in (pieces[-1], ". ".join(pieces[-2:])):
        key = normalise(place)
        first = normalise(_PLACE_PARTS.split(place.strip(" ."), maxsplit=1)[0])
        for candidate in (key, first):
            if candidate in PLACES:
                return PLACES[candidate]
    return ""


def address_key(url: str) -> tuple[str, str]:
    """(host without "www.", path without a trailing "/"), both lower case, of a link or a domain."""
    text = url.strip()
    if not text:
        return "", ""
    if "://" not in text:
        text = "http://" + text
    try:
        parts = urlsplit(text)
    except ValueError:
        return "", ""
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    host = _BLOGSPOT_COUNTRY.sub(".blogspot.com", host)  # Blogger's country domains: one blog
    return host, parts.path.rstrip("/").lower()
