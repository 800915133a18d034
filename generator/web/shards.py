"""A site plan cut into shards: each community a site of its own, published at `<community>/`,
and the portal at the root (home, field reference, hand-written pages).

The pages keep the links they were rendered with: a page of the community `c` at `c/party/x.md`
becomes `party/x.md` of the shard whose root is published at `c/`, so every link it carries,
relative by construction, points where it pointed in the whole site.
"""

from __future__ import annotations

from dataclasses import replace

from generator.reading.site import Site
from generator.web.pages import NavItem, Page
from generator.web.plan import SitePlan

PORTAL = ""  # the shard at the root


def _strip(path: str, prefix: str) -> str:
    return path.removeprefix(prefix)


def _page(page: Page, prefix: str) -> Page:
    meta = dict(page.meta)
    if isinstance(meta.get("gongkai_feed"), str):
        meta["gongkai_feed"] = _strip(meta["gongkai_feed"], prefix)
    return replace(page, path=_strip(page.path, prefix), meta=meta)


def _community_nav(items: list[NavItem], prefix: str, site_url: str) -> list[NavItem]:
    """The community's own section, one level up, then a way back to the portal (by its address:
    the engine takes a relative link outside the shard for a missing page)."""
    ours = next((i for i in items if i.children and i.children[0].path == f"{prefix}index.md"), None)
    children = ours.children if ours is not None else ()
    return [NavItem(c.title, _strip(c.path or "", prefix)) for c in children] + [NavItem("返回门户首页", site_url)]


def _portal_nav(items: list[NavItem], site_url: str) -> list[NavItem]:
    """The portal's own pages, and a link to each community's site in place of its section."""
    nav = []
    for item in items:
        if item.children and item.children[0].path:
            nav.append(NavItem(item.title, site_url + item.children[0].path.removesuffix("index.md")))
        else:
            nav.append(item)
    return nav


def shard_plan(plan: SitePlan, part: str | None, site: Site, site_url: str) -> SitePlan:
    """The pages and files of one shard: `part` a community id, or PORTAL for the root; None: the
    whole plan, not sharded."""
    if part is None:
        return plan
    if part == PORTAL:
        prefixes = tuple(f"{d.community.id}/" for d in site.communities)
        pages = [p for p in plan.pages if not p.path.startswith(prefixes)]
        files = [f for f in plan.generated if not f.dest.startswith(prefixes)]
        assets = [a for a in plan.assets if not a.dest.startswith(prefixes)]
        nav = _portal_nav(plan.nav, site_url)
    else:
        prefix = f"{part}/"
        pages = [_page(p, prefix) for p in plan.pages if p.path.startswith(prefix)]
        files = [replace(f, dest=_strip(f.dest, prefix)) for f in plan.generated if f.dest.startswith(prefix)]
        assets = [replace(a, dest=_strip(a.dest, prefix)) for a in plan.assets if a.dest.startswith(prefix)]
        nav = _community_nav(plan.nav, prefix, site_url)
    return SitePlan(pages, assets, nav, plan.footer, {p.path: p for p in pages}, files)
