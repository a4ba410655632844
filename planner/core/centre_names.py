"""A reception centre (or detention unit) typed by its usual name: "Kajaanin vastaanottokeskus", "Kajaani reception
centre", "Kajana mottagningscenter", "Vastaanottokeskus Kajaani". The centres run by organisations and companies
open and close every few months (migri.fi/vastaanottokeskukset), so one is found by its town; the Finnish Immigration
Service's own (Joutseno, Oulu, Metsälä) are places of their own, found first by their exact names.

The Finnish genitive of the town's name is undone by the usual endings of Finnish place names ("Lahden" → Lahti,
"Turun" → Turku, "Helsingin" → Helsinki); the caller takes only a form that is a known town's exact name.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from .places import Place

_CENTRE = r"(?:vastaanottokeskus|säilöönottoyksikkö|reception cent(?:re|er)|detention unit|mottagningscent(?:er|ral)|" \
          r"förläggning|förvarsenhet)"
_AFTER_TOWN = re.compile(rf"^(?P<town>.+?)\s+{_CENTRE}$", re.IGNORECASE)
_BEFORE_TOWN = re.compile(rf"^{_CENTRE}(?:en)?\s+(?:i\s+|in\s+)?(?P<town>.+)$", re.IGNORECASE)

# the town of a centre is a municipality or a village of at least this many people (a town, not a hamlet)
TOWN_POPULATION = 1000

# Finnish genitive endings and the nominative endings they come from, the longer first: "Lappeenrannan" →
# Lappeenranta, "Punkalaitumen" → Punkalaidun, "Varkauden" → Varkaus, "Seinäjoen" → Seinäjoki, "Kurikan" → Kurikka
GENITIVE_ENDINGS = (("ngin", "nki"), ("nnan", "nta"), ("tumen", "dun"), ("uden", "us"), ("den", "ti"), ("oen", "oki"),
                    ("äen", "äki"), ("een", "e"), ("men", "mi"), ("kan", "kka"), ("pan", "ppa"), ("tan", "tta"),
                    ("un", "ku"), ("en", "i"), ("n", ""))


def centre_town_forms(text: str) -> list[str]:
    """The names the town of a centre typed as ``text`` may have, most likely first; [] when ``text`` names no
    centre."""
    match = _AFTER_TOWN.match(text.strip()) or _BEFORE_TOWN.match(text.strip())
    if match is None:
        return []
    town = match.group("town").strip()
    forms = [town]
    lower = town.casefold()
    forms += [town[:len(town) - len(ending)] + nominative for ending, nominative in GENITIVE_ENDINGS
              if lower.endswith(ending)]
    if lower.endswith("s"):     # Swedish genitive: "Kajanas mottagningscenter"
        forms.append(town[:-1])
    return list(dict.fromkeys(forms))


def centre_town(text: str, lookup: Callable[[str], list[Place]]) -> list[Place]:
    """[the town of the centre ``text`` names] by ``lookup`` (a name → the places of that exact name), or []."""
    return [p for form in centre_town_forms(text) for p in lookup(form)
            if p.kind == "municipality" or p.population >= TOWN_POPULATION][:1]
