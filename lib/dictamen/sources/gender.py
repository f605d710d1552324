"""Gender of quoted people, only on request, from the article's own words, with 'unknown' kept.

Method: honorifics right before the name (Mr./Ms./Mrs./Sr./Sra./Dr./Dra.) or gendered Spanish
role nouns in the appositive (investigadora / investigador, directora / director ...), then the
first third-person pronoun in the sentence after a mention (she/her/ella vs he/his/him/él).
Anything else is 'unknown'. No name lists are used: a first name says nothing reliable about
how a person identifies, and neither, strictly, does this method.
"""

from __future__ import annotations

import re

CAVEAT = ("Gender is inferred only from honorifics, gendered Spanish role nouns and pronouns that "
          "the article itself uses for the person; it is not self-identification, can be wrong, "
          "and everyone else is counted as 'unknown'.")

_HONORIFIC = re.compile(r"\b(?P<word>Mr|Mrs|Ms|Miss|Sr|Sra|Srta|Dr|Dra)\.?\s*$")
_PRONOUN = re.compile(r"\b(?P<female>she|her|hers|herself|ella)\b|\b(?P<male>he|his|him|himself|él)\b",
                      re.I)
_FEMALE_HONORIFICS = {"Mrs", "Ms", "Miss", "Sra", "Srta", "Dra"}
_MALE_HONORIFICS = {"Mr", "Sr", "Dr"}
_SPANISH_FEMALE_ROLES = re.compile(
    r"\b(?:investigadora|directora|coordinadora|profesora|académica|analista|experta|senadora|"
    r"diputada|secretaria|ministra|embajadora|periodista|presidenta|jefa|fundadora|consultora)\b",
    re.I)
_SPANISH_MALE_ROLES = re.compile(
    r"\b(?:investigador|director|coordinador|profesor|académico|experto|senador|diputado|"
    r"secretario|ministro|embajador|presidente|jefe|fundador|consultor)\b", re.I)


def infer_gender(text: str, offset: int, person: str, role: str = "") -> tuple[str, str]:
    """('female' | 'male' | 'unknown', evidence) for the person named at ``offset``."""
    honorific = _HONORIFIC.search(text[max(0, offset - 6): offset])
    if honorific:
        word = honorific.group("word")
        if word in _FEMALE_HONORIFICS:
            return "female", f"honorific '{word}.'"
        if word in _MALE_HONORIFICS and word != "Dr":
            return "male", f"honorific '{word}.'"
    if role:
        if _SPANISH_FEMALE_ROLES.search(role) and not re.search(r"\bperiodista|analista\b", role):
            return "female", f"role noun '{role}'"
        if _SPANISH_MALE_ROLES.search(role):
            return "male", f"role noun '{role}'"
    end = text.find(".", offset + len(person))
    following_end = text.find(".", end + 1) if end != -1 else -1
    window = text[offset + len(person): following_end if following_end != -1 else len(text)]
    pronoun = _PRONOUN.search(window)
    if pronoun:
        if pronoun.group("female"):
            return "female", f"pronoun '{pronoun.group(0)}' after the mention"
        return "male", f"pronoun '{pronoun.group(0)}' after the mention"
    return "unknown", "no honorific, gendered role noun or pronoun"
