"""Running mkdocs: a whole build into a folder, and the live preview (`gongkai serve`), which
rebuilds only what changed. mkdocs' own `serve` rebuilds everything each time (minutes at 10,000
records)."""

from __future__ import annotations

import logging
import shutil
import socket
import sys
from pathlib import Path
from typing import Any

from generator.engine.mkdocs_plugin import GongkaiPlugin
from generator.engine.preview import PreviewState
from generator.errors import BuildFailed
from generator.reading.site import Site


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
) -> None:
    """Build the whole site with mkdocs into `site_dir` (which the caller then swaps in).
    `prepared`: the checked site and its PDFs, when the caller has them (read once, not twice)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    try:
        config = load_config(str(root / "mkdocs.yml"), site_dir=str(site_dir), strict=strict or None)
        plugin = _plugin(config)
        plugin.as_of = as_of
        plugin.prepared = prepared
        build(config)
    except MkDocsException as exc:  # mkdocs has already logged the reason
        raise BuildFailed(str(exc)) from None


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
        plugin = _plugin(config)
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
    change."""
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
