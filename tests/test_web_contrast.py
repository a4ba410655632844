"""Sufficient contrast: every text colour of static/app.css against the backgrounds it is used on meets WCAG AA
(4.5:1 for normal text). The colours are read from the stylesheet, so a change that breaks contrast fails here."""
import re
from pathlib import Path

import pytest

CSS = (Path(__file__).resolve().parent.parent / "static" / "app.css").read_text()
VARS = {name: value if len(value) == 7 else "#" + "".join(c * 2 for c in value[1:])  # #fff -> #ffffff
        for name, value in re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b)", CSS)}


def colour(name: str) -> str:
    return VARS[name] if not name.startswith("#") else name


def luminance(hex_colour: str) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(colour(a)), luminance(colour(b))), reverse=True)
    return (la + 0.05) / (lb + 0.05)


# (text, background) pairs as the stylesheet uses them
PAIRS = [
    ("fg", "bg"), ("muted", "bg"), ("muted", "panel"), ("accent", "bg"), ("accent", "panel"),
    ("#ffffff", "accent"), ("#ffffff", "accent-dark"), ("bad", "bg"), ("bad", "#fdecec"), ("ok", "bg"),
    ("ok", "panel"), ("draft", "bg"), ("draft", "panel"), ("fg", "warn-bg"), ("fg", "#f7dede"), ("fg", "#f0c4c4"),
    ("fg", "#bcd3ea"), ("fg", "#f3e2bf"), ("muted", "#eceff3"), ("#ffffff", "fg"),
]


@pytest.mark.parametrize("text, background", PAIRS)
def test_text_contrast_meets_wcag_aa(text, background):
    assert contrast(text, background) >= 4.5, f"{text} on {background}: {contrast(text, background):.2f}:1"


def test_every_colour_variable_is_checked():
    used = {name for pair in PAIRS for name in pair if not name.startswith("#")}
    assert set(VARS) - used <= {"line", "focus"}  # borders and the focus ring are not text
