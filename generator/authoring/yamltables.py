"""Record tables written into a record's YAML text, the rest of the file kept byte for byte.

A table is written the way `gongkai new` and the examples write one (`  - 日期: 2024-10-08`, one
field a line, lists as `- ` items below their field), so a record in that layout comes back from
export and import unchanged. The key line of a replaced table is kept with its comment.
"""

from __future__ import annotations

import json
import re
from typing import Any

_PLAIN = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`]([^:#\n]*[^\s:#])?|-?\d+(\.\d+)?")
_ODD = re.compile("[\u007f-\u009f\u2028\u2029\ufeff]")
_RESERVED = re.compile(r"~|null|Null|NULL|0\d+|0[xob].*", re.IGNORECASE)


def scalar(text: str) -> str:
    """The text as a YAML scalar: plain where the loader reads it back as the same text, else quoted."""
    if _PLAIN.fullmatch(text) and not _RESERVED.fullmatch(text) and text.isprintable():
        return text
    quoted = json.dumps(text, ensure_ascii=False)
    return _ODD.sub(lambda m: f"\\u{ord(m[0]):04x}", quoted)  # line breaks YAML sees and editors do not


def table_lines(key: str, items: list[dict[str, Any]]) -> list[str]:
    """`key:` followed by the items; `key: []` when there are none."""
    if not items:
        return [f"{key}: []\n"]
    out = [f"{key}:\n"]
    for item in items:
        lead = "  - "
        for name, value in item.items():
            if isinstance(value, list):
                out.append(f"{lead}{name}:\n")
                out.extend(f"      - {scalar(v)}\n" for v in value)
            else:
                out.append(f"{lead}{name}: {scalar(value)}\n")
            lead = "    "
    return out


def _block_end(lines: list[str], start: int) -> int:
    """The index after the last line of the top-level value that starts at `start`."""
    end = start + 1
    for i in range(start + 1, len(lines)):
        line = lines[i]
        if line.strip() and not line[0].isspace() and not line.startswith("-"):
            break
        if line.strip():
            end = i + 1
    return end


def _key_line(lines: list[str], key: str) -> int | None:
    pattern = re.compile(rf"{re.escape(key)}\s*:(\s|$)")
    return next((i for i, line in enumerate(lines) if pattern.match(line)), None)


def put_table(text: str, key: str, items: list[dict[str, Any]], later_keys: tuple[str, ...]) -> str:
    """`text` with the top-level table `key` replaced by `items` (or added before the first of
    `later_keys` present, else at the end)."""
    lines = text.splitlines(keepends=True)
    new = table_lines(key, items)
    at = _key_line(lines, key)
    if at is not None:
        head = lines[at]
        after = head.split(":", 1)[1].strip()
        if items and (after == "" or after.startswith("#")):
            new[0] = head if head.endswith("\n") else head + "\n"
        lines[at : _block_end(lines, at)] = new
        return "".join(lines)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    before = [i for k in later_keys if (i := _key_line(lines, k)) is not None]
    where = min(before) if before else len(lines)
    lines[where:where] = new
    return "".join(lines)
