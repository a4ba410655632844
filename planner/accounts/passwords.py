"""The password policy: long enough, not common, not guessable from the email address, the person or the service.

Follows NIST SP 800-63B rather than composition rules: at least 12 characters, checked against a list of common
passwords shipped with the package (``data/common_passwords.txt``, no network), against keyboard and alphabet
sequences and short repeats, and against the email address's local part; then the zxcvbn strength estimator
(Dropbox's, offline) with the email, the person's name and the service's own words as context must put it at score
3 or more (at least 10^8 guesses). Each rule has a code, so the web app can say the same thing in Finnish or
Swedish; the English message is for the command line and the tests.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from pathlib import Path

from zxcvbn import zxcvbn

MIN_PASSWORD = 12
MAX_PASSWORD = 1000  # scrypt over megabytes of text would be a denial of service
COMMON_FILE = Path(__file__).resolve().parent.parent / "data" / "common_passwords.txt"
# Typing runs: a password that is a stretch of one of these (forwards or backwards) is a sequence.
SEQUENCES = ("01234567890", "abcdefghijklmnopqrstuvwxyzåäö", "qwertyuiopåasdfghjklöäzxcvbnm",
             "qwertyuiopasdfghjklzxcvbnm", "qwertzuiopasdfghjklyxcvbnm", "azertyuiopqsdfghjklmwxcvbn",
             "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p", "qazwsxedcrfvtgbyhnujmikolp",
             "1q2w3e4r5t6y7u8i9o0p")
_ENDS = re.compile(r"^[\W\d_]+|[\W\d_]+$")  # digits, spaces and symbols at either end
MIN_SCORE = 3          # zxcvbn's scale 0-4; 3 is "safely unguessable" online (10^8 guesses and more)
ESTIMATED_LENGTH = 72  # zxcvbn's own limit: longer passwords are estimated on their first 72 characters
# Words an attacker who knows whose planner this is tries first (zxcvbn's "user inputs").
SERVICE_WORDS = ("matkasuunnittelu", "matkasuunnitelma", "planner", "suunnittelija", "ihmiskauppa", "ihmiskaupan",
                 "uhrien", "auttamisjärjestelmä", "auttamisjarjestelma", "kenttäkäynti",
                 "kenttakaynti", "joutseno", "migri", "trafficking", "reseplanering", "människohandel")
# The hint for a guessable password, from the pattern zxcvbn found in its longest part (a code, worded at the edge).
DICTIONARY_HINTS = {"user_inputs": "context", "passwords": "common", "male_names": "names", "female_names": "names",
                    "surnames": "names", "english_wikipedia": "words", "us_tv_and_film": "words"}
PATTERN_HINTS = {"spatial": "keyboard", "repeat": "pattern", "sequence": "pattern", "regex": "dates",
                 "date": "dates"}


class PasswordProblem(ValueError):
    """Why a password is refused: ``code`` for translation, ``params`` for the message, ``str()`` in English."""

    def __init__(self, code: str, message: str, **params):
        super().__init__(message)
        self.code = code
        self.params = params


@functools.cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def _is_sequence(text: str) -> bool:
    return any(text in run or text in run[::-1] for run in SEQUENCES)


def _repeated_unit(text: str) -> str:
    """The shortest piece that ``text`` repeats ('abcabcabc' → 'abc'); ``text`` itself when it repeats nothing."""
    for size in range(1, len(text) // 2 + 1):
        if len(text) % size == 0 and text == text[:size] * (len(text) // size):
            return text[:size]
    return text


def _email_parts(email: str | None) -> list[str]:
    """The local part and its words ('matti.virtanen' → matti, virtanen), those long enough to matter."""
    if not email or "@" not in email:
        return []
    local = email.strip().lower().split("@", 1)[0]
    parts = [local] if len(local) >= 3 else []
    parts += [p for p in re.split(r"[._+\-]+", local) if len(p) >= 4 and p != local]
    return parts


def _hint(result: dict) -> str:
    """What made a password guessable, from zxcvbn's match sequence (its longest match, as zxcvbn's own feedback)."""
    longest = max(result["sequence"], key=lambda m: len(m["token"]), default=None)
    if longest is None:
        return "other"
    if longest["pattern"] == "dictionary":
        return DICTIONARY_HINTS.get(longest.get("dictionary_name"), "words")
    return PATTERN_HINTS.get(longest["pattern"], "other")


def strength(password: str, context: Iterable[str] = ()) -> tuple[int, str]:
    """zxcvbn's score (0-4) of ``password`` and the hint code for a low one; ``context`` are words of the account
    (email parts, the person's name) added to the service's own."""
    inputs = [w.lower() for w in (*SERVICE_WORDS, *context) if w]
    result = zxcvbn(password[:ESTIMATED_LENGTH], user_inputs=inputs)
    return result["score"], _hint(result)


def check_password(password: str, email: str | None = None, context: Iterable[str] = ()) -> None:
    """Raise PasswordProblem when ``password`` breaks the policy; ``email`` is the account's address and
    ``context`` other words of the account (the person's name). Common passwords count also with digits or symbols
    added at the ends ('Password2024!') and repeated ('trustno1trustno1'); short repeats are 'aaaaaaaaaaaa',
    'abcabcabcabc', '121212121212'. Last, zxcvbn must score it at least MIN_SCORE ('guessable', with a hint)."""
    if len(password) < MIN_PASSWORD:
        raise PasswordProblem("too-short", f"the password must be at least {MIN_PASSWORD} characters",
                              min=MIN_PASSWORD)
    if len(password) > MAX_PASSWORD:
        raise PasswordProblem("too-long", f"the password must be at most {MAX_PASSWORD} characters", max=MAX_PASSWORD)
    lowered = password.lower()
    squeezed = re.sub(r"\s+", "", lowered)
    for part in _email_parts(email):
        if part in lowered or part in squeezed:
            raise PasswordProblem("email", "the password must not contain the email address or the name in it")
    common = common_passwords()
    if lowered in common or squeezed in common:
        raise PasswordProblem("common", "the password is one of the most common passwords")
    core = _ENDS.sub("", lowered)
    unit = _repeated_unit(squeezed)
    if core in common or re.sub(r"\s+", "", core) in common or unit in common or _ENDS.sub("", unit) in common:
        raise PasswordProblem("common-variant",
                              "the password is a common password with digits or symbols added, or repeated")
    if _is_sequence(squeezed) or len(unit) <= 4:
        raise PasswordProblem("pattern", "the password is a keyboard or alphabet sequence or a short repeat")
    if not core:
        raise PasswordProblem("no-letters", "the password needs letters, not only digits and symbols")
    email_words = [email.split("@", 1)[0], *_email_parts(email)] if email and "@" in email else []
    words = [*email_words, *(w for name in context for w in re.split(r"[\s.,-]+", name))]
    # zxcvbn rates two or three of the context words together as strong; an attacker tries them together first.
    rest = lowered
    for word in sorted({w.lower() for w in (*SERVICE_WORDS, *words) if len(w) >= 4}, key=len, reverse=True):
        rest = rest.replace(word, "")
    if len(re.sub(r"[\W\d_]+", "", rest)) < 4:
        raise PasswordProblem("guessable", "the password is too easy to guess (context)", hint="context")
    score, hint = strength(password, words)
    if score < MIN_SCORE:
        raise PasswordProblem("guessable", f"the password is too easy to guess ({hint})", hint=hint)
