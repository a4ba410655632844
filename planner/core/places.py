"""Finnish and Åland places, offline: look-up by name in either language, near-match suggestions, or `lat,lon`.

The gazetteer ships as ``planner/data/places.csv`` (built by ``python -m planner.ops.build_places`` from GeoNames
open data and a curated table of the 308 municipalities): every municipality centre and the villages and city
districts people travel to, with Finnish and Swedish names, municipality, region and coordinates. Nothing here
touches the network, except :func:`geocode_address` when an administrator has turned geocoding on.

Public interface::

    @dataclass(frozen=True)
    class Place:
        id: str              # stable slug, e.g. "kemi", "ivalo", "maarianhamina"
        name_fi: str         # Finnish name (Maarianhamina)
        name_sv: str | None  # Swedish name where one exists (Mariehamn)
        kind: str            # "municipality" | "village" | "office" | "custom" | "point"
        municipality: str    # Finnish name of the municipality the place is in
        region: str          # region (maakunta) name in Finnish, "Ahvenanmaa" for Åland
        lat: float
        lon: float
        population: int      # 0 when unknown; only used to rank matches
        aliases: tuple[str, ...]  # other names it is found by (Sámi names, old names, exonyms)
        centre: str | None   # a municipality's point when it is another village: "Ivalo" for Inari
        name (property)      # display name: name_fi
        on_aland (property)  # True for places in Åland (its own public holidays, no road link)
        label(lang) -> str   # name in "fi" / "sv" / "en"

    class PlaceNotFound(LookupError): .query, .suggestions (list[Place]);
        str(e) == 'no place "Utsjoky" - did you mean Utsjoki?' (or 'no place "Xyz"')
    class PointOutside(ValueError): .params   # a lat,lon in the open sea or abroad (borders.in_finland)

    class Gazetteer:
        resolve(text) -> Place     # name in fi/sv, any case, with or without diacritics; place id; "lat,lon";
                                   # "Name, Municipality" to pick one of several villages of that name
        suggest(text, limit=8) -> list[Place]   # autocomplete: prefix matches first, then near matches
        get(place_id) -> Place
        nearest(lat, lon) -> Place                # nearest known place (not a point)
        point(lat, lon, name=None) -> Place       # a "point" in the municipality/region of the nearest place
        with_places(extra: Iterable[Place]) -> Gazetteer   # adds custom places (offices, partner premises)
        __iter__, __len__

    get_gazetteer() -> Gazetteer   # the shipped data (planner/data/places.csv), loaded once
    geocode_address(text, settings) -> Place | None   # street address through geopy, only when configured
"""
from __future__ import annotations

import bisect
import csv
import difflib
import functools
import math
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING

from .borders import in_finland
from .centre_names import centre_town
from .spelling import slips
from .import_problems import IMPORT_ENGLISH
from .messages import Message, message

if TYPE_CHECKING:  # only for type hints; settings has no dependency on this module
    from .settings import Settings

ALAND_REGION = "Ahvenanmaa"
MAX_SUGGESTIONS = 3
TYPO_EDITS = (1, 2)       # a guess this many letters off (names under 10 letters, longer) is taken for a typo of it
STEM_NEAR_KM = 150.0     # a name guessed from a similar spelling is kept beside a stem only this near it

_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
_POINT = re.compile(rf"^\s*({_NUMBER})\s*,\s*({_NUMBER})\s*$")
# Longest place text looked up: the forms' limit. Longer text is refused before any parsing (a place name is short;
# a huge one is a mistake or an attack on the CPU).
MAX_PLACE_TEXT = 200


# the kinds of the travel network's airports and harbours among the places (planner.ops.hub_places)
HUB_KINDS = ("airport", "harbour")


@dataclass(frozen=True)
class Place:
    """A place one can travel to: a municipality centre, a village, an office, custom premises or a point."""

    id: str
    name_fi: str
    name_sv: str | None
    kind: str
    municipality: str
    region: str
    lat: float
    lon: float
    population: int = field(default=0, compare=False)
    aliases: tuple[str, ...] = field(default=(), compare=False)
    # a municipality whose point is a village other than its church village: that village (Inari's is Ivalo)
    centre: str | None = field(default=None, compare=False)
    # where a shipped place comes from (planner.ops.build_places.SOURCES: "cities500", "postal" ...)
    source: str | None = field(default=None, compare=False)

    @property
    def name(self) -> str:
        """Display name (the Finnish name)."""
        return self.name_fi

    @property
    def on_aland(self) -> bool:
        """True for places in Åland, which has its own public holidays and no road link to the mainland."""
        return self.region == ALAND_REGION

    def label(self, lang: str = "fi") -> str:
        """The name in ``lang`` ("fi", "sv" or "en"); falls back to the Finnish name.

        English uses the Swedish name in Åland (Mariehamn, not Maarianhamina), the Finnish name elsewhere, and an
        airport's or harbour's English name (the network's, kept among its aliases).
        """
        if lang == "en" and self.kind in HUB_KINDS:
            english = next((a for a in self.aliases if a in transport_names()), None)
            if english:
                return english
        if lang == "fi":
            return self.name_fi
        if lang == "sv":
            return self.name_sv or self.name_fi
        if lang == "en":
            return (self.name_sv or self.name_fi) if self.on_aland else self.name_fi
        raise ValueError(f"unknown language {lang!r} (expected fi, sv or en)")


class PointOutside(ValueError):
    """A ``lat,lon`` outside Finland and Åland (``borders.in_finland``): in the open sea or abroad. ``params`` are
    the message's (code ``import_not_in_finland``): the point, the nearest known place and its distance, and the
    swapped pair when that one is in Finland (latitude and longitude typed the wrong way round)."""

    def __init__(self, params: dict):
        self.params = params
        super().__init__(IMPORT_ENGLISH["import_not_in_finland"](params))

    @property
    def problem(self) -> Message:
        return message("import_not_in_finland", **self.params)


class PlaceNotFound(LookupError):
    """No place by that name; ``suggestions`` holds up to three near matches."""

    def __init__(self, query: str, suggestions: Iterable[Place] = ()):
        self.query = query
        self.suggestions = list(suggestions)[:MAX_SUGGESTIONS]
        self.names = _display_names(self.suggestions) if self.suggestions else []
        super().__init__(self._message())

    @property
    def problem(self) -> Message:
        """The message code worded at the edge: 'paikkaa ”Rovanemi” ei löydy: tarkoititko Rovaniemi?'"""
        return message("import_no_place", query=self.query, names=self.names)

    def _message(self) -> str:
        text = f'no place "{self.query}"'
        if not self.names:
            return text
        names = self.names
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
        return f"{text} - did you mean {listed}?"


def _display_names(places: list[Place]) -> list[str]:
    """Names for a list, with the municipality added where two places share a name."""
    counts: dict[str, int] = {}
    for p in places:
        counts[p.name] = counts.get(p.name, 0) + 1
    return [f"{p.name} ({p.municipality})" if counts[p.name] > 1 and p.municipality != p.name else p.name
            for p in places]


def normalise(text: str) -> str:
    """Search key of a name: casefolded, diacritics stripped (ä→a, ö→o, å→a), spaces and hyphens collapsed."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\s\-‐–_]+", " ", stripped).strip()


def split_qualified(text: str) -> tuple[str, str] | None:
    """``(name, municipality)`` from "Name, Municipality" or "Name (Municipality)", else None. One pass over the
    text (a regular expression for this backtracked: seconds for a long run of spaces)."""
    text = text.strip()
    if text.endswith(")"):
        name, sep, municipality = text[:-1].rpartition("(")
        bad = "()"
    else:
        name, sep, municipality = text.partition(",")
        bad = ",()"
    if not sep or any(c in name for c in ",()") or any(c in municipality for c in bad):
        return None
    name, municipality = name.strip(), municipality.strip()
    return (name, municipality) if name and municipality else None


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres between two WGS84 points."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, a)))


def parse_point(text: str) -> tuple[float, float] | None:
    """``(lat, lon)`` from text like "60.17,24.94" or "60.17, 24.94"; None when it is not a coordinate pair.

    Raises ValueError for a coordinate pair outside the valid range.
    """
    match = _POINT.match(text)
    if not match:
        return None
    lat, lon = float(match.group(1)), float(match.group(2))
    if not -90.0 <= lat <= 90.0:
        raise ValueError(f"latitude {lat:g} is out of range: it must be between -90 and 90 (write lat,lon)")
    if not -180.0 <= lon <= 180.0:
        raise ValueError(f"longitude {lon:g} is out of range: it must be between -180 and 180 (write lat,lon)")
    return lat, lon


def _rank(place: Place) -> tuple:
    """Sort key among equally good matches: municipalities first, then larger population, then id."""
    return (place.kind != "municipality", -place.population, place.id)


class Gazetteer:
    """Searchable collection of places. Build one with :func:`get_gazetteer` or from any iterable of places."""

    def __init__(self, places: Iterable[Place]):
        self._places: dict[str, Place] = {}
        for place in places:
            self._places[place.id] = place  # a later place with the same id replaces the earlier one
        # normalised key -> places found by it; tier 0 for names and ids, 1 for aliases
        self._index: dict[str, list[tuple[int, Place]]] = {}
        for place in self._places.values():
            for tier, key in self._keys(place):
                bucket = self._index.setdefault(key, [])
                if all(p.id != place.id for _, p in bucket):
                    bucket.append((tier, place))
        self._sorted_keys = sorted(self._index)
        self._located = [p for p in self._places.values() if p.kind != "point"]

    @staticmethod
    def _keys(place: Place) -> Iterator[tuple[int, str]]:
        for name in (place.name_fi, place.name_sv, place.id):
            if name:
                yield 0, normalise(name)
        for alias in place.aliases:
            yield 1, normalise(alias)

    def __iter__(self) -> Iterator[Place]:
        return iter(sorted(self._places.values(), key=lambda p: p.id))

    def __len__(self) -> int:
        return len(self._places)

    def get(self, place_id: str) -> Place:
        """The place with id ``place_id``; raises PlaceNotFound."""
        try:
            return self._places[place_id]
        except KeyError:
            raise PlaceNotFound(place_id) from None

    def with_places(self, extra: Iterable[Place]) -> Gazetteer:
        """A new gazetteer with ``extra`` places added (replacing any with the same id); this one is unchanged."""
        return Gazetteer([*self._places.values(), *extra])

    def resolve(self, text: str) -> Place:
        """The place ``text`` names: a Finnish or Swedish name, an alias or a place id in any case, with or without
        diacritics; "Name, Municipality" or "Name (Municipality)" for one of several villages of the same name; or
        "lat,lon" for a point.

        Among several places of the same name a municipality wins, then the larger population. Raises
        PlaceNotFound (with near-match suggestions) or ValueError (coordinates out of range or outside Finland, or
        text longer than MAX_PLACE_TEXT).
        """
        if len(text) > MAX_PLACE_TEXT:
            raise ValueError(f"the place is longer than {MAX_PLACE_TEXT} characters")
        point = parse_point(text)
        if point is not None:
            return self.point(*point)
        query = text.strip()
        found = self._lookup(normalise(query)) if query else []
        if not found and query:
            found = self._qualified(query) or centre_town(query, lambda name: self._lookup(normalise(name)))
        if found:
            # among names alike but for their accents (Aijala in Salo, Äijälä in Laukaa) the one spelt as typed
            spelt = [p for p in found if query.casefold() in (p.name_fi.casefold(), (p.name_sv or "").casefold())]
            return (spelt or found)[0]
        raise PlaceNotFound(query, self._near(query) if query else [])

    def _near(self, query: str) -> list[Place]:
        """Suggestions for an unknown name: for "Name, Municipality" the places called Name, else near matches."""
        parts = split_qualified(query)
        named = self._lookup(normalise(parts[0])) if parts else []
        return named[:MAX_SUGGESTIONS] or self._guesses(normalise(query), MAX_SUGGESTIONS, cutoff=0.75)

    def _guesses(self, key: str, limit: int, cutoff: float) -> list[Place]:
        """Places an unknown name may mean: those it is named after (``_stems``) and, near them if there are any,
        those of a similar name (``_fuzzy``)."""
        stems = self._stems(key)
        scored = self._scored(key, limit, cutoff)
        similar = [p for p in self._fuzzy(key, limit, cutoff, scored=scored) if p not in stems]
        # a slip of a letter or two ("Ylläsjärve", "Rovanemi") means that name more surely than the fell it goes on
        # from (kept when near it: Äkäslompolo under Ylläs), or a hamlet its first letters name (Rova, far away);
        # among slips alike, a municipality first ("Kuirkka": Kurikka before the hamlet Kuikka)
        allowed = TYPO_EDITS[len(key) >= 10]
        close = [p for p in self._fuzzy(key, limit, cutoff, spread=1.0, scored=scored) if p not in stems]
        off = {p.id: slips(key, [normalise(n) for n in (p.name_fi, p.name_sv) if n], allowed) for p in close}
        typos = sorted((p for p in close if off[p.id] <= allowed), key=lambda p: (off[p.id], *_rank(p)))
        anchor = typos[0] if typos else stems[0] if stems else None
        if anchor is not None:
            near = [p for p in stems + similar if distance_km(p.lat, p.lon, anchor.lat, anchor.lon) <= STEM_NEAR_KM]
            stems, similar = [p for p in stems if p in near], [p for p in similar if p in near]
        return (typos + [p for p in stems + similar if p not in typos])[:limit]

    def _stems(self, key: str) -> list[Place]:
        """Places whose name or alias the text begins with and goes on from ("Ylläsjärvi": Äkäslompolo, whose alias is
        Ylläs): a village named after a known fell or lake is near it, where a merely similar name can be a town
        700 km away. Longest names first."""
        out: list[Place] = []
        for end in range(len(key) - 2, 3, -1):
            for place in self._lookup(key[:end]):
                if place not in out:
                    out.append(place)
        return out

    def _lookup(self, key: str) -> list[Place]:
        """Places whose name, id or alias normalises to ``key``, best first (names before aliases)."""
        hits = self._index.get(key, [])
        return [p for _, p in sorted(hits, key=lambda tp: (tp[0], *_rank(tp[1])))]

    def _qualified(self, query: str) -> list[Place]:
        """Places for "Name, Municipality" or "Name (Municipality)"."""
        parts = split_qualified(query)
        if not parts:
            return []
        municipality = normalise(parts[1])
        return [p for p in self._lookup(normalise(parts[0]))
                if municipality in (normalise(p.municipality), normalise(self._swedish_municipality(p)))]

    def _swedish_municipality(self, place: Place) -> str:
        """Swedish name of ``place``'s municipality, when the gazetteer knows it."""
        for candidate in self._lookup(normalise(place.municipality)):
            if candidate.kind == "municipality":
                return candidate.name_sv or candidate.name_fi
        return place.municipality

    def _scored(self, key: str, limit: int, cutoff: float) -> list[tuple[float, str]]:
        """The names close to ``key`` with their difflib ratios, closest first."""
        return [(difflib.SequenceMatcher(None, key, close).ratio(), close)
                for close in difflib.get_close_matches(key, self._sorted_keys, n=limit * 3, cutoff=cutoff)]

    def _fuzzy(self, key: str, limit: int, cutoff: float = 0.75, spread: float = 0.05,
               scored: list[tuple[float, str]] | None = None) -> list[Place]:
        """Up to ``limit`` places whose names are close to ``key`` (difflib ratio), closest first (``scored``: the
        names ``_scored`` gave, when already asked).

        Matches weaker than the best one by more than ``spread`` are left out, so "Kemmi" suggests Kemi and not
        Keminmaa too.
        """
        scored = self._scored(key, limit, cutoff) if scored is None else scored
        out: list[Place] = []
        for score, close in scored:
            if score < scored[0][0] - spread:
                break
            for place in self._lookup(close):
                if place not in out:
                    out.append(place)
        return out[:limit]

    def suggest(self, text: str, limit: int = 8) -> list[Place]:
        """Autocomplete for ``text``: the places of exactly that name (or alias) first, then those whose name starts
        with it (municipalities first, then by population), then places whose name contains it, then near matches.
        A "lat,lon" text gives that point."""
        try:
            point = parse_point(text)
        except ValueError:
            return []
        if point is not None:
            try:
                return [self.point(*point)]
            except ValueError:
                return []
        key = normalise(text)
        if not key:
            return []
        prefix = {p for k in self._keys_from(key) for _, p in self._index[k]}
        inside = {p for k in self._sorted_keys if key in k and not k.startswith(key) for _, p in self._index[k]}
        exact = [p for _, p in sorted(self._index.get(key, []), key=lambda tp: (tp[0], _rank(tp[1])))]
        # a postal hamlet of exactly the typed name ("Rova") after the municipalities the text begins ("Rovaniemi")
        towns = [p for p in sorted(prefix - set(exact), key=_rank) if p.kind == "municipality"]
        first = [p for p in exact if p.source != "postal"] + towns + [p for p in exact if p.source == "postal"]
        out = first + sorted(prefix - set(first), key=_rank) + sorted(inside - prefix, key=_rank)
        if len(out) < limit:
            out += [p for p in self._guesses(key, limit, cutoff=0.6) if p not in out]
        return out[:limit]

    def _keys_from(self, prefix: str) -> Iterator[str]:
        """Index keys starting with ``prefix`` (binary search on the sorted keys)."""
        i = bisect.bisect_left(self._sorted_keys, prefix)
        while i < len(self._sorted_keys) and self._sorted_keys[i].startswith(prefix):
            yield self._sorted_keys[i]
            i += 1

    def nearest(self, lat: float, lon: float) -> Place:
        """The known place (not a point) nearest to ``lat``, ``lon``."""
        if not self._located:
            raise PlaceNotFound(f"{lat},{lon}")
        return min(self._located, key=lambda p: (distance_km(lat, lon, p.lat, p.lon), p.id))

    def point(self, lat: float, lon: float, name: str | None = None) -> Place:
        """A ``point`` place at ``lat``, ``lon`` in the municipality and region of the nearest known place.

        Raises PointOutside (a ValueError) when the point is not in Finland or Åland by the shipped borders
        (``borders.in_finland``): the message names the nearest place, and suggests swapping when the swapped pair
        would be in.
        """
        near = self.nearest(lat, lon)
        if not in_finland(lat, lon):
            swapped = -90 <= lon <= 90 and -180 <= lat <= 180 and in_finland(lon, lat)
            raise PointOutside({"lat": round(lat, 5), "lon": round(lon, 5), "near": near.name_fi,
                                "km": round(distance_km(lat, lon, near.lat, near.lon)),
                                "swapped": f"{lon:.5f}, {lat:.5f}" if swapped else None})
        label = f"{lat:.5f}, {lon:.5f}"
        return Place(id=f"point:{lat:.5f},{lon:.5f}", name_fi=name or label, name_sv=None, kind="point",
                     municipality=near.municipality, region=near.region, lat=lat, lon=lon)


def read_places(lines: Iterable[str]) -> list[Place]:
    """Places from the CSV text of ``planner/data/places.csv`` (columns as written by planner.ops.build_places)."""
    places = []
    for row in csv.DictReader(lines):
        places.append(Place(
            id=row["id"], name_fi=row["name_fi"], name_sv=row["name_sv"] or None, kind=row["kind"],
            municipality=row["municipality"], region=row["region"], lat=float(row["lat"]), lon=float(row["lon"]),
            population=int(row["population"] or 0),
            aliases=tuple(a for a in row["aliases"].split("|") if a), centre=row.get("centre") or None,
            source=row.get("source") or None,
        ))
    return places


@functools.cache
def get_gazetteer() -> Gazetteer:
    """The shipped gazetteer (planner/data/places.csv), loaded once per process."""
    data = resources.files("planner").joinpath("data", "places.csv")
    with data.open(encoding="utf-8", newline="") as f:
        return Gazetteer(read_places(f))


@functools.cache
def transport_names() -> dict[str, dict[str, str]]:
    """The travel network's airports, harbours and junctions (named in English in road_network.json, as the legs
    of a journey carry them) in Finnish and Swedish: 'Helsinki-Vantaa airport' → {'fi': 'Helsinki-Vantaan
    lentoasema', 'sv': 'Helsingfors-Vanda flygplats'} (planner/data/transport_names.csv)."""
    data = resources.files("planner").joinpath("data", "transport_names.csv")
    with data.open(encoding="utf-8", newline="") as f:
        return {row["name"]: {"fi": row["fi"], "sv": row["sv"]} for row in csv.DictReader(f)}


def geocode_address(text: str, settings: Settings, gazetteer: Gazetteer | None = None) -> Place | None:
    """A street address as a ``point`` place through geopy, or None when geocoding is off or finds nothing.

    Geocoding sends the address to an outside service, so it runs only when the instance config names one
    (``Settings.geocoder``, e.g. "nominatim", with ``geocoder_user_agent``); by default it is off and this returns
    None without importing geopy or touching the network. Raises ValueError for a result outside Finland/Åland.
    """
    if not settings.geocoder or not text.strip():
        return None
    from geopy.geocoders import get_geocoder_for_service  # imported only when an administrator turned it on

    geocoder = get_geocoder_for_service(settings.geocoder)(user_agent=settings.geocoder_user_agent, timeout=10)
    options = {"country_codes": ["fi", "ax"]} if settings.geocoder == "nominatim" else {}
    location = geocoder.geocode(text.strip(), exactly_one=True, **options)
    if location is None:
        return None
    return (gazetteer or get_gazetteer()).point(location.latitude, location.longitude, name=text.strip())


def locate(text: str, settings: Settings, gazetteer: Gazetteer | None = None) -> Place:
    """A place name or ``lat,lon`` from the gazetteer; failing that, a street address through the configured
    geocoder (when there is one). Raises PlaceNotFound (with suggestions) or ValueError."""
    gazetteer = gazetteer or get_gazetteer()
    try:
        return gazetteer.resolve(text)
    except PlaceNotFound:
        found = geocode_address(text, settings, gazetteer)
        if found is None:
            raise
        return found
