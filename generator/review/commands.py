"""The review commands: `gongkai diff` (the change in words) and `gongkai check --since`."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from generator.errors import Problem
from generator.review.changes import diff_records, published_changes_without_note
from generator.review.revisions import records_at
from generator.review.words import to_json, to_markdown, to_text


def run_diff(
    root: Path, rev_a: str | None = None, rev_b: str | None = None, fmt: str = "text", lang: str = "zh"
) -> str:
    """`gongkai diff [REV_A [REV_B]]`: REV_A defaults to HEAD, REV_B to the working tree."""
    old_rev = rev_a or "HEAD"
    diff = replace(diff_records(records_at(root, old_rev), records_at(root, rev_b)), old_rev=old_rev, new_rev=rev_b)
    if fmt == "json":
        return to_json(diff)
    return to_markdown(diff, lang) if fmt == "markdown" else to_text(diff, lang)


def check_since(root: Path, rev: str) -> list[Problem]:
    """`gongkai check --since REV`: published notices whose amounts or rows changed without a note."""
    return published_changes_without_note(records_at(root, rev), records_at(root, None))
