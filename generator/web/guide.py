"""政务公开 conventions: the 公开指南 and 依申请公开 pages of a community, and each notice's 索引号.

索引号 scheme (stable: made only of what never changes once published):
    {社区编号}-{栏目代码}-{记录编号}, e.g. lijianglu-CW-2024-cw-001
栏目代码: DW 党务公开, JW 居务公开, CW 财务公开, PF 普法宣传. A record's 编号 is never changed
nor reused, its community is its folder and its family follows from its kind, so the 索引号 never
moves and is never given twice.
"""

from __future__ import annotations

from collections import Counter

from generator.reading.site import CommunityData, Entry
from generator.web.renderer import Page, Renderer
from generator.web.sharing import page_meta

FAMILY_CODES = {"party": "DW", "residential": "JW", "finance": "CW", "legal": "PF"}


def index_number(entry: Entry) -> str:
    """The notice's 索引号 (see the module docstring)."""
    return f"{entry.community}-{FAMILY_CODES[entry.family]}-{entry.notice.id}"


def guide_pages(r: Renderer, data: CommunityData) -> list[Page]:
    """公开指南 (what is published, where, when, whom to ask), 依申请公开 (how to ask for the rest)
    and 订阅 (the feeds and the calendar, explained: a feed opened in a browser is raw XML)."""
    c = data.community
    counts = Counter(e.family for e in data.public)
    name = r.site.config.name
    return [
        r.page(
            f"{c.id}/guide.md",
            f"{c.name}·公开指南",
            "guide.md.j2",
            data=data,
            meta=page_meta(name, "公开指南", f"{c.name}公开什么、在哪里公开、多久公开一次，以及怎样监督和申请公开。"),
            counts=counts,
            codes=FAMILY_CODES,
        ),
        r.page(
            f"{c.id}/request.md",
            f"{c.name}·依申请公开",
            "request.md.j2",
            data=data,
            meta=page_meta(
                name, "依申请公开", f"网上和公开栏没有的信息，可以向{c.name}申请公开：向谁申请、怎么写、多久答复。"
            ),
            days=r.site.config.request_days,
        ),
        r.page(
            f"{c.id}/subscribe.md",
            f"{c.name}·订阅",
            "subscribe.md.j2",
            in_nav=False,
            data=data,
            searchable=False,
            meta=page_meta(name, "订阅", f"订阅{c.name}各栏目的公开信息和公示日历。"),
            base=r.site_url.rstrip("/") + "/",
        ),
    ]
