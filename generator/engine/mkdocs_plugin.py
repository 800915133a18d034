"""The thin adapter to mkdocs: our pages in as generated files, the nav set, records watched.
Only hook methods that translate between mkdocs' objects and ours; the live preview's side is in
incremental.py, the search index's in search_index.py, running mkdocs in builds.py."""

from __future__ import annotations

import html
import os
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel

from generator.engine.incremental import DirtyBuild
from generator.engine.preview import PreviewState, fingerprint, watched
from generator.engine.search_index import quiet_jieba, rewrite_index
from generator.errors import RecordsInvalid
from generator.paper.printshop import print_site
from generator.reading.reader import read_site
from generator.reading.site import Site
from generator.templating.rendering import THEME_COMPILED
from generator.today import parse_as_of, source_date_epoch
from generator.web.plan import SitePlan, make_plan
from generator.web.shards import PORTAL, shard_plan


class GongkaiConfig(Config):
    data_dir = opt.Type(str, default="site_data")
    templates_dir = opt.Type(str, default="templates")


def _nav(items: Any) -> list[Any]:
    """Our NavItems → mkdocs' nav structure; titles escaped (mkdocs prints them raw)."""
    return [{html.escape(i.title): i.path if not i.children else _nav(i.children)} for i in items]


class GongkaiPlugin(BasePlugin[GongkaiConfig]):
    """Registered as the `gongkai` mkdocs plugin (entry point in pyproject.toml)."""

    as_of: str | None = None  # set by `gongkai build --as-of`; else $GONGKAI_AS_OF; else today
    prepared: tuple[Site, dict[str, Any]] | None = None  # records and PDFs `gongkai build` already has
    plan: SitePlan | None = None
    epoch_set: str | None = None  # SOURCE_DATE_EPOCH as this plugin set it, for one build only
    preview: PreviewState | None = None  # set by the live preview: rebuild only what changed
    dirty: DirtyBuild | None = None  # the preview's current build
    shard: str | None = None  # a sharded build's part: a community id, or "" for the portal
    writing = False  # the build has started writing files
    later: frozenset[str] = frozenset()  # the files the preview writes after the pages (builds.Preview)

    def _prepare(self, root: Path, templates: Path, site_url: str, memo: Any) -> tuple[Site, dict[str, Any]]:
        if self.prepared is not None:
            return self.prepared
        try:
            as_of, reads = parse_as_of(self.as_of or os.environ.get("GONGKAI_AS_OF")), self.preview
            site = read_site(root, as_of, self.config.data_dir, reads and reads.reads, self.shard or None)
        except RecordsInvalid as exc:
            raise self._refuse("记录", exc) from None
        except ValueError as exc:
            raise PluginError(str(exc)) from None
        try:
            return site, print_site(site, templates, root, site_url, memo=memo, later=reads and reads.later)
        except RecordsInvalid as exc:
            raise self._refuse("打印件", exc) from None

    def _refuse(self, what: str, exc: RecordsInvalid) -> PluginError:
        if self.preview is not None:  # the preview's server shows them on every page
            self.preview.problems = tuple(p.format() for p in sorted(exc.problems))
        return PluginError(f"{what}有 {len(exc.problems)} 处问题，未生成网站：\n{exc}")

    def on_config(self, config: Any) -> Any:
        self.root = root = Path(config.config_file_path).parent
        quiet_jieba(root)
        templates = root / self.config.templates_dir
        url = (config.site_url or "/").removesuffix(f"{self.shard}/" if self.shard else "")  # the whole site's
        memo = self.preview.use_templates(fingerprint(templates)) if self.preview is not None else None
        site, printed = self._prepare(root, templates, url, memo)
        if "SOURCE_DATE_EPOCH" not in os.environ:  # mkdocs dates the sitemap with it, else with the clock
            os.environ["SOURCE_DATE_EPOCH"] = self.epoch_set = source_date_epoch(root, site.as_of)
        self.plan = make_plan(site, templates, root, printed, url, memo, self.shard == PORTAL)
        self.plan = shard_plan(self.plan, self.shard, site, url)  # the whole plan when not sharded
        self.later = self.preview.set_aside(self.plan, printed) if self.preview is not None else frozenset()
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
            if made.dest not in self.later:
                files.append(File.generated(config, made.dest, **made.source()))  # type: ignore[arg-type]
        # Hand-written pages from content/ follow ours in the nav, titled by their own heading.
        handwritten = (f.src_uri for f in files.documentation_pages() if not f.generated_by)
        config.nav.extend(sorted(uri for uri in handwritten if uri not in self.plan.by_path))
        if self.preview is not None:
            self.dirty = DirtyBuild(self.preview)
            self.dirty.mark(files, config, self.plan, self.later)
        return files

    def on_page_markdown(self, markdown: str, page: Any, config: Any, files: Any) -> str:
        assert self.plan is not None
        ours = self.plan.by_path.get(page.file.src_uri)
        if ours is not None:
            page.meta["title"] = html.escape(ours.title)
            page.meta.update(ours.meta)
            if not ours.searchable:
                page.meta["search"] = {"exclude": True}
            if not ours.in_nav:  # record pages: their tables need the table of contents' width
                page.meta["hide"] = ["toc"]
        return markdown

    def on_env(self, env: Any, config: Any, files: Any) -> Any:
        self.writing, env.bytecode_cache = True, THEME_COMPILED  # writing starts; templates compiled once
        return env

    def on_build_error(self, error: Exception) -> None:
        self._forget_epoch()
        if self.preview is not None and self.writing:  # failed halfway: the next build starts from empty
            self.preview.frame = self.preview.pending = None

    def _forget_epoch(self) -> None:  # the next build in this process (tests, serve) derives its own date
        if self.epoch_set and os.environ.get("SOURCE_DATE_EPOCH") == self.epoch_set:
            del os.environ["SOURCE_DATE_EPOCH"]
        self.epoch_set = None

    def on_post_build(self, config: Any) -> None:
        self._forget_epoch()
        rewrite_index(site_dir := Path(config.site_dir), self.dirty.whole_index if self.dirty is not None else None)
        if self.dirty is not None:
            self.dirty.finish(site_dir)

    def on_serve(self, server: Any, config: Any, builder: Any) -> Any:
        for path in watched(self.root, self.config.data_dir, self.config.templates_dir):
            server.watch(str(path))
        return server
