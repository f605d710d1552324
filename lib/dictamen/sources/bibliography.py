"""The article's list of sources: find the section, split it into entries, parse each entry.

Sections are found by their heading (Sources, References, Bibliography, Works cited, Notes,
Endnotes, Footnotes, Fuentes, Referencias, Bibliografía, Notas, Obras citadas), by Markdown
footnote definitions (``[^1]: ...``), as a closing run of numbered notes, or as a closing run of
citations with no heading after the last paragraph. Entries are parsed
in these families of style:

* quoted title (Chicago, MLA, Chicago notes): ``Authors. "Title." Outlet. Date. URL``
  or ``1. Authors, "Title," Outlet, Date, URL.``
* APA: ``Authors (2020, December 15). Title. Outlet. URL`` (also ``(15 de diciembre de 2020)``)
* medical (Vancouver, NLM, health agencies): ``Volkow ND, Koob GF. Title. N Engl J Med.
  2016;374(4):363-71.``, ``Boyer, E.W. Title. Pediatr Emerg Care 20(12):858-863, 2004.`` and web
  documents ``Title [Internet]. Publisher; 2021 [cited 2022 Jan 14]. Available from: URL``
* AMA web page: ``[Author.] Title. [Site.] Accessed December 12, 2023. URL``
* pandoc citation keys in the text, ``[@Fenner:2015]``: one work per key, titled by it.
* plain: ``Authors. Title. Outlet, Date.`` (only when a date is present; marked as guessed).

An entry that fits none is kept with ``parsed=False`` and the reason, never dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from dictamen.sources.dates import find_date

def _after_first_letter(words: str) -> str:
    """``(?i:w1|w2|...)`` once the first letter is taken by a character class: each letter's
    tails behind a case-insensitive check of that letter, order kept within a letter (a
    character starts words of one letter only), so the preference order is unchanged. A pattern
    that opens with a plain character class lets re skip to candidate characters in C; one that
    opens with a case-insensitive word, \\b or a lookbehind is tried at every character."""
    groups: dict[str, list[str]] = {}
    for word in words.split("|"):
        groups.setdefault(word[0], []).append(word[1:])
    return "(?i:" + "|".join(f"(?<={first})(?:{'|'.join(tails)})" for first, tails in groups.items()) + ")"


# the first letters of the organisation words, with every character each matches under re.I
# ('s' also matches 'ſ', 'i' also 'İ' and 'ı')
_ORG_FIRST = "[DdOoMmSs\u017fCcRrGgUuIi\u0130\u0131PpNnAaBbFfEeTt]"


HEADINGS = ("sources", "source list", "references", "reference list", "bibliography",
            "works cited", "notes", "endnotes", "footnotes", "fuentes", "fuentes consultadas",
            "referencias", "bibliografía", "bibliografia", "notas", "obras citadas",
            "referencias bibliográficas", "citations", "sources cited", "further reading",
            "recommended reading", "lecturas recomendadas", "para saber más", "bibliografía recomendada",
            "lecturas")
_HEADING = re.compile(
    r"^[ \t]*(?:#{1,6}[ \t]*)?(?:\*\*|__)?[ \t]*[(\[]?(?P<word>" + "|".join(re.escape(h) for h in HEADINGS)
    + r")[)\]]?[ \t]*(?:\*\*|__)?[ \t]*:?[ \t]*(?:\*\*|__)?[ \t]*$", re.I | re.M)
_TRAILER = re.compile(
    r"^\s*(?:#{1,6}\s*)?(?:leave a (?:comment|reply)|comments?|\d+ comments?|share this|share:|"
    r"related(?: posts| articles| stories)?|about the authors?|tags?:|filed under|"
    r"deja (?:un|tu) comentario|comentarios|compartir|art[ií]culos relacionados|sobre (?:el|la) autora?)\b",
    re.I)
_FOOTNOTE_DEF = re.compile(r"^\[\^(?P<label>[^\]]+)\]:[ \t]*(?P<body>.*)$", re.M)
_NUMBER_MARK = re.compile(r"^\s*(?:\[(?P<a>\d{1,3})\]|(?P<b>\d{1,3})[.)](?=\s)|(?P<c>[¹²³⁴⁵⁶⁷⁸⁹⁰]+)|"
                          r"\^(?P<d>\d{1,3})|(?P<e>\d{1,3})[ \t]+(?=[A-ZÁÉÍÓÚÑ][\w.]))\s*")
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_NUMBER_MARK_FIRSTS = "[^¹²³⁴⁵⁶⁷⁸⁹⁰"  # with the decimal digits, what a _NUMBER_MARK starts with
_BULLET = re.compile(r"^\s*[-*•·–]\s+")
_SEPARATOR_CHARACTERS = "-–—*•·_=~■□◆◇●○|"
_SEPARATOR = re.compile(r"^[\s" + re.escape(_SEPARATOR_CHARACTERS) + r"]*$")  # bullets or rules between entries
_END_MARK = re.compile(r"\s*[■□◆◇∎]\s*$")  # a newspaper's end-of-text mark
_END_MARK_CHARACTER = re.compile(r"[■□◆◇∎]")  # found in C; _END_MARK is tried at every space
_REPEAT = re.compile(r"^(?:ibid|ibíd|ibidem|ibídem|id\.|idem|ídem|loc\.\s*cit|op\.\s*cit)\b", re.I)
_CREDIT_LINE = re.compile(r"^[ \t]*(?:\*\*|__)?(?P<word>sources?|fuentes?)(?:\*\*|__)?[ \t]*:"
                          r"(?:\*\*|__)?[ \t]*(?:\n[ \t]*)?(?P<body>\S.+)$", re.I | re.M)
_CREDIT_NOTE = re.compile(r"[,;.]?\s+(?:notes?|notas?|nb)\s*:.*$", re.I)
_ITALIC = re.compile(r"(?<![\w*])(?:\*(?!\s)(?P<a>[^*\n]+?)(?<!\s)\*|_(?!\s)(?P<b>[^_\n]+?)(?<!\s)_)(?![\w*])")
_VOLUME_TAIL = re.compile(r"(?:,?\s*(?:\b[IVXLC]+\b\s*)?\(?\d+[\w\-–]*\)?(?:\s*\([^)]*\))?(?:\s*,?\s*"
                          r"(?:no|núm|n|vol|pp?)\.?\s*[\d\-–]+)*\s*(?::\s*[\w\-–.]+)?(?:\s*\.?\s*doi:?.*)?"
                          r"|,?\s+(?:vol|no|núm|pp?)\b\.?.*|,\s*(?:pp?)$)$", re.I)
_PUBLISHER = re.compile(r"(?:^|[.]\s+)(?:[^.:]{2,60}:\s*)?(?P<publisher>[^.,:]{2,80}?),\s*(?:\d{4})")
_YEAR = re.compile(r"\b(?:1[5-9]\d\d|20\d\d)\b")
_YEAR_ONLY = re.compile(r"^\(?\d{4}[a-z]?\)?$")
_URL = re.compile(r"(?P<url>[hHfFjJdDvV]" + _after_first_letter("https?|ftp|javascript|data|vbscript|file")
                  + r":[^\s<>\"”»)\]]+)")
_MD_LINK = re.compile(r"\[(?P<text>[^\]]*)\]\((?P<url>[^)\s]*)\)")
# a reStructuredText link, `Daily Mail <http://www.dailymail.co.uk/...>`__ (Sphinx, Pelican, ABlog)
REST_LINK = re.compile(r"`(?P<text>[^`<>]*?)\s*<(?P<url>[^<>\s]+)>`__?(?!\w)")
_ANGLE_URL = re.compile(r"<(?P<url>(?:https?|ftp):[^>\s]+)>", re.I)
_ACCESSED = re.compile(r"\b(?:accessed|retrieved|consultado(?: el)?|recuperado(?: el)?|"
                       r"fecha de consulta)\b[^.]*(?:\.|$)", re.I)
_EMPHASIS = re.compile(r"(?<!\w)[*_]{1,2}(?=\S)|(?<=\S)[*_]{1,2}(?!\w)")  # Markdown emphasis
_ACCESS_HINT = re.compile("[cCeEoO]" + _after_first_letter("ccess|etriev|onsult|ecuper"))
# the opening mark as one character class (a ‘ only before a word character), so that re skips
# to quote marks in C instead of trying the pattern at every character
_QUOTED = re.compile(r"(?P<open>[“\"«‘](?:(?<=‘)(?=\w)|(?<!‘)))(?P<title>[^“”\"«»]{3,}?)"
                     r"(?P<close>[”\"»]|’(?![^\W\d_]))")
_APA = re.compile(r"^(?P<authors>.*?)\s*\((?P<date>(?:\d{4}[a-z]?|s\.\s?f\.|n\.\s?d\.)[^()]*)\)\.?\s*"
                  r"(?P<rest>.+)$", re.S)
_PIECE_SPLIT = re.compile(r"[.;,](?<!\b[A-Z][.;])(?<!\bSt[.;])(?<!\bNo[.;])(?<!\bvol[.;])(?<!\bpp[.;])\s+")
_SENTENCE_SPLIT = re.compile(r"(?<!\b[A-Z]\.)(?<!\b[A-Z][a-z]\.)(?<=[.?!])\s+")
_ORG_WORDS = re.compile(
    _ORG_FIRST + "(?<!\\w" + _ORG_FIRST + ")" + _after_first_letter(
    r"department|office|ministry|ministerio|secretar[ií]a|coordinaci[oó]n|comunicaci[oó]n|"
    r"staff|redacci[oó]n|gaceta|comisi[oó]n|commission|committee|senado|senate|c[aá]mara|chamber|"
    r"congress|congreso|university|universidad|institute|instituto|center|centre|centro|press|"
    r"news|agency|agencia|bureau|council|consejo|foundation|fundaci[oó]n|government|gobierno|"
    r"presidencia|association|asociaci[oó]n|group|grupo|network|red|service|servicio|editors|"
    r"editorial|board|team|equipo|unit|unidad|program|programa|project|proyecto|bank|banco|"
    r"organization|organisation|organizaci[oó]n|tribunal|court|corte|suprema") + r"\b")
_HANDLE = re.compile(r"[(\[]?(?P<handle>@\w{1,30})[)\]]?")
_STAFF = re.compile(r"^(?P<org>.+?)\s+(?:staff|editors|editorial board|newsroom|redacción)$", re.I)
# Helpers compiled once (module-level re.* calls pay a cache lookup on every call).
_MD_HEADING = re.compile(r"^#{1,6}\s")
_ENTRY_END = re.compile(r"(?:[.!?”\")\]>\d]|://\S+)$")
_SPACES = re.compile(r"\s+")
_WEB_SCHEME = re.compile(r"https?://", re.I)
_IN_PREFIX = re.compile(r"^(?:in|en)\s+", re.I)
_NOT_OUTLET = re.compile(r"(?:p{1,2}\.?|pp\.?|vol\.?|no\.?|n\.?º?)\s*[\d\-–]+|\d+|online|en línea|web",
                         re.I)
_BRACKET_NOTE = re.compile(r"\s*\[[^\]]{1,40}\]$")
_APA_OUTLET_END = re.compile(r",\s+(?=\d)|,\s+(?:vol|no|pp?)\b")
_FINAL_INITIAL = re.compile(r"\b[A-ZÁÉÍÓÚÑ]\.$")
_APA_INITIAL = re.compile(r",\s*[A-ZÁÉÍÓÚÑ]\.")  # in every _APA_NAMES match
_APA_NAMES = re.compile(r"([^\s,&][^,&]*?),\s*((?:[A-ZÁÉÍÓÚÑ]\.\s?-?\s?)+)(?=\s*(?:,|&|and\b|y\b|$))")
_NAME_SEPARATORS = re.compile(r"[\s,&]|\band\b|\by\b")
_PEOPLE_SPLIT = re.compile(r"\s*;\s*|\s*&\s*|,?\s+(?:and|y|e)\s+")


def line_matches(pattern: re.Pattern[str], text: str, required: str = "") -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)`` for a pattern all of whose matches start a line (``^`` under
    re.M), tried at line starts only: re tries ``^`` at every character, and an article has
    thousands of characters for some fifty lines. With ``required`` (a string every match has
    on its first line), only the lines holding it are tried."""
    end = 0  # where the last match ended (finditer goes on from there)
    for start in _line_starts(text, required):
        if start >= end:
            found = pattern.match(text, start)
            if found is not None:
                yield found
                end = max(found.end(), found.start() + 1)


def _line_starts(text: str, required: str = "") -> Iterator[int]:
    if required:
        starts, at = [], text.find(required)
        while at != -1:
            start = text.rfind("\n", 0, at) + 1
            if not starts or starts[-1] != start:
                starts.append(start)
            at = text.find(required, at + len(required))
        yield from starts
        return
    start = 0
    while True:
        yield start
        newline = text.find("\n", start)
        if newline < 0:
            return
        start = newline + 1


@dataclass(slots=True)
class Entry:
    """One entry of the sources list, as written and as understood."""

    number: int
    raw: str
    offset: int
    style: str = "unparsed"
    authors: list[str] = field(default_factory=list)
    author_organisation: str = ""
    handle: str = ""
    title: str = ""
    outlet: str = ""
    date: str = ""
    date_text: str = ""
    url: str = ""
    parsed: bool = False
    problems: list[str] = field(default_factory=list)
    # filled by linking
    outlet_name: str = ""
    outlet_registered: bool = False  # outlet_name is a registry outlet (its type may still be unknown)
    type: str = "unknown"
    country: str = "unknown"
    language: str = "und"
    language_method: str = ""
    author_outlet_name: str = ""


@dataclass
class Bibliography:
    """The sources section found in an article (if any) and its entries."""

    heading: str
    start: int
    end: int
    entries: list[Entry]
    how_found: str
    explanatory_notes: list[str] = field(default_factory=list)
    """Labels of notes that explain rather than cite (not counted as works)."""
    spans: list[tuple[int, int]] = field(default_factory=list)
    """Where the sources sections are in the text (a list may have several sections)."""

    @property
    def unparsed(self) -> list[Entry]:
        return [entry for entry in self.entries if not entry.parsed]


def find_bibliography(text: str) -> Bibliography:
    """Locate the sources section and parse its entries; an empty Bibliography if there is none."""
    headings = list(line_matches(_HEADING, text))
    footnotes = list(line_matches(_FOOTNOTE_DEF, text, "[^"))
    if headings:
        # every headed section counts ("References" then "Notes"); explanatory notes do not
        sections = [(heading, *_definitions_first(text, heading.end(), _section_end(text, heading.end())))
                    for heading in headings]
        entries: list[Entry] = []
        notes: list[str] = []
        first_citing = None
        for heading, pieces, end in sections:
            for raw, offset in pieces:
                definition = _FOOTNOTE_DEF.match(raw) if raw.startswith("[^") else None
                notes_section = heading.group("word").lower() in _NOTE_HEADINGS
                if (notes_section or definition) and is_explanatory_note(definition.group("body") if definition else
                                       _NUMBER_MARK.sub("", raw, count=1)):
                    notes.append(f"[^{definition.group('label')}]" if definition else
                                 f"{heading.group('word')}: {raw[:40]}…")
                    continue
                entries += note_entries(raw, len(entries) + 1, offset)  # "- JRF: [A](...), [B](...)": two works
                first_citing = first_citing or heading
        spans = [(heading.start(), end) for heading, _, end in sections]
        for found in footnotes:
            if any(start <= found.start() < end for start, end in spans):
                continue
            if is_explanatory_note(found.group("body")):
                notes.append(f"[^{found.group('label')}]")
                continue
            entries += note_entries(found.group("body"), len(entries) + 1, found.start("body"))
        named = first_citing or sections[0][0]
        return Bibliography(named.group("word"), sections[0][0].start(), sections[-1][2], entries,
                            "heading", notes, spans)
    if footnotes:
        citing = [found for found in footnotes if not is_explanatory_note(found.group("body"))]
        kept = {offset for _, offset in _without_repeats(
            [(found.group("body"), found.start("body")) for found in citing])}
        entries = []
        for found in citing:
            if found.start("body") in kept:
                entries += note_entries(found.group("body"), len(entries) + 1, found.start("body"))
        notes = [f"[^{found.group('label')}]" for found in footnotes if found not in citing]
        return Bibliography("footnotes", footnotes[0].start(), footnotes[-1].end(), entries,
                            "footnote definitions", notes)
    closing = _closing_numbered_run(text)
    if closing is not None:
        start, end = closing
        blocks = _split_entries(text, start, end)
        entries = [parse_entry(raw, number, offset) for number, (raw, offset)
                   in enumerate(blocks, start=1)]
        return Bibliography("numbered notes", start, end, entries, "closing numbered notes")
    closing_list = _closing_citations(text)
    if closing_list:
        for number, entry in enumerate(closing_list, start=1):
            entry.number = number
        return Bibliography("", closing_list[0].offset, len(text), closing_list, "closing list")
    return Bibliography("", len(text), len(text), [], "none")


def _definitions_first(text: str, start: int, end: int) -> tuple[list[tuple[str, int]], int]:
    """A headed section's pieces and end. A section whose list is footnote definitions (two or
    more) ends with its last definition: a paragraph after them ("This document ... is available
    under the [CC BY-SA 4.0](...) License, and was generated using [pandoc](...)") is body text,
    whose links are read as the body's."""
    pieces = _split_entries(text, start, end)
    definitions = [index for index, (raw, _) in enumerate(pieces)
                   if raw.startswith("[^") and _FOOTNOTE_DEF.match(raw)]
    after = definitions[-1] + 1 if len(definitions) >= 2 else len(pieces)
    if after < len(pieces) and text[pieces[after][1]] not in " \t":  # an indented one continues a note
        end = pieces[after][1]
        pieces = pieces[:after]
    return pieces, end


_NOTE_HEADINGS = ("notes", "endnotes", "footnotes", "notas")
"""Sections that may hold explanatory notes; a References or Fuentes section holds citations only."""
_LOWER_WORD = re.compile(r"\b[a-záéíóúñü]")
_WORDS = re.compile(r"[^\W\d_]+")


def is_explanatory_note(text: str) -> bool:
    """A note that explains ("For the purposes of this guide, the term COR also includes ...")
    rather than cites: a sentence of twelve words or more, mostly lower-case words, with no link,
    quoted or italic title, and no date unless it runs to twenty words or more."""
    words = _WORDS.findall(text)
    quoted = _QUOTED.search(text)
    if len(words) < 12 or _URL.search(text) or _ITALIC.search(text) or (
            quoted and len(quoted.group("title").split()) >= 3):
        return False  # a quoted word ("madre") is emphasis; a quoted title of three words cites
    apa = _APA.match(text)
    if apa and find_date(text)[0] and len(apa.group("authors").split()) <= 10:
        return False  # "Author (2020, December 15). Title ...": a citation however long
    if (find_date(text)[0] or _YEAR.search(text)) and len(words) < 20:
        return False  # a short note with a date may be a citation; a long one explains
    return len(_LOWER_WORD.findall(text)) >= 0.6 * len(words)


def credit_line_entries(text: str, skip: tuple[int, int], first_number: int) -> list[Entry]:
    """``Source: Author, "Title," Outlet, Date.`` / ``Fuente: ...`` lines outside the list, as entries.

    Whatever the line credits is a cited work: a full citation, a title with a link, a
    description ("Fuente: Sondeo en redes sociales realizado por ...") or an outlet's name
    ("Source: Today In Energy"); the line stays an attribution too. The line may break after
    the colon; a note after the source (", Note: ...") is not part of it, and several works on one
    line are split at ';'. Photo and image credits are not sources of the text.
    """
    if ":" not in text:
        return []
    entries: list[Entry] = []
    for found in line_matches(_CREDIT_LINE, text, ":"):
        if skip[0] <= found.start() < skip[1]:
            continue
        offset = found.start("body")
        body = _CREDIT_NOTE.sub("", found.group("body"))
        for part in body.split(";"):
            raw = part.strip()
            if not raw:
                continue
            entry = parse_entry(raw, first_number + len(entries), offset + body.find(raw))
            entry.style = f"credit line ({entry.style})" if entry.parsed else "credit line"
            if not entry.parsed:
                entry.title, entry.parsed, entry.problems = raw.rstrip(" ."), True, []
            entries.append(entry)
    return entries


_BOOK_LINE = re.compile(  # a title may hold a subtitle after a colon and a space; editors end "(eds.)"
    r"^[ \t]*(?P<authors>[A-ZÁÉÍÓÚÑ][^.\n:]{2,80}?)(?:\.|[ \t]+\((?:eds?|coords?|comps?)\.\))[ \t]+"
    r"(?P<title>[^\n:]{3,200}?(?::[ \t]+[^\n:]{2,200}?)?)\.[ \t]+"
    r"(?P<place>[A-ZÁÉÍÓÚÑ][^\n:]{1,40}?):[ \t]*(?P<publisher>[^,\n]{2,80}),[ \t]*"
    r"(?P<year>1[5-9]\d\d|20\d\d)\.?[ \t]*$", re.M)


def book_line_entries(text: str, skip: list[tuple[int, int]], first_number: int) -> list[Entry]:
    """Full book or journal citations standing alone on a line in the body, outside any list
    ("Camus, Albert. La Peste. México, DF.: Debolsillo, 2012."; "- Lachin JM. Properties of simple
    randomization in clinical trials. Control Clin Trials 1988: 9(4); 312-26. Article is [behind
    a paywall][lac1]."): a reading list woven into the text. Only the complete forms count
    (author. title. place: publisher, year; a medical-style journal article, its authors by
    their initials and its volume), and the whole line is the entry, so its links are part of it."""
    if ":" not in text:
        return []
    entries = []
    for found in line_matches(_BOOK_LINE, text, ":"):
        if any(start <= found.start() < end for start, end in skip):
            continue
        entry = Entry(number=0, raw=found.group(0).strip(),
                      offset=found.start("authors"), style="book line", title=found.group("title").strip(),
                      outlet=found.group("publisher").strip(), date=found.group("year"),
                      date_text=found.group("year"), parsed=True)
        _set_authors(entry, found.group("authors"))
        entries.append(entry)
    lines_read = {entry.offset for entry in entries}
    for start in sorted({*_line_starts(text, ":"), *_line_starts(text, ";")}):  # a locator holds one
        end = text.find("\n", start)
        raw = text[start:len(text) if end == -1 else end]
        offset = start + len(raw) - len(raw.lstrip())
        if offset in lines_read or any(low <= offset < high for low, high in skip) \
                or not any(pattern.search(raw) for pattern in _JOURNAL_LOCATORS):
            continue
        entry = parse_entry(raw, 0, offset)
        if entry.style == "journal (medical style)":
            entries.append(entry)
    entries.sort(key=lambda entry: entry.offset)
    for number, entry in enumerate(entries, start=first_number):
        entry.number = number
    return entries


# pandoc / R Markdown / Quarto citations: "[@Fenner:2015]", "[see @Eysenbach:2006; @Piwowar:2013, p. 3]":
# a key holds a year (or another number), and ends at "]", ";" or ","; not "[@handle](https://...)"
# (a link on a handle), "[@juliesquid on Twitter]" (a handle), "[@class='word']" (XPath in code)
_CITATION_BRACKET = re.compile(r"\[(?P<keys>[^\[\]\n=\"']{0,40}?-?@[A-Za-z][^\[\]\n=\"']*)\](?![(\[])")
_CITATION_KEY = re.compile(r"(?<![\w@])-?@(?P<key>[A-Za-z][\w:.#$%&+?<>~/-]*\d[\w:.#$%&+?<>~/-]*[\w])(?=\s*[;,]|\s*$)")


def citation_key_entries(text: str, skip: list[tuple[int, int]], first_number: int) -> list[Entry]:
    """The works cited by key in pandoc's syntax, one per distinct key ("[@Fenner:2015]"): the key
    is all the text says of the work (its bibliography file is not part of the article), so it
    is the title, and the work's outlet stays unknown."""
    if "[" not in text or "@" not in text:
        return []
    entries: list[Entry] = []
    seen: set[str] = set()
    for bracket in _CITATION_BRACKET.finditer(text):
        if any(start <= bracket.start() < end for start, end in skip):
            continue
        for key in _CITATION_KEY.finditer(bracket.group("keys")):
            if key.group("key") in seen:
                continue
            seen.add(key.group("key"))
            entries.append(Entry(number=first_number + len(entries), raw=bracket.group(0),
                                 offset=bracket.start("keys") + key.start(), style="citation key",
                                 title=f"[@{key.group('key')}]", parsed=True))
    return entries


def _section_end(text: str, start: int) -> int:
    position = start
    for line in text[start:].splitlines(keepends=True):
        stripped = line.strip()
        if stripped and (_TRAILER.match(stripped) or (stripped[0] == "#" and _MD_HEADING.match(stripped))
                         or _HEADING.match(stripped)):
            return position
        position += len(line)
    return len(text)


def _lines_and_offsets(text: str) -> tuple[list[str], list[int]]:
    """The text's lines (ends kept) and where each starts, for reading a text back from its end."""
    lines = text.splitlines(keepends=True)
    offsets, position = [], 0
    for line in lines:
        offsets.append(position)
        position += len(line)
    return lines, offsets


def _closing_numbered_run(text: str) -> tuple[int, int] | None:
    lines, offsets = _lines_and_offsets(text)
    index = len(lines) - 1
    while index >= 0 and not lines[index].strip():
        index -= 1
    first = None
    count = 0
    while index >= 0:
        line = lines[index]
        if not line.strip():
            index -= 1
            continue
        if _NUMBER_MARK.match(line) and (find_date(line)[0] or _URL.search(line)
                                         or _YEAR.search(line) or _REPEAT.match(
                                             _NUMBER_MARK.sub("", line, count=1).strip())):
            first = index
            count += 1
            index -= 1
            continue
        break
    if first is None or count < 2:
        return None
    return offsets[first], len(text)


_CLOSING_STYLES = ("quoted title", "APA", "title and address")
_CLOSING_ENTRY_WORDS = 60  # a longer block is a paragraph, not an entry


def _closing_citations(text: str) -> list[Entry]:
    """A list with no heading after the last paragraph: the run of citations that ends the text,
    one per line or one per block of up to four lines between blank lines (`Outlet. "Title."
    Outlet. 12 August, 2010.`, APA entries, "Title https://..." lines), read back from the end up
    to the first block that is no citation; at least two, else none (one line could be prose)."""
    lines, offsets = _lines_and_offsets(text)
    found: list[Entry] = []
    index = len(lines)
    while index > 0:
        while index > 0 and not lines[index - 1].strip():
            index -= 1
        first = index
        while first > 0 and lines[first - 1].strip():
            first -= 1
        if first == index:
            break
        block = [(lines[at].strip(), offsets[at] + len(lines[at]) - len(lines[at].lstrip()))
                 for at in range(first, index)]
        one_per_line = [_closing_entry(raw, offset) for raw, offset in block]
        if all(one_per_line):
            found[:0] = one_per_line
        elif len(block) <= 4 and (whole := _closing_entry(" ".join(raw for raw, _ in block), block[0][1])):
            found.insert(0, whole)
        else:
            break
        index = first
    return found if len(found) >= 2 else []


def _closing_entry(raw: str, offset: int) -> Entry | None:
    """The entry ``raw`` is when it reads as a citation on its own, not as a sentence or a quotation:
    a quoted title after an author or outlet ending in '.', ',' or ':' (Chicago, MLA: not "he said
    “...”", not a testimonial opening with its quotation), an APA entry, or a title followed by a
    written-out address that ends the line (a Markdown link is read as a link anyway; a reST
    target line ".. _label: url" is no entry)."""
    if len(raw.split()) > _CLOSING_ENTRY_WORDS or raw.startswith(".. ") or _HEADING.match(raw) \
            or _MD_HEADING.match(raw):
        return None
    entry = parse_entry(raw, 1, offset)
    if not entry.parsed or entry.style not in _CLOSING_STYLES:
        return None
    if entry.style == "quoted title":
        opening = _QUOTED.search(raw)
        before = raw[:opening.start()].rstrip() if opening else ""
        if not before or before[-1] not in ".,:":
            return None
    if entry.style == "title and address" and ("](" in raw or not raw.rstrip(" .)>").endswith(entry.url)):
        return None
    return entry


def _split_entries(text: str, start: int, end: int) -> list[tuple[str, int]]:
    """Entries as (raw text, offset): numbered/bulleted items, else one entry per line."""
    lines: list[tuple[str, int]] = []
    position = start
    section = text[start:end]
    any_end_mark = _END_MARK_CHARACTER.search(section) is not None  # else _END_MARK cannot match
    for line in section.splitlines(keepends=True):
        stripped = line.rstrip("\n")
        first = stripped[:1]
        separator = (not first or first in _SEPARATOR_CHARACTERS or first.isspace()) \
            and _SEPARATOR.match(stripped) is not None  # a separator line starts with one of them
        marked = any_end_mark and _END_MARK_CHARACTER.search(stripped) is not None
        ended = marked and not separator and _END_MARK.search(stripped) is not None
        lines.append(("" if separator else _END_MARK.sub("", stripped) if marked else stripped,
                      position))
        position += len(line)
        if ended:
            break  # what follows an end-of-text mark (an author's note) is not the list
    content = [(line, offset) for line, offset in lines if line.strip()]
    if not content:
        return []
    marked = sum(bool(_NUMBER_MARK.match(line) or _BULLET.match(line)) for line, _ in content)
    entries: list[list] = []
    if marked >= max(1, len(content) // 2) or _numbered_in_sequence(content):
        for line, offset in content:
            if _NUMBER_MARK.match(line) or _BULLET.match(line) or not entries:
                entries.append([line.strip(), offset])
            else:
                entries[-1][0] += " " + line.strip()
        return _without_repeats(entries)
    previous_blank = True
    for line, offset in lines:
        stripped = line.strip()
        if not stripped:
            previous_blank = True
            continue
        definition = stripped.startswith("[^") and _FOOTNOTE_DEF.match(stripped) is not None
        continuation = entries and not definition and (
            (stripped[0].islower() and not _WEB_SCHEME.match(stripped))
            or (not previous_blank and (stripped.lower().startswith(("http", "<http"))
                                        or not _ENTRY_END.search(entries[-1][0])
                                        or (stripped[0] == "(" and _WRAPPED_PART.match(stripped)))))
        if continuation:
            entries[-1][0] += " " + stripped
        else:
            entries.append([stripped, offset])
        previous_blank = False
    return _without_repeats(entries)


# what cannot open an entry, so continues the line above: a date "(2017). Title ..." wrapped away from
# its authors, an issue and pages "(1): 80–88." wrapped away from the volume
_WRAPPED_PART = re.compile(r"\((?:\d{1,4}[a-z]?|s\.\s?f\.|n\.\s?d\.)\)[.:,]")


def _numbered_in_sequence(content: list[tuple[str, int]]) -> bool:
    """Whether the lines are a numbered list whose entries run over several lines, the wrapped lines
    not indented (a plain-text or reST source: "1. Sonia O'Connor et al, Exceptional preservation
    ..." then "brain from Heslington, ..."): the first line numbered, and the numbered lines
    numbered one after the other (1, 2, 3...), so that every other line continues the entry above."""
    numbers = []
    for line, _ in content:
        mark = _NUMBER_MARK.match(line)
        if mark is not None:
            number = next(group for group in mark.groups() if group is not None)
            numbers.append(int(number.translate(_SUPERSCRIPTS)))
        elif not numbers:
            return False
    return len(numbers) >= 2 and numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def _without_marks(text: str) -> str:
    """``text`` without its number mark, then its bullet (``_NUMBER_MARK``, then ``_BULLET``, once
    each, at the start): each tried only when the first character can start it (whitespace,
    or the mark's own first characters), so an entry without either costs no regex call."""
    first = text[:1]
    if first and (first in _NUMBER_MARK_FIRSTS or first.isdecimal() or first.isspace()):
        text = _NUMBER_MARK.sub("", text, count=1)
        first = text[:1]
    if first and (first in "-*•·–" or first.isspace()):
        text = _BULLET.sub("", text, count=1)
    return text


def note_entries(body: str, number: int, offset: int) -> list[Entry]:
    """The works a footnote or a list item cites: the note parsed as one citation; or, when it is no
    citation but links two or more pages ("The following blog posts were very helpful: [A](...), [B](...)"),
    one work per page, the link's text its title."""
    entry = parse_entry(body, number, offset)
    if entry.style in ("title and address", "unparsed") and body.count("](") == 1:
        _labelled_link(entry, body)
    if entry.style not in ("unparsed", "title and address") or body.count("](") < 2:
        return [entry]
    linked, seen = [], set()
    for found in _MD_LINK.finditer(body):
        url = found.group("url")
        if url.lower().startswith(("http://", "https://")) and url not in seen:
            seen.add(url)
            linked.append(Entry(number=number + len(linked), raw=found.group(0), offset=offset + found.start(),
                                style="hyperlink", title=found.group("text").strip(), url=url, parsed=True))
    return linked if len(linked) >= 2 else [entry]


def _labelled_link(entry: Entry, body: str) -> None:
    """A list item that is one link, "- [FrenaLaCurva](https://frenalacurva.net/)", or one link after
    a label, "- IFS: [The two-child limit: ...](https://ifs.org.uk/...)": the link's text is the
    title (one word too), and a short label with a colon names who published it."""
    link = _MD_LINK.search(body)
    label = _without_marks(body[:link.start()]).strip() if link else ""
    if not (link and link.group("text").strip() and entry.url and not body[link.end():].strip(" .;,")
            and (not label or (label.endswith(":") and 1 < len(label) <= 60))):
        return
    entry.title = link.group("text").strip()
    if entry.style == "unparsed":
        entry.style, entry.parsed, entry.problems = "title and address", True, []
    if not label:
        return
    words = label[:-1].split()  # a name ("Resolution Foundation"), not a phrase ("More information")
    if len(words) <= 4 and all(word[0].isupper() or word in _NAME_PARTICLES for word in words) \
            and words[0].casefold() not in _LABEL_WORDS:
        entry.author_organisation = " ".join(words)


_NAME_PARTICLES = ("of", "for", "and", "the", "de", "del", "la", "y")
_LABEL_WORDS = ("credit", "credits", "source", "sources", "fuente", "fuentes", "photo", "foto", "via", "vía",
                "see", "more", "read", "lea", "ver", "más")


def _without_repeats(entries: list) -> list[tuple[str, int]]:
    """Drop notes that point back to a work already listed: 'Ibid.', 'Op. cit.', short forms
    ('Jeffrey Wu et al., 7.', 'Keefe, 12'): a few words ending in a page number, no title or link,
    whose name already appears in an earlier entry; and a full citation given again with another
    page ("(9) Kirshner ... (Cambridge: CUP), 151-176." then "(11) Kirshner ... (Cambridge: CUP), 164.")."""
    kept: list[tuple[str, int]] = []
    cited: set[str] = set()
    for raw, offset in entries:
        body = _FOOTNOTE_DEF.sub(lambda m: m.group("body"), raw) if raw.startswith("[^") else raw
        body = _without_marks(body).strip()
        if _REPEAT.match(body) or _is_short_form(body, [earlier for earlier, _ in kept]):
            continue
        work = _PAREN_NUMBER.sub("", body, count=1) if body[:1] == "(" else body  # "(11) Kirshner ..."
        work = _PAGES_AT_END.sub("", work) if work[-1:] in ".0123456789" else work
        if len(work) >= 40 and work in cited:
            continue
        cited.add(work)
        kept.append((raw, offset))
    return kept


_PAREN_NUMBER = re.compile(r"^\(\d{1,3}\)\s*")
_PAGES_AT_END = re.compile(r"[,:]?\s*(?:pp?\.\s*)?\d[\d\-–, ]*\.?$")


_SHORT_FORM = re.compile(r"^(?P<name>[^\d\"“”«»]{2,60}?)(?:,\s*|\s+)(?:pp?\.\s*)?[\d\-–, ]+\.?$")


def _is_short_form(body: str, earlier: list[str]) -> bool:
    if len(body.split()) > 8:
        return False
    found = _SHORT_FORM.match(body)
    if not found or _URL.search(body):
        return False
    surnames = [word for word in re.findall(r"[^\W\d_][\w'’-]+", found.group("name"))
                if word[:1].isupper() and word.lower() not in ("et", "al")]
    return bool(surnames) and any(surnames[-1] in raw for raw in earlier)


def parse_entry(raw: str, number: int, offset: int = 0) -> Entry:
    """Parse one entry into authors, title, outlet, date and URL (see the module docstring)."""
    entry = Entry(number=number, raw=raw.strip(), offset=offset)
    text = _without_marks(entry.raw)
    if "[^" in text:
        text = _FOOTNOTE_DEF.sub(lambda m: m.group("body"), text)
    text, entry.url = _take_url(text, entry)
    accessed = _ACCESSED.search(text) if _ACCESS_HINT.search(text) else None
    if accessed is not None:
        text = _ACCESSED.sub("", text)
    italics = [found.group("a") or found.group("b") for found in _ITALIC.finditer(text)] \
        if ("*" in text or "_" in text) else []
    if "*" in text or "_" in text:
        text = _EMPHASIS.sub("", text)
    if "  " in text or not text.isprintable():  # else every whitespace is one plain space already
        text = _SPACES.sub(" ", text)
    text = text.strip(" .,;")
    if not text:
        if entry.url:  # a bare address: the work is known by where it is
            entry.style, entry.parsed = "address only", True
            return entry
        entry.problems.append("the entry is empty once its number and link are removed")
        return entry
    medium = _MEDIUM.search(text) if "[" in text else None
    if medium is not None and _parse_nlm_web(entry, text, medium):
        return _finish(entry, text)
    quoted = _QUOTED.search(text)
    apa = _APA.match(text) if "(" in text else None
    italic_first = bool(italics) and (not quoted or text.find(italics[0]) < quoted.start()) and (
        not apa or text.find(italics[0]) < apa.start("date"))
    if quoted and not italic_first and (not apa or quoted.start() < apa.start("date")):
        _parse_quoted(entry, text, quoted)
        outlet = next((italic for italic in italics if italic not in entry.title), "")
        if outlet:  # Chicago: the journal or site in italics after the quoted title
            entry.outlet = _journal_name(outlet.strip(" .,"))
    elif apa and not italic_first:
        if not _parse_journal(entry, text):  # "Lancet. 2020 Dec 18;396(10266):1993" is no APA date
            _parse_apa(entry, text, apa, italics)
    elif italic_first:
        _parse_book(entry, text, italics[0])
    elif not _parse_journal(entry, text):
        _parse_plain(entry, text)
        if not entry.title and accessed is not None and entry.url:
            _parse_ama_web(entry, text)
    return _finish(entry, text)


def _finish(entry: Entry, text: str) -> Entry:
    """Whether the entry was understood, and why not; a title with an address is understood."""
    if entry.style in ("web page (NLM)", "web page (AMA)") and entry.title and entry.url:
        entry.parsed = True  # the site, from the address, is the outlet
        return entry
    if entry.title and not any(character.isalnum() for character in entry.title):
        entry.title = entry.url  # "Perlmutter, S. (2011): https://...": the work known by its address
    if entry.title and not (entry.outlet or entry.date):
        entry.problems.append("a title was found but neither an outlet nor a date")
    entry.parsed = bool(entry.title) and bool(entry.outlet or entry.date)
    if not entry.parsed and entry.url and len(text.split()) >= 2:
        entry.style, entry.title, entry.parsed = "title and address", text.strip(" .,;"), True
        entry.problems = []  # "Title https://...": the outlet comes from the address
    if not entry.parsed and not entry.problems:
        entry.problems.append("no quoted title, APA '(year)' or 'Author. Title. Outlet, date' pattern")
    if not entry.parsed:
        entry.style = "unparsed"
    return entry


def _take_url(text: str, entry: Entry) -> tuple[str, str]:
    url = ""

    def link_text(found: re.Match[str]) -> str:
        nonlocal url
        inner = _URL.search(found.group("text")) if ":" in found.group("text") else None
        url = url or (inner.group("url") if inner else found.group("url"))  # a whole citation linked
        return found.group("text")  # to a reference manager's page: the work's own address counts

    if ":" not in text:
        return text, ""
    if "](" in text:
        text = _MD_LINK.sub(link_text, text)
    if ">`_" in text:
        text = REST_LINK.sub(link_text, text)
    angle = _ANGLE_URL.search(text) if "<" in text else None
    if angle:
        url = url or angle.group("url")
        text = text.replace(angle.group(0), " ")
    for found in _URL.finditer(text):
        url = url or found.group("url")
    text = _URL.sub(" ", text)
    url = url.rstrip(".,;:")
    if url and not _WEB_SCHEME.match(url):
        entry.problems.append(f"a link with a non-web scheme was ignored ({url.split(':', 1)[0]}:)")
        url = ""
    return text, url


def _parse_quoted(entry: Entry, text: str, quoted: re.Match[str]) -> None:
    entry.style = "quoted title"
    entry.title = quoted.group("title").strip().rstrip(",").strip()
    if entry.title.endswith(".") and not entry.title.endswith(".."):
        entry.title = entry.title[:-1].strip()
    _set_authors(entry, text[: quoted.start()])
    rest = text[quoted.end():]
    entry.date, entry.date_text, _ = find_date(rest)
    without_date = rest.replace(entry.date_text, " ") if entry.date_text else rest
    pieces = [piece.strip(" .,;:()") for piece in _PIECE_SPLIT.split(without_date)]
    pieces = [_IN_PREFIX.sub("", piece) for piece in pieces if piece]
    pieces = [piece for piece in pieces if not _NOT_OUTLET.fullmatch(piece)]
    while pieces:
        outlet = _journal_name(pieces.pop(0))
        if outlet and not _NOT_OUTLET.fullmatch(outlet):
            entry.outlet = outlet
            break


def _parse_apa(entry: Entry, text: str, apa: re.Match[str], italics: list[str]) -> None:
    """``Authors (2020). Title. Outlet.``; a title in italics may end at its comma ("(1996). *The
    Hubble constant from 56Co powered nebular candles*, Astrophysical Journal, 465, L83-86.")."""
    entry.style = "APA"
    _set_authors(entry, apa.group("authors"))
    written = apa.group("date")
    entry.date, entry.date_text, _ = find_date(written)
    if not entry.date:
        entry.date_text = written
    rest = apa.group("rest")
    italic = italics[0].strip(" .,") if italics else ""
    if italic and rest.startswith(italic) and rest[len(italic):len(italic) + 1] == ",":
        rest = italic + "." + rest[len(italic) + 1:]
    parts = [part.strip() for part in _SENTENCE_SPLIT.split(rest) if part.strip()]
    if parts:
        entry.title = _BRACKET_NOTE.sub("", parts[0].rstrip(".").strip()).strip(" \"“”«»,")
    if len(parts) > 1:
        outlet = _APA_OUTLET_END.split(parts[1])[0]
        entry.outlet = _journal_name(outlet.strip(" .,"))


_VOLUME_HINT = re.compile(r"\d|\b(?:vol|no|núm|pp?|doi)\b", re.I)


def _journal_name(text: str) -> str:
    """A journal or site name without its volume, issue, pages or DOI ("PLOS Biology 21(7): e3")."""
    if not _VOLUME_HINT.search(text):
        return text.strip(" .,;:")
    return _VOLUME_TAIL.sub("", text).strip(" .,;:")


def _parse_book(entry: Entry, text: str, title: str) -> None:
    """``Authors. *Title*. Place: Publisher, Year.``: the title in italics, the publisher after it."""
    entry.style = "italic title"
    entry.title = title.strip(" .,")
    at = text.find(title)
    _set_authors(entry, text[:at])
    rest = text[at + len(title):]
    entry.date, entry.date_text, _ = find_date(rest)
    publisher = _PUBLISHER.search(rest)
    if publisher:
        entry.outlet = publisher.group("publisher").strip(" .,")


_INITIALS_NAME = (r"(?:(?:da|de|del|di|do|dos|du|la|le|van|von) )?"  # "da Silva LAV"
                  r"[A-ZÁÉÍÓÚÑ][\w'’-]*(?:[ -](?:de |del |van |von |la )?[A-ZÁÉÍÓÚÑ][\w'’-]*)*")
# Vancouver / NLM authors: "Volkow ND, Koob GF, McLellan AT." or "García-Pérez L, Ruiz M, et al."
_VANCOUVER_AUTHOR = rf"{_INITIALS_NAME} [A-Z]{{1,4}}(?:,? (?:Jr|Sr|II|III|IV|2nd|3rd|4th)\.?)?"  # "Smith H, Jr"
_VANCOUVER_AUTHORS = re.compile(
    rf"^(?P<authors>{_VANCOUVER_AUTHOR}(?:, {_VANCOUVER_AUTHOR})*(?:,? et al)?)\.\s+")
# health agencies' variant: "Baillargeon, L.; Landreville, P.; y Morin, C.M." or "Dowling, G.J., Weiss, S.R., y Condon, T.P."
_INITIALS = r"[A-Z]\.(?:[ -]?[A-Z]\.)*"
_COMMA_INITIALS_AUTHORS = re.compile(
    rf"^(?P<authors>{_INITIALS_NAME}, {_INITIALS}(?:[;,] (?:(?:y|and|&|e) )?{_INITIALS_NAME}, {_INITIALS})*)\s+")
# where a journal article is: "2016;374(4):363-71", "2020 Dec 18;12:e3" (Vancouver), "1988: 9(4); 312-26"
# (an NLM variant); "20(12):858-863, 2004" (health agencies)
# (two patterns, each opening with a digit: re then skips to digits in C, where one pattern of two
# alternatives is tried at every character)
_JOURNAL_LOCATORS = (
    re.compile(r"(?P<year>\d{4})(?: [A-Z][a-z]{2}(?:-[A-Z][a-z]{2})?(?: \d{1,2})?)?(?: \[[^\]]{1,40}\])?"
               r"(?:;\s?|: )\d+(?:\([^)]{1,12}\))?(?:[:;]\s?[\w–-]+)?"),
    re.compile(r"\d+(?:\([^)]{1,12}\))?:\s?[\w–-]+,\s(?P<year>\d{4})"))


def _last_locator(text: str) -> re.Match[str] | None:
    """Where the volume of a journal article is: the last locator of the text (a title may hold numbers)."""
    last = None
    for pattern in _JOURNAL_LOCATORS:
        for found in pattern.finditer(text):
            if last is None or found.start() > last.start():
                last = found
    return last


# NLM's mark of a web document, after its title ("Title [Internet]. Publisher; 2021 [cited 2022 Jan 14]")
_MEDIUM = re.compile(r"\s*\[(?:Internet|[Ee]n línea|Monografía en Internet)\]\.?")  # not IEEE's "[Online]"
_CITED = re.compile(r"\[(?:cited|citado|consultado)[^\]]{0,40}\]|;?\s*(?:Available (?:from|at)|Disponible en)\s*:?", re.I)


def _parse_nlm_web(entry: Entry, text: str, medium: re.Match[str]) -> bool:
    """A web document in the NLM / Vancouver style: ``Authors. Title [Internet]. Place: Publisher;
    Year [cited date]. Available from: URL`` (the authors, place, publisher and year optional);
    a journal article whose journal carries the mark (``Epidemics [Internet] 2015;10:49``) is a
    journal article. False when the mark comes first (no title before it)."""
    if _parse_journal(entry, text):
        return True
    before = text[:medium.start()].strip(" .,;:")
    if not before:
        return False
    authors = _VANCOUVER_AUTHORS.match(before + " ")
    if authors is not None:
        _set_initials_authors(entry, authors)
        title = before[authors.end():]
    else:
        parts = [part for part in _SENTENCE_SPLIT.split(before) if part]
        if len(parts) > 1:  # "Instituto de Salud Carlos III. Evolución de la Pandemia ..."
            _set_authors(entry, parts[0])
        title = " ".join(parts[1:] if len(parts) > 1 else parts)
    entry.style, entry.title = "web page (NLM)", title.strip(" .")
    after = _CITED.sub(" ", text[medium.end():]).strip(" .,;")
    entry.date, entry.date_text, _ = find_date(after)
    publisher = after[:after.find(entry.date_text)] if entry.date_text else after
    publisher = publisher.rsplit(": ", 1)[-1]  # "Madrid. España: E.T.S. de Ingeniería ... (UPM); 2021"
    entry.outlet = re.sub(r"(?<=[^\d\s])\d{4}$", "", publisher.strip(" .,;"))  # "ElDiario.es2021"
    return True


def _parse_journal(entry: Entry, text: str) -> bool:
    """A journal article in the medical styles: ``Authors. Title. Journal. Year;Vol(Issue):pages.``
    (Vancouver, NLM) or ``Surname, I.; y Surname, I.I. Title. Journal Vol(Issue):pages, Year.``
    (health agencies); the authors are read by their initials, the journal is what lies between
    the title and the volume. False when the entry is not written so."""
    locator = _last_locator(text)
    if locator is None:
        return False
    authors = _VANCOUVER_AUTHORS.match(text) or _COMMA_INITIALS_AUTHORS.match(text)
    if authors is None or authors.end() >= locator.start():
        return False
    parts = [part for part in _SENTENCE_SPLIT.split(text[authors.end():locator.start()].strip(" ,;")) if part]
    if not parts:
        return False
    entry.style = "journal (medical style)"
    _set_initials_authors(entry, authors)
    # the journal is the last part before the volume; a title may hold a full stop ("Suspended
    # judgment. Significance tests of ...")
    title_parts, journal = (parts[:-1], parts[-1]) if len(parts) > 1 else (parts, "")
    entry.title = " ".join(title_parts).rstrip(".").strip()
    entry.outlet = _journal_name(_BRACKET_NOTE.sub("", journal.strip(" .,;")))  # "Epidemics [Internet]"
    year = locator.group("year")
    entry.date, entry.date_text = year, year
    return True


_ONE_VANCOUVER_AUTHOR = re.compile(_VANCOUVER_AUTHOR)
_COMMA_INITIALS_SEPARATOR = re.compile(r"; (?:(?:y|and|&|e) )?|(?<=\.), (?:(?:y|and|&|e) )?")


def _set_initials_authors(entry: Entry, authors: re.Match[str]) -> None:
    """The people of a _VANCOUVER_AUTHORS match as written ("Volkow ND"), or of a
    _COMMA_INITIALS_AUTHORS match uninverted ("E.W. Boyer"); one name with an organisation's word
    is that organisation ("Instituto de Salud Carlos III": a king's numeral, not initials)."""
    if authors.re is _VANCOUVER_AUTHORS:
        people = [found.group(0).rstrip(".") for found in _ONE_VANCOUVER_AUTHOR.finditer(authors.group("authors"))]
    else:
        people = [_uninvert(name) for name in _COMMA_INITIALS_SEPARATOR.split(authors.group("authors"))]
    if len(people) == 1 and _ORG_WORDS.search(authors.group("authors")):
        entry.author_organisation = authors.group("authors").strip(" .")
    else:
        entry.authors = people


_ACRONYM = re.compile(r"[A-ZÁÉÍÓÚÑ]{2,8}")


def _parse_ama_web(entry: Entry, text: str) -> None:
    """A web page in the AMA style, its access note and address already taken out: ``[Author.]
    Title. [Site.] Accessed December 12, 2023. URL`` ("GBD Results. Institute for Health Metrics
    and Evaluation. Accessed ..."; "UNAIDS. Accessed ..."). Authors by their initials lead; of
    three parts or more the first is the author; of two, the first is the author only when it is
    an acronym ("WHO. THE GLOBAL HEALTH OBSERVATORY"), else the title before its site."""
    authors = _VANCOUVER_AUTHORS.match(text + " ")
    if authors is not None:
        _set_initials_authors(entry, authors)
        text = text[authors.end():]
    parts = [part.strip(" .") for part in _SENTENCE_SPLIT.split(text) if part.strip(" .")]
    if not parts:
        return
    if authors is None and (len(parts) >= 3 or (len(parts) == 2 and _ACRONYM.fullmatch(parts[0]))):
        _set_authors(entry, parts[0])
        parts = parts[1:]
    entry.style, entry.title, entry.outlet = "web page (AMA)", parts[0], ". ".join(parts[1:])


def _parse_plain(entry: Entry, text: str) -> None:
    date, written, _ = find_date(text)
    parts = [part.strip() for part in _SENTENCE_SPLIT.split(text) if part.strip()]
    if len(parts) > 3:  # "FMI. 2014. Title. ...": a year between author and title
        parts = [part for part in parts if not _YEAR_ONLY.match(part.strip(" ."))]
    if not date or len(parts) < 3:
        return
    entry.style = "plain (guessed)"
    entry.date, entry.date_text = date, written
    _set_authors(entry, parts[0])
    entry.title = parts[1].rstrip(".").strip()
    outlet = parts[2].replace(written, "").strip(" .,")
    entry.outlet = outlet if outlet else ""
    entry.problems.append("no quoted title: authors, title and outlet read by position")


def _set_authors(entry: Entry, written: str) -> None:
    """Split an author string into people, or recognise an organisation (or handle) as author."""
    text = _strip_author_end(written)
    handle = _HANDLE.search(text)
    if handle:
        entry.handle = handle.group("handle")
        text = _strip_author_end(text.replace(handle.group(0), ""))
    if not text:
        return
    staff = _STAFF.match(text)
    if staff:
        entry.author_organisation = staff.group("org").strip()
        return
    if _ORG_WORDS.search(text) or entry.handle:
        entry.author_organisation = text
        return
    people = split_people(text)
    if len(people) == 1 and len(people[0].split()) == 1:
        entry.author_organisation = people[0]  # a single word ("Reuters", "El") is not a person
        return
    entry.authors = people


def _strip_author_end(text: str) -> str:
    """Trim punctuation after an author string, keeping the dot of a final initial ('Asmann, P.')."""
    text = text.strip().strip(" ,;:")
    final_initial = text.endswith((".", ".\n")) and _FINAL_INITIAL.search(text)  # needs '.' at '$'
    return text if final_initial else text.rstrip(". ")


def split_people(text: str) -> list[str]:
    """Names from 'Last, First and First Last', APA 'Last, F., & Last, F.' or 'First Last y First Last'.

    A conjunction only splits when both sides look like names of two or more words, so a
    compound surname such as 'Villa y Caña' stays whole.
    """
    text = _strip_author_end(text)
    apa = _APA_NAMES.findall(text) if _APA_INITIAL.search(text) else []  # else it cannot match
    if apa and sum(len(name) + len(initials) for name, initials in apa) >= len(
            _NAME_SEPARATORS.sub("", text)) * 0.6:
        return [f"{initials.strip()} {name.strip()}" for name, initials in apa]
    parts = _PEOPLE_SPLIT.split(text)
    if len(parts) > 1 and all(len(part.replace(",", " ").split()) >= 2 for part in parts):
        names = parts
    else:
        names = [text]
    expanded: list[str] = []
    for name in names:
        expanded.extend(_comma_list(name) if name.count(",") > 1 else [name])
    return [_uninvert(name) for name in expanded if name.strip()]


def _comma_list(text: str) -> list[str]:
    """'Last, First, First Last, First Last' (Chicago, three or more authors)."""
    pieces = [piece.strip() for piece in text.split(",") if piece.strip()]
    if len(pieces) >= 3:
        return [f"{pieces[0]}, {pieces[1]}", *pieces[2:]]
    return [text]


def _uninvert(name: str) -> str:
    name = _strip_author_end(name)
    if "," in name:
        last, first = (part.strip() for part in name.split(",", 1))
        if first and last:
            return f"{first} {last}"
    return name
