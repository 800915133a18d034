"""What the live preview keeps from one build to the next, and what it works out from it: which
pages and files changed since the last build. Engine-agnostic: the engine's adapter asks this
which outputs to write again, and writes only those.

A build in the preview gives the same output, byte for byte, as a full build of the same inputs
(tests/test_preview.py edits, adds and deletes records to show it).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.reading.reader import ReadCache
from generator.web.memo import Memo
from generator.web.plan import SitePlan


def fingerprint(*paths: Path) -> str:
    """A digest of every file under `paths` (names and contents): changes when any of them does."""
    digest = hashlib.blake2b(digest_size=16)
    for top in paths:
        files = sorted(p for p in top.rglob("*") if p.is_file()) if top.is_dir() else [top]
        for p in files:
            if p.is_file():
                digest.update(p.as_posix().encode() + b"\0" + p.read_bytes() + b"\0")
    return digest.hexdigest()


def watched(root: Path, data_dir: str, templates_dir: str) -> list[Path]:
    """What the preview rebuilds on, besides the engine's own settings and pages: the records,
    the templates, and git's HEAD and branches (a commit changes the notices' history and the
    build date)."""
    git = root / ".git"
    return [root / data_dir, root / templates_dir, *([git / "HEAD", git / "refs"] if git.is_dir() else [])]


def _digest(content: bytes | Path) -> bytes:
    """A file kept in a content-addressed cache is named by its bytes: its path will do."""
    data = os.fsencode(content) if isinstance(content, Path) else content
    return hashlib.blake2b(data, digest_size=16).digest()


@dataclass
class Changes:
    """What one build must write again: everything (`whole`), or the pages and files named."""

    whole: bool
    pages: set[str] = field(default_factory=set)  # source paths of pages whose Markdown changed
    files: set[str] = field(default_factory=set)  # generated files whose bytes changed


@dataclass
class PreviewState:
    """Kept by the preview's builder for as long as it runs."""

    reads: ReadCache = field(default_factory=ReadCache)
    memo: Memo = field(default_factory=Memo)
    templates: str | None = None  # fingerprint of the templates the memo's pages were made with
    frame: str | None = None  # what every page depends on: templates, settings, nav, footer
    pages: dict[str, tuple[Any, ...]] = field(default_factory=dict)  # as last written
    files: dict[str, bytes] = field(default_factory=dict)  # generated file → digest, as last written
    engine: dict[str, Any] = field(default_factory=dict)  # the adapter's own (its search index, …)
    pending: tuple[str, dict[str, tuple[Any, ...]], dict[str, bytes]] | None = None
    problems: tuple[str, ...] = ()  # why the last build failed, one line each; () when it succeeded
    # The A4 notices this build leaves to render after its pages are written (their jobs), or None
    # when every PDF is rendered before the pages (builds.Preview's `a4_after_pages`).
    later: list[Any] | None = None
    later_files: list[tuple[str, Path]] = field(default_factory=list)  # where they go: (dest, cache file)

    def set_aside(self, plan: SitePlan, printed: dict[str, Any]) -> frozenset[str]:
        """The files of `plan` written after the pages: the PDFs of the jobs in `later`, which the
        plan names by the file each will have in the cache (kept in `later_files`)."""
        waiting = {printed[job.dest].pdf for job in self.later or ()}
        self.later_files = [(made.dest, made.content) for made in plan.generated if made.content in waiting]
        return frozenset(dest for dest, _ in self.later_files)

    def use_templates(self, templates_fingerprint: str) -> Memo:
        """The memo to plan with: pages made with other templates may not be reused."""
        if templates_fingerprint != self.templates:
            self.memo = Memo()
            self.templates = templates_fingerprint
        return self.memo

    def changes(self, plan: SitePlan, frame: str) -> Changes:
        """Compare a new plan with what was last written. `frame` names everything shared by all
        pages (templates, engine settings, nav, footer): when it changes, everything is rewritten."""
        pages = {
            p.path: (p.title, p.markdown, tuple(sorted(p.meta.items())), p.in_nav, p.searchable) for p in plan.pages
        }
        files = {f.dest: _digest(f.content) for f in plan.generated}
        self.pending = (frame, pages, files)
        if frame != self.frame:
            return Changes(whole=True)
        return Changes(
            whole=False,
            pages={path for path, page in pages.items() if self.pages.get(path) != page},
            files={dest for dest, digest in files.items() if self.files.get(dest) != digest},
        )

    def written(self) -> None:
        """The build finished: what it planned is now what is on disk."""
        if self.pending is not None:
            self.frame, self.pages, self.files = self.pending
            self.pending = None
        self.memo.next_build()
