"""The language codes the planner knows: Babel's (CLDR's) language codes of two or three letters, and a few that
people in this work speak and CLDR does not name (Dari, Kurmanji, Finnish Kalo Romani, the Finnish and
Finland-Swedish sign languages), with their names. A code outside these is a typing slip ("xx"), refused where it
is entered. (Three-letter codes of languages CLDR names by two letters, such as "fin" or "rus", are refused too:
the team's records use the two-letter ones, and a visit must use the same code as the people to be matched.)"""
from __future__ import annotations

import re

from babel import Locale

CODE_RE = re.compile(r"^[a-z]{2,3}$")
# ISO 639-3 codes missing from CLDR's names, by interface language
EXTRA_NAMES = {
    "prs": {"fi": "dari", "sv": "dari", "en": "Dari"},
    "kmr": {"fi": "kurmandži", "sv": "kurmanji", "en": "Kurmanji"},
    "rmf": {"fi": "suomen romani", "sv": "finsk romani", "en": "Finnish Kalo Romani"},
    "fse": {"fi": "suomalainen viittomakieli", "sv": "finskt teckenspråk", "en": "Finnish Sign Language"},
    "fss": {"fi": "suomenruotsalainen viittomakieli", "sv": "finlandssvenskt teckenspråk",
            "en": "Finland-Swedish Sign Language"},
}
KNOWN = frozenset(code for code in Locale("en").languages if CODE_RE.match(code)) | frozenset(EXTRA_NAMES)


def known_language(code: str) -> bool:
    return code in KNOWN


def language_name(code: str, locale: str) -> str:
    """The language's name in ``locale`` ('fi', 'sv', 'en'); the code itself when it has none."""
    extra = EXTRA_NAMES.get(code)
    if extra is not None:
        return extra.get(locale[:2], extra["en"])
    return Locale.parse(locale).languages.get(code, code)
