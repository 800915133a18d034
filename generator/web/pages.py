"""Which pages the site has: Site → list of Page, each a Markdown document with its metadata.

Engine-agnostic: the mkdocs plugin turns these into mkdocs files; nothing here knows mkdocs.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from generator.reading.site import CommunityData, Entry, Site
from generator.records import KINDS
from generator.records.common import Notice
from generator.records.publicity import withheld
from generator.web.finance_pages import account_url, accounts, finance_pages
from generator.web.guide import guide_pages, index_number
from generator.web.memo import Memo
from generator.web.reference import reference_context, settings_context
from generator.web.renderer import NavItem, Page, Renderer
from generator.web.sharing import has_share_image, notice_meta

REFERENCE_BOOST = 0.2  # the field reference names every kind: below the notices of that kind
LIST_LIMIT = 100  # notices on a family's index; the rest are a click away in the archive by year


def _by_year(entries: tuple[Entry, ...]) -> dict[int, list[Entry]]:
    """Newest year first; each year's notices in the order given (newest first)."""
    years: dict[int, list[Entry]] = defaultdict(list)
    for e in entries:
        years[e.notice.date.year].append(e)
    return {year: years[year] for year in sorted(years, reverse=True)}


def _older_years(entries: tuple[Entry, ...]) -> list[tuple[int, int]]:
    """(year, notices that year) for each year holding notices beyond a family index's newest."""
    older = {e.notice.date.year for e in entries[LIST_LIMIT:]}
    return [(year, len(es)) for year, es in _by_year(entries).items() if year in older]


def _months(entries: list[Entry]) -> list[tuple[int, list[Entry]]]:
    months: dict[int, list[Entry]] = defaultdict(list)
    for e in entries:
        months[e.notice.date.month].append(e)
    return sorted(months.items(), reverse=True)


def _archive_pages(r: Renderer, data: CommunityData) -> list[Page]:
    """The archive: a page listing the years, and a page per year listing its notices by month.
    (One page of every notice would be megabytes at a few thousand notices.)"""
    c = data.community
    years = _by_year(data.public)
    counts = {year: Counter(e.family for e in entries) for year, entries in years.items()}
    pages = [
        r.page(f"{c.id}/archive.md", f"{c.name}·归档", "archive.md.j2", data=data, searchable=False, counts=counts)
    ]
    for year, entries in years.items():
        pages.append(
            r.page(
                f"{c.id}/archive/{year}.md",
                f"{c.name}·{year}年归档",
                "archive-year.md.j2",
                in_nav=False,
                data=data,
                searchable=False,
                year=year,
                months=_months(entries),
            )
        )
    return pages


def _tag_pages(r: Renderer, data: CommunityData) -> list[Page]:
    """Every tag with its count, and a page per tag listing its notices."""
    c = data.community
    tags = r.tags[c.id]
    pages = [r.page(f"{c.id}/tags.md", f"{c.name}·标签", "tags.md.j2", data=data, searchable=False, tags=tags)]
    for tag, slug, entries in tags:
        pages.append(
            r.page(
                f"{c.id}/tags/{slug}.md",
                f"{c.name}·标签：{tag}",
                "tag.md.j2",
                in_nav=False,
                data=data,
                searchable=False,
                tag=tag,
                entries=entries,
            )
        )
    return pages


def _community_pages(r: Renderer, data: CommunityData) -> list[Page]:
    c = data.community
    base = c.id
    pages = [
        r.page(
            f"{base}/index.md",
            c.name,
            "community.md.j2",
            data=data,
            under_notice=r.site.under_notice(data),
            latest=data.public[: r.site.config.latest_count],
        ),
    ]
    pages += _archive_pages(r, data)
    pages += guide_pages(r, data)
    if data.catalogue is not None:
        pages.append(r.page(f"{base}/catalogue.md", f"{c.name}·公开目录", "catalogue.md.j2", data=data))
    for family, label in c.families().items():
        pages.append(
            r.page(
                f"{base}/{family}/index.md",
                f"{c.name}·{label}",
                "family.md.j2",
                data=data,
                searchable=False,
                meta={"gongkai_feed": f"{base}/{family}/feed.xml"},
                family=family,
                entries=data.family(family)[:LIST_LIMIT],
                total=len(data.family(family)),
                years=_older_years(data.family(family)),
                accounts=[
                    (account_url(c.id, org, account), c.org(org).name if c.org(org) else org, account.value)
                    for org, account in accounts(data)
                ]
                if family == "finance"
                else [],
            )
        )
    for entry in data.public:
        pages.append(_notice_page(r, data, entry))
    pages.extend(finance_pages(r, data))
    pages += _tag_pages(r, data)
    if data.boards:
        pages.append(
            r.page(
                f"{base}/boards/index.md",
                f"{c.name}·公开栏和展板",
                "boards.md.j2",
                data=data,
                boards=[(b, r.printed.get(b.pdf_url)) for b in data.boards],
            )
        )
        for b in data.boards:
            pages.append(
                r.page(
                    f"{b.url.rstrip('/')}.md",
                    b.board.title,
                    "board.md.j2",
                    in_nav=False,
                    data=data,
                    b=b,
                    printed=r.printed.get(b.pdf_url),
                )
            )
    return pages


def _notice_page(r: Renderer, data: CommunityData, entry: Entry) -> Page:
    """A notice's own page. In the live preview it is made again only when its key changes: the key
    names every input the page is made from (a template reading more must add it here)."""
    n = entry.notice
    corrected_by = r.corrections.get(n.id, [])
    changes = [c for c in r.history.get(entry.file, []) if c.day <= r.site.as_of]

    def make() -> Page:
        return r.page(
            f"{entry.url.rstrip('/')}.md",
            n.title,
            "notice.md.j2",
            in_nav=False,
            data=data,
            entry=entry,
            n=n,
            withheld=withheld(n, r.site.as_of),
            kind_template=_kind_template(n),
            corrected_by=corrected_by,
            a4_pdf=entry.a4_url in r.printed,
            changes=changes,
            in_place_note=None if n.corrects else n.correction_note,  # corrected in place, not by a new notice
            index_no=index_number(entry),
            share=has_share_image(r.site, entry),
            meta=notice_meta(r.site, entry),
        )

    if r.memo is None:  # a plain build: nothing to reuse
        return make()
    old = r.site.by_id.get(n.corrects) if n.corrects else None
    key = (
        "notice",
        entry.file,
        entry.raw.blob,
        entry.community,
        r.settings,
        r.footers[entry.community],
        tuple(r.site.channel(entry).items()),
        tuple((e.file, e.raw.blob) for e in corrected_by),
        (old.file, old.raw.blob) if old else None,
        tuple(r.tag_slugs[entry.community][tag] for tag in n.tags),
        tuple(changes),
        entry.a4_url in r.printed,
    )
    return r.memo.get(key, make)


def _kind_template(notice: Notice) -> str:
    return f"kinds/{type(notice).__name__.lower()}.html.j2"


def plan_pages(
    site: Site,
    templates: Path,
    printed: dict[str, Any],
    history: dict[str, list[Any]] | None = None,
    memo: Memo | None = None,
    chart_cache: Path | None = None,
    site_url: str = "/",
    portal_only: bool = False,
) -> tuple[list[Page], str]:
    """Every page of the site, in a stable order, and the site-wide footer (HTML); with
    `portal_only`, only the pages outside the communities' folders (a sharded build's portal).
    `memo`: the live preview's pages from its previous build (see _notice_page).
    `chart_cache`: charts drawn by earlier builds (see charts.bar_chart)."""
    r = Renderer(site, templates, printed, memo, chart_cache)
    r.history = history or {}
    r.site_url = site_url
    pages = [
        r.page("index.md", site.config.name, "portal.md.j2"),
        r.page(
            "reference.md",
            "记录字段说明",
            "reference.md.j2",
            meta={"search": {"boost": REFERENCE_BOOST}},
            kinds=reference_context(KINDS),
            settings=settings_context(),
        ),
    ]
    for data in () if portal_only else site.communities:
        pages.extend(_community_pages(r, data))
    return pages, r.footer(None)


def plan_nav(site: Site) -> list[NavItem]:
    """Sections and indexes only: the nav never grows with the number of records."""
    items = [NavItem("首页", "index.md")]
    for data in site.communities:
        c = data.community.id
        children = [NavItem("社区首页", f"{c}/index.md")]
        labels = data.community.families()
        children += [NavItem(label, f"{c}/{family}/index.md") for family, label in labels.items()]
        children.append(NavItem("归档", f"{c}/archive.md"))
        children.append(NavItem("标签", f"{c}/tags.md"))
        if data.catalogue is not None:
            children.append(NavItem("公开目录", f"{c}/catalogue.md"))
        children.append(NavItem("公开指南", f"{c}/guide.md"))
        children.append(NavItem("依申请公开", f"{c}/request.md"))
        if data.boards:
            children.append(NavItem("公开栏和展板", f"{c}/boards/index.md"))
        items.append(NavItem(data.community.name, None, tuple(children)))
    items.append(NavItem("记录字段说明", "reference.md"))
    return items
