"""How a page travels: its description and Open Graph metadata (the summary a chat app shows for a
pasted link), what the search finds it by, and for a notice the facts its share image shows.

Values handed to the engine as page metadata are HTML-escaped here: the theme prints them raw."""

from __future__ import annotations

import re
from html import escape
from typing import Any

from generator.reading.site import Entry, Site
from generator.records.budget import Budget
from generator.records.common import Notice
from generator.records.finance import SpecialFund, Statement
from generator.records.party import PartyDues
from generator.records.publicity import withheld
from generator.records.residential import BenefitList
from generator.templating.rendering import date_cn, money
from generator.web.search_terms import search_terms

NOTICE_BOOST = 2  # a notice outranks the site's help pages for the same words
DESCRIPTION_CHARS = 110  # what chat apps and search engines show of a description
SHARE_IMAGE = "share.png"


def plain(markdown: str) -> str:
    """Markdown as one line of plain text (for a description, never for a page)."""
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", markdown)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"[#>*_`|]+", " ", text)
    return " ".join(text.split())


def clip(text: str, limit: int = DESCRIPTION_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def period_text(notice: Notice) -> str | None:
    if notice.period is None:
        return None
    return f"{date_cn(notice.period.start)} 至 {date_cn(notice.period.last_day)}"


def key_figures(notice: Notice) -> list[tuple[str, str]]:
    """The few figures a share image and a description lead with; never a person's name."""
    if isinstance(notice, Statement):
        return [
            ("期初余额", f"{money(notice.opening)} 元"),
            ("本期收入", f"{money(notice.income_total)} 元"),
            ("本期支出", f"{money(notice.expense_total)} 元"),
            ("期末余额", f"{money(notice.closing)} 元"),
        ]
    if isinstance(notice, SpecialFund):
        return [("已支出", f"{money(notice.spent)} 元"), ("结余", f"{money(notice.remaining)} 元")]
    if isinstance(notice, Budget):
        return [("预算", f"{money(notice.budget_total)} 元"), ("实际支出", f"{money(notice.actual_total)} 元")]
    if isinstance(notice, BenefitList):
        return [("项目", notice.programme), ("名单", f"{len(notice.people)} 户")]
    if isinstance(notice, PartyDues):
        paid = sum(r.paid for r in notice.rows)
        return [("实缴人数", f"{paid} 名"), ("党费合计", f"{money(notice.total)} 元")]
    return []


def description(site: Site, entry: Entry) -> str:
    """One line: kind, date, 公示期 and figures, then the start of the body (none for a withheld list)."""
    n = entry.notice
    parts = [f"{n.kind}·{date_cn(n.date)}发布"]
    if (p := period_text(n)) is not None:
        parts.append(f"公示期 {p}")
    if withheld(n, site.as_of):
        parts.append("公示期已结束，名单不再在网上公开")
    else:
        parts += [f"{label} {value}" for label, value in key_figures(n)]
        if n.body:
            parts.append(plain(n.body))
    return clip("；".join(parts))


def has_share_image(site: Site, entry: Entry) -> bool:
    """Every public notice but a withheld list (its names are off the site) and a withdrawn one."""
    n = entry.notice
    return n.status.value == "已发布" and not withheld(n, site.as_of)


def notice_meta(site: Site, entry: Entry) -> dict[str, Any]:
    """Page metadata of a notice: search terms and boost, description, share image, feed."""
    n = entry.notice
    held = withheld(n, site.as_of)
    return {
        "tags": [escape(t) for t in search_terms(n, site.config.synonyms, held)],
        "search": {"boost": NOTICE_BOOST},
        "description": escape(description(site, entry)),
        "gongkai_og_type": "article",
        "gongkai_share": has_share_image(site, entry),
        "gongkai_feed": f"{entry.community}/{entry.family}/feed.xml",
    }


def page_meta(site_name: str, title: str, summary: str | None = None) -> dict[str, str]:
    """Description of a page that is not a notice (home, lists, guides)."""
    about = "党务、居务、财务公开和普法宣传：正在公示的事项、监督电话和历年公开信息。"
    text = summary or (f"{site_name}：{about}" if title == site_name else f"{title} — {site_name}：{about}")
    return {"description": escape(clip(text)), "gongkai_og_type": "website"}
