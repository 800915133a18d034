"""Figures in the 正文 that cannot drift from the tables.

A statement's totals may be written in its 正文 as placeholders — `{期初余额}`, `{收入合计}`,
`{支出合计}`, `{期末余额}` — and are filled in from the record when the page and the A4 are made,
so a correction of one line corrects the 正文 too. An unknown placeholder is an error; an amount
written out in the 正文 that none of the record's figures (lines, totals, balances, subtotals)
equals any more is a warning: after a correction it is the stale one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from generator.errors import Problem
from generator.reading.site import Entry
from generator.records.common import Notice
from generator.records.finance import Statement

PLACEHOLDER = re.compile(r"\{([^{}\s]{1,12})\}")
# An amount as people write it in a sentence: 59664.14元, 59,664.14 元, ¥59664.14 (two decimals).
AMOUNT = re.compile(r"(?<![0-9.,])([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)\.([0-9]{2})(?![0-9])")


def placeholders(notice: Notice) -> dict[str, Decimal]:
    """The figures a 正文 may name in braces."""
    if not isinstance(notice, Statement):
        return {}
    return {
        "期初余额": notice.opening,
        "收入合计": notice.income_total,
        "支出合计": notice.expense_total,
        "期末余额": notice.closing,
    }


def fill(body: str, notice: Notice) -> str:
    """The 正文 with its placeholders replaced by the record's figures (1,250.50 style)."""
    figures = placeholders(notice)
    if not figures:
        return body
    return PLACEHOLDER.sub(lambda m: f"{figures[m.group(1)]:,.2f}" if m.group(1) in figures else m.group(), body)


def _known(notice: Statement) -> set[Decimal]:
    known = set(placeholders(notice).values())
    known |= {line.amount for line in (*notice.income, *notice.expenses)}
    known |= {amount for _, amount in (*notice.by_category(), *notice.by_source())}
    return known


def figure_problems(entries: list[Entry]) -> Iterator[Problem]:
    """Unknown placeholders (errors) and amounts the tables no longer hold (warnings)."""
    for e in entries:
        body = e.notice.body
        if not body or not isinstance(e.notice, Statement):
            continue
        line, col = e.raw.where(("正文",))
        names = placeholders(e.notice)
        for m in PLACEHOLDER.finditer(body):
            if m.group(1) not in names:
                yield Problem(
                    e.file,
                    line,
                    col,
                    "正文",
                    f"正文里的“{m.group()}”不是可用的数字占位符",
                    f"'{m.group()}' in 正文 is not a known placeholder",
                    f"可用：{'、'.join('{' + n + '}' for n in names)}",
                    f"known: {', '.join('{' + n + '}' for n in names)}",
                )
        known = _known(e.notice)
        for m in AMOUNT.finditer(body):
            written = Decimal(m.group(1).replace(",", "") + "." + m.group(2))
            if written not in known:
                yield Problem(
                    e.file,
                    line,
                    col,
                    "正文",
                    f"正文里写的金额 {m.group()} 与本记录的明细、合计和余额都对不上（可能是更正后没改正文）",
                    f"the amount {m.group()} in 正文 matches none of the record's figures",
                    "改用占位符，如 {收入合计}、{支出合计}、{期末余额}，生成时自动填入",
                    "use a placeholder such as {收入合计}; it is filled in from the tables",
                    "warning",
                )
