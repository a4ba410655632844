"""The hand-curated corrections and additions ``build_places`` applies to the open data: GeoNames rows to drop,
Finnish and Swedish village names, renamed rows, villages the nearest-centre rule misplaces, villages people travel
to that the data lacks, and ids kept stable. Each entry says why, or names the page its coordinates come from."""
from __future__ import annotations

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
    # the Finnish Immigration Service's own reception centres and detention units, at the offices' points
    # (planner/core/offices.py) and Metsälä's GeoNames district row; the centres run by organisations and
    # companies open and close every few months (migri.fi/vastaanottokeskukset) and are found by their town
    ("Konnunsuo", "", "Lappeenranta", (61.0300, 28.5399),
     ("Joutsenon vastaanottokeskus", "Joutseno reception centre", "Joutsenon säilöönottoyksikkö",
      "Joutseno detention unit")),
    ("Heikinharju", "", "Oulu", (64.9806, 25.5514),
     ("Oulun vastaanottokeskus", "Heikinharjun vastaanottokeskus", "Oulu reception centre")),
    ("Metsälän säilöönottoyksikkö", "Förvarsenheten i Metsälä", "Helsinki", (60.22298, 24.94034),
     ("Metsälä detention unit",)),
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
    # the Finnish Meteorological Institute's observation station "Inari Kiilopää" (fmisid 102004), at the fell centre
    ("Kiilopää", "", "Inari", (68.3505, 27.4458), ()),
    # the Finnish Meteorological Institute's observation station "Enontekiö Kelottijärvi Munnikurkkio" (fmisid
    # 102018, 1965-1991), in the village; no road goes there (the travel model's last leg is its estimate)
    ("Kelottijärvi", "", "Enontekiö", (68.9672, 22.1287), ()),
    # https://fr.wikipedia.org/wiki/Mossala_(%C3%AEle)
    ("Mossala", "", "Parainen", (60.2750, 21.4169), ("Mussala",)),
    # https://wiki.av1.space/content/wikipedia_en_all_mini_2025-06/Pr%C3%A4st%C3%B6%2C_%C3%85land
    ("Prästö", "", "Sund", (60.2125, 20.2611), ()),
    # https://triptipper.com/tips/seurasaari?page=22
    ("Seurasaari", "Fölisön", "Helsinki", (60.1848, 24.8845), ()),
    # https://en.wikipedia.org/wiki/Korkeasaari
    ("Korkeasaari", "Högholmen", "Helsinki", (60.1750, 24.9842), ("Helsinki Zoo",)),
    # https://en.wikipedia.org/wiki/Malmi,_Helsinki
    ("Malmi", "Malm", "Helsinki", (60.25028, 25.00972), ()),
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
    # https://de.wikiup.org/wiki/N%C3%A4%C3%A4t%C3%A4m%C3%B6 (to the arc-minute)
    ("Näätämö", "", "Inari", (69.6667, 29.1167), ("Njauddâm", "Njávdán")),
    # https://de.wikipedia.org/wiki/Raja-Jooseppi
    ("Raja-Jooseppi", "", "Inari", (68.4761, 28.4730), ("Rajajooseppi",)),
    # https://www.nationalparks.fi/lemmenjokinp/trails/description (the car park, 1.5 km from Njurgulahti)
    ("Lemmenjoki", "", "Inari", (68.7516, 26.2200), ("Njurgulahti", "Njurkulahti")),
    # https://www.skisprungschanzen.com/EN/Ski+Jumps/FIN-Finland/Rovaniemi/0271/ (the ski jump on the fell)
    ("Ounasvaara", "", "Rovaniemi", (66.5058, 25.7814), ()),
    # GeoNames' postal codes (CC BY 4.0, download.geonames.org/export/zip, FI.txt and AX.txt): the point of the
    # village's postal area, a village of that name alone in its area
    ("Tahko", "", "Kuopio", (63.2833, 28.0424), ("Tahkovuori",)),
    ("Luosto", "", "Sodankylä", (67.1649, 26.9246), ()),
    ("Ylläsjärvi", "", "Kolari", (67.5353, 24.2752), ()),
    ("Syöte", "", "Pudasjärvi", (65.6190, 27.6158), ("Iso-Syöte", "Iso Syöte")),
    ("Nötö", "", "Parainen", (59.9484, 21.7705), ("Nötö (Nagu)",)),
    ("Rosala", "", "Kemiönsaari", (59.8483, 22.4115), ("Hitis", "Hiittinen")),
    ("Kasnäs", "", "Kemiönsaari", (59.9220, 22.4257), ()),
    ("Lappo", "Lappo", "Brändö", (60.3107, 20.9895), ("Lappo (Brändö)",)),
    ("Enklinge", "Enklinge", "Kumlinge", (60.3349, 20.7580), ()),
    ("Suomutunturi", "", "Kemijärvi", (66.5723, 27.9839), ("Suomu",)),  # the ski resort
    # islands of Finferries' Otava from Kotka (planner/data/road_network.json):
    # https://it.teknopedia.teknokrat.ac.id/wiki/Kaunissaari (it.wikipedia: 60°21′30″N 26°46′00″E, the island)
    ("Kaunissaari", "Fagerö", "Pyhtää", (60.3583, 26.7667), ("Kaunissaari (Pyhtää)", "Fagerö (Pyttis)")),
    # http://de.wikipedia.org./wiki/Kirkonmaa (60° 23′ 25″ N, 27° 2′ 53″ O)
    ("Kirkonmaa", "", "Kotka", (60.3903, 27.0481), ()),
    # an island of Kumlinge with its cable ferry: its postal code's point (GeoNames' postal codes, AX 22810)
    ("Seglinge", "Seglinge", "Kumlinge", (60.2018, 20.7098), ()),
    # islands with a summer passenger boat (planner/data/road_network.json):
    # https://wiki.okin.cloud/content/wikipedia_fr_all/A/Isosaari (60° 06′ 08″ N, 25° 03′ 16″ E)
    ("Isosaari", "Mjölö", "Helsinki", (60.1022, 25.0544), ()),
    # https://nzt.eth.link/wiki/Jussar%C3%B6.html (59°49′36″N 023°34′06″E)
    ("Jussarö", "Jussarö", "Raasepori", (59.8267, 23.5683), ()),
    # https://onnellinenveneilija.blogspot.com/search/label/Bengtsk%C3%A4r (59°48.7′N 22°19.4′E)
    ("Örö", "Örö", "Kemiönsaari", (59.8117, 22.3233), ()),
    # the lighthouse: https://de.aroundus.com/p/11461954-leuchtturm-tankar (63.95008,22.84655)
    ("Tankar", "Tankar", "Kokkola", (63.9501, 22.8466), ("Tankari",)),
    # resorts, parks and border crossings:
    # https://wikiclassic.com/wiki/Serena_water_park (60°19′32″N 024°44′21″E; the ski slope beside it)
    ("Serena", "", "Espoo", (60.3256, 24.7392), ("Serena Ski", "Serena-vesipuisto")),
    # https://www.hamewiki.fi/index.php?title=Kalpalinna (the ski centre, in Janakkala)
    ("Kalpalinna", "", "Janakkala", (60.9300, 24.5952), ()),
    # en.wikipedia "Nuuksio National Park" (60°18′27″N 24°29′57″E)
    ("Nuuksio", "Noux", "Espoo", (60.3075, 24.4992), ("Nuuksion kansallispuisto", "Nuuksio National Park")),
    # fi.wikipedia "Vartiuksen raja-asema" (64°32.701′N, 029°59.085′E)
    ("Vartius", "", "Kuhmo", (64.5450, 29.9848), ("Vartiuksen raja-asema",)),
    # https://saimaageopark.fi/en/geosites/imatrankoski-kruununpuisto-copy/ (61.168663, 28.772491)
    ("Imatrankoski", "", "Imatra", (61.1687, 28.7725), ()),
    # villages of the Sámi homeland: https://kiwix.hampton.id.au/content/wikipedia_en_all_maxi_2025-08/Lisma
    ("Lisma", "", "Inari", (68.3708, 25.4778), ()),
    # http://de.wikipedia.org./wiki/Virtaniemi (68° 53′ 49,1″ N, 28° 25′ 24,9″ O)
    ("Virtaniemi", "", "Inari", (68.8970, 28.4236), ()),
    # https://nl.m.wikipedia.org/wiki/Markkina (68° 29′ NB, 22° 18′ OL: to the arc-minute)
    ("Markkina", "", "Enontekiö", (68.4833, 22.3000), ()),
    # the Finnish Meteorological Institute's observation stations in the villages (its station list: name, fmisid):
    # "Utsjoki Outakoski" 102023, "Inari Partakko" 102038, "Inari Riutula" 102028, "Inari Repojoki" 101992,
    # "Inari Solojärvi" 102029 (to two decimals), "Enontekiö Näkkälä" 102019
    ("Outakoski", "", "Utsjoki", (69.5839, 25.9622), ()),
    ("Partakko", "", "Inari", (69.1840, 27.9124), ()),
    ("Riutula", "", "Inari", (68.9339, 26.8124), ()),
    ("Repojoki", "", "Inari", (68.4338, 25.9457), ()),
    ("Solojärvi", "", "Inari", (68.87, 26.83), ()),
    ("Näkkälä", "", "Enontekiö", (68.6030, 23.5760), ()),
    # the same station list's "Mäntyluoto/Pori" (fmisid 101255): Pori's harbour district
    ("Mäntyluoto", "", "Pori", (61.5835, 21.4798), ()),
    # the Finnish Meteorological Institute's observation station "Kemiönsaari Vänö" (on the island's south end)
    ("Vänö", "", "Kemiönsaari", (59.8695, 22.1934), ()),
    # the national park's point as its article gives it (65°29'23"N 29°19'25"E, wikiwand.com), as in the road
    # distances of tests/data/road_distances.csv
    ("Hossa", "", "Suomussalmi", (65.4897, 29.3236), ("Hossan kansallispuisto", "Hossa National Park")),
    # ski resorts, where seasonal workers live the winter through: each resort's point in a public list of the
    # world's ski resorts (github.com/Shellnut/Buckhouse, resortData/europe/finlandData.js, "position")
    ("Olos", "", "Muonio", (67.9317, 23.8161), ("Olostunturi",)),
    ("Riihivuori", "", "Muurame", (62.1081, 25.6881), ()),
    ("Ukkohalla", "", "Hyrynsalmi", (64.7414, 28.2470), ()),
    ("Paljakka", "", "Puolanka", (64.6784, 27.9456), ()),
    ("Pikku-Syöte", "", "Pudasjärvi", (65.6343, 27.6958), ()),
    ("Taivalvaara", "", "Taivalkoski", (65.5656, 28.1994), ()),
    ("Simpsio", "", "Lapua", (62.9575, 22.9396), ()),
    # the Finnish Meteorological Institute's observation station "Jämsä Himos" (fmisid 101364; its station list in
    # github.com/tituomin/weather-canvas, data/cljs/observation_data/observation_points.cljs), at the resort
    ("Himos", "", "Jämsä", (61.8861, 25.3267), ()),
    # Pori's island district by the sea, joined to Mäntyluoto by road: https://openarium.ru/poi/37566482
    # ("61.61190600, 21.44572800"; a travel guide's point, the only one found)
    ("Reposaari", "Räfsö", "Pori", (61.6119, 21.4457), ()),
]


# Ids stored before a namesake was added: the place that had the id keeps it (offices and visits refer to it).
KEPT_IDS = {"marjaniemi": "Helsinki"}
