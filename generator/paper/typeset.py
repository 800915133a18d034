"""GB/T 9704 typesetting decisions made before layout: where a long title breaks (between words,
lines of balanced length), where the 落款 sits (sealed rule), and the font stacks."""

from __future__ import annotations

import itertools
import logging
import math
import re
import unicodedata
from functools import cache
from pathlib import Path

TITLE_CHARS = 20  # 2号 (22 pt) characters in the 156 mm 版心
SIGN_RIGHT_EM = 4  # sealed rule: the date sits four characters in from the right
FANGSONG_FILE = Path("print") / "fonts" / "FandolFang-Regular.otf"  # under the templates folder
FANGSONG_FACE = "Gongkai FandolFang"


def _width(text: str) -> float:
    """Width in em: full-width characters 1, ASCII and other narrow characters ½."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.5 for c in text)


@cache
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


def title_lines(title: str, per_line: int = TITLE_CHARS) -> list[str]:
    """A title in lines of at most `per_line` em, broken between words (jieba) into lines as even
    as possible; a line never starts with 的/之 or punctuation, and never holds a lone character."""
    if _width(title) <= per_line:
        return [title]
    words = [w for w in _jieba().cut(title, HMM=False) if w]
    n = len(words)
    lines = math.ceil(_width(title) / per_line)

    def cost(i: int, j: int, target: float) -> float:
        text = "".join(words[i:j])
        w = _width(text)
        if w > per_line:
            return math.inf
        penalty = 0.0
        if len(text) < 2:
            penalty += 1000
        if j < n and (words[j][0] in "的之" or re.match(r"[，。、；：）》」』]", words[j][0])):
            penalty += 50
        return (w - target) ** 2 + penalty

    for count in range(lines, lines + 3):
        target = _width(title) / count
        best: dict[tuple[int, int], tuple[float, list[int]]] = {(0, 0): (0.0, [])}
        for k in range(1, count + 1):
            for j in range(1, n + 1):
                options = [
                    (best[(k - 1, i)][0] + cost(i, j, target), [*best[(k - 1, i)][1], j])
                    for i in range(j)
                    if (k - 1, i) in best
                ]
                options = [o for o in options if o[0] < math.inf]
                if options:
                    best[(k, j)] = min(options, key=lambda o: o[0])
        if (count, n) in best and best[(count, n)][0] < 1000:
            cuts = [0, *best[(count, n)][1]]
            return ["".join(words[a:b]) for a, b in itertools.pairwise(cuts)]
    return [title]  # a single word longer than a line: let the browser wrap it


def sign_padding(org: str, date: str) -> tuple[float, float]:
    """Right padding in em of the 发文机关署名 and the 成文日期 lines: the date four characters in
    from the right, the organisation centred over the date (GB/T 9704-2012 7.3.5.1)."""
    date_w, org_w = _width(date), _width(org)
    return max(0.0, SIGN_RIGHT_EM + (date_w - org_w) / 2), float(SIGN_RIGHT_EM)


def font_files(templates: Path) -> tuple[str, ...]:
    """The font files print loads from the project (their file: URLs), when they are there."""
    fang = templates / FANGSONG_FILE
    return (fang.resolve().as_uri(),) if fang.is_file() else ()


def font_stacks(own: dict[str, str | None], installed: set[str], templates: Path) -> str:
    """CSS custom properties naming each role's font stack: the site's own licensed font first
    (when installed), then the free substitute, then Noto CJK SC glyph by glyph."""

    def q(name: str) -> str:
        return '"' + re.sub(r'[\\"\n<>]', "", name) + '"'

    def stack(role: str, *fallbacks: str) -> str:
        names = [n for n in [own.get(role)] if n and n in installed]
        names += [n for n in fallbacks if n]
        return ", ".join(q(n) for n in dict.fromkeys(names)) + ", serif"

    fang = templates / FANGSONG_FILE
    face = ""
    if fang.is_file():
        face = f"@font-face {{ font-family: {q(FANGSONG_FACE)}; src: url({q(fang.resolve().as_uri())}); }}"
    fangsong = FANGSONG_FACE if face else ("FandolFang" if "FandolFang" in installed else "")
    return face + (
        ":root {"
        f"--title: {stack('title', 'Noto Serif CJK SC')};"
        f"--serif: {stack('body', fangsong, 'Noto Serif CJK SC')};"
        f"--board: {stack('body', 'Noto Serif CJK SC')};"
        f"--sans: {stack('heading', 'Noto Sans CJK SC')};"
        f"--kai: {stack('kai', 'AR PL UKai CN', 'FandolKai', fangsong, 'Noto Serif CJK SC')};"
        f"--song: {q('Noto Serif CJK SC')}, serif;"
        "--line: calc(225mm / 22 - 0.01mm); --grid: calc(156mm / 28 - 16pt - 0.02pt); }"
    )
