"""What a notice is found by besides the words of its page: its tags, the other words of a synonym
group for a word it uses (低保 ⇄ 最低生活保障), and for money notices the payees, sources and
amounts of its lines. They go to the search index's `tags` field, which the theme ranks far above
titles and text; the line tables and charts themselves stay out of the index (their cells make
unreadable result excerpts)."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from decimal import Decimal

from pydantic import BaseModel

from generator.records.common import Notice

# Kinds whose lines are money, not people: only their lines are walked (lists of people never are).
LINE_FAMILIES = {"finance"}
LINE_KINDS = {"党费收缴"}
MAX_TERM = 40  # longer texts (摘要) are sentences, found through the page text
# Fields of a line no resident searches by: a search for 居委会主任 would list every statement.
SKIPPED = {"voucher", "approver"}


def _words(text: str) -> list[str]:
    """A Chinese name in the words a resident may type for it (惠民超市 → 惠民, 超市, 惠民超市)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return [w for w in jieba.cut_for_search(text) if len(w.strip()) > 1]


def amount_terms(amount: Decimal) -> list[str]:
    """An amount as residents type it and as the page prints it: 1236.48, 1,236.48 (and 5000)."""
    terms = [f"{amount:.2f}", f"{amount:,.2f}"]
    if amount == amount.to_integral_value():
        terms.append(f"{amount:.0f}")
    return terms


def _line_values(value: object) -> Iterator[str]:
    """Every amount and short text of the lines (list items) of a record, depth first."""
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            if name not in SKIPPED:
                yield from _line_values(getattr(value, name))
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _line_values(item)
    elif isinstance(value, Decimal):
        yield from amount_terms(value)
    elif isinstance(value, str) and 1 < len(value) <= MAX_TERM:
        yield value
        yield from _words(value)


def line_terms(notice: Notice) -> list[str]:
    """Payees, sources, categories and amounts of a money notice's lines; nothing for other kinds."""
    if notice.family not in LINE_FAMILIES and notice.kind not in LINE_KINDS:
        return []
    found: list[str] = []
    for name in type(notice).model_fields:
        value = getattr(notice, name)
        if name in Notice.model_fields:
            continue
        if isinstance(value, list):
            found += _line_values(value)
        elif isinstance(value, Decimal):  # balances, totals
            found += amount_terms(value)
    return found


def synonym_terms(text: str, groups: Sequence[Sequence[str]]) -> list[str]:
    """Every word of each group one of whose words occurs in `text`."""
    return [word for group in groups if any(w in text for w in group) for word in group]


def search_terms(notice: Notice, groups: Sequence[Sequence[str]], withheld: bool) -> list[str]:
    """The words a notice is found by in the `tags` field, each once, in a stable order. Synonyms
    come from what the notice is about (title, kind, tags); a withheld list (公示期 over) has no
    lines, as its page shows none."""
    text = " ".join([notice.title, notice.kind, *notice.tags])  # a word in passing is found by the text
    terms = [*notice.tags, *synonym_terms(text, groups), notice.doc_number or ""]
    if not withheld:
        terms += line_terms(notice)
    return list(dict.fromkeys(t for t in terms if t.strip()))
