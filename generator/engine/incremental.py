"""The live preview's mkdocs side: after our own change tracking (preview.py) says which pages and
files changed, mark the others unmodified for mkdocs' "dirty" build, merge the search entries of
the pages not rewritten, and delete the outputs of pages and files that are gone."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files

from generator.engine.preview import PreviewState, fingerprint
from generator.engine.search_index import Entries, dumps
from generator.web.plan import SitePlan


def page_url(f: File) -> str:
    """The page's URL as the search index writes it ("" for the home page)."""
    return "" if f.url in (".", "./") else f.url


def _frame(state: PreviewState, files: Files, config: Any, plan: SitePlan) -> str:
    """Everything every page shows: when any of it changes, every page is written again."""
    return json.dumps(
        [
            state.templates,
            config.config_file_path,
            config.site_url,
            config.site_name,
            config.nav,
            plan.footer,
            Path(config.config_file_path).read_text(encoding="utf-8"),
            # Hand-written pages: the nav of every page shows their headings.
            [fingerprint(Path(f.abs_src_path)) for f in files.documentation_pages() if f.abs_src_path],
        ],
        ensure_ascii=False,
        default=str,
    )


def _empty(site_dir: Path) -> None:
    for old in site_dir.glob("*"):
        if old.is_dir() and not old.is_symlink():
            shutil.rmtree(old)
        else:
            old.unlink()


class DirtyBuild:
    """One preview build, from `mark` (on_files) to `finish` (on_post_build)."""

    def __init__(self, state: PreviewState):
        self.state = state
        self.copied: dict[str, tuple[Any, ...]] = {}
        self.doc_order: list[str] = []
        self.rebuilt: set[str] = set()
        self.outputs: set[str] = set()

    def mark(self, files: Files, config: Any, plan: SitePlan, later: Iterable[str] = ()) -> None:
        """Mark as unmodified every file whose output would be the same as the one written.
        `later`: the files written after this build (not in `files`), kept as its outputs."""
        changes = self.state.changes(plan, _frame(self.state, files, config, plan))
        if changes.whole:  # start from empty, as a full build does (nothing is written yet)
            _empty(Path(config.site_dir))
        ours = {made.dest for made in plan.generated}
        copied: dict[str, tuple[Any, ...]] = self.state.engine.get("copied", {})
        for f in files:
            if f.abs_src_path and not f.is_documentation_page() and f.src_uri not in ours:  # attachments, theme
                st = os.stat(f.abs_src_path)
                self.copied[f.dest_uri] = (f.abs_src_path, st.st_size, st.st_mtime_ns)
            if changes.whole:
                modified = True
            elif f.src_uri in plan.by_path:
                modified = f.src_uri in changes.pages
            elif f.src_uri in ours:
                modified = f.src_uri in changes.files
            elif f.is_documentation_page():  # hand-written: few, and the nav shows their headings
                modified = True
            else:  # copied as is: again when it is another file, or the same file changed
                modified = copied.get(f.dest_uri) != self.copied.get(f.dest_uri)
            f.is_modified = (lambda m: lambda: m)(modified)  # type: ignore[method-assign]
        pages = files.documentation_pages()
        self.doc_order = [page_url(f) for f in pages]
        self.rebuilt = {page_url(f) for f in pages if f.is_modified()}
        self.outputs = {f.dest_uri for f in files} | set(later)

    def whole_index(self, built: Entries) -> list[str]:
        """The search plugin indexed only the pages this build wrote: add the rest as last indexed
        (kept serialised), in the order of a full build."""
        known: dict[str, list[str]] = self.state.engine.setdefault("search", {})
        fresh: dict[str, list[str]] = {url: [] for url in self.rebuilt}
        for doc in built:
            fresh.setdefault(doc["location"].partition("#")[0], []).append(dumps(doc))
        known.update(fresh)
        kept = {url: known[url] for url in self.doc_order if url in known}
        self.state.engine["search"] = kept
        return [doc for docs in kept.values() for doc in docs]

    def finish(self, site_dir: Path) -> None:
        """Delete outputs of pages and files that no longer exist; remember what was written."""
        before: set[str] = self.state.engine.get("outputs", set())
        for gone in sorted(before - self.outputs):
            path = site_dir / gone
            path.unlink(missing_ok=True)
            for parent in path.parents:
                if parent == site_dir or any(parent.iterdir()):
                    break
                parent.rmdir()
        self.state.engine["outputs"] = self.outputs
        self.state.engine["copied"] = self.copied
        self.state.written()
