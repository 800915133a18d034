"""The thin adapter to mkdocs: generated pages in, nav set, records watched. Nothing else.

Everything mkdocs-specific lives in this file; another engine means rewriting only this one.
"""

from __future__ import annotations

import html
import json
import logging
import os
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel

from generator.errors import BuildFailed, RecordsInvalid
from generator.plan import SitePlan, make_plan
from generator.printshop import print_site
from generator.reading import read_site
from generator.site import Site
from generator.today import parse_as_of, source_date_epoch


class GongkaiConfig(Config):
    data_dir = opt.Type(str, default="site_data")
    templates_dir = opt.Type(str, default="templates")


def _nav(items: Any) -> list[Any]:
    """Our NavItems → mkdocs' nav structure; titles escaped (mkdocs prints them raw)."""
    out: list[Any] = []
    for item in items:
        title = html.escape(item.title)
        out.append({title: item.path} if not item.children else {title: _nav(item.children)})
    return out


def _quiet_jieba() -> None:
    """jieba (the search plugin's Chinese segmenter) logs at DEBUG to stderr on every build."""
    try:
        import jieba
    except ImportError:  # search then indexes without segmentation; tests catch that
        return
    jieba.setLogLevel(logging.WARNING)


class GongkaiPlugin(BasePlugin[GongkaiConfig]):
    """Registered as the `gongkai` mkdocs plugin (entry point in pyproject.toml)."""

    as_of: str | None = None  # set by `gongkai build --as-of`; else $GONGKAI_AS_OF; else today
    prepared: tuple[Site, dict[str, Any]] | None = None  # records and PDFs `gongkai build` already has
    plan: SitePlan | None = None
    epoch_set: str | None = None  # SOURCE_DATE_EPOCH as this plugin set it, for one build only

    def _prepare(self, root: Path, templates: Path, site_url: str) -> tuple[Site, dict[str, Any]]:
        if self.prepared is not None:
            return self.prepared
        try:
            as_of = parse_as_of(self.as_of or os.environ.get("GONGKAI_AS_OF"))
            site = read_site(root, as_of, self.config.data_dir)
        except RecordsInvalid as exc:
            raise PluginError(f"记录有 {len(exc.problems)} 处问题，未生成网站：\n{exc}") from None
        except ValueError as exc:
            raise PluginError(str(exc)) from None
        try:
            return site, print_site(site, templates, root, site_url)
        except RecordsInvalid as exc:
            raise PluginError(f"打印件有 {len(exc.problems)} 处问题，未生成网站：\n{exc}") from None

    def on_config(self, config: Any) -> Any:
        _quiet_jieba()
        root = Path(config.config_file_path).parent
        self.root = root
        templates = root / self.config.templates_dir
        site, printed = self._prepare(root, templates, config.site_url or "/")
        if "SOURCE_DATE_EPOCH" not in os.environ:  # mkdocs dates the sitemap with it, else with the clock
            os.environ["SOURCE_DATE_EPOCH"] = self.epoch_set = source_date_epoch(root, site.as_of)
        self.plan = make_plan(site, templates, root, printed, config.site_url or "/")
        config.site_name = html.escape(site.config.name)
        config.nav = _nav(self.plan.nav)
        config.extra["gongkai_footer"] = self.plan.footer
        return config

    def on_files(self, files: Files, config: Any) -> Files:
        assert self.plan is not None
        for page in self.plan.pages:
            if files.get_file_from_path(page.path) is not None:
                raise PluginError(
                    f"content/{page.path} 与自动生成的页面重名，请改名 "
                    f"(content/{page.path} clashes with a generated page)"
                )
            inclusion = InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, page.path, content=page.markdown, inclusion=inclusion))
        for asset in self.plan.assets:
            files.append(File.generated(config, asset.dest, abs_src_path=str(asset.source)))
        for made in self.plan.generated:
            files.append(File.generated(config, made.dest, content=made.content))
        # Hand-written pages from content/ follow ours in the nav, titled by their own heading.
        config.nav.extend(
            sorted(
                f.src_uri
                for f in files.documentation_pages()
                if not f.generated_by and f.src_uri not in self.plan.by_path
            )
        )
        return files

    def on_page_markdown(self, markdown: str, page: Any, config: Any, files: Any) -> str:
        assert self.plan is not None
        ours = self.plan.by_path.get(page.file.src_uri)
        if ours is not None:
            page.meta["title"] = html.escape(ours.title)
            page.meta.update(ours.meta)
            if not ours.in_nav:  # record pages: their tables need the table of contents' width
                page.meta["hide"] = ["toc"]
        return markdown

    def on_build_error(self, error: Exception) -> None:
        self._forget_epoch()

    def _forget_epoch(self) -> None:
        """The next build in this process (tests, `serve`) derives its own date."""
        if self.epoch_set and os.environ.get("SOURCE_DATE_EPOCH") == self.epoch_set:
            del os.environ["SOURCE_DATE_EPOCH"]
        self.epoch_set = None

    def on_post_build(self, config: Any) -> None:
        """The search index with Chinese as UTF-8 rather than \\uXXXX escapes: half the download."""
        self._forget_epoch()
        index = Path(config.site_dir) / "search" / "search_index.json"
        if index.is_file():
            data = json.loads(index.read_text(encoding="utf-8"))
            index.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")

    def on_serve(self, server: Any, config: Any, builder: Any) -> Any:
        server.watch(str(self.root / self.config.data_dir))
        server.watch(str(self.root / self.config.templates_dir))
        return server


def build_site(
    root: Path,
    site_dir: Path,
    as_of: str | None,
    strict: bool = False,
    prepared: tuple[Site, dict[str, Any]] | None = None,
) -> None:
    """Build the whole site with mkdocs into `site_dir` (which the caller then swaps in).
    `prepared`: the checked site and its PDFs, when the caller has them (read once, not twice)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    try:
        config = load_config(str(root / "mkdocs.yml"), site_dir=str(site_dir), strict=strict or None)
        plugin = config.plugins["gongkai"]
        assert isinstance(plugin, GongkaiPlugin)
        plugin.as_of = as_of
        plugin.prepared = prepared
        build(config)
    except MkDocsException as exc:  # mkdocs has already logged the reason
        raise BuildFailed(str(exc)) from None


def serve_site(root: Path, as_of: str, dev_addr: str) -> None:
    """The live preview: mkdocs serve, rebuilding when records or templates change."""
    from mkdocs.commands.serve import serve

    os.environ["GONGKAI_AS_OF"] = as_of
    serve(str(root / "mkdocs.yml"), dev_addr=dev_addr)


def engine_site_url(root: Path) -> str:
    """The site's public address (mkdocs.yml site_url): QR codes on paper point there."""
    from mkdocs.config import load_config

    return load_config(str(root / "mkdocs.yml")).site_url or "/"
