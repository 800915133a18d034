"""libyaml's syntax errors in words a community worker understands, pointing where it helps."""

from __future__ import annotations

import re

import yaml

from generator.errors import Problem

# libyaml's messages, in words a community worker understands: (what libyaml says, point at where
# the construct began?, message, hint, English hint). TOKEN stands for the text at that place.
_SYNTAX = [
    (
        "while scanning a quoted scalar",
        True,
        "YAML 格式错误：引号没有结束",
        "在这个值的末尾补上配对的引号",
        "close the quote",
    ),
    (
        "while parsing a flow sequence",
        True,
        "YAML 格式错误：[ 没有配对的 ]",
        "在列表末尾补上 ]",
        "close the list with ]",
    ),
    ("while parsing a flow mapping", True, "YAML 格式错误：{ 没有配对的 }", "在末尾补上 }", "close it with }"),
    ("while scanning a tag", True, "不支持 YAML 标签 TOKEN", "去掉以 ! 开头的标签", "remove the tag"),
    (
        "mapping values are not allowed here",
        False,
        "YAML 格式错误：这里多了一个“冒号+空格”",
        "值里有冒号时，请给整个值加上引号",
        "quote a value that contains ': '",
    ),
    (
        "could not find expected ':'",
        False,
        "YAML 格式错误：缺少冒号",
        "写成 字段: 值（冒号后有一个空格）",
        "write 'key: value'",
    ),
    (
        "did not find expected key",
        False,
        "YAML 格式错误：缩进不对",
        "同一层的字段要左对齐",
        "align fields of the same level",
    ),
    (
        "did not find expected '-' indicator",
        False,
        "YAML 格式错误：列表缩进不对",
        "列表每一项以同样缩进的“- ”开头",
        "align the list items",
    ),
    ("cannot start any token", False, "YAML 格式错误：这个字符不能放在值的开头", "给这个值加上引号", "quote the value"),
]


# A key followed by a full-width colon: `标题：…`. YAML reads the line as one text and fails on a
# later line, so the problem is reported here, where it is, and named for what it is.
_FULL_WIDTH_KEY = re.compile(r"^(\s*(?:-\s+)?)[^\s:：#'\"\[\]{}]+\s*：")


def _full_width_colon(exc: yaml.MarkedYAMLError, lines: list[str], file: str) -> Problem | None:
    marks = [m.line for m in (exc.context_mark, exc.problem_mark) if m is not None]
    if not marks:
        return None
    last = min(max(marks), len(lines) - 1)
    for number in range(last, max(min(marks) - 1, 0) - 1, -1):
        found = _FULL_WIDTH_KEY.match(lines[number])
        if found and ": " not in lines[number][: found.end()]:
            return Problem(
                file,
                number + 1,
                found.end(),
                "",
                "用了全角冒号“：”：字段名后面要用英文冒号“:”",
                "a full-width colon '：' after a field name: YAML needs ':' followed by a space",
                "把“：”改为英文冒号加一个空格“: ”",
                "replace '：' with ': '",
            )
    return None


def syntax_problem(exc: yaml.MarkedYAMLError, text: str, file: str) -> Problem:
    said = f"{exc.context or ''} {exc.problem or ''}"
    lines = text.split("\n")
    if (found := _full_width_colon(exc, lines, file)) is not None:
        return found
    for needle, at_start, zh, hint_zh, hint_en in _SYNTAX:
        if needle in said:
            mark = exc.context_mark if at_start and exc.context_mark else exc.problem_mark
            line = min(mark.line, len(lines) - 1)  # libyaml may point past the last line
            token = lines[line][mark.column :].split(" ")[0]
            return Problem(
                file,
                line + 1,
                mark.column + 1,
                "",
                zh.replace("TOKEN", token),
                f"YAML syntax error: {exc.context or ''} {exc.problem or ''}".strip(),
                hint_zh,
                hint_en,
            )
    mark = exc.problem_mark or exc.context_mark
    line = min(mark.line, len(lines) - 1) if mark else 0
    detail = exc.problem or exc.context
    return Problem(
        file,
        line + 1,
        (mark.column + 1) if mark else 1,
        "",
        f"YAML 格式错误：{detail}",
        f"YAML syntax error: {detail}",
        "检查这一行和上一行的缩进、冒号和引号",
        "check indentation, colons and quotes on this line and the one before",
    )
