"""Rules for notices as real publishers write them: notes on the source, transfers between the
行政账 and the 经济账 seen from both sides, and dates that disagree within one notice."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

from generator.errors import Problem, field_path
from generator.reading.site import Entry
from generator.records.assets import AssetLease
from generator.records.elections import ElectionNotice
from generator.records.finance import Statement
from generator.records.general import Consultation


def _at(entry: Entry, loc: tuple[str | int, ...], zh: str, en: str, hint_zh: str, hint_en: str, severity: str):
    line, col = entry.raw.where(loc)
    return Problem(entry.file, line, col, field_path(loc), zh, en, hint_zh, hint_en, severity)


def _source_notes(entries: list[Entry]) -> Iterator[Problem]:
    """Every place where the record differs from the source is said out loud, never silently."""
    for e in entries:
        for i, note in enumerate(e.notice.source_notes):
            fixed = f"，记录写作“{note.fix}”" if note.fix else "，记录未改"
            yield _at(
                e,
                ("原文说明", i, "原文"),
                f"原文与记录不同：{note.field + '：' if note.field else ''}原文“{note.original}”{fixed}。{note.note}",
                f"the record differs from the source{' at ' + note.field if note.field else ''}: {note.note}",
                "这条说明会在网页和纸质公示上公开；核对无误即可",
                "this note is published with the notice; check it is right",
                "warning",
            )


def _lines(e: Entry) -> Iterator[tuple[str, int, dt.date, Decimal, str, str]]:
    """(income/expense, index, date, amount, own account, counterpart account) of transfer lines."""
    n = e.notice
    assert isinstance(n, Statement)
    for name, lines in (("收入", n.income), ("支出", n.expenses)):
        for i, line in enumerate(lines):
            if line.counterpart is not None:
                yield name, i, line.on, line.amount, n.account.value, line.counterpart.value


def _transfers(entries: list[Entry]) -> Iterator[Problem]:
    """A transfer out of one account is a transfer into the other, same day, same amount."""
    statements = [e for e in entries if isinstance(e.notice, Statement) and e.notice.status.value != "草稿"]
    for e in statements:
        for name, i, day, amount, own, other in _lines(e):
            loc = (name, i, "对方账户")
            if own == other:
                yield _at(e, loc, "对方账户与本账户相同", "the counterpart is this account", "写另一本账", "", "error")
                continue
            mirror = "支出" if name == "收入" else "收入"
            covering = [
                s
                for s in statements
                if s.community == e.community
                and s.notice.account.value == other  # type: ignore[attr-defined]
                and s.notice.from_ <= day <= s.notice.to  # type: ignore[attr-defined]
            ]
            if not covering:
                yield _at(
                    e,
                    loc,
                    f"{other}还没有公开 {day} 所在期间的收支，无法核对这笔转账",
                    f"the {other} has no statement covering {day}: the transfer cannot be checked yet",
                    f"公开{other}该期间的收支公开后会自动核对",
                    "publish the other account's statement for that period",
                    "warning",
                )
                continue
            found = any(
                (n2, d2, a2, o2) == (mirror, day, amount, own) for s in covering for n2, _, d2, a2, _, o2 in _lines(s)
            )
            if not found:
                files = "、".join(s.file for s in covering)
                yield _at(
                    e,
                    loc,
                    f"{own}这笔{name} {amount:.2f} 元（{day}）在{other}（{files}）里没有对应的{mirror}",
                    f"this transfer of {amount:.2f} on {day} has no matching {mirror} in the {other} ({files})",
                    f"在{other}里记同日同额的{mirror}并写 对方账户: {own}，或核对金额和日期",
                    f"record the matching line in the {other} with 对方账户: {own}",
                    "error",
                )


def _dates_agree(entries: list[Entry]) -> Iterator[Problem]:
    for e in entries:
        n = e.notice
        if isinstance(n, Consultation) and n.period is not None and n.period.last_day != n.deadline.day:
            yield _at(
                e,
                ("截止",),
                f"截止日期 {n.deadline.day} 与公示期最后一天 {n.period.last_day} 不同",
                f"the deadline {n.deadline.day} differs from the last day of the 公示期 {n.period.last_day}",
                "核对原文；如原文本身前后不一，在“原文说明”里写明",
                "check the source; note any inconsistency under 原文说明",
                "warning",
            )
        if isinstance(n, ElectionNotice):
            for i, item in enumerate(n.schedule):
                if item.start is None:
                    held = f"，选举日为 {n.held_on}" if n.held_on else ""
                    yield _at(
                        e,
                        ("日程", i, "日期原文"),
                        f"日程“{item.what}”没有具体日期（原文“{item.written}”）{held}",
                        f"schedule item '{item.what}' has no date (source: '{item.written}')",
                        "原文空白时照录，并在“原文说明”里写明；知道日期的写“开始”",
                        "keep the blank as published and explain it, or give 开始",
                        "warning",
                    )
        if isinstance(n, AssetLease):
            due = n.expected_end
            if due is not None and n.term_end is not None and n.term_end != due:
                yield _at(
                    e,
                    ("租期结束",),
                    f"租期{n.years}年，从 {n.term_start} 起应到 {due} 止，记录写的是 {n.term_end}",
                    f"a {n.years}-year term from {n.term_start} ends on {due}, not {n.term_end}",
                    f"核对租期；应为 {due}",
                    f"check the term; expected {due}",
                    "warning",
                )
            if n.shares and n.priced and n.shared < n.reserve_total:
                rest = n.reserve_total - n.shared
                yield _at(
                    e,
                    ("租金分配",),
                    f"租金分配只列明 {n.shared:.2f} 元/年，年租金底价 {n.reserve_total:.2f} 元，"
                    f"其余 {rest:.2f} 元的去向未写明",
                    f"the shares cover {n.shared:.2f} of {n.reserve_total:.2f} a year; the rest is not accounted for",
                    "把其余部分的去向写进租金分配，或在“原文说明”里写明原文未交代",
                    "add the remaining shares or note that the source does not say",
                    "warning",
                )


def check_notices(entries: list[Entry]) -> list[Problem]:
    """Problems (errors and warnings) from the rules above, for every record."""
    return [*_source_notes(entries), *_transfers(entries), *_dates_agree(entries)]
