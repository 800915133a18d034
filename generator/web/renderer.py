"""What every page is made with: the Page and NavItem values, and the Renderer that holds the
template environment, the site and what pages share (tags, corrections, footers).

Engine-agnostic: the engine adapter turns Pages into its own files; nothing here knows mkdocs.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

from generator.reading.site import CommunityData, Entry, Site
from generator.records import FAMILIES
from generator.records.publicity import publicity, withheld
from generator.templating.rendering import make_env, relative_url
from generator.web.finding import tag_index
from generator.web.memo import Memo
from generator.web.sharing import page_meta


@dataclass(frozen=True)
class Page:
    """One page of the site. `title` is plain text: whoever displays it must escape it."""

    path: str  # source path, e.g. "lijianglu/party/2024-dw-001.md"
    title: str
    markdown: str
    in_nav: bool
    meta: dict[str, Any] = field(default_factory=dict)
    # Lists of other pages' titles (family indexes, archive, tags) are left out of the search
    # index: the notices they list are found on their own pages.
    searchable: bool = True

    @property
    def url(self) -> str:
        """Directory-style URL relative to the site root ("" for the home page)."""
        stem = self.path.removesuffix(".md")
        if stem == "index":
            return ""
        return stem.removesuffix("/index") + "/"


@dataclass(frozen=True)
class NavItem:
    title: str
    path: str | None = None
    children: tuple[NavItem, ...] = ()


class Renderer:
    """Holds the template environment and the site while the pages are planned."""

    def __init__(
        self,
        site: Site,
        templates: Path,
        printed: dict[str, Any],
        memo: Memo | None = None,
        chart_cache: Path | None = None,
    ):
        self.site = site
        self.memo = memo
        # What every page may read besides its own records: the settings and the as-of date.
        self.settings = (site.config.model_dump_json(), site.as_of)
        self.printed = printed
        self.history: dict[str, list[Any]] = {}
        self.site_url = "/"  # the site's address, for addresses shown to copy (feeds)
        self.corrections = _corrections(site)
        self.env = make_env(templates, chart_cache=chart_cache)
        self.tags = {d.community.id: tag_index(d) for d in site.communities}
        self.tag_slugs = {cid: {tag: slug for tag, slug, _ in tags} for cid, tags in self.tags.items()}
        self.footers = {d.community.id: self.footer(d) for d in site.communities}

    def render(self, template: str, page_url: str, **context: Any) -> str:
        def url(target: str) -> str:
            return relative_url(target, page_url)

        tpl = self.env.get_template(template)
        data = context.get("data")
        return tpl.render(
            site=self.site,
            as_of=self.site.as_of,
            url=url,
            families=data.community.families() if data is not None else FAMILIES,  # 村务公开 in a village
            family_label=self.site.family_label,
            publicity=publicity,
            channel=self.site.channel,
            is_withheld=lambda n: withheld(n, self.site.as_of),
            tag_slugs=self.tag_slugs,
            **context,
        )

    def footer(self, data: CommunityData | None) -> str:
        """Footer HTML: the publishing organisation, its 监督电话, the 备案号."""
        org = data.community.org(data.community.default_org) if data else None
        return self.render("footer.html.j2", "", org=org, data=data).strip()

    def page(
        self,
        path: str,
        title: str,
        template: str,
        in_nav: bool = True,
        data: CommunityData | None = None,
        searchable: bool = True,
        meta: dict[str, Any] | None = None,
        **context: Any,
    ) -> Page:
        """`meta`: more page metadata for the engine (search terms and boost, description)."""
        url = Page(path, title, "", in_nav).url
        # Our own <h1>: the theme would otherwise print the (shorter) nav title as the heading.
        heading = f"<h1>{escape(title)}</h1>\n\n"
        markdown = heading + self.render(template, url, title=title, data=data, **context)
        base = page_meta(self.site.config.name, title)
        if data:
            base["gongkai_footer"] = self.footers[data.community.id]
        return Page(path, title, markdown, in_nav, {**base, **(meta or {})}, searchable)


def _corrections(site: Site) -> dict[str, list[Entry]]:
    """Corrected id → the public notices correcting it, by id (one pass: no N × N scan)."""
    found: dict[str, list[Entry]] = defaultdict(list)
    for e in sorted(site.by_id.values(), key=lambda e: e.notice.id):
        if e.notice.corrects is not None and e.notice.is_public:
            found[e.notice.corrects].append(e)
    return found
