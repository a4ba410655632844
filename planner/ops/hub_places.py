"""The travel network's airports and harbours as places, for ``planner.ops.build_places``: a meeting at
Helsinki-Vantaa airport or at Hummelvik's ferry harbour is typed as such ("Helsinki-Vantaan lentoasema",
"Hummelvik"), and lies exactly on the network's node, on its own island.

Names: Finnish and Swedish from ``planner/data/transport_names.csv``, the network's English name and the locality it
is named after ("Hummelvik harbour (Vårdö)" → "Hummelvik") as aliases.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Callable

from planner.core.network_data import network_doc
from planner.core.places import HUB_KINDS, transport_names

from .postal_places import municipalities_by_name, municipality_at

if TYPE_CHECKING:
    from .build_places import Row

_SUFFIX = re.compile(r"\s*\(.*?\)|\s+(harbour|airport)\b")
_PLAIN = re.compile(r"\s*\(.*?\)")


def hub_rows(municipalities: list[Row], make_row: Callable[..., Row]) -> list[Row]:
    """One row per airport and harbour node of the shipped network."""
    by_name = municipalities_by_name(municipalities)
    names = transport_names()
    rows = []
    for node in sorted(network_doc()["nodes"].values(), key=lambda n: n["name"]):
        if node.get("kind") not in HUB_KINDS or node["name"] not in names:    # the others are villages
            continue
        english, lat, lon = node["name"], node["lat"], node["lon"]
        fi, sv = names[english]["fi"], names[english]["sv"]
        named = re.search(r"\((\w+)", english)    # "(Vårdö)": the coarse borders put Töftö's ferry in Sund
        town = named.group(1) if named else OUTSIDE_ITS_TOWN.get(english, "")
        municipality = by_name.get(town) or municipality_at("AX" if node["zone"] in ALAND_ZONES else "FI", "", lat,
                                                            lon, by_name)
        aliases = {english, _SUFFIX.sub("", english).strip(), _PLAIN.sub("", fi), _PLAIN.sub("", sv),
                   fi.replace("lentoasema", "lentokenttä")}
        rows.append(make_row(fi, sv, node["kind"], municipality.name_fi, municipality.region, lat, lon, 0,
                             aliases - {fi, sv}))
    return rows


# airports the coarse borders put in the town they serve: Mariehamn's lies in Jomala (Finavia)
OUTSIDE_ITS_TOWN = {"Mariehamn airport": "Jomala"}
# the zones of Åland's islands in road_network.json
ALAND_ZONES = {"aland", "foglo", "kokar", "sottunga", "kumlinge", "enklinge", "seglinge", "brando", "lappo",
               "vardo"}
