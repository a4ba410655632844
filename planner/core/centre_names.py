"""A reception centre (or detention unit) typed by its usual name: "Kajaanin vastaanottokeskus", "Kajaani reception
centre", "Kajana mottagningscenter", "Vastaanottokeskus Kajaani". The centres run by organisations and companies
open and close every few months (migri.fi/vastaanottokeskukset), so one is found by its town; the Finnish Immigration
Service's own (Joutseno, Oulu, Metsälä) are places of their own, found by their exact names and by any such name
of their town ("Helsingin säilöönottoyksikkö" is Metsälä's unit, "Oulu reception centre" Heikinharju).

The Finnish genitive of the town's name is undone by the usual endings of Finnish place names ("Lahden" → Lahti,
"Turun" → Turku, "Helsingin" → Helsinki); the caller takes only a form that is a known town's exact name.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from .places import Place

_KINDS = {"reception": r"vastaanottokeskus|reception cent(?:re|er)|mottagningscent(?:er|ret|ral|ralen)|förläggning",
          "detention": r"säilöönottoyksikkö|detention unit|förvarsenhet"}
_CENTRE = "(?P<word>" + "|".join(_KINDS.values()) + ")"
_AFTER_TOWN = re.compile(rf"^(?P<town>.+?)\s+{_CENTRE}$", re.IGNORECASE)
_BEFORE_TOWN = re.compile(rf"^{_CENTRE}(?:en|et)?\s+(?:i\s+|in\s+)?(?P<town>.+)$", re.IGNORECASE)

# the town of a centre is a municipality or a village of at least this many people (a town, not a hamlet)
TOWN_POPULATION = 1000

# the Finnish Immigration Service's own centres by kind and municipality: their names in the gazetteer
# (planner/ops/places_curation.py)
OWN_CENTRES = {("reception", "Lappeenranta"): "Joutsenon vastaanottokeskus",
               ("reception", "Oulu"): "Oulun vastaanottokeskus",
               ("detention", "Lappeenranta"): "Joutsenon säilöönottoyksikkö",
               ("detention", "Helsinki"): "Metsälän säilöönottoyksikkö"}

# Finnish genitive endings and the nominative endings they come from, the longer first: "Lappeenrannan" →
# Lappeenranta, "Punkalaitumen" → Punkalaidun, "Varkauden" → Varkaus, "Nurmeksen" → Nurmes, "Kaskisten" →
# Kaskinen, "Outokummun" → Outokumpu, "Virtain" → Virrat, "Liedon" → Lieto, "Kurikan" → Kurikka
GENITIVE_ENDINGS = (("tumen", "dun"), ("ngin", "nki"), ("nnan", "nta"), ("uden", "us"), ("ksen", "s"),
                    ("sten", "nen"), ("mmun", "mpu"), ("tain", "rat"), ("den", "ti"), ("don", "to"), ("oen", "oki"),
                    ("äen", "äki"), ("een", "e"), ("men", "mi"), ("kan", "kka"), ("pan", "ppa"), ("tan", "tta"),
                    ("un", "ku"), ("en", "i"), ("n", ""))


def _parsed(text: str) -> tuple[str, list[str]] | None:
    """("reception" or "detention", the names the centre's town may have, most likely first) for a centre typed as
    ``text``; None when it names no centre."""
    match = _AFTER_TOWN.match(text.strip()) or _BEFORE_TOWN.match(text.strip())
    if match is None:
        return None
    kind = next(k for k, pattern in _KINDS.items() if re.fullmatch(pattern, match.group("word"), re.IGNORECASE))
    town = match.group("town").strip()
    lower = town.casefold()
    forms = [town] + [town[:len(town) - len(ending)] + nominative for ending, nominative in GENITIVE_ENDINGS
                      if lower.endswith(ending)]
    if lower.endswith("s"):     # Swedish genitive: "Kajanas mottagningscenter"
        forms.append(town[:-1])
    return kind, list(dict.fromkeys(forms))


def centre_town(text: str, lookup: Callable[[str], list[Place]]) -> list[Place]:
    """[the place of the centre ``text`` names] by ``lookup`` (a name → the places of that exact name): the
    Finnish Immigration Service's own centre of that kind in the town's municipality, else the town; or []."""
    parsed = _parsed(text)
    if parsed is None:
        return []
    kind, forms = parsed
    towns = [p for form in forms for p in lookup(form)
             if p.kind == "municipality" or p.population >= TOWN_POPULATION][:1]
    own = OWN_CENTRES.get((kind, towns[0].municipality)) if towns else None
    return (lookup(own) if own else [])[:1] or towns
