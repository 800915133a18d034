"""The thin adapter to mkdocs: generated pages in, nav set, records watched. Nothing else.

Everything mkdocs-specific lives in this file; another engine means rewriting only this one.
"""

from __future__ import annotations

import html
import json
import logging
import os
import re
import shutil
import socket
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel

from generator.errors import BuildFailed, RecordsInvalid
from generator.plan import SitePlan, make_plan
from generator.preview import PreviewState, fingerprint
from generator.printshop import print_site
from generator.reading import read_site
from generator.site import Site
from generator.today import parse_as_of, source_date_epoch

ZWSP = "\u200b"  # the word mark of the search plugin's Chinese segmentation


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


def _lean(text: str, separator: re.Pattern[str]) -> str:
    """Drop the zero-width spaces jieba's segmentation put next to punctuation or spaces: the
    search splits words at any run of separators, so a run keeps splitting the same without
    them, and they are invisible. 15–20 % of the index."""

    def run(m: re.Match[str]) -> str:
        found = m.group()
        return found if not found.strip(ZWSP) else found.replace(ZWSP, "")

    return separator.sub(run, text)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _serialised(docs: list[Any]) -> Iterator[str]:
    """Each entry as JSON, let go once serialised: the whole index as one string would add its
    size again to the build's peak memory."""
    for i in range(len(docs)):
        yield _dumps(docs[i])
        docs[i] = None


def _write_index(index: Path, head: dict[str, Any], entries: Iterable[str]) -> None:
    """The index as the search plugin writes it ({"config": …, "docs": […]}), entry by entry."""
    with index.open("w", encoding="utf-8") as out:
        out.write(_dumps(head)[:-1] + ',"docs":[' if head else '{"docs":[')
        for i, entry in enumerate(entries):
            out.write(("," if i else "") + entry)
        out.write("]}")


def _page_url(f: File) -> str:
    """The page's URL as the search index writes it ("" for the home page)."""
    return "" if f.url in (".", "./") else f.url


class GongkaiPlugin(BasePlugin[GongkaiConfig]):
    """Registered as the `gongkai` mkdocs plugin (entry point in pyproject.toml)."""

    as_of: str | None = None  # set by `gongkai build --as-of`; else $GONGKAI_AS_OF; else today
    prepared: tuple[Site, dict[str, Any]] | None = None  # records and PDFs `gongkai build` already has
    plan: SitePlan | None = None
    epoch_set: str | None = None  # SOURCE_DATE_EPOCH as this plugin set it, for one build only
    preview: PreviewState | None = None  # set by the live preview: rebuild only what changed
    writing = False  # the build has started writing files

    def _prepare(self, root: Path, templates: Path, site_url: str) -> tuple[Site, dict[str, Any]]:
        if self.prepared is not None:
            return self.prepared
        try:
            as_of = parse_as_of(self.as_of or os.environ.get("GONGKAI_AS_OF"))
            reads = self.preview.reads if self.preview else None
            site = read_site(root, as_of, self.config.data_dir, cache=reads)
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
        memo = None
        if self.preview is not None:
            self.preview.use_templates(fingerprint(templates))
            memo = self.preview.memo
        self.plan = make_plan(site, templates, root, printed, config.site_url or "/", memo)
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
        if self.preview is not None:
            self._only_changed(files, config)
        return files

    def _only_changed(self, files: Files, config: Any) -> None:
        """The live preview: mark as unmodified every file whose output would be the same as the
        one already written, so mkdocs' incremental ("dirty") build skips it."""
        assert self.plan is not None and self.preview is not None
        frame = json.dumps(
            [
                self.preview.templates,
                config.config_file_path,
                config.site_url,
                config.site_name,
                config.nav,
                self.plan.footer,
                Path(config.config_file_path).read_text(encoding="utf-8"),
                # Hand-written pages: the nav of every page shows their headings.
                [fingerprint(Path(f.abs_src_path)) for f in files.documentation_pages() if f.abs_src_path],
            ],
            ensure_ascii=False,
            default=str,
        )
        changes = self.preview.changes(self.plan, frame)
        if changes.whole:  # start from empty, as a full build does (nothing is written yet)
            for old in Path(config.site_dir).glob("*"):
                if old.is_dir() and not old.is_symlink():
                    shutil.rmtree(old)
                else:
                    old.unlink()
        ours = {made.dest for made in self.plan.generated}
        copied: dict[str, tuple[Any, ...]] = self.preview.engine.get("copied", {})
        self.copied = {}
        for f in files:
            ours_page = self.plan.by_path.get(f.src_uri)
            if f.abs_src_path and not f.is_documentation_page():  # attachments, theme files
                st = os.stat(f.abs_src_path)
                self.copied[f.dest_uri] = (f.abs_src_path, st.st_size, st.st_mtime_ns)
            if changes.whole:
                modified = True
            elif ours_page is not None:
                modified = f.src_uri in changes.pages
            elif f.src_uri in ours:
                modified = f.src_uri in changes.files
            elif f.is_documentation_page():  # hand-written: few, and the nav shows their headings
                modified = True
            else:  # copied as is: again when it is another file, or the same file changed
                modified = copied.get(f.dest_uri) != self.copied.get(f.dest_uri)
            f.is_modified = (lambda m: lambda: m)(modified)  # type: ignore[method-assign]
        pages = files.documentation_pages()
        self.doc_order = [_page_url(f) for f in pages]
        self.rebuilt = {_page_url(f) for f in pages if f.is_modified()}
        self.outputs = {f.dest_uri for f in files}

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
        self.writing = True  # from here on the build writes to site_dir
        return env

    def on_build_error(self, error: Exception) -> None:
        self._forget_epoch()
        if self.preview is not None and self.writing:
            # Failed halfway: what is on disk is unknown, so the next build starts from empty.
            self.preview.frame = self.preview.pending = None

    def _forget_epoch(self) -> None:
        """The next build in this process (tests, `serve`) derives its own date."""
        if self.epoch_set and os.environ.get("SOURCE_DATE_EPOCH") == self.epoch_set:
            del os.environ["SOURCE_DATE_EPOCH"]
        self.epoch_set = None

    def on_post_build(self, config: Any) -> None:
        """The search index made smaller without changing what it finds or shows: Chinese as UTF-8
        rather than \\uXXXX escapes, and no word marks next to punctuation."""
        self._forget_epoch()
        index = Path(config.site_dir) / "search" / "search_index.json"
        if index.is_file():
            data = json.loads(index.read_text(encoding="utf-8"))
            docs = data.pop("docs")
            separator = re.compile(data["config"]["separator"])
            for doc in docs:
                doc["title"], doc["text"] = _lean(doc["title"], separator), _lean(doc["text"], separator)
            _write_index(index, data, self._whole_index(docs) if self.preview is not None else _serialised(docs))
        if self.preview is not None:
            self._remove_gone(Path(config.site_dir))
            self.preview.engine["copied"] = self.copied
            self.preview.written()

    def _whole_index(self, built: list[dict[str, Any]]) -> list[str]:
        """The search plugin indexed only the pages this build wrote: add the rest as last indexed
        (kept serialised), in the order of a full build."""
        assert self.preview is not None
        known: dict[str, list[str]] = self.preview.engine.setdefault("search", {})
        fresh: dict[str, list[str]] = {url: [] for url in self.rebuilt}
        for doc in built:
            fresh.setdefault(doc["location"].partition("#")[0], []).append(_dumps(doc))
        known.update(fresh)
        kept = {url: known[url] for url in self.doc_order if url in known}
        self.preview.engine["search"] = kept
        return [doc for docs in kept.values() for doc in docs]

    def _remove_gone(self, site_dir: Path) -> None:
        """Outputs of pages and files that no longer exist (a full build starts from empty)."""
        assert self.preview is not None
        before: set[str] = self.preview.engine.get("outputs", set())
        for gone in sorted(before - self.outputs):
            path = site_dir / gone
            path.unlink(missing_ok=True)
            for parent in path.parents:
                if parent == site_dir or any(parent.iterdir()):
                    break
                parent.rmdir()
        self.preview.engine["outputs"] = self.outputs

    def on_serve(self, server: Any, config: Any, builder: Any) -> Any:
        server.watch(str(self.root / self.config.data_dir))
        server.watch(str(self.root / self.config.templates_dir))
        git = self.root / ".git"
        if git.is_dir():  # a commit changes the notices' history and the build date
            server.watch(str(git / "HEAD"))
            server.watch(str(git / "refs"))
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


class _NoDirtyWarning(logging.Filter):
    """mkdocs warns that an incremental build may leave stale navigation; ours does not (the
    plugin rewrites every page in the nav, and everything when the nav changes)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "'dirty' build" not in record.getMessage()


class Preview:
    """The live preview's builder. The first build writes everything; each later one reads only
    the record files that changed, plans again from what it kept, and writes only the pages and
    files whose content changed, with the same result as a full build."""

    def __init__(
        self, root: Path, site_dir: Path, as_of: str, site_url: str | None = None, dev_addr: str | None = None
    ):
        self.root, self.site_dir, self.as_of, self.site_url = root, site_dir, as_of, site_url
        self.dev_addr = dev_addr
        self.state = PreviewState()
        self.serve_url: str | None = None

    def config(self) -> Any:
        from mkdocs.config import load_config

        extra = {"dev_addr": self.dev_addr} if self.dev_addr else {}
        config = load_config(str(self.root / "mkdocs.yml"), site_dir=str(self.site_dir), **extra)
        if self.site_url is not None:
            config.site_url = self.site_url
        plugin = config.plugins["gongkai"]
        assert isinstance(plugin, GongkaiPlugin)
        plugin.as_of, plugin.preview = self.as_of, self.state
        return config

    def build(self, config: Any = None) -> None:
        """Build (again). On bad records the error is logged and the previous output stays."""
        from mkdocs.commands.build import build

        config = config or self.config()
        first = self.state.frame is None
        quiet = _NoDirtyWarning()
        logger = logging.getLogger("mkdocs.commands.build")
        logger.addFilter(quiet)
        try:
            build(config, serve_url=self.serve_url, dirty=not first)
        finally:
            logger.removeFilter(quiet)


def serve_site(root: Path, as_of: str, dev_addr: str) -> None:
    """The live preview: serve the site, and rebuild what changed when records, templates or pages
    change. mkdocs' own `serve` rebuilds everything each time (minutes at 10,000 records)."""
    import tempfile
    from urllib.parse import urlsplit

    from mkdocs.livereload import LiveReloadServer, _serve_url

    site_dir = Path(tempfile.mkdtemp(prefix="gongkai-preview-"))
    preview = Preview(root, site_dir, as_of, dev_addr=dev_addr)
    config = preview.config()
    config.plugins.on_startup(command="serve", dirty=False)  # plugins index and write as for a full build
    host, port = config.dev_addr
    family, *_, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    with socket.socket(family, socket.SOCK_STREAM) as probe:  # a taken address: say so now, not after
        probe.bind(address)  # the first build (minutes for a large site)
    mount = urlsplit(config.site_url or "/").path
    preview.site_url = preview.serve_url = _serve_url(host, port, mount)
    config.site_url = preview.site_url
    server = LiveReloadServer(builder=preview.build, host=host, port=port, root=str(site_dir), mount_path=mount)
    logging.getLogger("mkdocs").setLevel(logging.INFO)  # "Detected file changes", "built in N seconds"
    print(
        f"预览：{preview.serve_url} 保存记录、模板或页面后自动刷新，按 Ctrl+C 结束"
        f" (preview at {preview.serve_url}; rebuilt on save; Ctrl+C to stop)",
        file=sys.stderr,
        flush=True,
    )
    try:
        preview.build(config)
        for watched in (config.docs_dir, config.config_file_path, *config.watch):
            server.watch(watched)
        config.plugins.on_serve(server, config=config, builder=preview.build)
        try:
            server.serve()
        except KeyboardInterrupt:
            pass
        finally:
            server.shutdown()
    finally:
        config.plugins.on_shutdown()
        shutil.rmtree(site_dir, ignore_errors=True)


def engine_site_url(root: Path) -> str:
    """The site's public address (mkdocs.yml site_url): QR codes on paper point there."""
    from mkdocs.config import load_config

    return load_config(str(root / "mkdocs.yml")).site_url or "/"
