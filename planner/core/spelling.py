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
