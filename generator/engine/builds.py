"""Running mkdocs: a whole build into a folder, and the live preview (`gongkai serve`), which
rebuilds only what changed. mkdocs' own `serve` rebuilds everything each time (minutes at 10,000
records)."""

from __future__ import annotations

import atexit
import functools
import logging
import shutil
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from generator.engine.mkdocs_plugin import GongkaiPlugin
from generator.engine.preview import PreviewState
from generator.errors import BuildFailed
from generator.reading.site import Site

AFTER_PAGES_FAILED = "A4 PDF 未能生成"  # how a problem of the PDFs rendered after the pages begins


def _plugin(config: Any) -> GongkaiPlugin:
    plugin = config.plugins["gongkai"]
    assert isinstance(plugin, GongkaiPlugin)
    return plugin


def build_site(
    root: Path,
    site_dir: Path,
    as_of: str | None,
    strict: bool = False,
    prepared: tuple[Site, dict[str, Any]] | None = None,
    shard: str | None = None,
    site_url: str | None = None,
) -> None:
    """Build the whole site with mkdocs into `site_dir` (which the caller then swaps in).
    `prepared`: the checked site and its PDFs, when the caller has them (read once, not twice).
    `shard`: one part of a sharded build (generator.web.shards): a community's own site, to be
    published at `<site_url>/<community>/`, or "" for the portal. `site_url`: in place of
    mkdocs.yml's (the sharded live preview's own address)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    extra: dict[str, str] = {}
    if shard:  # a community's site carries none of the portal's hand-written pages
        extra["docs_dir"] = _no_pages()
    try:
        config = load_config(str(root / "mkdocs.yml"), site_dir=str(site_dir), strict=strict or None, **extra)
        if site_url is not None:
            config.site_url = site_url
        if shard:
            config.site_url = urljoin(config.site_url or "/", shard + "/")
        plugin = _plugin(config)
        plugin.as_of = as_of
        plugin.prepared = prepared
        plugin.shard = shard
        build(config)
    except MkDocsException as exc:  # mkdocs has already logged the reason
        raise BuildFailed(str(exc)) from None


@functools.cache
def _no_pages() -> str:
    """An empty folder of this process's own (mode 0700: nobody else can put a page in it), as
    the docs_dir of a community's site; removed when the process ends."""
    empty = tempfile.mkdtemp(prefix="gongkai-no-pages-")
    atexit.register(shutil.rmtree, empty, True)
    return empty


def engine_site_url(root: Path) -> str:
    """The site's public address (mkdocs.yml site_url): QR codes on paper point there."""
    from mkdocs.config import load_config

    return load_config(str(root / "mkdocs.yml")).site_url or "/"


class _NoDirtyWarning(logging.Filter):
    """mkdocs warns that an incremental build may leave stale navigation; ours does not (the
    plugin rewrites every page in the nav, and everything when the nav changes)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "'dirty' build" not in record.getMessage()


class Preview:
    """The live preview's builder. The first build writes everything; each later one reads only
    the record files that changed, plans again from what it kept, and writes only the pages and
    files whose content changed, with the same result as a full build.

    With `a4_after_pages`, the few A4 PDFs an edit makes (paper.pdf.LATER_AT_MOST: not yet in the
    print cache) are rendered after the build has written the pages, in a thread of this process,
    while the browser already shows them (rendering one took a third of an edit's time). The site
    is the same as a full build's once `settle()` returns; each build first waits for the previous
    one's PDFs. A PDF that cannot be rendered is reported as a problem (`failed`), and made again by
    the next build. More of them (a first build, a changed template) are rendered by the build."""

    def __init__(
        self,
        root: Path,
        site_dir: Path,
        as_of: str,
        site_url: str | None = None,
        dev_addr: str | None = None,
        shard: str | None = None,
        a4_after_pages: bool = False,
    ):
        """`shard`: a community of a sharded site, previewed on its own (it reads only its records)."""
        self.root, self.site_dir, self.as_of, self.site_url = root, site_dir, as_of, site_url
        self.dev_addr, self.shard, self.a4_after_pages = dev_addr, shard, a4_after_pages
        self.state = PreviewState()
        self.serve_url: str | None = None
        self.after: threading.Thread | None = None  # rendering the last build's A4 PDFs
        self.failed: Callable[[tuple[str, ...]], None] = self._show  # told why they could not be
        self.reload: Callable[[], None] = lambda: None  # the server's: open pages show it now

    def _show(self, problems: tuple[str, ...]) -> None:
        self.state.problems = problems
        self.reload()

    def config(self) -> Any:
        from mkdocs.config import load_config

        extra = {"dev_addr": self.dev_addr} if self.dev_addr else {}
        if self.shard:  # a community's site carries none of the portal's hand-written pages
            extra["docs_dir"] = _no_pages()
        config = load_config(str(self.root / "mkdocs.yml"), site_dir=str(self.site_dir), **extra)
        if self.site_url is not None:
            config.site_url = self.site_url
        if self.shard:
            config.site_url = urljoin(config.site_url or "/", self.shard + "/")
        plugin = _plugin(config)
        plugin.as_of, plugin.preview, plugin.shard = self.as_of, self.state, self.shard
        return config

    def build(self, config: Any = None) -> None:
        """Build (again). Never raises: on bad records (or any failure) the problems are logged and
        kept in `state.problems` for the server to show, and the previous output stays."""
        from mkdocs.commands.build import build

        self.settle()
        first = self.state.frame is None
        quiet = _NoDirtyWarning()
        logger = logging.getLogger("mkdocs.commands.build")
        logger.addFilter(quiet)
        self.state.problems = ()
        self.state.later = [] if self.a4_after_pages else None
        try:
            build(config or self.config(), serve_url=self.serve_url, dirty=not first)
            if self.state.later:  # written after the pages (the browser shows them meanwhile)
                self._after_pages(self.state.later, self.state.later_files)
        except Exception as exc:
            # Bad records (the plugin has kept them as problems) or anything else: the previous
            # site stays, and the server shows the problems on every page instead of hanging.
            if not self.state.problems:  # not bad records (those mkdocs has logged): say what it was
                self.state.problems = (f"{type(exc).__name__}: {exc}",)
                logging.getLogger("mkdocs").error("%s", self.state.problems[0])
            logging.getLogger("mkdocs").error("网站未更新，浏览器里显示上一次的网站和这些问题 (site not rebuilt)")
        finally:
            logger.removeFilter(quiet)
            self.state.later, self.state.later_files = None, []

    def settle(self) -> None:
        """Wait until the last build's A4 PDFs are written (at once when there are none)."""
        if self.after is not None:
            self.after.join()
            self.after = None

    def _after_pages(self, jobs: list[Any], files: list[tuple[str, Path]]) -> None:  # paper.printing.PrintJob
        thread = threading.Thread(target=self._render_later, args=(jobs, files), daemon=True)
        try:
            thread.start()
        except RuntimeError as exc:  # no thread to be had
            self._not_written(jobs, files, exc)
        else:
            self.after = thread

    def _render_later(self, jobs: list[Any], files: list[tuple[str, Path]]) -> None:
        """Render the A4 notices the build left, into the cache, and publish each as the build
        planned it: `files` (its place in this site, its file in the cache)."""
        from generator.cachefiles import print_cache, write_whole
        from generator.paper.pdf import render_jobs

        try:
            render_jobs(jobs, print_cache(self.root), workers=1)  # few (an edit's): no process to start
            for dest, cached in files:
                write_whole(self.site_dir / dest, cached.read_bytes())
        except Exception as exc:
            self._not_written(jobs, files, exc)

    def _not_written(self, jobs: list[Any], files: list[tuple[str, Path]], exc: Exception) -> None:
        """The pages link PDFs that are not there: say so, and make them on the next build (the
        state no longer says they were written)."""
        for dest, _ in files:
            self.state.files.pop(dest, None)
        why, records = f"{type(exc).__name__}: {exc}", "、".join(sorted({job.source for job in jobs}))
        logging.getLogger("mkdocs").error("%s：%s (A4 PDFs not rendered): %s", AFTER_PAGES_FAILED, records, why)
        retry = f"处理下面的原因后保存任一记录即重试 (A4 PDFs of {records} not rendered; fix the cause, save a record)"
        self.failed((f"{AFTER_PAGES_FAILED}：{records}。{retry}: {why}",))
