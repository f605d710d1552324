"""Works the body points to by hyperlink: one entry per distinct linked address.

Many posts cite by linking, with no list at the end. Links are read as Markdown, inline
``[text](address "title")`` or by reference ``[text][label]`` with ``[label]: address`` defined
elsewhere; HTML articles and fetched pages reach here as Markdown already (their ``<a href>``
kept as links by the reader). A link's outlet is its address's registry outlet, except that a
link on the name of a registry outlet ("[Mozilla](https://github.com/GSA/https/issues/83)", a
comment Mozilla posted on GSA's repository; one word only when spelled as the registry spells
it, so "[reforma](...)" is no newspaper), or a link right after a registry outlet's name in the
possessive ("The Center of Humane Technology's [design guide](https://s3.amazonaws.com/...)"),
cites the named outlet when the address belongs to no registry outlet or to an institution's (a
government, legislature, think tank, university or NGO site hosting others' words); an address
on a news outlet, a platform or an untyped site (an encyclopaedia, a blog) is that site's work
about the named outlet. A link whose words are an address the registry knows, pointing to an
unknown one (an archived copy: "[https://www.amacad.org/...](https://perma.cc/F2BT-Z6PR)"),
cites the outlet of the address it shows. A link is an entry when it points somewhere (http or
https, or a path on the article's own site, including a template expression such as
``{{ "/2014/x/" | url }}``), and is not an image, a mail address or an anchor on the same page; a link on no words ("[](...)",
left by an import) still cites what it points to, and so does a link to a home page
("[El País](http://www.elpais.com/)": the outlet itself is the source). Links to one address
(fragment and trailing '/' aside) count once, and a link already written inside an entry of the
sources list is that entry.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urljoin

from dictamen.sources.bibliography import REST_LINK, Entry
from dictamen.sources.outlets import Outlet, Registry, address_key
from dictamen.sources.webpage import FRONT_MATTER

_TEXT = r"(?P<text>(?:[^\[\]\n]|\[[^\[\]\n]*\])*)"
_INLINE = re.compile(
    r"(?<![!\]\\])\[" + _TEXT + r"\]\(\s*(?P<url>\{\{.*?\}\}|<[^>\n]*>|"
    r"[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'))?\s*\)")
_BY_REFERENCE = re.compile(r"(?<![!\]\\])\[" + _TEXT + r"\]\[(?P<label>[^\]\n^]*)\]")
_DEFINITION = re.compile(r"^[ \t]{0,3}\[(?P<label>[^\]\n^]+)\]:[ \t]*<?(?P<url>\S+?)>?"
                         r"(?:[ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^)\n]*\)))?[ \t]*$", re.M)
# reStructuredText's named links: "`Eric Holscher's post`_" or "pelican_" in the text, the address in a
# target line ".. _Eric Holscher's post: https://..." (labels compared as reST does: case and spacing aside)
_REST_TARGET = re.compile(r"^[ \t]*\.\.[ \t]+_(?P<label>`[^`\n]+`|[^:`\n]+):[ \t]+(?P<url>\S+)[ \t]*$", re.M)
_REST_REFERENCE = re.compile(r"`(?P<quoted>[^`<>]+)`_(?![_\w])|(?<![\w`.:/-])(?P<word>\w[\w.-]*\w|\w)_(?![_\w`])")
_AUTOLINK = re.compile(r"(?<![(\]])<(?P<url>https?://[^\s<>]+)>")
# an address written out in the text ("GitHub code and gender: http://alyssafrazee.com/..."), which
# sites show as a link: not one inside a link's parentheses, brackets, angle brackets, quotes or code
_BARE = re.compile(r"(?<![\w(<\[\"'=/`+])https?://[^\s<>()\[\]\"'`]+")
_BARE_END = ".,;:!?*_"
_CODE = re.compile(r"^[ \t]*(?P<fence>```|~~~).*?(?:^[ \t]*(?P=fence)[^\n]*$|\Z)|^(?: {4}|\t)[^\n]*$", re.M | re.S)
# a site generator's link to one of its own pages: Liquid/Nunjucks ({{ "/2014/..." | url }}), Hugo's
# ref and relref shortcodes ({{< ref "/topics/emerging-tech" >}}, {{% relref "post.md" %}})
_TEMPLATE_PATH = re.compile(r"\{\{[<%]?\s*(?:(?:rel)?ref\s+)?[\"'](?P<path>[^\"']+)[\"']")
_IMAGE_FILE = re.compile(r"\.(?:png|jpe?g|gif|svg|webp|bmp|ico)(?:[?#].*)?$", re.I)
_EMPHASIS = re.compile(r"(?<!\w)[*_]{1,3}|[*_]{1,3}(?!\w)|`")
_SPACES = re.compile(r"\s+")
_QUOTES = " \t\"'“”‘’«»"


def _address(url: str) -> str:
    """The address a link points to, or '' when it is no citation (mail, anchor, script, image)."""
    url = url.strip().strip("<>")
    template = _TEMPLATE_PATH.match(url) if url.startswith("{{") else None
    if template:
        url = template.group("path")
    lowered = url.lower()
    if not url or lowered.startswith(("#", "mailto:", "tel:", "javascript:", "data:", "ftp:")):
        return ""
    if ":" in url.split("/", 1)[0] and not lowered.startswith(("http://", "https://")):
        return ""  # another scheme
    if not lowered.startswith(("http://", "https://", "/", "./", "../")):
        if "." not in url.split("/", 1)[0]:
            return ""  # 'page.html' or a label: a relative file, kept only when clearly a path
    if _IMAGE_FILE.search(url):
        return ""
    return url


def same_address(url: str) -> str:
    """A key under which two links to one document are equal: host and path, fragment and '/' aside."""
    without_fragment = url.split("#", 1)[0]
    if without_fragment.lower().startswith(("http://", "https://")):
        host, path = address_key(without_fragment)
        query = without_fragment.split("?", 1)[1] if "?" in without_fragment else ""
        return f"{host}{path}" + (f"?{query}" if query else "")
    return without_fragment.rstrip("/").lower()


def _clean_text(text: str) -> str:
    text = _EMPHASIS.sub("", text)
    text = _SPACES.sub(" ", text)
    return text.strip(_QUOTES)


def find_links(text: str, skip: list[tuple[int, int]], registry: Registry,
               known_addresses: set[str], first_number: int = 1, base_url: str = "") -> list[Entry]:
    """Entries for the links of ``text`` outside the ``skip`` spans (the sources list, notes);
    relative addresses are made absolute against ``base_url`` (a fetched page's address)."""
    if "](" not in text and "][" not in text and "://" not in text:  # reST links hold "://" too
        return []
    definitions = {match.group("label").strip().casefold(): match.group("url")
                   for match in _DEFINITION.finditer(text)} if "]:" in text else {}
    definition_spans = [match.span() for match in _DEFINITION.finditer(text)] if definitions else []
    found: list[tuple[int, str, str, str]] = []  # offset, raw, link text, url
    for match in _INLINE.finditer(text):
        found.append((match.start(), match.group(0), match.group("text"), match.group("url")))
    rest_spans = []
    if ">`_" in text:
        for match in REST_LINK.finditer(text):
            found.append((match.start(), match.group(0), match.group("text"), match.group("url")))
            rest_spans.append(match.span())
    if ".. _" in text:
        target_lines = list(_REST_TARGET.finditer(text))
        targets = {_rest_label(match.group("label")): match.group("url") for match in target_lines}
        definition_spans += [match.span() for match in target_lines]
        for match in _REST_REFERENCE.finditer(text):
            link_text = match.group("quoted") or match.group("word")
            if _rest_label(link_text) in targets:
                found.append((match.start(), match.group(0), link_text, targets[_rest_label(link_text)]))
    for match in _AUTOLINK.finditer(text):  # <https://...>: the address is its own text
        if not any(start <= match.start() < end for start, end in rest_spans):
            found.append((match.start(), match.group(0), match.group("url"), match.group("url")))
    for match in _BY_REFERENCE.finditer(text):
        label = (match.group("label") or match.group("text")).strip().casefold()
        if label in definitions:
            found.append((match.start(), match.group(0), match.group("text"), definitions[label]))
    if "://" in text:
        found += _bare_addresses(text, [(offset, offset + len(raw)) for offset, raw, _, _ in found])
    spans = skip + definition_spans
    entries: list[Entry] = []
    seen = set(known_addresses)
    for offset, raw, link_text, url in sorted(found):
        if any(start <= offset < end for start, end in spans):
            continue
        if link_text.lstrip().startswith(("![", "{%", "<img")):
            continue  # an image (or a template's image tag) that links somewhere: a picture
        address = _address(url)
        if address and base_url and not address.lower().startswith(("http://", "https://")):
            address = urljoin(base_url, address)
        title = _clean_text(link_text)
        if not address:
            continue  # an empty link text ("[](...)") still cites what it points to
        key = same_address(address)
        if key in seen:
            continue
        seen.add(key)
        entries.append(Entry(number=first_number + len(entries), raw=raw.strip(), offset=offset,
                             style="hyperlink", title=title, url=address, parsed=True,
                             outlet=_named_outlet(title, address, registry,
                                                  text[max(0, offset - _OWNER_WINDOW):offset])))
    return entries


def _rest_label(label: str) -> str:
    return " ".join(label.strip("`").split()).casefold()


def _bare_addresses(text: str, linked: list[tuple[int, int]]) -> list[tuple[int, str, str, str]]:
    """(offset, raw, link text, url) for the addresses written out in ``text``, the address its own
    text, outside the links found (``linked``): not in front matter or code (configuration and
    commands, not citations), and not alone on their line (a sign-off or an embed: "the authors'
    blog" under a column)."""
    outside = linked + [match.span() for match in _CODE.finditer(text)]
    front = FRONT_MATTER.match(text) if text.startswith(("---", "\ufeff---")) else None
    if front is not None:
        outside.append(front.span())
    found = []
    for match in _BARE.finditer(text):
        if any(start <= match.start() < end for start, end in outside):
            continue
        line_start = text.rfind("\n", 0, match.start()) + 1
        line_end = text.find("\n", match.end())
        address = match.group(0).rstrip(_BARE_END)
        if text[line_start:len(text) if line_end == -1 else line_end].strip() == match.group(0):
            continue
        found.append((match.start(), address, address, address))
    return found


_HOSTING_TYPES = ("government", "legislature", "think tank", "academic", "ngo")
_OWNER_WINDOW = 80  # characters before a link searched for "<Outlet>'s"
_OWNER_WORD = r"[A-ZÁÉÍÓÚÑ][\w&.\-]*"
_POSSESSOR = re.compile(rf"({_OWNER_WORD}(?:\s+(?:of|for|on|and|the|{_OWNER_WORD}))*)(?:\u2019s|'s)\s*$")


def _possessor(before: str, registry: Registry) -> Outlet | None:
    """The registry outlet named in the possessive at the end of ``before`` ("... The Center of
    Humane Technology's "), trying the capitalised phrase from its first word on."""
    found = _POSSESSOR.search(before) if "s" in before else None
    if found is None:
        return None
    words = found.group(1).split()
    for start in range(len(words)):
        outlet = registry.match(" ".join(words[start:]))
        if outlet is not None:
            return outlet
    return None


def _named_outlet(link_text: str, address: str, registry: Registry, before: str = "") -> str:
    """The registry outlet a link's own words (or the possessive just ``before`` it) name, when
    they, not its address, say whose work it is; '' otherwise (the address decides). See the
    module docstring."""
    if link_text.lower().startswith(("http://", "https://")):
        shown = registry.for_url(link_text)
        return shown.name if shown is not None and registry.for_url(address) is None else ""
    named = registry.match(link_text) if link_text else None
    if named is not None and " " not in link_text.strip() and link_text.strip() not in named.names:
        named = None  # one word not spelled as the outlet is: "[reforma](...)", "[proceso](...)"
    if named is None:
        named = _possessor(before, registry)
    if named is None:
        return ""
    at_address = registry.for_url(address) if address.lower().startswith(("http://", "https://")) else None
    if at_address is None or at_address is named or at_address.type in _HOSTING_TYPES:
        return named.name
    return ""


_COMMENT = re.compile(r"<!--.*?-->", re.S)
_ANCHOR = re.compile(r"<a\s[^>]*?href\s*=\s*[\"'](?P<url>https?://[^\"'\s]+)[\"'][^>]*>(?P<text>.*?)</a\s*>",
                     re.I | re.S)
_LAYOUT_TAG = re.compile(r"</?(?:p|div|span|br|center|font|strong|em|b|i|u|small|section|article|"
                         r"hr|header|footer|main|sup|sub)\b[^<>]*>", re.I)
_EMPTY_ANCHOR = re.compile(r"<a\s(?![^>]*href)[^>]*>\s*</a\s*>", re.I)  # <a name="ref-1"></a>: a place, no link


def inline_html_as_markdown(text: str) -> str:
    """Markdown with layout HTML in it (``<p style=...>``, ``<div>``, ``<sup>``, comments): the
    layout tags, comments and empty named anchors removed, ``<a href>`` turned into Markdown links;
    any other markup is left as written (and escaped when shown)."""
    if "<" not in text:
        return text
    text = _COMMENT.sub("", text)
    text = _ANCHOR.sub(lambda found: f"[{found.group('text')}]({found.group('url')})", text)
    text = _EMPTY_ANCHOR.sub("", text)
    return _LAYOUT_TAG.sub("", text)


def wire_credits(text: str, registry: Registry, skip: list[tuple[int, int]], listed_outlets: set[str],
                 first_number: int) -> list[Entry]:
    """A news agency credited as the source of the text: ``(EFE)`` in a dateline or caption, the
    agency's name alone on a line, or signing the end of a paragraph ("... del estado. EFE").
    Only agencies the registry types as wires count, each once, and not when the sources list
    already cites that agency."""
    named = _wire_names_pattern(registry)
    if named is None:
        return []
    multiline = _multiline_names(registry)
    regions = [(0, len(text))] if multiline or not skip else _lines_outside(text, skip)
    occurrences = [found for start, end in regions for found in named.finditer(text, start, end)]
    if not occurrences:
        return []
    present = _present_names(registry, text, occurrences)
    pattern = _compiled_wire_pattern(present)
    entries: list[Entry] = []
    seen = set(listed_outlets)
    lines = _lines_naming(text, present) if multiline else _lines_of(text, occurrences)
    found_on_lines = (found for start, end in lines for found in pattern.finditer(text, start, end))
    for found in found_on_lines:  # = pattern.finditer(text): no credit spans two lines
        if any(start <= found.start() < end for start, end in skip):
            continue
        name = found.group("paren") or found.group("alone") or found.group("signature")
        outlet = registry.match(name)
        if outlet is None or outlet.name in seen:
            continue
        seen.add(outlet.name)
        entries.append(Entry(number=first_number + len(entries), raw=found.group(0).strip(),
                             offset=found.start(), style="wire credit", title=name, outlet=name,
                             parsed=True))
    return entries


def _lines_naming(text: str, names: tuple[str, ...]) -> list[tuple[int, int]]:
    """(start, end) of each line of ``text`` holding one of ``names``, in order: the credit
    pattern (which re would try at every character of the text) is run on those lines only."""
    lines = set()
    for name in names:
        at = text.find(name)
        while at != -1:
            end = text.find("\n", at)
            lines.add((text.rfind("\n", 0, at) + 1, len(text) if end == -1 else end))
            at = text.find(name, at + 1)
    return sorted(lines)


def _lines_of(text: str, occurrences: list[re.Match[str]]) -> list[tuple[int, int]]:
    """``_lines_naming`` from the matches of all wire names, when no name spans two lines: every
    occurrence of a name lies inside a match or starts inside one (see ``_present_names``), so
    on the line where that match starts."""
    lines = set()
    for found in occurrences:
        at = found.start()
        end = text.find("\n", at)
        lines.add((text.rfind("\n", 0, at) + 1, len(text) if end == -1 else end))
    return sorted(lines)


def _present_names(registry: Registry, text: str, occurrences: list[re.Match[str]]) -> tuple[str, ...]:
    """The wire names written where ``occurrences`` were looked for (``name in text`` for each,
    longest first, when that is the whole text; wire_credits reads the lines of
    ``_lines_outside``), from the matches of all of them (longest first, in one pass). An
    occurrence of a name either starts where a match starts, and then is that match or its
    beginning (the longest name written there is matched), or starts inside a match: it lies in
    it, or begins with an ending of the matched name ("AFP" then "Prensa Latina" in "AFPrensa
    Latina"). So a name is written when it is part of a matched name, or, for the few names
    that can so overlap a matched one, when ``_occurs`` finds it around a match."""
    matched = {found.group(0) for found in occurrences}
    parts, overlapping = _name_parts(registry), _overlapping_names(registry)
    written = set().union(*(parts[name] for name in matched))
    for name in set().union(*(overlapping[name] for name in matched)) - written:
        if _occurs(name, text, occurrences):
            written.add(name)
    return tuple(name for name in _wire_names(registry) if name in written)


@lru_cache(maxsize=8)
def _name_parts(registry: Registry) -> dict[str, frozenset[str]]:
    """Each wire name with the wire names written inside it (itself included)."""
    names = _wire_names(registry)
    return {whole: frozenset(name for name in names if name in whole) for whole in names}


@lru_cache(maxsize=8)
def _overlapping_names(registry: Registry) -> dict[str, frozenset[str]]:
    """Each wire name with the names that can start inside it and end after it (an ending of the
    one is a beginning of the other)."""
    names = _wire_names(registry)
    return {written: frozenset(name for name in names if any(
                len(name) > len(written) - at and name.startswith(written[at:])
                for at in range(1, len(written)))) for written in names}


@lru_cache(maxsize=8)
def _multiline_names(registry: Registry) -> bool:
    return any("\n" in name for name in _wire_names(registry))


def _lines_outside(text: str, skip: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans of whole lines of ``text`` (line breaks aside) holding every character outside the
    ``skip`` spans. A credit is kept only where it starts outside them, on one line (when no
    wire name spans two), so the names are looked for on these lines only: each holds all the
    names written on it, and lines wholly inside the sources list are not read again."""
    regions, covered = [], 0
    for start, end in sorted(skip):
        if start > covered:
            regions.append((covered, start))
        covered = max(covered, end)
    if covered < len(text):
        regions.append((covered, len(text)))
    lines: list[tuple[int, int]] = []
    for start, end in regions:
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end - 1)
        line_end = len(text) if line_end == -1 else line_end
        if lines and line_start <= lines[-1][1] + 1:
            lines[-1] = (lines[-1][0], max(lines[-1][1], line_end))
        else:
            lines.append((line_start, line_end))
    return lines


def _occurs(name: str, text: str, occurrences: list[re.Match[str]]) -> bool:
    """``name in text``, from the matches of all wire names (longest first, found in one pass in
    C instead of one pass of the text per name): an occurrence of ``name`` is either matched or
    overlaps the match found where it starts or before, so it lies in that match's window."""
    return any(name in text[max(0, found.start() - len(name) + 1): found.end() + len(name) - 1]
               for found in occurrences)


@lru_cache(maxsize=8)
def _wire_names(registry: Registry) -> tuple[str, ...]:
    return tuple(sorted({name for outlet in registry.outlets if outlet.type == "wire"
                         for name in outlet.names if name and not _DOMAIN_LIKE.match(name)},
                        key=len, reverse=True))


@lru_cache(maxsize=8)
def _wire_names_pattern(registry: Registry) -> re.Pattern[str] | None:
    """Any wire name, longest first (None when the registry has none)."""
    names = _wire_names(registry)
    return re.compile("|".join(map(re.escape, names))) if names else None


@lru_cache(maxsize=256)
def _compiled_wire_pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(name) for name in names)
    return re.compile(
        rf"\((?P<paren>{alternatives})\)|^[ \t]*(?:(?:by|por)[ \t]+)?(?P<alone>{alternatives})[ \t]*$|"
        rf"(?<=[.!?\]”»])[ \t]+(?P<signature>{alternatives})[ \t]*$", re.M)


_DOMAIN_LIKE = re.compile(r"^\S+\.[a-z]{2,}$")


def unwrapped(text: str) -> str:
    """``text`` with each Markdown link ``[words](address)`` shown as its words, padded with spaces
    to the same length, so that character offsets stay those of the article ("[El País](...)
    publica" reads "El País ... publica" to the attribution finder)."""
    if "](" not in text:
        return text

    def blank(found: re.Match[str]) -> str:
        inner = found.group("text")
        return " " + inner + " " * (len(found.group(0)) - len(inner) - 1)

    return _INLINE.sub(blank, text)
