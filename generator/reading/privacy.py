"""Personal data never leaves: unmasked ID, mobile and bank-card numbers anywhere in a file.

The scan reads the raw text, comments and unquoted numbers included. The one exception is a
mobile number that is the whole value of a field declared as a public contact (a 网格员's
service phone); anywhere else a phone number is personal data.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.errors import Problem, field_path
from generator.reading.loading import RawFile
from generator.reading.numbers import find_numbers

ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[0-9Xx](?![0-9A-Za-z])")
# Any dash a person types (- ‐ – — －) or a space may group the digits.
_SEP = "[- \u2010-\u2015\u2212\ufe58\ufe63\uff0d]"
MOBILE = re.compile(rf"(?<![0-9])1[3-9]\d{_SEP}?\d{{4}}{_SEP}?\d{{4}}(?![0-9])")
CARD = re.compile(r"(?<![0-9])\d{4}(?:[ -]?\d{4}){2,3}(?:[ -]?\d{1,3})?(?![0-9])")

PUBLIC_CONTACT_KEYS = frozenset({"监督电话", "咨询电话", "服务电话", "电话", "传真"})


def mask_id(number: str) -> str:
    """4101**********1234: region prefix and last four kept, birth date and sequence hidden."""
    return number[:4] + "*" * 10 + number[-4:]


def mask_mobile(number: str) -> str:
    """139****5678."""
    digits = re.sub(r"\D", "", number)
    return digits[:3] + "****" + digits[-4:]


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _scalars_on(raw: RawFile | None, line: int) -> list[tuple[int, tuple[str | int, ...]]]:
    """(column, path) of every text value that starts on this line, leftmost first."""
    if raw is None:
        return []
    found = [
        (col, path)
        for path, (row, col) in raw.marks.items()
        if row == line and path and isinstance(raw.value(path), str)
    ]
    return sorted(found)


def _contact_key(path: tuple[str | int, ...]) -> bool:
    """A public-contact field, or one number in a list of them (联系方式[0].电话[1])."""
    key = path[-2] if isinstance(path[-1], int) and len(path) > 1 else path[-1]
    return key in PUBLIC_CONTACT_KEYS


def _is_public_contact(raw: RawFile | None, line: int, col: int, number: str) -> bool:
    """The number is exactly the value of a public-contact field starting at this position."""
    return any(
        _contact_key(path) and c <= col and str(raw.value(path)).strip() == number for c, path in _scalars_on(raw, line)
    )  # type: ignore[union-attr]


def _comment_start(line: str) -> int:
    """Index of a YAML comment's '#' (at the start or after a space: "3#楼" is no comment), or -1."""
    match = re.search(r"(?:^|\s)#", line)
    return -1 if match is None else match.end() - 1


def _block_scalar_over(raw: RawFile, line: int) -> tuple[str | int, ...] | None:
    """The field whose multi-line text (正文: |) runs over this line."""
    best = None
    for path, (row, _) in raw.marks.items():
        value = raw.value(path) if path else None
        inside = isinstance(value, str) and row < line <= row + value.count("\n") + 1
        if inside and (best is None or row > raw.marks[best][0]):
            best = path
    return best


def field_at(raw: RawFile | None, line: int, col: int) -> str:
    """The dotted field path of the value written at this position, or "" (a comment, say)."""
    before = [path for c, path in _scalars_on(raw, line) if c <= col]
    if not before and raw is not None and (block := _block_scalar_over(raw, line)):
        return field_path(block)
    if not before:
        return ""
    return field_path(before[-1])


def scan_line(file: str, number: int, line: str, raw: RawFile | None) -> Iterator[Problem]:
    def _found(col: int, zh: str, en: str, hint_zh: str, hint_en: str) -> Problem:
        comment = _comment_start(line)
        field = "" if 0 <= comment < col else field_at(raw, number, col)
        return Problem(file, number, col, field, zh, en, hint_zh, hint_en)

    ids = [(m.start(), m.end()) for m in ID_NUMBER.finditer(line)]
    for m in ID_NUMBER.finditer(line):
        masked = mask_id(m.group())
        yield _found(
            m.start() + 1,
            "发现未打码的身份证号（个人信息不得公开）",
            "unmasked ID number (personal data must not be published)",
            f"删去，或打码写成 {masked}",
            f"remove it or mask it as {masked}",
        )
    for m in MOBILE.finditer(line):
        if any(s <= m.start() < e for s, e in ids):
            continue
        if _is_public_contact(raw, number, m.start() + 1, m.group()):
            continue
        masked = mask_mobile(m.group())
        yield _found(
            m.start() + 1,
            "发现未打码的手机号（个人信息不得公开）",
            "unmasked mobile number (personal data must not be published)",
            f"打码写成 {masked}；对外公开的号码请写在“监督电话”“服务电话”等字段里",
            f"mask it as {masked}; a public number belongs in a public-contact field",
        )
    for m in CARD.finditer(line):
        digits = re.sub(r"\D", "", m.group())
        if len(digits) not in (16, 17, 19) or not luhn_ok(digits):
            continue
        if any(s <= m.start() < e for s, e in ids):
            continue
        yield _found(
            m.start() + 1,
            "发现银行卡号（银行卡号一律不得公开）",
            "bank card number (never published)",
            "删去银行卡号",
            "remove the card number",
        )


# Digits in any script (full-width too): only such values need reading as a person would.
_DIGITISH = re.compile(r"\d")
# Eleven or more digits, perhaps grouped by spaces or hyphens: only such lines need a closer look.
_CANDIDATE = re.compile(rf"[0-9](?:{_SEP}?[0-9]){{10}}")


def scan(file: str, text: str, raw: RawFile | None) -> list[Problem]:
    """Every unmasked personal number in the file's text, with its line and column, then those
    that only show in the values as read (YAML escapes, line continuations, full-width digits)."""
    problems: list[Problem] = []
    if _CANDIDATE.search(text) is not None:  # most files: one pass in C, no line loop at all
        for number, line in enumerate(text.split("\n"), 1):
            if _CANDIDATE.search(line):
                problems.extend(scan_line(file, number, line, raw))
    if "**" in text:
        for number, line in enumerate(text.split("\n"), 1):
            if "**" in line:
                problems.extend(scan_masks(file, number, line, raw))
    if raw is not None:
        problems.extend(scan_values(raw, {p.line for p in problems}))
    return problems


# A masked number: digits and at least three asterisks. One accepted shape per kind of number.
_MASKED = re.compile(r"(?<![0-9*])[0-9][0-9*]{5,}[0-9Xx*](?![0-9A-Za-z*])")
ID_MASK = re.compile(r"[0-9]{4}\*{10}[0-9]{3}[0-9Xx]")
MOBILE_MASK = re.compile(r"1[0-9]{2}\*{4}[0-9]{4}")


def scan_masks(file: str, number: int, line: str, raw: RawFile | None) -> Iterator[Problem]:
    """Hand-made masks of another shape: each shape hides different digits, and two lists masked
    differently together give the number away."""
    for m in _MASKED.finditer(line):
        token = m.group()
        if token.count("*") < 3 or ID_MASK.fullmatch(token) or MOBILE_MASK.fullmatch(token):
            continue
        comment = _comment_start(line)
        field = "" if 0 <= comment < m.start() else field_at(raw, number, m.start() + 1)
        yield Problem(
            file,
            number,
            m.start() + 1,
            field,
            f"打码格式不对（“{token}”）",
            f"masked number of the wrong shape ('{token}')",
            "身份证号写成 4101**********1234（留前 4 位和后 4 位），"
            "手机号写成 139****5678（留前 3 位和后 4 位）；银行卡号一律不写",
            "mask ID numbers as 4101**********1234, mobiles as 139****5678; never write card numbers",
        )


def _texts(node: object, path: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """(path, text) of every value of 11 characters or more (shorter ones hold no number)."""
    if isinstance(node, str):
        if len(node) >= 11 and path:
            yield path, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _texts(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _texts(value, (*path, i))


def scan_values(raw: RawFile, seen_lines: set[int]) -> Iterator[Problem]:
    """Numbers (with valid checksums) that appear once the YAML is read, not in its text."""
    for path, value in sorted(_texts(raw.data, ()), key=lambda pv: raw.marks[pv[0]]):
        if not _DIGITISH.search(value):
            continue
        line, col = raw.marks[path]
        if seen_lines.intersection(range(line, line + value.count("\n") + 2)):
            continue  # already reported where it is written
        public = _contact_key(path)
        for found in find_numbers(value):
            if public and found.kind == "mobile" and re.sub(r"\D", "", value).endswith(found.number):
                continue
            zh, en = found.label
            yield Problem(
                raw.path,
                line,
                col,
                field_path(path),
                f"这个值里有{zh}（写成转义、续行、全角数字或夹了不可见字符，读出来仍是 {found.masked}）",
                f"this value holds a {en} once read ({found.masked}), written in disguise",
                "删去它；个人信息不得公开",
                "remove it: personal data must not be published",
            )
