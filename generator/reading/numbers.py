"""Personal numbers in published text, as a reader would see them.

The text is NFKC-normalised (full-width digits become ASCII), invisible characters are dropped,
and digits separated by single spaces, dots, hyphens or underscores are read together, the way a
person reads "138.1234.5678". Only whole groups as people write them are joined (up to 8 digits
each, up to 4 around a dot), so "1500.00 1380.00" or a chart's "122.0909977173" is never read as
a number of a person. Checksums (GB 11643 for ID numbers, Luhn for cards) keep random numbers out.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

# Zero-width and formatting characters that hide inside a number without showing on screen.
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufe00-\ufe0f\ufeff]"
)
# Groups of digits joined by at most one separator each; an ID's final X belongs to its last group.
_RUN = re.compile(r"(?<![0-9])[0-9]+[Xx]?(?:[ .\-_\u00a0][0-9]+[Xx]?)*")
_CHUNK = re.compile(r"[0-9][0-9 .\-_\u00a0Xx]{10,}")
_GROUP = re.compile(r"([0-9]+[Xx]?)([ .\-_\u00a0]?)")
_MOBILE = re.compile(r"(?:86)?(1[3-9][0-9]{9})")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_DATE = re.compile(r"(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])")


@dataclass(frozen=True, order=True)
class Found:
    kind: str  # "id", "mobile" or "card"
    number: str  # digits only (an ID may end in X)

    @property
    def masked(self) -> str:
        n = self.number
        return n[:3] + "*" * (len(n) - 7) + n[-4:] if len(n) > 7 else "*" * len(n)

    @property
    def label(self) -> tuple[str, str]:
        return {
            "id": ("身份证号", "ID number"),
            "mobile": ("手机号", "mobile number"),
            "card": ("银行卡号", "card number"),
        }[self.kind]


def _foldings() -> dict[str, str]:
    """Characters that NFKC turns into digits, separators or X (full-width, circled, superscript,
    mathematical digits…): what they fold to. Only these matter for finding numbers, and folding
    only them is many times faster than NFKC over a whole site (Chinese punctuation is full-width)."""
    wanted = set("0123456789 .-_Xx")
    table = {}
    blocks = [
        (0x00A0, 0x0100),
        (0x2000, 0x2500),
        (0x3000, 0x3400),
        (0xFE00, 0xFFF0),
        (0x1D400, 0x1D800),
        (0x1F100, 0x1F110),
    ]
    for start, end in blocks:
        for code in range(start, end):
            char = chr(code)
            folded = unicodedata.normalize("NFKC", char)
            if folded != char and folded and set(folded) <= wanted:
                table[char] = folded
    return table


_FOLD = _foldings()
# One class per plane: sre matches a class mixing BMP and astral characters twenty times slower.
_FOLDABLE = re.compile("[" + "".join(re.escape(c) for c in _FOLD if ord(c) < 0x10000) + "]")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_FOLDABLE_ASTRAL = re.compile("[" + "".join(re.escape(c) for c in _FOLD if ord(c) >= 0x10000) + "]")


def normalise(text: str) -> str:
    """What a reader sees of numbers: the characters NFKC folds into digits and separators
    folded (full-width １３８, ①, ¹…), invisible characters gone."""
    if not text.isascii():
        text = _FOLDABLE.sub(lambda m: _FOLD[m.group()], _INVISIBLE.sub("", text))
        if _ASTRAL.search(text):
            text = _FOLDABLE_ASTRAL.sub(lambda m: _FOLD[m.group()], text)
    return text


def id_ok(number: str) -> bool:
    """A mainland resident ID (GB 11643-1999): region, a real birth date, and its check character."""
    if len(number) != 18 or not number[:17].isdigit() or number[0] not in "12345678":
        return False
    if _DATE.fullmatch(number[6:14]) is None:
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    return "10X98765432"[total % 11] == number[17].upper()


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _classify(candidate: str) -> Found | None:
    if len(candidate) == 18 and id_ok(candidate):
        return Found("id", candidate.upper())
    if not candidate.isdigit():
        return None
    if len(candidate) in (11, 13) and (m := _MOBILE.fullmatch(candidate)):
        return Found("mobile", m.group(1))
    if 16 <= len(candidate) <= 19 and candidate[0] in "3456" and luhn_ok(candidate):
        return Found("card", candidate)
    return None


def find_numbers(text: str, normalised: bool = False) -> Iterator[Found]:
    """Every ID, mobile and card number in the text, however it is split or written."""
    if not normalised:
        text = normalise(text)
    for chunk in _CHUNK.finditer(text):  # a fast first look, all in C: long stretches of digits
        yield from _in_run(chunk.group())


def _in_run(chunk: str) -> Iterator[Found]:
    for run in _RUN.finditer(chunk):
        if run.end() - run.start() < 11:
            continue
        groups = _GROUP.findall(run.group())
        if len(groups) == 1 and len(groups[0][0]) < 11:
            continue
        for i in range(len(groups)):
            if i and groups[i - 1][1] == "." and len(groups[i][0]) > 4:
                continue  # the digits after a decimal point
            joined = ""
            for k in range(i, len(groups)):
                group = groups[k][0]
                if k > i and not _joinable(groups[k - 1], group):
                    break
                if k > i and k > 1 and _amount_ends(groups[k - 2], groups[k - 1]):
                    break  # "430.00 287.00": amounts in a row, not one number
                joined += group
                if len(joined) > 19 or (joined.endswith(("X", "x")) and len(joined) < 18):
                    break
                if len(joined) >= 11 and (found := _classify(joined)):
                    yield found


def _amount_ends(before: tuple[str, str], cents: tuple[str, str]) -> bool:
    """A group of two digits after a decimal point, then a space: the end of an amount (yuan and
    fen) in a table row, where the next figure starts."""
    return before[1] == "." and len(cents[0]) == 2 and cents[1] in " \u00a0"


def _joinable(before: tuple[str, str], group: str) -> bool:
    """Two groups a person would read as one number: short groups, a dot only between very short
    ones (a dot between long ones is a decimal point)."""
    limit = 4 if before[1] == "." else 8
    return len(before[0]) <= limit and len(group) <= limit and not before[0].endswith(("X", "x"))
