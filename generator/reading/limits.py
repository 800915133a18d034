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
# A line nested deeper than the limit starts with more than that many spaces and markers.
_DEEP_CANDIDATE = re.compile(rf"^[ >*+\-\d.)]{{{MAX_MD_NESTING + 1},}}.*$", re.M)

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


def _nesting(value: str) -> int:
    """How deep lists and quotes nest on the deepest line: a level per 4 spaces of indentation
    and per marker (`>`, `-`, `1.`) before the text."""
    deepest = 0
    for line in _DEEP_CANDIDATE.findall(value):  # a deeper line needs a longer prefix than this
        indent = len(line) - len(line.lstrip(" "))
        depth, at = indent // 4, indent
        while (marker := _MARKER.match(line, at)) is not None:
            depth, at = depth + 1, marker.end()
        deepest = max(deepest, depth)
    return deepest


def _markdown_shape(value: str) -> tuple[str, str, str, str] | None:
    """Why this text would make Markdown slow or crash, or None."""
    deepest = _nesting(value)
    if deepest > MAX_MD_NESTING:
        return (
            f"列表或引用嵌套太深（{deepest} 层，上限 {MAX_MD_NESTING} 层）",
            f"lists or quotes nested too deep ({deepest} levels, limit {MAX_MD_NESTING})",
            "减少缩进和嵌套层数，几层就够了",
            "use fewer levels of indentation",
        )
    if len(value) <= MAX_PARAGRAPH and value.count("[") + value.count("<") <= MAX_OPENERS:
        return None  # the usual case: no paragraph can be over either limit
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
    shape = _markdown_shape(value) if len(value) > MAX_MD_NESTING else None  # shorter: neither deep nor stormy
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


def _path(stack: list[list[Any]]) -> Path_:
    """The field path of the value being read: a frame is [is a list, items so far, key]."""
    return tuple(frame[1] - 1 if frame[0] else frame[2] for frame in stack)


def check_events(events: Iterable[Any], file: str) -> Problem | None:
    """Walk the parser's events once, without recursion: the first value nested too deep, the
    first list too long, the first text too long or shaped to make Markdown slow, each located."""
    scalar, end = yaml.ScalarEvent, (yaml.SequenceEndEvent, yaml.MappingEndEvent)
    starts = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
    stack: list[list[Any]] = []  # one frame per open list or mapping; a mapping's key is None between pairs
    for ev in events:
        if isinstance(ev, end):
            stack.pop()
            if stack and not stack[-1][0]:
                stack[-1][2] = None  # the pair is complete
            continue
        is_scalar = isinstance(ev, scalar)
        if not is_scalar and not isinstance(ev, starts):
            continue  # stream and document events; aliases are refused when the file is built
        frame = stack[-1] if stack else None
        if frame is not None and frame[0]:
            frame[1] += 1
            if frame[1] > MAX_ITEMS:
                return _too_many(ev, file, _path(stack[:-1]))
        elif frame is not None and frame[2] is None:  # a key
            if not is_scalar:
                return None  # refused as it is built, before anything inside it is read
            frame[2] = ev.value
            if (len(ev.value) > MAX_MD_NESTING or ev.style == '"') and (
                problem := _scalar_problem(ev, file, _path(stack[:-1]))
            ):
                return problem
            continue
        if is_scalar:
            if (len(ev.value) > MAX_MD_NESTING or ev.style == '"') and (
                problem := _scalar_problem(ev, file, _path(stack))
            ):
                return problem
            if frame is not None and not frame[0]:
                frame[2] = None  # the pair is complete
        elif len(stack) >= MAX_DEPTH:
            return _too_deep(ev, file, _path(stack))
        else:
            stack.append([isinstance(ev, yaml.SequenceStartEvent), 0, None])
    return None


# Control characters (a terminal would obey them), bidi overrides (text shown in another order
# than it is stored) and zero-width characters (a number split where no one sees it), as read,
# so YAML escapes such as "\x1b" or "\u202e" count too. Tabs and line breaks are text.
HIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def hidden_problem(value: str, file: str, mark: Any, path: Path_) -> Problem | None:
    """A value or key holding an invisible control, direction or zero-width character."""
    hidden = HIDDEN.search(value)
    if hidden is None:
        return None
    code = f"U+{ord(hidden.group()):04X}"
    return _at(
        file,
        mark.line + 1,
        mark.column + 1,
        path,
        f"值里有不可见的控制字符或方向控制字符（{code}）",
        f"the value holds an invisible control or direction character ({code})",
        "删除它（常见于从网页、微信或 Word 复制的文字），或重新手工输入这段文字",
        "delete it (it comes with text copied from web pages or chat) or type the text again",
    )
