"""Problems found in the records, and the exception that carries all of them.

The core never prints: it collects every problem, raises one `RecordsInvalid`, and only the
command line and the mkdocs plugin turn it into output.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field


def field_path(loc: tuple[str | int, ...]) -> str:
    """("收入", 0, "金额") → "收入[1].金额": the way a person counts list items."""
    out = ""
    for part in loc:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake in one place: file, 1-based line and column, field path, message, hint."""

    file: str
    line: int
    column: int
    field: str
    message_zh: str
    message_en: str
    hint_zh: str = ""
    hint_en: str = ""
    severity: str = "error"
    cell: str = ""  # a spreadsheet cell such as D17: `file` is then "账.xlsx!Sheet1" and is shown as 账.xlsx!Sheet1!D17

    def message(self, lang: str = "zh") -> str:
        """The message in `lang`, marked when it is only a warning."""
        text = self.message_en if lang == "en" else self.message_zh
        if self.severity == "warning":
            text = ("warning: " if lang == "en" else "警告：") + text
        return text

    def hint(self, lang: str = "zh") -> str:
        return self.hint_en if lang == "en" else self.hint_zh

    def format(self, lang: str = "zh") -> str:
        """`file:line:column: field: message → hint`, in Chinese (default) or English."""
        message, hint = self.message(lang), self.hint(lang)
        where = f"{self.file}!{self.cell}" if self.cell else f"{self.file}:{self.line}:{self.column}"
        text = f"{where}: {self.field}: {message}" if self.field else f"{where}: {message}"
        return f"{text} → {hint}" if hint else text

    def github(self, lang: str = "zh") -> str:
        """The problem as a GitHub Actions workflow command (an annotation on the line); escaped so
        that a newline in a value cannot start a command of its own."""
        level = "warning" if self.severity == "warning" else "error"
        hint = f" → {self.hint(lang)}" if self.hint(lang) else ""
        title = _gh_property(self.field or "gongkai")
        where = f"file={_gh_property(self.file)},line={self.line},col={self.column},title={title}"
        return f"::{level} {where}::{_gh_data(self.message(lang) + hint)}"


def _gh_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


def problems_json(problems: list[Problem], lang: str) -> str:
    """Problems as JSON for programs: both languages, and the one asked for as message/hint."""
    rows = [
        {
            "file": p.file,
            "line": p.line,
            "column": p.column,
            "field": p.field,
            "severity": p.severity,
            "message": p.message(lang),
            "hint": p.hint(lang),
            "message_zh": p.message_zh,
            "message_en": p.message_en,
            "hint_zh": p.hint_zh,
            "hint_en": p.hint_en,
        }
        for p in problems
    ]
    return json.dumps(rows, ensure_ascii=False, indent=2)


@dataclass
class RecordsInvalid(Exception):
    """Raised once, after every file was read and checked, when anything was wrong."""

    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(p.format() for p in sorted(self.problems))


class BuildFailed(Exception):
    """The site engine stopped (a clash, a strict-mode warning…); it has logged why."""
