"""Site → SitePlan: the pages, the files copied as they are, the nav and the footer."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from generator.cachefiles import prune
from generator.reading.site import Site
from generator.records.publicity import withheld
from generator.templating.charts import chart_cache
from generator.web.attachments import cleaned
from generator.web.finding import community_files as finding_files
from generator.web.history import file_history
from generator.web.memo import Memo, remember
from generator.web.opendata import community_files as opendata_files
from generator.web.pages import NavItem, Page, plan_nav, plan_pages
from generator.web.share_image import CACHED as SHARE_CACHED
from generator.web.share_image import cached_share, share_images


class Printed(Protocol):
    """A PDF the print stage made (generator.paper), published on the site beside its page."""

    pdf: bytes | Path  # a file: the PDF cache's, copied when published
    preview: bytes | None  # a PNG of its first page, where the page shows one
    preview_dest: str


@dataclass(frozen=True)
class Asset:
    """A file from site_data/ published as is (attachment, photo)."""

    dest: str  # site-relative path
    source: Path


@dataclass(frozen=True)
class GeneratedFile:
    """A file made by Gongkai (a PDF, a preview image), published as is. `content`: its bytes, or
    the file in a cache that holds it (content-addressed: the same path is the same bytes)."""

    dest: str
    content: bytes | Path

    def source(self) -> dict[str, str | bytes]:
        """How the site engine takes it: the bytes, or the file to copy."""
        return {"abs_src_path": str(self.content)} if isinstance(self.content, Path) else {"content": self.content}


@dataclass(frozen=True)
class SitePlan:
    pages: list[Page]
    assets: list[Asset]
    nav: list[NavItem]
    footer: str
    by_path: dict[str, Page] = field(default_factory=dict)
    generated: list[GeneratedFile] = field(default_factory=list)


def plan_assets(site: Site, root: Path) -> list[Asset]:
    """Attachments and photos of public notices, each under its notice's URL; none of a list
    outside its 公示期 (withheld means gone: no file of it stays online)."""
    assets = []
    for data in site.communities:
        for entry in data.public:
            if withheld(entry.notice, site.as_of):
                continue
            for dest, rel in entry.files():
                assets.append(Asset(dest, (root / entry.file).parent / rel))
    return assets


def make_plan(
    site: Site,
    templates: Path,
    root: Path,
    printed: dict[str, Printed],
    site_url: str = "/",
    memo: Memo | None = None,
    portal_only: bool = False,
) -> SitePlan:
    """`memo`: the live preview's, to keep what the previous build made from the same inputs.
    `portal_only`: only the pages outside the communities' folders (a sharded build's portal)."""
    history = file_history(root)
    pages, footer = plan_pages(site, templates, printed, history, memo, chart_cache(root), site_url, portal_only)
    if portal_only:
        return SitePlan(pages, [], plan_nav(site), footer, {p.path: p for p in pages})
    files = [GeneratedFile(dest, r.pdf) for dest, r in sorted(printed.items())]
    for data in site.communities:
        made = {**opendata_files(data, memo), **finding_files(data, site_url, site.as_of, memo)}
        files += [GeneratedFile(dest, content) for dest, content in sorted(made.items())]
    files += [GeneratedFile(r.preview_dest, r.preview) for _, r in sorted(printed.items()) if r.preview]
    files += [GeneratedFile(a.dest, cleaned(a.source)) for a in plan_assets(site, root)]  # never as they are
    kept = chart_cache(root).parent / "share"  # beside the charts and PDFs, by content
    for dest, (text, name) in sorted(share_images(site, site_url).items()):
        image = remember(memo, ("share", text, name), lambda t=text, n=name: cached_share(t, n, kept))
        if isinstance(image, Path) and not image.is_file():  # the cache was emptied while the preview ran
            image = cached_share(text, name, kept)
        files.append(GeneratedFile(dest, image))
    # Each edited title or figure draws another image: what no build used for 60 days goes.
    prune(
        kept, SHARE_CACHED, {f.content.name for f in files if isinstance(f.content, Path) and f.content.parent == kept}
    )
    return SitePlan(pages, [], plan_nav(site), footer, {p.path: p for p in pages}, files)
