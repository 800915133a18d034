"""Limits checked before any work: sizes and shapes no real notice reaches, refused at their line.

Each limit keeps one record's work bounded. The defaults sit far above real notices (the 14 in
/work/shared/real-notices: paragraphs under 3,400 characters, lists of a few hundred rows, lists
nested two or three deep, a handful of `[`) and far below what hurts:

- Python-Markdown's inline patterns scan from every `[` or `<` to the end of the paragraph, so a
  paragraph's cost grows with (openers × length): 4,000 `[` in one paragraph took 4 s, 16,000 `<a`
  34 s. Bounded here, the worst paragraph renders in well under a second.
- Lists or quotes nested ~250 deep exceed Python's recursion limit in Python-Markdown, and YAML
  nested ~1,000 deep in our own reader.
- Control characters (raw, or written as YAML escapes such as "\\x01") are invisible on paper and
  break the XML of the pages; they are refused where they stand.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import yaml

from generator.errors import Problem, field_path

MAX_FILE_BYTES = 1_000_000  # one record file
MAX_DEPTH = 20  # YAML nesting: a record is 3-4 levels deep
MAX_ITEMS = 2_000  # items in one YAML list
MAX_TEXT = 50_000  # characters in one value (a long 正文 is ~5,000)
MAX_PARAGRAPH = 10_000  # characters in one Markdown paragraph (a block between blank lines)
MAX_OPENERS = 30  # `[` and `<` in one paragraph
MAX_MD_NESTING = 20  # Markdown lists and quotes inside each other

# C0 and C1 controls and DEL; tab and newline are text, \r and U+0085 are line breaks (refused
# elsewhere, with their own message).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]")
_MARKER = re.compile(r"[ ]{0,3}(?:>|[-*+](?=[ ]|$)|\d{1,9}[.)](?=[ ]|$))[ ]?")
_BLANK = re.compile(r"\n[ \t]*\n")

Path_ = tuple[str | int, ...]


def _at(file: str, line: int, column: int, path: Path_, zh: str, en: str, hint_zh: str, hint_en: str) -> Problem:
    return Problem(file, line, column, field_path(path), zh, en, hint_zh, hint_en)


def file_size(size: int, file: str) -> Problem | None:
    """A file too large to be one record (checked before it is decoded)."""
    if size <= MAX_FILE_BYTES:
        return None
    return _at(
        file,
        1,
        1,
        (),
        f"文件太大（{size:,} 字节，上限 {MAX_FILE_BYTES:,} 字节）",
        f"file too large ({size:,} bytes, limit {MAX_FILE_BYTES:,})",
        "一个文件只写一条记录；很长的名单或正文请拆成几条记录",
        "one record per file; split very long lists or texts into several records",
    )


def _control_name(char: str) -> str:
    return f"U+{ord(char):04X}"


def raw_control(text: str, file: str) -> Problem | None:
    """The first control character typed into the file itself, at its line and column."""
    found = _CONTROL.search(text)
    if found is None:
        return None
    line = text.count("\n", 0, found.start()) + 1
    column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
    name = _control_name(found.group())
    return _at(
        file,
        line,
        column,
        (),
        f"有不可见的控制字符（{name}）",
        f"invisible control character {name}",
        "删除它（常见于从其他软件复制的文字）",
        "delete it (it often comes with text copied from other programs)",
    )


def _markdown_shape(value: str) -> tuple[str, str, str, str] | None:
    """Why this text would make Markdown slow or crash, or None."""
    deepest = 0
    for line in value.split("\n"):
        indent = len(line) - len(line.lstrip(" "))
        depth, at = indent // 4, indent
        while (marker := _MARKER.match(line, at)) is not None:
            depth, at = depth + 1, marker.end()
        deepest = max(deepest, depth)
    if deepest > MAX_MD_NESTING:
        return (
            f"列表或引用嵌套太深（{deepest} 层，上限 {MAX_MD_NESTING} 层）",
            f"lists or quotes nested too deep ({deepest} levels, limit {MAX_MD_NESTING})",
            "减少缩进和嵌套层数，几层就够了",
            "use fewer levels of indentation",
        )
    for paragraph in _BLANK.split(value):
        if len(paragraph) > MAX_PARAGRAPH:
            return (
                f"一段文字太长（{len(paragraph):,} 字，上限 {MAX_PARAGRAPH:,} 字）",
                f"paragraph too long ({len(paragraph):,} characters, limit {MAX_PARAGRAPH:,})",
                "用空行把它分成几段",
                "split it into paragraphs with blank lines",
            )
        openers = paragraph.count("[") + paragraph.count("<")
        if openers > MAX_OPENERS:
            return (
                f"一段文字里的 [ 和 < 太多（{openers} 个，上限 {MAX_OPENERS} 个）",
                f"too many [ and < in one paragraph ({openers}, limit {MAX_OPENERS})",
                "用中文括号【】〔〕和书名号《》，或用空行分段",
                "use 【】〔〕《》 instead, or split the paragraph with blank lines",
            )
    return None


def _scalar_problem(ev: yaml.ScalarEvent, file: str, path: Path_) -> Problem | None:
    line, column = ev.start_mark.line + 1, ev.start_mark.column + 1
    value = ev.value
    if len(value) > MAX_TEXT:
        return _at(
            file,
            line,
            column,
            path,
            f"内容太长（{len(value):,} 字，上限 {MAX_TEXT:,} 字）",
            f"value too long ({len(value):,} characters, limit {MAX_TEXT:,})",
            "拆成几条记录，或把全文放在附件里",
            "split it into several records, or attach the full text as a file",
        )
    control = _CONTROL.search(value) if ev.style == '"' else None
    if control is not None:  # not in the file (refused before parsing): written as an escape
        name = _control_name(control.group())
        return _at(
            file,
            line,
            column,
            path,
            f"引号里用转义写了不可见的控制字符（{name}）",
            f"an escape in quotes makes an invisible control character ({name})",
            "删掉这个 \\x.. 或 \\u.. 转义",
            "remove the \\x.. or \\u.. escape",
        )
    shape = _markdown_shape(value) if ("[" in value or "<" in value or "\n" in value or len(value) > 80) else None
    return _at(file, line, column, path, *shape) if shape else None


def _too_deep(ev: Any, file: str, path: Path_) -> Problem:
    return _at(
        file,
        ev.start_mark.line + 1,
        ev.start_mark.column + 1,
        path,
        f"层次嵌套太深（超过 {MAX_DEPTH} 层）",
        f"nested too deep (more than {MAX_DEPTH} levels)",
        "记录只需要几层：检查缩进和括号是否写错",
        "a record needs only a few levels: check the indentation and brackets",
    )


def _too_many(ev: Any, file: str, path: Path_) -> Problem:
    return _at(
        file,
        ev.start_mark.line + 1,
        ev.start_mark.column + 1,
        path,
        f"列表太长（超过 {MAX_ITEMS:,} 项）",
        f"list too long (more than {MAX_ITEMS:,} items)",
        "拆成几条记录（例如按月或按组）",
        "split it into several records (by month or by group)",
    )


def check_events(events: Iterable[Any], file: str) -> Problem | None:
    """Walk the parser's events once, without recursion: the first value nested too deep, the
    first list too long, the first text too long or shaped to make Markdown slow, each located."""
    # One frame per open collection: [is a list, items so far, its path, the key awaited or None]
    stack: list[list[Any]] = []
    for ev in events:
        if isinstance(ev, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            stack.pop()
            continue
        if not isinstance(ev, (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent, yaml.AliasEvent)):
            continue
        path: Path_ = ()
        if stack:
            frame = stack[-1]
            if frame[0]:
                path = (*frame[2], frame[1])
                frame[1] += 1
                if frame[1] > MAX_ITEMS:
                    return _too_many(ev, file, frame[2])
            elif frame[3] is None:  # a key: remembered, and checked as text
                frame[3] = ev.value if isinstance(ev, yaml.ScalarEvent) else "?"
                if isinstance(ev, yaml.ScalarEvent) and (problem := _scalar_problem(ev, file, frame[2])):
                    return problem
                if isinstance(ev, yaml.ScalarEvent):
                    continue
            else:
                path, frame[3] = (*frame[2], frame[3]), None
        if isinstance(ev, yaml.ScalarEvent):
            if problem := _scalar_problem(ev, file, path):
                return problem
        elif isinstance(ev, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            if len(stack) >= MAX_DEPTH:
                return _too_deep(ev, file, path)
            stack.append([isinstance(ev, yaml.SequenceStartEvent), 0, path, None])
    return None
