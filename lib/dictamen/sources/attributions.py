"""Who the article's text says its statements come from: in-text attributions, English and Spanish.

Forms recognised (cue phrase, then who):

* cue before the voice: "according to X", "as reported/noted/detailed by X", "per the X",
  "según X", "de acuerdo con X", "como informó X", "informó/señaló X", "”, writes X";
* voice before the verb: "X reports/notes/writes/says/details/deems/...", "as X notes",
  "X informó/señaló/afirmó/...";
* person with affiliation: "writes PERSON of ORG", "PERSON, a senior fellow at ORG, ...",
  "PERSON, investigadora del ORG", "señaló PERSON, de ORG";
* credit lines: "Source: X.", "Fuente: X.", "Photo: X.", "Source: Twitter – ORG (@handle).";
* a quotation signed at the end of its line: "“...” - Zedias Chikwambi".

Each attribution keeps the cue as written and its character offset in the article, the person
and/or organisation, and a role and affiliation when the text gives them. A voice written
"former U.S. Attorney General William P. Barr" is split into role and person.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from dictamen.sources.literals import LiteralSet

_UPPER = "A-ZÁÉÍÓÚÑÜÀÈÌÒÙÇ"
_CAP = rf"(?:[{_UPPER}][\w\-’'.&]*|@\w+)"
_CONN = r"(?:of|de|del|la|las|los|y|for|the|and|in|on|e|da|do|dos|van|von|der|di|du|le|al|&)"
_JOIN = r"(?<![a-záéíóúñ]{3}\.)[ \t]+"  # a word ending a sentence ("December.") ends the name
ENTITY = rf"(?>{_CAP}(?:{_JOIN}(?:{_CONN}[ \t]+){{0,2}}{_CAP}){{0,7}})"  # atomic: no backtracking


def _name_at_word_start(rest: str) -> str:
    r"""A name (``_CAP`` then ``rest``, atomic) that starts a word, written so that the pattern's
    first item is a character class: Python's re then skips to candidate characters in C
    instead of trying the whole pattern at every position. Same matches as
    ``(?=[UPPER@])(?<![\w’'@-])(?>{_CAP}rest)``: the first character (capital or @) is taken,
    the character before it is checked, then the rest of the first word follows ('@' + word
    characters, or a capital's word characters)."""
    return (rf"[{_UPPER}@](?<![\w’'@-][{_UPPER}@])"
            rf"(?>(?:(?<=@)\w+|(?<!@)[\w\-’'.&]*){rest})")


ENTITY_AT_WORD_START = _name_at_word_start(rf"(?:{_JOIN}(?:{_CONN}[ \t]+){{0,2}}{_CAP}){{0,7}}")

VERBS_EN = (
    "reports|reported|notes|noted|writes|wrote|says|said|details|detailed|explains|explained|"
    "argues|argued|deems|deemed|expressed|expresses|states|stated|told|tells|warns|warned|"
    "estimates|estimated|finds|found|observes|observed|claims|claimed|adds|added|concludes|"
    "concluded|contends|contended|points out|pointed out|highlights|highlighted|suggests|"
    "suggested|maintains|maintained|asserts|asserted|acknowledged|acknowledges|confirmed|"
    "confirms|announced|announces|documented|documents|revealed|reveals|describes|described|"
    "recommends|recommended|proposed|proposes|calls|called|criticized|criticised|shows|showed|"
    "released|releases|published|publishes|issued|issues|unveiled|responded|replied|"
    "has said|has argued|has warned|has written|has noted|has criticized|has criticised")
VERBS_ES = (
    "informó|informa|señaló|señala|afirmó|afirma|dijo|dice|explicó|explica|escribe|escribió|"
    "reporta|reportó|publicó|publica|indicó|indica|declaró|declara|sostiene|sostuvo|advirtió|"
    "advierte|detalla|detalló|apunta|apuntó|consideró|considera|aseguró|asegura|destacó|destaca|"
    "reveló|revela|recordó|agregó|añadió|precisó|documentó|documenta|estimó|estima|escribía|"
    "decía|señalaba|explicaba|advertía|afirmaba|aseguraba|sostenía|contaba|comentaba|publicaba|"
    "informaba|denunció|denuncia|criticó|critica|alertó|alerta|opinó|opina|reconoció|reconoce|"
    "propuso|propone|calculó|calcula|mostró|muestra|concluyó|concluye|respondió|contestó|"
    "responde|contesta|cree|creía|defiende|defendió|subraya|subrayó|insiste|insistió|lamenta|"
    "lamentó|admite|admitió|aclara|aclaró|matiza|matizó|relata|relató|argumenta|argumentó|"
    "puntualiza|puntualizó|sugiere|sugirió|añade|agrega|recuerda|"
    "ha dicho|ha señalado|ha criticado|ha escrito|ha explicado|ha advertido|ha afirmado|"
    "ha publicado|ha informado|ha documentado|ha denunciado|ha propuesto|ha reconocido|"
    "han dicho|han señalado|han criticado|han publicado|han denunciado")
_ADVERBS = "further|also|previously|recently|later|then|similarly|además|también"
_ADVERB = rf"(?:(?:{_ADVERBS})\s+)?"
_DESCRIPTOR = (r"(?:(?:the|a|el|la|los|las)\s+)?(?:(?:newspaper|daily|magazine|weekly|news agency|"
               r"agency|wire service|think tank|outlet|website|portal|site|broadcaster|network|"
               r"researcher|analyst|journalist|reporter|expert|scholar|official|diario|periódico|"
               r"revista|semanario|agencia|portal|medio|sitio|cadena|investigador|investigadora|"
               r"analista|periodista|experto|experta|especialista|académico|académica|"
               # a person's trade before the name ("afirma el doctor Eduardo Suárez", "the economist X")
               r"doctor|doctora|médico|médica|pediatra|ginecólogo|ginecóloga|epidemiólogo|epidemióloga|"
               r"científico|científica|profesor|profesora|economista|sociólogo|socióloga|abogado|abogada|"
               r"activista|escritor|escritora|historiador|historiadora|physician|scientist|economist|"
               r"professor|historian|lawyer|activist|writer|author)\s+)?"
               rf"(?:[*_]{{1,2}}(?=[{_UPPER}]))?")  # a name in Markdown italics or bold: "according to *The Economist*"

_BY_VERBS = ("reported|noted|detailed|explained|described|stated|cited|documented|argued|written|"
             "found|estimated|warned|highlighted|defined|suggested|proposed|shown|discussed|quoted|observed")
# "citing X", "quoting X", "she referenced Dr. Hope Jahren", "citando a X", "building on the work of
# X": the voice after the words
_NAMING_CUES = "citing|quoting|referenced|referencing|citando a|citó a|cita a|the work of"  # "el trabajo de": _WORK_OF
_COMO_VERBS = "informó|señaló|reportó|publicó|explicó|documentó|detalló|apuntó|advirtió"
# "according to figures from X", "según datos del X", "de acuerdo con un informe de X": the voice
# behind figures, data and documents
_DATA_OF_EN = (r"(?:\s+(?:the\s+|a\s+|an\s+|new\s+|official\s+|recent\s+|latest\s+)*(?:figures|data|"
               r"statistics|estimates|numbers|reports?|stud(?:y|ies)|survey|analysis|research|"
               r"press release|statement|records)\s+(?:from|by|of|released by|published by)(?:\s+the)?)?")
_DATA_OF_ES = (r"(?:\s+(?:las\s+|los\s+|el\s+|la\s+|un\s+|una\s+)?(?:cifras|datos|estadísticas|"
               r"estimaciones|informes?|reportes?|estudios?|encuesta|análisis|investigación|"
               r"comunicado|boletín|registros)(?:\s+(?:oficiales|recientes|más recientes|preliminares))?"
               r"\s+(?:de la|de los|de las|del|de))?")


def _by_first(words: str) -> list[tuple[str, list[str]]]:
    """The words of ``w1|w2|...`` grouped by first letter, in order: (letter, the words' rests)."""
    groups: dict[str, list[str]] = {}
    for word in words.split("|"):
        groups.setdefault(word[0], []).append(word[1:])
    return list(groups.items())


def _by_first_letter(words: str) -> str:
    """``w1|w2|...`` as a one-level trie on the first letter: the same matches in the same order
    of preference (order kept within a letter; a character starts words of one letter only),
    but re tries a dozen letters at each word instead of some fifty verbs."""
    return "(?:" + "|".join(f"{first}(?:{'|'.join(tails)})" for first, tails in _by_first(words)) + ")"


_VERBS_EN_TRIE = _by_first_letter(VERBS_EN)
_VERBS_TRIE = _by_first_letter(VERBS_EN + "|" + VERBS_ES)  # English first, as in EN|ES
# Cue phrases written as a trie on their first letter: Python's re tries alternatives one by one.
_PRE_CUE_LETTERS = "AaSsDdCcEeRrIiPpWwNnTtFfHhOoMmVvGgLlÑñQq"  # the letters a cue can start with
_PRE_CUE = (
    r"(?P<cue>(?:[Aa](?:ccording to" + _DATA_OF_EN + r"|s (?:" + _BY_VERBS + r") by)|[Rr]eported by|"
    r"[Ii]n the words of|[Pp]er the|[Ss]egún" + _DATA_OF_ES + r"|[Dd]e acuerdo (?:con|a)" + _DATA_OF_ES
    + r"|[Cc]omo (?:lo )?(?:" + _COMO_VERBS + r")|"
    r"[Ee]n palabras de|" + "".join(f"[{word[0].upper()}{word[0]}]{word[1:]}|" for word in _NAMING_CUES.split("|")) +
    rf"(?<=[,”\"»]\s){_by_first_letter(VERBS_EN)}|{_by_first_letter(VERBS_ES)})\s+)"
    + _DESCRIPTOR + rf"(?P<entity>{ENTITY})")


def _first_character_trie(alternatives: list[tuple[str, str]], characters: str) -> str:
    """``(?:c1(?:rest|...)|c2(?:...)|...)`` for alternatives given as (the characters each can start
    with, the rest after that character): one branch per first character, each holding the rests
    of the alternatives that start with it in their given order, so re compares the character
    once instead of entering every alternative; characters not in ``characters`` are left out.
    Alternatives starting with different characters never match at one position, so the matches
    and their preference order are those of the plain alternation."""
    groups: dict[str, list[str]] = {}
    for firsts, rest in alternatives:
        for first in firsts:
            if first in characters:
                groups.setdefault(first, []).append(rest)
    return "(?:" + "|".join(f"{re.escape(first)}(?:{'|'.join(rests)})"
                           for first, rests in groups.items()) + ")"


_PRE_CUE_TRIE = _first_character_trie(
    [("Aa", "ccording to" + _DATA_OF_EN), ("Aa", r"s (?:" + _BY_VERBS + r") by"), ("Rr", "eported by"),
     ("Ii", "n the words of"), ("Pp", "er the"), ("Ss", "egún" + _DATA_OF_ES),
     ("Dd", "e acuerdo (?:con|a)" + _DATA_OF_ES), ("Cc", "omo (?:lo )?(?:" + _COMO_VERBS + ")"),
     ("Ee", "n palabras de"), *((word[0].upper() + word[0], word[1:]) for word in _NAMING_CUES.split("|"))]
    + [(first, rf"(?<=[,”\"»]\s{first})(?:{'|'.join(tails)})") for first, tails in _by_first(VERBS_EN)]
    + [(first, "|".join(tails)) for first, tails in _by_first(VERBS_ES)], _PRE_CUE_LETTERS)
# A cue starts a word: at the text's start, or after a character that is no word character. The
# pattern tried after such a character opens with it, so re skips the letters in C instead of
# trying the cue at each of them (a lookahead and \b first gave it no character to skip to): a
# plain class (every character but ASCII letters, digits and '_'; a category such as \W costs
# several table lookups a character), \W checked behind it for the non-ASCII ones; then the next
# character is compared once with each first letter of a cue.
_PRE_CUES_AT_START = re.compile(rf"(?=[{_PRE_CUE_LETTERS}])\b" + _PRE_CUE)
_PRE_CUES_AFTER_NON_WORD = re.compile(rf"[^0-9A-Za-z_](?<=\W)(?P<cue>{_PRE_CUE_TRIE}\s+)" + _DESCRIPTOR
                                      + rf"(?P<entity>{ENTITY})")
_PARA_CUE = re.compile(r"(?P<cue>[Pp](?<![\w][Pp])ara)\s+" + _DESCRIPTOR + rf"(?P<entity>{ENTITY})(?=\s*,)")
_WORK_NOUNS = (r"blog|bitácora|artículo|artículos|informe|informes|estudio|estudios|libro|libros|"
               r"post|entrada|columna|texto|trabajo|análisis|ensayo|entrevista|charla|tutorial|"
               r"nota|reportaje|comunicado|encuesta|article|report|study|book|essay|column|paper|"
               r"talk|interview|piece|op-ed|tutorial|survey|statement|memo|guide|proposal|policy|"
               r"analysis|data|figures|research|plan|standard|website|post|press release|memoir|memorias|"
               r"definition|definición|words|palabras|views?|argument|argumento|findings|hallazgos|framework|"
               r"model|modelo|theory|teoría|concept|concepto|approach|enfoque|recommendations|recomendaciones|"
               r"checklist|podcast|vídeo|video|thread|hilo|newsletter|boletín|mission|misión|goal|motto|lema")
# "a Forbes article compared", "the Brookings report": a known outlet's name before the noun of a work
# (not "video" or "post": "a YouTube video" names the platform, not the voice)
_OUTLET_WORK_NOUNS = ("article|report|study|piece|column|op-ed|analysis|survey|data|figures|research|interview|"
                      "paper|blog|story|editorial|investigation|poll|podcast|estimate|estimates")
# "el blog de X", "un artículo de opinión en X", "a report by X": found from the space before
# the noun (a literal first, so re skips other positions in C), then the noun's first letter,
# the determiner checked behind them
# each noun's first letter (either case), then the rests of the nouns starting with it ("s?": a plural)
_WORK_OF_NOUNS = (("bB", "log|itácora"), ("aA", "rtículos?|nálisis|rticle|nalysis"), ("iI", "nformes?|nterview"),
                  ("eE", "studios?|nsayo|ntrevista|ntrada|ssay|ncuesta"), ("lL", "ibros?"),
                  ("pP", "ost|iece|aper|olicy|roposal|lan|ress release"), ("cC", "olumna|harla|omunicado|olumn"),
                  ("tT", "exto|rabajo|utorial|alk"), ("rR", "eportaje|eport|esearch"), ("nN", "ota"),
                  ("sS", "tudy|urvey|tatement|tandard"), ("oO", "p-ed"), ("gG", "uide"), ("dD", "ata"),
                  ("wW", "ebsite"), ("mM", "emo"), ("fF", "igures"))
_WORK_OF_FIRSTS = "".join(firsts for firsts, _ in _WORK_OF_NOUNS)
_WORK_OF = re.compile(
    rf" (?P<cue>[{_WORK_OF_FIRSTS}]"
    rf"(?<=(?:[eE]l|[lL]a|os|as|[uU]n|na|[sS]u|us|is|he|[aA]n| a| A) [{_WORK_OF_FIRSTS}])"
    "(?:" + "|".join(f"(?<=[{firsts}])(?:{rests})" for firsts, rests in _WORK_OF_NOUNS) + ")"
    r"(?:\s+de opinión|\s+de prensa|\s+(?:published|publicad[oa]))?\s+"
    r"(?:de|del|by|from|en|in)(?:\s+la|\s+el)?)\s+" + rf"(?P<entity>{ENTITY})")
# "made by X": "creado por Leif Isaksen", "published by the American Academy": found from
# "by"/"por", the participle before it checked in Python
_BY_NAME = re.compile(r"[bp](?<=\s[bp])(?:(?<=b)y|(?<=p)or)\s+(?:the\s+|el\s+|la\s+|los\s+|las\s+)?"
                      + rf"(?P<entity>{ENTITY})")
_PARTICIPLE = re.compile(
    r"(?:cread[oa]s?|escrit[oa]s?|elaborad[oa]s?|realizad[oa]s?|publicad[oa]s?|editad[oa]s?|"
    r"traducid[oa]s?|dirigid[oa]s?|coordinad[oa]s?|financiad[oa]s?|written|created|compiled|"
    r"produced|published|edited|issued|released|prepared|authored|funded|"
    r"noted|described|defined|proposed|suggested|reported|cited|quoted|explained|provided|"
    r"conducted|commissioned|shared|posted|coined|collected|analy[sz]ed|estimated|calculated|"
    r"señalad[oa]s?|descrit[oa]s?|definid[oa]s?|propuest[oa]s?|sugerid[oa]s?|reportad[oa]s?|citad[oa]s?|"
    r"explicad[oa]s?|proporcionad[oa]s?|compartid[oa]s?|recopilad[oa]s?|"
    r"analizad[oa]s?|estimad[oa]s?|calculad[oa]s?|acuñad[oa]s?)", re.I)
# "X's proposal", "The Center of Humane Technology’s humane design guide", "X, con su bitácora":
# found from the possessive, the name before it read backwards
# opening with one character class (the apostrophe or the comma), so re skips to those in C
_POSSESSIVE_WORK = re.compile(r"[’',](?:(?<=[’'])s\s+(?:[a-z-]+\s+){0,3}(?:" + _WORK_NOUNS + r")\b|"
                              r"(?<=,)\s+con su\s+(?:" + _WORK_NOUNS + r")\b)")
_CONTRACTED = {"Let", "It", "That", "There", "Here", "What", "Who", "He", "She", "This"}  # "Let's view" is no possessive
_NAME_BEFORE = re.compile(rf"(?P<entity>{ENTITY_AT_WORD_START})$")
# a quotation signed at the end of its line: *"...podemos llevar la interpretación..." - Zedias
# Chikwambi*, *“...este proyecto”* - I.L. (testimonials, pull quotes); found from the closing quote
_SIGNED_QUOTE = re.compile(r"[”\"»][*_]{0,2}[ \t]*(?P<cue>[-–—])[ \t]*" + rf"(?P<entity>{ENTITY})" + r"[*_]{0,2}[ \t]*$",
                           re.M)
# an author-date citation in the prose: "Bryan (2017): rationale ...", "Goudeseune *et al.* (2019)",
# "Cooper & Hsing (2017)", "British Ecological Society (2014)"; found from the "(year)", the
# authors read on the text before it
_YEAR_IN_PARENTHESES = re.compile(r"\((?:1[89]|20)\d\d[a-z]?\)")
_AUTHORS_BEFORE_YEAR = re.compile(
    rf"(?<![\w’'.&-])(?P<entity>{_CAP}(?:[ \t]+(?:{_CONN}[ \t]+)?{_CAP}){{0,4}}"
    rf"(?:[ \t]*(?:&|and|y)[ \t]+{_CAP}(?:[ \t]+{_CAP}){{0,2}})?)"
    r"(?P<etal>[ \t]+[*_]{0,2}et al\.?[*_]{0,2})?[ \t]*$")
_ONLY_INITIALS = re.compile(rf"(?:[{_UPPER}]\.?[ \t]*)+")
# the signature of an embedded post: "...</p>&mdash; Natalia Morandeira (@Nat_Mora_) <a href=...>"
_SIGNED_POST = re.compile(r"(?P<cue>&mdash;|[—–])[ \t]*" + rf"(?P<entity>{ENTITY})" + r"[ \t]+\((?P<handle>@\w{1,30})\)")
_INITIALS = re.compile(rf"(?:[{_UPPER}]\.){{1,4}}")  # a person signing "R.H."
_AS_CUE = re.compile(rf"(?P<cue>[Aa](?<!\w[Aa])s\s+)(?:the\s+)?(?P<entity>{ENTITY})\s+"
                     rf"(?P<verb>{_ADVERB}{_VERBS_EN_TRIE})\b")
_POST_CUE = re.compile(rf"(?P<entity>{ENTITY_AT_WORD_START})\s+"
                       rf"(?P<verb>{_ADVERB}{_VERBS_TRIE})\b(?!\s+by\b)")  # "reported by": a participle, whose voice follows
_CREDIT_WORDS = ("Sources?|Fuentes?|Photo|Photograph|Image|Foto|Fotografía|Imagen|Credit|Crédito|Via|Vía|"
                 "Courtesy of|Cortesía de")


def _after_first_letter(words: str) -> str:
    """``(?:w1|w2|...)`` once the first letter is taken: words grouped by first letter, each group
    checking that letter behind the position; order is kept within a letter, and only words of
    the letter just taken can match, so the preference order of ``w1|w2|...`` is unchanged."""
    return "(?:" + "|".join(f"(?<={first})(?:{'|'.join(tails)})" for first, tails in _by_first(words)) + ")"


# Same matches as ``(?=[SFPICVvc])(?P<cue>\b(?:Sources?|...)\s*:\s*)...``, written to open with a
# character class (first letter taken, word start checked behind it) so re skips positions in C.
_CREDIT = re.compile(r"(?P<cue>[SFPICVvc](?<!\w[SFPICVvc])" + _after_first_letter(_CREDIT_WORDS)
                     + r"\s*:\s*)(?P<what>[^\n]{2,160}?)\s*\.?[ \t]*(?=$|\n|\.\s)", re.M)
_APPOSITIVE_NAME = _name_at_word_start(rf"(?:[ \t]+(?:{_CONN}[ \t]+)?{_CAP}){{1,4}}")
# roles an apposition names without an article ("Ana Ruiz, investigadora del CIDE, dijo")
_BARE_ROLES = ("investigador|investigadora|profesor|profesora|director|directora|diputado|diputada|"
               "senador|senadora|portavoz|vocero|vocera|presidente|presidenta|secretario|secretaria|"
               "coordinador|coordinadora|analista|especialista|académico|académica|economista|"
               "catedrático|catedrática|dirigente|fundador|fundadora|titular|researcher|professor|"
               "director|analyst|spokesperson|spokesman|spokeswoman|economist|founder|co-founder|"
               "president|chair|head")
_APPOSITIVE = re.compile(
    rf"(?P<entity>{_APPOSITIVE_NAME}),\s+"
    rf"(?:(?P<article>a|an|the|un|una|el|la)\s+|(?=(?:{_BARE_ROLES})\s))(?=(?P<tail>[^;:()\n]{{3,260}}))")
_BEFORE_APPOSITIVE = re.compile(  # the comma after the name
    rf",(?=\s+(?:a|an|the|un|una|el|la|{_BARE_ROLES})\s)")
_NAME_FIRST = re.compile(rf"[{_UPPER}@]")
_NAME_RUN = re.compile(r"[\w\-’'.&@ \t]*")  # all a name can hold (\w: letters, digits, '_')
# the words of a name read backwards (on the text reversed): a word ending in a capital or '@'
# (a capitalised word or a handle, reversed) or a connector, then more after spaces or tabs
_NAME_WORD_BACKWARDS = rf"(?:[\w\-’'.&@]*[{_UPPER}@]|(?:{'|'.join(word[::-1] for word in _CONN[3:-1].split('|'))})(?![\w\-’'.&@]))"
_NAME_WORDS_BACKWARDS = re.compile(rf"(?:{_NAME_WORD_BACKWARDS}(?:[ \t]+{_NAME_WORD_BACKWARDS})*)?")
_OUTLET_WORK = re.compile(rf"(?P<entity>{ENTITY_AT_WORD_START})[ \t]+(?P<cue>(?:{_OUTLET_WORK_NOUNS}))\b")
_AFTER_APPOSITIVE = re.compile(rf"^,?\s*(?P<verb>{_ADVERB}{_VERBS_TRIE})\b")


def _either_case(words) -> list[str]:
    return [variant for word in words for variant in (word[0].lower() + word[1:], word[0].upper() + word[1:])]


# The literal words each pattern's matches start with (in either case), for one hyperscan pass:
# a cue phrase or verb after the non-word character a _PRE_CUES_AFTER_NON_WORD match opens with;
# the verb or adverb after the name and spaces of a _POST_CUE match; " " and the noun of _WORK_OF.
_CUE_WORDS = LiteralSet({
    "pre_cue": _either_case(
        ["according to", *(f"as {verb} by" for verb in _BY_VERBS.split("|")), "reported by",
         "in the words of", "per the", "según", "de acuerdo con", "de acuerdo a", "en palabras de",
         *_NAMING_CUES.split("|"),
         *(f"como {lo}{verb}" for verb in _COMO_VERBS.split("|") for lo in ("", "lo ")),
         *VERBS_EN.split("|"), *VERBS_ES.split("|")]),
    "post_cue": [*_ADVERBS.split("|"), *VERBS_EN.split("|"), *VERBS_ES.split("|")],
    "work_of": [f" {first}{rest.removesuffix('s?')}" for firsts, rests in _WORK_OF_NOUNS
                for first in firsts for rest in rests.split("|")],
    "outlet_work": _OUTLET_WORK_NOUNS.split("|"),
})

ROLE_WORDS = (
    "Attorney General|Secretary of State|Secretary|Secretario|Secretaria|President|Presidente|"
    "Presidenta|Vice President|Minister|Ministro|Ministra|Senator|Senador|Senadora|Sen\\.|"
    "Representative|Rep\\.|Deputy|Diputado|Diputada|Governor|Gobernador|Gobernadora|Ambassador|"
    "Embajador|Embajadora|Director|Directora|Chief|Commissioner|Comisionado|Mayor|Alcalde|"
    "Alcaldesa|Judge|Juez|Jueza|Professor|Profesor|Profesora|Prof\\.|Dr\\.|Dra\\.|Mr\\.|Mrs\\.|"
    "Ms\\.|Sr\\.|Sra\\.|Lic\\.|Canciller|Chancellor|Spokesperson|Spokesman|Spokeswoman|Vocero|"
    "Vocera|General|Gen\\.|Admiral|Almirante|Colonel|Coronel|Prosecutor|Fiscal|Speaker|Leader|"
    "Head|Jefe|Jefa|CEO|Chair|Chairman|Chairwoman|Coordinator|Coordinador|Coordinadora")
_ROLE_PREFIX = re.compile(rf"^(?P<role>(?:[\w.\-]+\s+){{0,3}}?(?:{ROLE_WORDS}))\s+(?P<rest>.+)$")
_LEADING_NOISE = re.compile(
    r"^(?:However|Furthermore|Moreover|Thus|Also|But|And|Meanwhile|Yet|Still|Now|Then|Here|"
    r"There|This|That|These|Those|In|At|On|As|Although|Though|While|When|If|So|Indeed|Instead|"
    r"Similarly|Likewise|Finally|First|Firstly|Second|Secondly|Pero|Además|Asimismo|Sin|"
    r"Mientras|Cuando|Aunque|Por|En|Con|Para|Ya|Hoy|Ayer|Como|Según|Donde|Que|Lo|Así|Tal|Ante|Tras|"
    r"Durante|Desde|Entre|Luego|Después|Incluso|Acompañad[oa]s? de|After|Before|During|With|"
    r"Using|Following|Including|Unlike|Despite|Because|Since|Through|Among|Across|Without|"
    # a dateline before the name: "CIUDAD DE MÉXICO, DF. Martí Batres", "Zacatecas, Zac.- Mario ..."
    r"[A-ZÁÉÍÓÚÑ]{2,}\.[-–—]?|[A-ZÁÉÍÓÚÑ][a-záéíóúñ]{1,3}\.[-–—])\s+(?=\S)")
_ROLE_QUALIFIER = re.compile(r"\b(?P<word>former|then|acting|ex|the late|outgoing|incoming|"
                             r"interim|entonces|ex-)\s*$", re.I)
PRONOUNS = frozenset("he she it they we i you him her them él ella ellos ellas nosotros usted "
                     "this that these those who which everyone someone nobody "
                     "esto eso ello este esta estos estas ese esa esos esas aquello quien nadie alguien "
                     "todo todos se whoever i'd i'm i've i'll we're we've they're "
                     "qué cuál cuáles quién quiénes cómo dónde cuándo".split())


def _is_pronoun(word: str) -> bool:
    """A pronoun or demonstrative ("She", "Esto"), not an acronym written like one ("ESA")."""
    return word.casefold().replace("’", "'") in PRONOUNS and not (len(word) > 1 and word.isupper())


# Organisation words; the pattern opens with the class of their first letters (every character
# each matches case-insensitively: 's' also 'ſ', 'i' also 'İ' and 'ı') and checks the word start
# behind it, so re skips to candidates in C instead of trying the words at every character.
_ORG_HINT_FIRST = "[AaBbCcDdEeFfGgHhIi\u0130\u0131JjLlMmNnOoPpRrSs\u017fTtUuWw]"
_ORG_HINT = re.compile(_ORG_HINT_FIRST + r"(?<!\w" + _ORG_HINT_FIRST + ")(?i:" + _after_first_letter(
    r"department|office|ministry|ministerio|secretar[ií]a|agency|agencia|institute|"
    r"instituto|center|centre|centro|university|universidad|college|colegio|foundation|"
    r"fundaci[oó]n|council|consejo|commission|comisi[oó]n|committee|court|corte|senate|senado|"
    r"congress|congreso|chamber|c[aá]mara|government|gobierno|news|times|post|journal|press|"
    r"group|grupo|bank|banco|association|asociaci[oó]n|crime|watch|program|programa|project|"
    r"proyecto|network|red|party|partido|army|ej[eé]rcito|navy|marina|police|polic[ií]a|"
    r"administration|administraci[oó]n|service|servicio|bureau|staff|studies|estudios|"
    r"justice|justicia|mexico|m[eé]xico|states|school|escuela|hospital|laboratory|laboratorio|"
    r"clinic|cl[ií]nica|society|sociedad") + r")\b")
# Helpers compiled once (module-level re.* calls pay a cache lookup on every call).
_LEADING_ARTICLE = re.compile(r"^(?:the|el|la|los|las)\s+(?=[^\W\d_])")
_TRAILING_POSSESSIVE = re.compile(r"(?:’s|'s|’|')$")
_PERSON_OF_ORG = re.compile(r"^(?P<person>.+?)\s+(?:of|from|at|de|del)\s+(?P<org>.+)$")
_DIGIT_OR_AT = re.compile(r"\d|@")
_CONNECTOR = re.compile(_CONN)
_TAIL_DIRECT = re.compile(r"^(?:’s?|'s?)?,?\s+(?:of|from|at|de|del|de la)\s+(?P<org>.+)", re.S)
_TAIL_APPOSITIVE = re.compile(r"^,\s+(?:(?:a|an|the|un|una|el|la)\s+|(?=[a-záéíóúñ]))(?P<tail>.+)",
                              re.S)
_AFFILIATION_LINKS = (re.compile(r"\s+(?:at|with|from|en|in)\s+"),
                      re.compile(r"\s+(?:of|de la|del|de|for)\s+"))
_ROLE_PUNCTUATION = re.compile(r"[,.;]")
_PHRASE_ARTICLE = re.compile(r"^(?:the|la|el)\s+")
_CREDIT_HANDLE = re.compile(r"\(?(@\w{1,30})\)?")
_CREDIT_SPLIT = re.compile(r"\s+[–—-]\s+|\s*/\s*|\s*\|\s*|,\s+")


@dataclass(slots=True)
class Attribution:
    """One place where the text says who a statement comes from."""

    offset: int  # character offset of the voice (person or organisation) in the article
    cue: str  # the cue phrase as written ("according to", "writes", "Source:")
    cue_offset: int
    person: str = ""
    organisation: str = ""  # organisation as written (the voice itself or the person's)
    role: str = ""
    affiliation: str = ""  # affiliation phrase as written, e.g. "Brookings’ Center for ..."
    kind: str = "organisation"  # "person", "organisation" or "unknown"
    handle: str = ""
    platform: str = ""
    context: str = ""
    # filled by linking
    organisation_name: str = ""
    type: str = "unknown"
    country: str = "unknown"
    linked_entries: list[int] = field(default_factory=list)

    @property
    def voice(self) -> str:
        return self.person or self.organisation_name or self.organisation


def find_attributions(text: str, end: int | None = None, is_outlet=None, is_cited=None) -> list[Attribution]:
    """Attributions in ``text[:end]`` (the body, before the sources list), in reading order.

    ``is_outlet(name) -> bool`` says whether a name is a known organisation (the registry);
    ``is_cited(authors, year) -> bool`` whether the article's sources list holds a work by those
    authors of that year, so that an author-date citation in the prose ("Bryan (2017)") names a
    voice only when it points to a listed work (a film's or a country's year does not).
    """
    body = text if end is None else text[:end]
    is_outlet = is_outlet or (lambda name: False)
    found: dict[int, Attribution] = {}

    def add(attribution: Attribution | None) -> None:
        if attribution is None:
            return
        existing = found.get(attribution.offset)
        if existing is None:
            found[attribution.offset] = attribution
            return
        for name in ("person", "organisation", "role", "affiliation", "handle", "platform"):
            if not getattr(existing, name) and getattr(attribution, name):
                setattr(existing, name, getattr(attribution, name))
        if attribution.kind == "person":
            existing.kind = "person"
        if existing.cue.startswith("appositive") and not attribution.cue.startswith("appositive"):
            existing.cue, existing.cue_offset = attribution.cue, attribution.cue_offset

    for match in _matches_at(_APPOSITIVE, body, _appositive_starts(body)):
        add(_from_appositive(body, match, is_outlet))
    words = _CUE_WORDS.find(body)  # None without hyperscan: then re scans as before
    for match in _pre_cue_matches(body, words):
        add(_from_entity(body, match, match.group("cue").strip(), match.start("cue"), is_outlet))
    for match in _matches_at(_AS_CUE, body, _at_word_start(body, _found_at(body, "As", "as"))):
        cue = f"as … {match.group('verb')}"
        add(_from_entity(body, match, cue, match.start("cue"), is_outlet))
    for match in (_POST_CUE.finditer(body) if words is None else
                  _matches_at(_POST_CUE, body, _name_starts_before(body, words["post_cue"]))):
        add(_from_entity(body, match, match.group("verb"), match.start("verb"), is_outlet))
    for match in _matches_at(_CREDIT, body, _credit_starts(body)):
        add(_from_credit(body, match, is_outlet))
    for match in _matches_at(_SIGNED_QUOTE, body, _found_at(body, "”", '"', "»")):  # str.find, not re, to the quotes
        signed = _from_entity(body, match, "signed quotation", match.start("cue"), is_outlet)
        if signed is not None and _INITIALS.fullmatch(match.group("entity")):
            signed.person, signed.organisation, signed.kind = match.group("entity"), "", "person"
        add(signed)
    for match in _matches_at(_SIGNED_POST, body, _found_at(body, "&mdash;", "—", "–")):
        signed = _from_entity(body, match, "signed post", match.start("cue"), is_outlet)
        if signed is not None:
            signed.handle = match.group("handle")
        add(signed)
    for matches in (_matches_at(_PARA_CUE, body, _at_word_start(body, _found_at(body, "Para", "para"))),
                    _WORK_OF.finditer(body) if words is None else _matches_at(_WORK_OF, body, words["work_of"])):
        for match in matches:
            add(_from_entity(body, match, match.group("cue").strip(), match.start("cue"), is_outlet))
    for match in _matches_at(_BY_NAME, body, [at for at in _found_at(body, "by", "por")
                                              if at and body[at - 1].isspace()]):  # (?<=\s[bp])
        before = body[max(0, match.start() - 20): match.start()].split()
        if before and _PARTICIPLE.fullmatch(before[-1]):
            add(_from_entity(body, match, f"{before[-1]} {body[match.start():match.start() + 3].strip()}",
                             match.start(), is_outlet))
    for match in (_OUTLET_WORK.finditer(body) if words is None else
                  _matches_at(_OUTLET_WORK, body, _name_starts_before(body, words["outlet_work"], " \t".__contains__))):
        if is_outlet(_clean_entity(match.group("entity"))[0]):
            add(_from_entity(body, match, match.group("cue"), match.start("cue"), is_outlet))
    if "’s " in body or "'s " in body or "con su " in body:
        for match in _matches_at(_POSSESSIVE_WORK, body, _possessive_starts(body)):
            window = max(0, match.start() - 160)
            name = _NAME_BEFORE.search(body, window, match.start())
            if name is not None and name.group("entity") not in _CONTRACTED:
                add(_from_entity(body, name, match.group(0).strip(" ,"), match.start(), is_outlet))
    for year in _YEAR_IN_PARENTHESES.finditer(body) if is_cited is not None else ():
        before = _AUTHORS_BEFORE_YEAR.search(body, max(0, year.start() - 90), year.start())
        if before is not None and not _ONLY_INITIALS.fullmatch(before.group("entity")) \
                and is_cited(before.group("entity"), year.group(0)[1:5]):  # "Smith, J. P. (2019)": not "J. P"
            cited = _from_entity(body, before, "author (year)", year.start(), is_outlet)
            if cited is not None and before.group("etal"):  # "Goudeseune et al.": people, not one
                cited.person, cited.organisation, cited.kind = f"{cited.voice} et al.", "", "person"
            add(cited)
    return spelled_out(named_again([found[offset] for offset in sorted(found)]), body)


def _word_start_matches(at_start: re.Pattern[str], after_non_word: re.Pattern[str], text: str):
    """The matches of ``at_start.finditer(text)`` for a pattern that starts at a word start and
    ends with a name (``ENTITY``), found with ``after_non_word``: the same pattern opening with
    the non-word character before the word (so its match starts one character earlier; its groups
    are the same). Only the match at the very start is looked for with ``at_start``. A name ends
    before a character that is no word character, so a word can never start where a match ends,
    and both find the same matches one after the other."""
    first = at_start.match(text)
    if first is not None:
        yield first
    yield from after_non_word.finditer(text, first.end() if first is not None else 0)


def _pre_cue_matches(body: str, words: dict[str, list[int]] | None) -> list[re.Match[str]]:
    """The cue-first matches (``_PRE_CUE``): at the text's start, then after a non-word character,
    tried only before a cue word when ``words`` (:data:`_CUE_WORDS` found) are given."""
    if words is None:
        return list(_word_start_matches(_PRE_CUES_AT_START, _PRE_CUES_AFTER_NON_WORD, body))
    first = _PRE_CUES_AT_START.match(body)
    after = first.end() if first is not None else 0
    rest = _matches_at(_PRE_CUES_AFTER_NON_WORD, body, [at - 1 for at in words["pre_cue"] if at - 1 >= after])
    return ([first] if first is not None else []) + rest


def _name_starts_before(body: str, words: list[int], in_gap: Callable[[str], bool] = str.isspace) -> list[int]:
    """Where a pattern of a name, a gap (one or more characters ``in_gap`` accepts; by default
    whitespace, which str.isspace and re agree on), then a word can start, from where those
    words are (_POST_CUE: a verb or adverb; _OUTLET_WORK: a noun): the name ends
    at the gap before the word, and is made of words that start with a capital (or '@') and
    connectors ("of", "de") joined by spaces or tabs, so at a capital in the run of such words
    before that gap."""
    starts: set[int] = set()
    backwards = ""
    for at in words:
        end = at
        while end > 0 and in_gap(body[end - 1]):
            end -= 1
        if end == at or end == 0:
            continue
        backwards = backwards or body[::-1]
        starts.update(found.start() for found in _NAME_FIRST.finditer(body, _run_start(backwards, end, _NAME_WORDS_BACKWARDS), end))
    return sorted(starts)


def _matches_at(pattern: re.Pattern[str], text: str, starts) -> list[re.Match[str]]:
    """``pattern.finditer(text)``, trying ``pattern`` only at ``starts`` (ascending): the same
    matches whenever every position a match can start at is among them."""
    matches, end = [], 0
    for start in starts:
        if start >= end:
            found = pattern.match(text, start)
            if found is not None:
                matches.append(found)
                end = max(found.end(), start + 1)
    return matches


def _found_at(text: str, *literals: str) -> list[int]:
    """Where any of ``literals`` occurs in ``text``, ascending (str.find, in C): the starts of a
    pattern whose matches all begin with one of them, for :func:`_matches_at`. A pattern opening
    with a character class is tried by re at every character holding one of its letters."""
    positions = set()
    for literal in literals:
        at = text.find(literal)
        while at != -1:
            positions.add(at)
            at = text.find(literal, at + 1)
    return sorted(positions)


def _at_word_start(text: str, positions: list[int]) -> list[int]:
    r"""The positions with no word character before them (``\w`` is what str.isalnum() or '_'
    says of a character): those where a pattern opening ``(?<!\w)`` can match, found without
    calling re at each of the others."""
    return [at for at in positions if not at or not (text[at - 1].isalnum() or text[at - 1] == "_")]


_CREDIT_WORD_LENGTHS = sorted({len(word.removesuffix("s?")) + plural for word in _CREDIT_WORDS.split("|")
                               for plural in ((0, 1) if word.endswith("s?") else (0,))})


def _credit_starts(text: str) -> list[int]:
    """Where a _CREDIT match can start: its cue word ("Source", "Fuentes", "Courtesy of"), then
    spaces and the colon, so at a cue word's length before the spaces before a colon."""
    starts = set()
    for colon in _found_at(text, ":"):
        end = colon
        while end > 0 and text[end - 1].isspace():
            end -= 1
        starts.update(end - length for length in _CREDIT_WORD_LENGTHS if end - length >= 0)
    return sorted(starts)


def _possessive_starts(text: str) -> list[int]:
    """Where a _POSSESSIVE_WORK match can start: at the apostrophe of "’s"/"'s", or at the comma
    before the spaces before "con su"."""
    starts = set(_found_at(text, "’s", "'s"))
    for phrase in _found_at(text, "con su"):
        comma = phrase
        while comma > 0 and text[comma - 1].isspace():
            comma -= 1
        if comma < phrase and comma > 0 and text[comma - 1] == ",":
            starts.add(comma - 1)
    return sorted(starts)


def _appositive_starts(text: str) -> list[int]:
    """Where an _APPOSITIVE match can start: a name ends at its comma (", a senior fellow at"),
    so at a capital (or '@') in the run of name characters before one of those few commas;
    re would otherwise try the pattern at every capital of the text."""
    starts: list[int] = []
    backwards = ""
    for comma in _BEFORE_APPOSITIVE.finditer(text):
        backwards = backwards or text[::-1]
        start = _run_start(backwards, comma.start(), _NAME_RUN)
        starts.extend(found.start() for found in _NAME_FIRST.finditer(text, start, comma.start()))
    return starts


_DEFINED_ACRONYM = re.compile(r"(?P<full>(?:[A-ZÁÉÍÓÚÑ][\w’'-]*[ \t]+(?:(?:of|and|for|the|on|de|del|la|las|"
                              r"los|y|para)[ \t]+)*){1,10})\((?P<acronym>[A-Z]{2,8})\)")


_ACRONYM_IN_PARENTHESES = re.compile(r"\((?=[A-Z]{2,8}\))")
_ACRONYM_RUN = re.compile(r"[\w’'\- \t]*")  # what a defined acronym's words are made of


def _run_start(backwards: str, end: int, run: re.Pattern[str]) -> int:
    """Where the run of characters ``run`` matches that ends at ``end`` starts, read in C on the
    text reversed (``backwards``) instead of one character at a time in Python."""
    return end - (run.match(backwards, len(backwards) - end).end() - (len(backwards) - end))


def _defined_acronyms(text: str):
    """The matches of ``_DEFINED_ACRONYM.finditer(text)``, found from the few "(ACRONYM)" in the
    text instead of trying the ten-word pattern at every capital: a match is made of word
    characters, apostrophes, hyphens, spaces and tabs up to its "(", so it starts after the
    last other character before that "(" and is searched for there only."""
    backwards = ""
    for bracket in _ACRONYM_IN_PARENTHESES.finditer(text):
        backwards = backwards or text[::-1]
        start = _run_start(backwards, bracket.start(), _ACRONYM_RUN)
        found = _DEFINED_ACRONYM.search(text, start, bracket.start() + 10)
        if found is not None and found.start("acronym") == bracket.start() + 1:
            yield found


def spelled_out(attributions: list[Attribution], text: str) -> list[Attribution]:
    """A voice named by an acronym the text defines ("the Office of Management and Budget (OMB)
    ... OMB proposed") is the organisation written out."""
    if "(" not in text:
        return attributions
    defined: dict[str, str] = {}
    for found in _defined_acronyms(text):
        acronym = found.group("acronym")
        words = found.group("full").split()
        capitals = [index for index, word in enumerate(words) if word[:1].isupper()]
        if len(capitals) >= len(acronym):
            start = capitals[-len(acronym)]
            if "".join(words[index][0] for index in capitals[-len(acronym):]) == acronym:
                defined.setdefault(acronym, " ".join(words[start:]))
    for attribution in attributions:
        if not attribution.person and attribution.organisation in defined:
            attribution.organisation = defined[attribution.organisation]
            attribution.kind = "organisation"
    return attributions


def named_again(attributions: list[Attribution]) -> list[Attribution]:
    """The same voice named again later by surname ("Calderón" after "Felipe Calderón") is that
    person: a one-word voice equal to the last word of a person named before it gets the full name."""
    attributions = [part for attribution in attributions for part in _pair_split(attribution)]
    people: dict[str, str] = {}
    for attribution in attributions:
        if attribution.person:
            people.setdefault(attribution.person.split()[-1].casefold(), attribution.person)
            continue
        written = attribution.organisation
        if written and " " not in written and written.casefold() in people:
            attribution.person, attribution.kind = people[written.casefold()], "person"
            attribution.organisation = ""
    return attributions


_PAIR = re.compile(r"\s+(?:y|and|e)\s+")


def _pair_split(attribution: Attribution) -> list[Attribution]:
    """"Gimena del Río y Valeria Vitale" is two people: split when both halves look like people."""
    if not attribution.person or not _PAIR.search(attribution.person):
        return [attribution]
    halves = _PAIR.split(attribution.person)
    if len(halves) != 2 or not all(looks_like_person(half) for half in halves):
        return [attribution]
    from dataclasses import replace

    second_at = attribution.person.rfind(halves[1])
    return [replace(attribution, person=halves[0]),
            replace(attribution, person=halves[1], offset=attribution.offset + second_at,
                    linked_entries=[])]


def voice_of_name(name: str, offset: int, cue: str, context: str, is_outlet) -> Attribution | None:
    """An attribution for a name the text points to by itself (a link whose words are a name)."""
    entity, _ = _clean_entity(name)
    if not entity or _is_pronoun(entity):
        return None
    attribution = Attribution(offset=offset, cue=cue, cue_offset=offset, context=context)
    _assign_voice(attribution, entity, is_outlet)
    return attribution


def _context(text: str, start: int, end: int) -> str:
    """The sentence around ``text[start:end]``, at most 160 characters either side; the sentence
    ends are looked for within those 160 characters only (farther ones would not count)."""
    near = max(0, start - 162)
    left = max(text.rfind(". ", near, start) + 2, text.rfind("\n", near, start) + 1, start - 160)
    right = min(end + 160, len(text))
    for mark in (". ", "\n"):
        found = text.find(mark, end, end + 162)
        if found != -1 and found < right:
            right = found
    return text[left:right + 1].strip()


def _clean_entity(entity: str) -> tuple[str, int]:
    """Strip leading sentence adverbs and trailing possessives; return (name, characters removed in front)."""
    removed = 0
    while True:
        noise = _LEADING_NOISE.match(entity)
        if not noise:
            break
        removed += noise.end()
        entity = entity[noise.end():]
    article = _LEADING_ARTICLE.match(entity)
    if article and removed:
        removed += article.end()
        entity = entity[article.end():]
    if entity[-1:] in ("s", "’", "'", "\n"):  # else _TRAILING_POSSESSIVE cannot match
        entity = _TRAILING_POSSESSIVE.sub("", entity)
    entity = entity.rstrip(" .,")
    return entity, removed


def _from_entity(text: str, match: re.Match[str], cue: str, cue_offset: int,
                 is_outlet) -> Attribution | None:
    raw = match.group("entity")
    entity, removed = _clean_entity(raw)
    if (not entity or _is_pronoun(entity) or len(entity) < 2
            or _LEADING_NOISE.match(entity + " x")):
        return None
    offset = match.start("entity") + removed
    attribution = Attribution(offset=offset, cue=cue, cue_offset=cue_offset,
                              context=_context(text, cue_offset, match.end()))
    _assign_voice(attribution, entity, is_outlet)
    if attribution.person and not entity.startswith(attribution.person):
        attribution.offset = offset + max(0, entity.find(attribution.person))
    qualifier = _ROLE_QUALIFIER.search(text, max(0, offset - 30), offset) if attribution.role else None
    if qualifier:
        attribution.role = f"{qualifier.group('word')} {attribution.role}"
    if attribution.kind == "person" and not attribution.organisation:
        tail = text[match.start("entity") + len(raw): match.start("entity") + len(raw) + 260]
        _read_affiliation_tail(attribution, tail)
    return attribution


def _assign_voice(attribution: Attribution, entity: str, is_outlet) -> None:
    """Decide whether ``entity`` is a person, an organisation, or 'PERSON of ORG' / 'ROLE PERSON'."""
    if is_outlet(entity):
        attribution.organisation, attribution.kind = entity, "organisation"
        return
    split = _PERSON_OF_ORG.match(entity)
    if split and looks_like_person(split.group("person"), is_outlet) and (
            is_outlet(split.group("org")) or _ORG_HINT.search(split.group("org"))):
        attribution.person, attribution.kind = split.group("person"), "person"
        attribution.organisation = attribution.affiliation = split.group("org")
        return
    role = _ROLE_PREFIX.match(entity)
    if role and looks_like_person(role.group("rest"), is_outlet):
        attribution.role = role.group("role").strip()
        attribution.person, attribution.kind = role.group("rest"), "person"
        return
    if looks_like_person(entity, is_outlet):
        attribution.person, attribution.kind = entity, "person"
        return
    attribution.organisation = entity
    attribution.kind = "organisation" if (_ORG_HINT.search(entity) or len(entity.split()) > 1) \
        else "unknown"


def looks_like_person(name: str, is_outlet=None) -> bool:
    """Two to five capitalised words (particles allowed), no organisation word, not a known outlet."""
    if is_outlet is not None and is_outlet(name):
        return False
    if _ORG_HINT.search(name) or _DIGIT_OR_AT.search(name):
        return False
    tokens = name.split()
    capitals = [token for token in tokens if token[:1].isupper()]
    if not 2 <= len(capitals) <= 5:
        return False
    if any(token.isupper() and len(token) > 2 and "." not in token for token in capitals):
        return False
    return all(token[:1].isupper() or _CONNECTOR.fullmatch(token) for token in tokens)


def _read_affiliation_tail(attribution: Attribution, tail: str) -> None:
    """After a person's name: ' of ORG', ', de ORG', or ', a ROLE at ORG'."""
    direct = _TAIL_DIRECT.match(tail)
    if direct:
        org = take_name_phrase(direct.group("org"))
        if org:
            attribution.organisation = attribution.affiliation = org
        return
    appositive = _TAIL_APPOSITIVE.match(tail)
    if appositive:
        role, affiliation = _role_and_affiliation(appositive.group("tail"))
        if affiliation:
            attribution.role, attribution.affiliation = role, affiliation
            attribution.organisation = affiliation


def _from_appositive(text: str, match: re.Match[str], is_outlet) -> Attribution | None:
    entity, removed = _clean_entity(match.group("entity"))
    if not looks_like_person(entity, is_outlet):
        return None
    role, affiliation = _role_and_affiliation(match.group("tail"))
    if not affiliation or not role or len(role.split()) > 9:
        return None
    tail_start = match.start("tail")
    after_affiliation = tail_start + match.group("tail").find(affiliation) + len(affiliation)
    verb = _AFTER_APPOSITIVE.match(text[after_affiliation: after_affiliation + 60])
    if verb is None and match.group("article") is None:
        return None  # "Hilda Becerra, directora del Centro ...": a role with no article names a voice only when it speaks
    cue = verb.group("verb") if verb else "appositive (person, role at organisation)"
    cue_offset = after_affiliation + verb.start("verb") if verb else match.start("entity")
    return Attribution(offset=match.start("entity") + removed, cue=cue, cue_offset=cue_offset,
                       person=entity, organisation=affiliation, role=role,
                       affiliation=affiliation, kind="person",
                       context=_context(text, match.start("entity"), after_affiliation))


def _role_and_affiliation(tail: str) -> tuple[str, str]:
    """Split 'senior fellow at Brookings’ Center for X, Y, and Z, further ...' into role and affiliation."""
    for pattern in _AFFILIATION_LINKS:
        found = pattern.search(tail)
        if not found:
            continue
        role = tail[: found.start()].strip()
        if not role or _ROLE_PUNCTUATION.search(role) or len(role.split()) > 9:
            continue
        affiliation = take_name_phrase(tail[found.end():])
        if affiliation:
            return role, affiliation
    return "", ""


_SENTENCE_END = re.compile(r"[a-záéíóúñ]{3}\.$")  # as _JOIN: a word of three small letters or more, then '.'
_PHRASE_TOKEN = re.compile(
    rf"\s*(?:(?P<cap>[{_UPPER}][\w\-’'.&]*(?:’s|'s|’)?)|(?P<conn>{_CONN}|at|y)(?=\s)|"
    r"(?P<comma>,)(?=\s+(?:and\s+|y\s+)?[" + _UPPER + r"]))")


def take_name_phrase(text: str) -> str:
    """The proper-name phrase at the start of ``text``: capitalised words, particles, and commas
    that continue the name ('Center for Security, Strategy, and Technology'); stops at anything else."""
    position, last_cap_end = 0, 0
    while True:
        token = _PHRASE_TOKEN.match(text, position)
        if not token or token.end() == position:
            break
        position = token.end()
        if token.group("cap"):
            last_cap_end = position
            if _SENTENCE_END.search(token.group("cap")):
                break  # "Brookings. Como señaló ...": the name ended with its sentence
    phrase = text[:last_cap_end].strip()
    phrase = _PHRASE_ARTICLE.sub("", phrase)
    return phrase.rstrip(" ,.")


def _from_credit(text: str, match: re.Match[str], is_outlet) -> Attribution | None:
    what = match.group("what").strip()
    attribution = Attribution(offset=match.start("what"), cue=match.group("cue").strip(),
                              cue_offset=match.start("cue"),
                              context=_context(text, match.start("cue"), match.end()))
    handle = _CREDIT_HANDLE.search(what)
    if handle:
        attribution.handle = handle.group(1)
        what = what.replace(handle.group(0), "").strip()
    parts = [part.strip() for part in _CREDIT_SPLIT.split(what)
             if part.strip()]
    if not parts:
        return None
    if len(parts) > 1 and is_outlet(parts[0]):
        attribution.platform = parts[0]
        parts = parts[1:]
    voice = parts[0].rstrip(" .")
    _assign_voice(attribution, voice, is_outlet)
    written = attribution.person or attribution.organisation
    position = match.group("what").find(written)
    attribution.offset = match.start("what") + max(position, 0)
    return attribution
