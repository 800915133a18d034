"""Rules across records: ids, references, attachments, dates, continuity of accounts."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from itertools import pairwise
from pathlib import Path
from typing import NamedTuple

from generator.errors import Problem, field_path
from generator.reading.attachments import attachment_problems, body_images, links_leaving
from generator.reading.figures import figure_problems
from generator.reading.issuers import check_issuers
from generator.reading.lists import list_problems
from generator.reading.site import CommunityData, Entry, Site
from generator.records.community import CatalogueRow
from generator.records.finance import Statement
from generator.records.legal import Campaign, LegalPlan
from generator.records.party import Meeting
from generator.records.residential import Decision


def _at(
    entry: Entry, loc: tuple[str | int, ...], zh: str, en: str, hint_zh: str, hint_en: str, severity: str = "error"
) -> Problem:
    line, col = entry.raw.where(loc)
    field = field_path(loc)
    return Problem(entry.file, line, col, field, zh, en, hint_zh, hint_en, severity)


def duplicate_id(nid: str, file: str, line: int, col: int, other: str) -> Problem:
    """The id at file:line is also the id of the record in `other` (read before it)."""
    return Problem(
        file,
        line,
        col,
        "编号",
        f"编号“{nid}”与 {other} 重复",
        f"id '{nid}' is also used by {other}",
        "换一个从未用过的编号（编号一经发布不再改动、不再重复使用）",
        "use a new, unused id",
    )


class Indexed(NamedTuple):
    """A record's 编号 in the light index that the checks across communities of a sharded build
    run on. `broken`: the record has errors (the whole check takes sound records first)."""

    id: str
    file: str
    line: int
    column: int
    draft: bool
    broken: bool = False


def id_index(entries: Iterable[Entry], drafts: set[str], broken: bool = False) -> list[Indexed]:
    """The light index of these records (in the order the whole project's check reads them)."""
    return [Indexed(e.notice.id, e.file, *e.raw.where(("编号",)), e.file in drafts, broken) for e in entries]


def _unique_ids(entries: list[Entry]) -> Iterator[Problem]:
    first: dict[str, Entry] = {}
    for e in entries:
        other = first.setdefault(e.notice.id, e)
        if other is not e:
            yield duplicate_id(e.notice.id, e.file, *e.raw.where(("编号",)), other.file)


def _references(site: Site, entries: list[Entry], described: set[str]) -> Iterator[Problem]:
    orgs = {c.community.id: {o.id for o in c.community.orgs} for c in site.communities}
    for e in entries:
        if e.community not in orgs and e.community in described:
            continue  # its community.yaml is invalid and reported as such
        if e.community not in orgs:
            yield _at(
                e,
                (),
                f"社区目录“{e.community}”里没有 community.yaml",
                f"community folder '{e.community}' has no community.yaml",
                f"新建 site_data/{e.community}/community.yaml",
                "create the community file",
            )
            continue
        if e.notice.org not in orgs[e.community]:
            known = "、".join(sorted(orgs[e.community]))
            yield _at(
                e,
                ("发布单位",),
                f"发布单位“{e.notice.org}”不是本社区的组织",
                f"unknown organisation '{e.notice.org}'",
                f"可选：{known}",
                f"one of: {known}",
            )
        target = e.notice.corrects
        if target is not None and (target not in site.by_id or site.by_id[target].community != e.community):
            # A community corrects its own notices: a part of a sharded build sees only its own.
            yield _at(
                e,
                ("更正",),
                f"要更正的通知“{target}”不存在（更正只能针对本社区的通知）",
                f"corrected notice '{target}' not found among this community's notices",
                "写本社区被更正通知的编号",
                "give the id of this community's notice being corrected",
            )
        elif target is not None and not e.notice.correction_note:
            yield _at(
                e,
                ("更正",),
                "更正通知必须写“更正说明”",
                "a correction needs 更正说明",
                "加一行 更正说明: 更正了什么",
                "add 更正说明",
            )


def _event_dates(e: Entry) -> Iterator[tuple[tuple[str | int, ...], dt.date]]:
    n = e.notice
    yield ("发布日期",), n.date
    if isinstance(n, Meeting):
        yield ("会议日期",), n.held_on
    elif isinstance(n, Decision):
        for i, step in enumerate(n.steps):
            if step.on is not None:
                yield ("步骤", i, "日期"), step.on
    elif isinstance(n, Statement):
        for name, lines in (("收入", n.income), ("支出", n.expenses)):
            for i, line in enumerate(lines):
                yield (name, i, "日期"), line.on
    elif isinstance(n, Campaign):
        yield ("开始日期",), n.from_


def _dated(entries: Iterable[Entry]) -> Iterator[tuple[Entry, tuple[str | int, ...], dt.date]]:
    """The dates that must not be after the as-of day: those of what is published (not drafts,
    not legal-education plans, which look ahead)."""
    for e in entries:
        if e.notice.status.value == "草稿" or isinstance(e.notice, LegalPlan):
            continue
        for loc, day in _event_dates(e):
            yield e, loc, day


def _not_in_future(entries: list[Entry], as_of: dt.date) -> Iterator[Problem]:
    for e, loc, day in _dated(entries):
        if day > as_of:
            yield _at(
                e,
                loc,
                f"日期 {day} 晚于今天（{as_of}）",
                f"date {day} is after the build date {as_of}",
                "核对日期；还没发生的事先保存为草稿",
                "check the date, or keep the record as a draft",
            )


def _continuity(entries: list[Entry]) -> Iterator[Problem]:
    chains: dict[tuple[str, str, str], list[Entry]] = defaultdict(list)
    for e in entries:
        if isinstance(e.notice, Statement) and e.notice.status.value != "草稿" and not e.notice.corrects:
            chains[(e.community, e.notice.org, e.notice.account.value)].append(e)
    for chain in chains.values():
        chain.sort(key=lambda e: e.notice.from_)  # type: ignore[attr-defined]
        for prev, cur in pairwise(chain):
            p, c = prev.notice, cur.notice
            assert isinstance(p, Statement) and isinstance(c, Statement)
            if p.to + dt.timedelta(days=1) == c.from_ and p.closing != c.opening:
                yield _at(
                    cur,
                    ("期初余额",),
                    f"期初余额 {c.opening:.2f} 与上一期（{prev.file}）期末余额 {p.closing:.2f} 不符",
                    f"opening {c.opening:.2f} differs from the previous closing {p.closing:.2f}",
                    f"改为 {p.closing:.2f}，或核对上一期",
                    f"set it to {p.closing:.2f}",
                )


def _minimum_period(site: Site, entries: list[Entry]) -> Iterator[Problem]:
    for e in entries:
        period = e.notice.period
        if period is None:
            continue
        days = (period.last_day - period.start).days + 1
        least = site.config.minimum_days(e.notice.kind)
        if days < least:
            yield _at(
                e,
                ("公示期",),
                f"公示期只有 {days} 天，{e.notice.kind}至少要 {least} 天",
                f"the 公示期 lasts {days} day(s); a {e.notice.kind} needs at least {least}",
                f"把公示期延长到至少 {least} 天（含首尾两天）",
                f"make it at least {least} days",
            )


_CYCLE_DAYS = {"每月": 31, "每季度": 92, "每年": 366}
_EVERY_EN = {"每月": "monthly", "每季度": "quarterly", "每年": "yearly"}
GRACE_DAYS = 15  # a period's disclosure is due this many days after the next period ends


def _period_end(e: Entry) -> dt.date:
    return getattr(e.notice, "to", None) or e.notice.date


def _dues(site: Site) -> Iterator[tuple[CommunityData, int, CatalogueRow, dt.date | None, dt.date | None]]:
    """Each catalogue row with a 频次: its community, index, row, the end of the latest period
    disclosed (None: never) and the last day before it is overdue (None: overdue from the start)."""
    for data in site.communities:
        if data.catalogue is None:
            continue
        for i, row in enumerate(data.catalogue.rows):
            if row.kind is None or row.every is None:
                continue
            done = [
                e
                for e in data.public
                if e.notice.kind == row.kind
                and (row.account is None or getattr(e.notice, "account", None) == row.account)
            ]
            latest = max((_period_end(e) for e in done), default=None)
            due = latest + dt.timedelta(days=_CYCLE_DAYS[row.every] + GRACE_DAYS) if latest else None
            yield data, i, row, latest, due


def _overdue(site: Site) -> Iterator[Problem]:
    """Catalogue rows with a 频次 whose latest disclosure is older than one cycle plus grace."""
    for data, i, row, latest, due in _dues(site):
        if due is None or due < site.as_of:
            raw = data.catalogue_raw
            since = f"上次公开到 {latest}" if latest else "还没有公开过"
            line, col = raw.where(("目录", i, "频次")) if raw else (1, 1)
            yield Problem(
                raw.path if raw else "catalogue.yaml",
                line,
                col,
                f"目录[{i + 1}].频次",
                f"“{row.item}”应{row.every}公开，{since}，已超期",
                f"'{row.item}' is due {_EVERY_EN[row.every]} and is overdue"
                + (f" (last period ended {latest})" if latest else " (never published)"),
                f"补发一条“{row.kind}”记录",
                f"publish a '{row.kind}' record",
                "warning",
            )


def steady_days(site: Site) -> tuple[dt.date, dt.date | None]:
    """The as-of days (first, last; None: no end) on which the checks come out exactly as on
    site.as_of, for a site they find no error in. Only two checks read the as-of day:
    _not_in_future (an error from the day before a record's latest date back) and _overdue (a
    warning from the day after a row's due day on). `check --shards` keeps a community's result
    for these days (shards/checked.py), so a check that reads the as-of day must widen this.
    """
    entries = [e for data in site.communities for e in data.entries]
    first, last = max((day for _, _, day in _dated(entries)), default=dt.date.min), None
    for *_, due in _dues(site):
        if due is None:
            continue
        if due < site.as_of:
            first = max(first, due + dt.timedelta(days=1))  # overdue since the day after
        else:
            last = due if last is None else min(last, due)  # not yet overdue, up to that day
    return first, last


def check_site(
    site: Site,
    entries: list[Entry],
    base: Path,
    root: Path,
    described: set[str] | None = None,
    partials: Iterable[Entry] = (),
    only: str | None = None,
) -> list[Problem]:
    """Every cross-record problem, errors and warnings alike. `described`: community folders that
    have a community.yaml (an invalid one is reported by itself, not once per record). `partials`:
    records with errors, as far as they parsed: each check that needs only their good fields runs.
    `only`: the one community read (a sharded build's part)."""
    described = described or set()
    per_record: list[Callable[[list[Entry]], Iterable[Problem]]] = [
        lambda es: _references(site, es, described),
        lambda es: attachment_problems(es, base, root),
        body_images,
        list_problems,
        figure_problems,
        lambda es: _not_in_future(es, site.as_of),
        lambda es: _minimum_period(site, es),
        lambda es: check_issuers(site, es),
    ]
    partials = list(partials)
    return [
        *_unique_ids([*entries, *(p for p in partials if hasattr(p.notice, "id"))]),
        *(problem for check in per_record for problem in check(entries)),
        *links_leaving(root, only),
        *_continuity(entries),
        *_overdue(site),
        *_as_far_as_parsed(per_record, partials),
    ]


def _as_far_as_parsed(
    checks: list[Callable[[list[Entry]], Iterable[Problem]]], partials: list[Entry]
) -> Iterator[Problem]:
    """Run each check on each partial record alone; a check that needs a field that failed to
    parse (a missing attribute, a None) is skipped for that record: the field's own problem is
    already reported."""
    for entry in partials:
        for check in checks:
            try:
                found = list(check([entry]))
            except (AttributeError, TypeError, KeyError, ValueError):
                continue
            yield from found
