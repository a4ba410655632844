"""The four offices of the assistance system, with real coordinates (used when an import names no offices)."""
from __future__ import annotations

from .records import Office

# region: the regions (maakunta) whose visits the office covers first, comma-separated.
BUILTIN_OFFICES: tuple[Office, ...] = (
    Office("helsinki", "Helsinki (Pasila)", 60.19866, 24.93345,
           "Uusimaa,Varsinais-Suomi,Kanta-Häme,Ahvenanmaa", "helsinki"),
    Office("tampere", "Tampere", 61.49911, 23.78712,
           "Pirkanmaa,Satakunta,Etelä-Pohjanmaa,Pohjanmaa,Keski-Suomi", "tampere"),
    Office("lappeenranta", "Lappeenranta (Joutseno reception centre)", 61.03000, 28.53990,
           "Etelä-Karjala,Kymenlaakso,Päijät-Häme,Etelä-Savo,Pohjois-Savo,Pohjois-Karjala", "lappeenranta"),
    Office("oulu", "Oulu (Heikinharju reception centre)", 64.98060, 25.55140,
           "Pohjois-Pohjanmaa,Kainuu,Lappi,Keski-Pohjanmaa", "oulu"),
)
