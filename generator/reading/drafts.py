"""Drafts (状态: 草稿) never reach the site, so their problems never stop it: every problem in a
draft file is reported as a warning (`--strict` still fails on it)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from generator.errors import Problem

DRAFT = "草稿"
_DRAFT_LINE = re.compile(r"^状态\s*[:：]\s*['\"]?草稿['\"]?\s*(#.*)?$", re.M)


def is_draft(data: Any, text: str) -> bool:
    """The record says 状态: 草稿 (read from its text when the YAML itself is broken)."""
    if isinstance(data, dict):
        return data.get("状态") == DRAFT
    return bool(_DRAFT_LINE.search(text))


def as_draft(problems: Iterable[Problem], draft: bool) -> tuple[Problem, ...]:
    """A draft's problems as warnings, each saying why it does not stop the build."""
    if not draft:
        return tuple(problems)
    return tuple(
        replace(
            p,
            severity="warning",
            message_zh=f"{p.message_zh}（草稿，不发布）",
            message_en=f"{p.message_en} (draft: not published)",
        )
        if p.severity == "error"
        else p
        for p in problems
    )
