"""How far one spelling is from another: a typed name's slips against a place's name (``places.Gazetteer``'s
"did you mean")."""
from __future__ import annotations


def edits(a: str, b: str, most: int) -> int:
    """Letters to insert, delete, change or swap to make ``a`` into ``b`` (optimal string alignment), counted up to
    ``most + 1``."""
    if abs(len(a) - len(b)) > most:
        return most + 1
    before, row = None, list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, y in enumerate(b, 1):
            current[j] = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + (x != y))
            if before is not None and i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                current[j] = min(current[j], before[j - 2] + 1)
        before, row = row, current
    return min(row[-1], most + 1)


def slips(key: str, names: list[str], allowed: int) -> int:
    """The fewest letters ``key`` is off any of ``names`` (normalised, a place's Finnish and Swedish: "sibo" is one
    off "sibbo", Sipoo; not its aliases, some of which are other languages' spellings of a town far away), counted up
    to ``allowed + 1``. Two slips keep the first letter: "Pallasjärvi" is not Jalasjärvi, 600 km away."""
    off = allowed + 1
    for name in names:
        n = edits(key, name, allowed)
        if n <= 1 or name[:1] == key[:1]:
            off = min(off, n)
    return off
