"""Shared pieces of the property-based tests (issue 5.7, "bad input never crashes"): hostile values, Hypothesis
settings, a dump of the database to prove a refused input changed nothing, and a parser for the forms of a page.
"""
from __future__ import annotations

import os
import sqlite3
from html.parser import HTMLParser

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# A fixed seed and no example database: CI sees the same examples every run, so a pass is never luck.
FUZZ = dict(derandomize=True, database=None, deadline=None, print_blob=False,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                   HealthCheck.data_too_large, HealthCheck.filter_too_much])


def fuzz_settings(examples: int) -> settings:
    """``examples`` in CI; PLANNER_FUZZ_SCALE=20 tries twenty times as many (still the same seed) for a deeper look."""
    return settings(max_examples=examples * int(os.environ.get("PLANNER_FUZZ_SCALE", "1")), **FUZZ)


# What people (or attackers) type: wrong types, edges of ranges, SQL and HTML, odd unicode, dates and weeks out of
# range. Digits such as "²" and "١" pass str.isdigit() but not always int().
FRAGMENTS = [
    "", " ", "0", "-1", "1", "00", "+1", "1.5", "1,5", "1e309", "-1e309", "NaN", "nan", "inf", "-Infinity",
    "9" * 30, str(2 ** 63), str(-2 ** 63 - 1), "²", "①", "١٢٣", "٣", "0x10", "1_000", "true", "null", "None",
    "[]", "{}", "' OR '1'='1", "'; DROP TABLE visits; --", "\" OR 1=1 --", "1; select * from users",
    "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "{{7*7}}", "{% raw %}", "%s%n%x", "../../etc/passwd",
    "\x00", "a\x00b", "\r\n", "\t", "\u202e", "\ufeff", "🦄", "Ä" * 70, "x" * 5000, "ÅÄÖ åäö", "Maria Virtanen",
    "0001-01-01", "9999-12-31", "10000-01-01", "2026-02-30", "2026-13-01", "2026-1-1", "01.12.2026", "2026-12-07T10:00",
    "0001-W01", "9999-W52", "2026-W00", "2026-W53", "2026-W99", "2026-W1", "0000-01", "0001-01", "9999-12", "2026-00",
    "helsinki", "oulu", "demo-03", "hel-sw", "oulu-sc", "Rovaniemi", "Utsjoky", "60.17,24.94", "95,200", "nan,nan",
    "client", "urgent", "vacation", "admin", "lead", "fi", "sv", "en", "xx", "assign:", "assign:x", "save", "propose",
]
FRAGMENT = st.sampled_from(FRAGMENTS)
# The values most likely to break a parser: each is tried in every field and query argument a route reads.
EDGES = ["", " ", "-1", "0", "²", "١٢٣", "9" * 30, str(2 ** 63), "1e309", "nan", "0001-01-01", "9999-12-31",
         "0001-W01", "9999-W52", "2026-W53", "0001-01", "9999-12", "a\x00b", "x" * 3000, "' OR '1'='1",
         "<script>alert(1)</script>", "🦄"]
# Text a form can carry (no lone surrogates: a browser cannot send them either).
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


def hostile_text() -> st.SearchStrategy[str]:
    return st.one_of(FRAGMENT, TEXT, st.integers().map(str), st.floats().map(str),
                     st.tuples(FRAGMENT, FRAGMENT).map("".join))


def hostile_json(max_leaves: int = 6) -> st.SearchStrategy:
    """Any JSON value, weighted towards the edges: huge numbers, NaN and infinities, hostile strings."""
    scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.sampled_from([10 ** 30, -10 ** 30, 2 ** 63, 0, -1]),
                        st.floats(), st.sampled_from([float("nan"), float("inf"), -float("inf"), 1e308]),
                        hostile_text())
    return st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                         st.dictionaries(hostile_text(), inner, max_size=3)),
                        max_leaves=max_leaves)


# Tables whose writes on a refused request are intended: the audit log (views, failed sign-ins), the sign-in
# failure counters and locks, the signed-in sessions the server keeps, and "what you have seen" of My schedule.
BOOKKEEPING = {"audit_log", "sign_in_failures", "sign_in_locks", "schedule_seen", "user_sessions"}


def table_dump(path, skip=BOOKKEEPING) -> dict[str, list]:
    """Every row of every table (but the bookkeeping ones), in a stable order."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in con.execute("select name from sqlite_master where type = 'table' "
                                            "and name not like 'sqlite_%' order by name")]
        return {t: sorted(map(repr, con.execute(f'select * from "{t}"'))) for t in tables if t not in skip}
    finally:
        con.close()


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(t for t in before.keys() | after.keys() if before.get(t) != after.get(t))


# Forms of a page ------------------------------------------------------------------------------------------------

class Field:
    def __init__(self, name: str, kind: str, value: str | None, options: list[str] | None = None):
        self.name, self.kind, self.value, self.options = name, kind, value, options or []

    def __repr__(self):
        return f"Field({self.name!r}, {self.kind!r}, {self.value!r})"


class Form:
    def __init__(self, action: str, method: str, attrs: dict):
        self.action, self.method, self.attrs = action, method, attrs
        self.fields: list[Field] = []

    def defaults(self) -> list[tuple[str, str]]:
        """What a browser sends when the user changes nothing (checked boxes, selected options, values)."""
        out = []
        for f in self.fields:
            if f.kind in ("checkbox", "radio"):
                if f.value is not None and f.options == ["checked"]:
                    out.append((f.name, f.value))
            elif f.kind == "select":
                if f.value is not None:
                    out.append((f.name, f.value))
            elif f.kind not in ("submit", "button", "image", "reset", "file"):
                out.append((f.name, f.value or ""))
        return out

    def __repr__(self):
        return f"Form({self.method} {self.action}, {self.fields})"


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.select: Field | None = None
        self.textarea: Field | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self.form = Form(a.get("action", ""), a.get("method", "get").lower(), a)
            self.forms.append(self.form)
        elif self.form is None:
            return
        elif tag in ("input", "button") and a.get("name"):
            kind = a.get("type", "text" if tag == "input" else "submit").lower()
            value = a.get("value", "on" if kind == "checkbox" else "")
            self.form.fields.append(Field(a["name"], kind, value, ["checked"] if "checked" in a else []))
        elif tag == "select" and a.get("name"):
            self.select = Field(a["name"], "select", None)
            self.form.fields.append(self.select)
        elif tag == "option" and self.select is not None:
            value = a.get("value", "")
            self.select.options.append(value)
            if self.select.value is None or "selected" in a:
                self.select.value = value
        elif tag == "textarea" and a.get("name"):
            self.textarea = Field(a["name"], "textarea", "")
            self.form.fields.append(self.textarea)

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def parse_forms(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


TRACEBACK_MARKS = ("Traceback (most recent call last)", "Internal Server Error", "werkzeug.debug", "File \"/")


def assert_no_crash_text(text: str, where) -> None:
    for mark in TRACEBACK_MARKS:
        assert mark not in text, (where, mark)
