"""Files kept in a cache folder by content (PDFs, charts, QR codes, share images): written whole or
not at all, since builds may run side by side on one cache; a cache that cannot be read or written
(read-only folder, full disk) costs only speed, never the build."""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import re
import secrets
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

UNUSED_DAYS = 60  # a file of a content-addressed cache no build used for this long is removed
DAY = 24 * 3600


def kept_in(root: Path, kind: str) -> Path:
    """Where the caches of one kind live: $GONGKAI_CACHE/<kind>, or .cache/gongkai/<kind> in the
    project. Never the machine's temporary folder: what is there is anybody's."""
    base = os.environ.get("GONGKAI_CACHE")
    return Path(base) / kind if base else root / ".cache" / "gongkai" / kind


def print_cache(root: Path) -> Path:
    """The print cache: $GONGKAI_CACHE itself (content-addressed PDFs, safe to share), else
    .cache/gongkai/print in the project."""
    base = os.environ.get("GONGKAI_CACHE")
    return Path(base) if base else root / ".cache" / "gongkai" / "print"


_WHY = {
    errno.EEXIST: ("路径上有一个同名的文件，不是文件夹", "a file is in the way, not a folder"),
    errno.ENOTDIR: ("路径上有一个同名的文件，不是文件夹", "a file is in the way, not a folder"),
    errno.EACCES: ("没有写入权限", "permission denied"),
    errno.EPERM: ("没有写入权限", "permission denied"),
    errno.EROFS: ("所在的文件系统是只读的", "read-only file system"),
    errno.ENOSPC: ("磁盘已满", "no space left on the disk"),
}


class CacheUnusable(ValueError):
    """The caches' folder cannot be made or written: said once, before any work, with the fix."""


def require_writable_cache(root: Path) -> None:
    """Stop before building when the caches' folder cannot hold a file: PDFs are published from
    it, so a build without it would fail halfway with a message about the output, or a
    traceback from the word segmenter. Raises CacheUnusable (Chinese, then English)."""
    folder = print_cache(root)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, probe = tempfile.mkstemp(prefix=".gongkai-probe-", dir=folder)
        os.close(handle)
        os.unlink(probe)
    except OSError as exc:
        zh, en = _WHY.get(exc.errno or 0, (exc.strerror or str(exc), exc.strerror or str(exc)))
        if os.environ.get("GONGKAI_CACHE"):
            fix = "请把 GONGKAI_CACHE 设为一个可以写入的文件夹，或去掉这个设置（改用项目里的 .cache/gongkai/）"
            fix_en = "point GONGKAI_CACHE at a folder that can be written, or unset it (the project's .cache/gongkai/)"
        else:
            fix = "请确认项目文件夹可以写入，或用 GONGKAI_CACHE 指定一个可以写入的文件夹"
            fix_en = "make the project folder writable, or point GONGKAI_CACHE at a folder that can be written"
        raise CacheUnusable(
            f"缓存文件夹 {folder} 无法使用：{zh}。{fix}。\n(the cache folder {folder} cannot be used: {en}; {fix_en})"
        ) from None


def segmenter(root: Path) -> Any:
    """jieba (the Chinese word segmenter that breaks print titles and the search plugin's index),
    quiet, with its dictionary cache in the project's caches. Left alone it loads whatever file
    lies at /tmp/jieba.cache, anybody's (a marshal file that decides where words end, read with a
    loader that trusts it), and writes one there. Its first use in a process fixes the folder."""
    import jieba

    jieba.setLogLevel(logging.CRITICAL)  # its debug lines, and a cache it cannot write (costs only speed)
    if not jieba.dt.initialized:
        folder = kept_in(root, "jieba") / jieba.__version__  # its default cache is not checked against its dictionary
        with contextlib.suppress(OSError):
            folder.mkdir(parents=True, exist_ok=True)
        jieba.dt.tmp_dir = str(folder)
    return jieba


def write_whole(path: Path, data: bytes) -> None:
    """Write `path` through a new file of its own beside it, renamed over it (OSError if it cannot;
    the partial file is removed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(6)}.tmp")  # hosts sharing a cache
    try:
        partial.write_bytes(data)  # the umask's mode, as any file the build writes
        partial.replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise


def kept_text(path: Path, make: Callable[[], str]) -> str:
    """The text kept at `path`, else `make()`'s, kept there for the next build."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        pass
    text = make()
    with contextlib.suppress(OSError):
        write_whole(path, text.encode("utf-8"))
    return text


def used(*paths: Path) -> None:
    """Mark cache files as used now: `prune` keeps what any build used in the last UNUSED_DAYS."""
    for path in paths:
        with contextlib.suppress(OSError):
            os.utime(path)


def prune(folder: Path, ours: re.Pattern[str], keep: set[str]) -> int:
    """Remove the files of `folder` (not of its subfolders) named as `ours` (the cache's own
    entries: $GONGKAI_CACHE may be a folder shared with other files) that no build used for
    UNUSED_DAYS days, and their partial files a killed write left (write_whole), at most once a day
    per folder; never a name in `keep` (what the calling build publishes, marked as used or not).
    A cache keyed by content only grows: every edit adds a PDF, every change of a template or of
    the site's address one for each notice (8 GB at 10,000 notices). What is removed is made
    again when needed. Returns how many files were removed."""
    now = time.time()
    marker = folder / ".pruned"
    try:
        if now - marker.stat().st_mtime < DAY:
            return 0
    except FileNotFoundError:
        pass
    except OSError:
        return 0
    try:
        marker.touch()  # first: the other builds of the day skip the scan
        entries = list(os.scandir(folder))
    except OSError:  # a read-only or missing cache: nothing to remove
        return 0
    removed = 0
    for entry in entries:
        partial = re.fullmatch(r"\.(.+)\.\d+\.[0-9a-f]+\.tmp", entry.name)  # write_whole's
        name = partial.group(1) if partial else entry.name
        if not ours.fullmatch(name) or entry.name in keep:
            continue
        with contextlib.suppress(OSError):
            age = now - entry.stat(follow_symlinks=False).st_mtime
            if entry.is_file(follow_symlinks=False) and age > (DAY if partial else UNUSED_DAYS * DAY):
                os.unlink(entry.path)
                removed += 1
    return removed
