"""`gongkai serve`: the live preview's server. While the records have problems, every page
answers at once — the last good site with a banner listing the problems (file:line), or a page of
the problems when nothing was built yet — instead of waiting for a build that cannot succeed."""

from __future__ import annotations

import html
import logging
import os
import shutil
import socket
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mkdocs.livereload import LiveReloadServer
from watchdog.events import FileSystemEventHandler

from generator.engine.builds import AFTER_PAGES_FAILED, Preview

BANNER_ID = "gongkai-problems"
_STYLE = (
    "position:sticky;top:0;z-index:1000;margin:0;padding:1em 1.5em;background:#fff3f3;color:#7a0000;"
    "border-bottom:4px solid #c00;font:16px/1.6 sans-serif;overflow-wrap:anywhere;overflow-y:auto"
)


def banner(problems: tuple[str, ...], previous: bool = True) -> str:
    """The problems as an HTML block, each line escaped."""
    items = "".join(f'<li><code style="white-space:normal">{html.escape(p)}</code></li>' for p in problems)
    if previous and all(p.startswith(AFTER_PAGES_FAILED) for p in problems):  # the pages were updated
        return (
            f'<div id="{BANNER_ID}" role="alert" style="{_STYLE};max-height:50vh"><strong>网页已更新，但下面的 A4 PDF '
            "没有生成，网页上它的链接打开的是改动前的那份或打不开。保存任一记录后会重试。</strong> (The pages are "
            f"updated, but these A4 PDFs could not be rendered; save any record to retry.)<ol>{items}</ol></div>"
        )
    shown = (
        ("下面仍是上一次的网站", "this is the previous site")
        if previous
        else ("还没有可以显示的网站", "nothing built yet")
    )
    style = f"{_STYLE};max-height:{'50vh' if previous else 'none'}"  # over a page: half the screen at most
    return (
        f'<div id="{BANNER_ID}" role="alert" style="{style}"><strong>记录有 {len(problems)} 处问题，网站没有更新，'
        f"{shown[0]}。改正后保存，页面会自动刷新。</strong> (The records have problems; {shown[1]}. "
        f"Fix them and save.)<ol>{items}</ol></div>"
    )


def problems_page(problems: tuple[str, ...]) -> bytes:
    """Served for a page the last good build did not make (or when none was made): reloads itself
    every few seconds, as it carries no live-reload script."""
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>记录有问题</title>'
        '<meta http-equiv="refresh" content="3"><meta name="viewport" content="width=device-width"></head>'
        f"<body>{banner(problems, previous=False)}</body></html>"
    ).encode()


class ProblemsServer(LiveReloadServer):
    """mkdocs' live-reload server, showing the preview's problems on every page it serves. A
    preview with a `note(path)` method is told the path of every file that changed."""

    def __init__(self, preview: Any, **kwargs: Any):
        super().__init__(builder=preview.build, **kwargs)
        self.preview = preview
        self.error_handler = self._not_found

    def watch(self, path: str, func: None = None, *, recursive: bool = True) -> None:
        known = os.path.abspath(path) in self._watched_paths
        super().watch(path, func, recursive=recursive)
        note = getattr(self.preview, "note", None)
        if note is not None and not known:

            def noted(event: Any) -> None:  # told, then (again) asked to rebuild: never missed
                if not event.is_directory:
                    note(event.src_path, event.dest_path)
                    with self._rebuild_cond:
                        self._want_rebuild = True
                        self._rebuild_cond.notify_all()

            handler = FileSystemEventHandler()
            handler.on_any_event = noted  # type: ignore[method-assign]
            self.observer.schedule(handler, os.path.abspath(path), recursive=recursive)

    def reload_browsers(self) -> None:
        """Reload the open pages now, as a finished build does: the preview shows something new
        after its build returned (a PDF that could not be rendered after the pages)."""
        with self._epoch_cond:
            self._visible_epoch = self._wanted_epoch = max(round(time.monotonic() * 1000), self._visible_epoch + 1)
            self._epoch_cond.notify_all()

    def _not_found(self, code: int) -> bytes | None:
        problems = self.preview.state.problems
        return problems_page(problems) if problems and code == 404 else None

    def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
        content = super()._inject_js_into_html(content, epoch)
        problems = self.preview.state.problems
        if not problems:
            return content
        at = content.find(b">", content.find(b"<body")) + 1 if b"<body" in content else 0
        return content[:at] + banner(problems).encode() + content[at:]


def serve_site(root: Path, as_of: str, dev_addr: str, builder: Callable[[Path, str], Any] | None = None) -> None:
    """The live preview: serve the site, and rebuild what changed when records, templates or pages
    change. `builder(site_dir, site_url)`: another preview than the whole site's (a sharded site's);
    it needs `build()`, `settle()`, `reload` and `state.problems` and may take `note(path, dest)`."""
    import tempfile
    from urllib.parse import urlsplit

    from mkdocs.livereload import _serve_url

    site_dir = Path(tempfile.mkdtemp(prefix="gongkai-preview-"))
    preview = Preview(root, site_dir, as_of, dev_addr=dev_addr, a4_after_pages=True)  # pages first
    config = preview.config()
    config.plugins.on_startup(command="serve", dirty=False)  # plugins index and write as for a full build
    host, port = config.dev_addr
    family, *_, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    with socket.socket(family, socket.SOCK_STREAM) as probe:  # a taken address: say so now, not after
        probe.bind(address)  # the first build (minutes for a large site)
    mount = urlsplit(config.site_url or "/").path
    preview.site_url = preview.serve_url = _serve_url(host, port, mount)
    config.site_url = preview.site_url
    shown = preview if builder is None else builder(site_dir, preview.serve_url)
    server = ProblemsServer(shown, host=host, port=port, root=str(site_dir), mount_path=mount)
    shown.reload = server.reload_browsers
    logging.getLogger("mkdocs").setLevel(logging.INFO)  # "Detected file changes", "built in N seconds"
    print(
        f"预览：{preview.serve_url} 保存记录、模板或页面后自动刷新，按 Ctrl+C 结束"
        f" (preview at {preview.serve_url}; rebuilt on save; Ctrl+C to stop)",
        file=sys.stderr,
        flush=True,
    )
    try:
        preview.build(config) if builder is None else shown.build()
        for watched in (config.docs_dir, config.config_file_path, *config.watch):
            server.watch(watched)
        config.plugins.on_serve(server, config=config, builder=shown.build)
        try:
            server.serve()
        except KeyboardInterrupt:
            pass
        finally:
            server.shutdown()
    finally:
        config.plugins.on_shutdown()
        shown.settle()  # an edit's A4 PDFs still being written into the site (a few seconds at most)
        shutil.rmtree(site_dir, ignore_errors=True)
        for beside in site_dir.parent.glob(f".{site_dir.name}.*"):  # a sharded preview's record, its lock
            beside.unlink(missing_ok=True) if beside.is_file() else shutil.rmtree(beside, ignore_errors=True)
