"""`gongkai serve --shards`: the live preview of a sharded site. The first build is a sharded build
(its parts in parallel, on the local cluster); after that, an edit in one community rebuilds that
community alone, incrementally, with the preview's builder kept for it in this process (its first
rebuild there is a whole build of the community, each later one only what changed), and the
portal when what it shows differs from what it was last built from. An edited notice's A4 PDF is
rendered after its pages are written (builds.Preview's `a4_after_pages`). Anything outside the
communities' folders (settings, templates, pages, a commit), a community added or removed, or a
sharded build that failed, is a sharded build again: only the communities whose inputs changed
are rebuilt.
"""

from __future__ import annotations

import datetime as dt
import functools
import pickle
import threading
from collections.abc import Callable
from pathlib import Path

from generator.engine.builds import Preview
from generator.engine.preview import PreviewState
from generator.errors import Problem, RecordsInvalid
from generator.reading.reader import read_site
from generator.shards import across, build_sharded, portal
from generator.shards.inputs import forget
from generator.shards.part import Part, result

WHOLE = ""  # the key of the sharded build's problems, beside each community's


class ShardedPreview:
    """The builder the preview's server calls (`build()`), told which files changed (`note`)."""

    def __init__(self, root: Path, site_dir: Path, as_of: dt.date, site_url: str, workers: int | None = None) -> None:
        self.root, self.site_dir, self.as_of, self.site_url, self.workers = root, site_dir, as_of, site_url, workers
        self.state = PreviewState()  # the server shows its `problems`
        self.parts: dict[str, Part] = {}  # every community as last built: ids and what the portal shows
        self.previews: dict[str, Preview] = {}  # the communities edited since the last sharded build
        self.shown: dict[str, bytes] = {}  # what the portal was last built from, by community
        self.problems: dict[str, tuple[str, ...]] = {}  # by community, and WHOLE
        self.late: dict[str, tuple[str, ...]] = {}  # by community: its A4 PDFs not rendered after its pages
        self.reload: Callable[[], None] = lambda: None  # the server's: open pages show the problems now
        self.lock = threading.Lock()
        self.changed: set[Path] = set()

    def note(self, path: str, dest: str = "") -> None:
        """Called by the server's file watcher (from its own thread) for every file event."""
        with self.lock:
            self.changed.update(Path(p) for p in (path, dest) if p)

    def _communities(self, changed: set[Path]) -> set[str] | None:
        """The communities whose folders the changes are in; None when a sharded build is due."""
        data = (self.root / "site_data").resolve()
        found = set()
        for path in changed:
            where = path.resolve()
            parts = where.relative_to(data).parts if where.is_relative_to(data) else ()
            if len(parts) < 2:  # site.yaml, templates, pages, mkdocs.yml, git
                return None
            found.add(parts[0])
        known = all((self.root / "site_data" / c / "community.yaml").is_file() and c in self.parts for c in found)
        return found if known and WHOLE not in self.problems and self.parts else None

    def build(self) -> None:
        """Build what changed. Never raises: problems are kept and shown by the server on every
        page (those of every community still broken), and the previous site stays."""
        self.settle()
        with self.lock:
            changed, self.changed = self.changed, set()
        if self.parts and not changed and not self.problems:
            return  # woken without a change noted: nothing to do
        communities = self._communities(changed)
        try:
            if communities is None:
                self._whole()
            else:
                for community in sorted(communities):
                    self._community(community)
                self._across_and_portal()
        except RecordsInvalid as exc:
            errors = [p for p in sorted(exc.problems) if p.severity == "error"] or sorted(exc.problems)
            self.problems[WHOLE if communities is None else "across"] = _lines(errors)
        except Exception as exc:  # anything else: shown too, the server goes on
            self.problems[WHOLE] = (f"{type(exc).__name__}: {exc}",)
        self._publish()

    def _publish(self) -> None:
        with self.lock:  # the thread rendering a community's A4 PDFs may report too (_failed)
            shown = {**self.late, **self.problems}
            self.state.problems = tuple(line for _, lines in sorted(shown.items()) for line in lines)

    def settle(self) -> None:
        """Wait until the A4 PDFs the last edit left to render after its pages are written."""
        for preview in self.previews.values():
            preview.settle()

    def _failed(self, community: str, problems: tuple[str, ...]) -> None:
        """A community's A4 PDFs could not be rendered after its pages: shown at once, and made
        again on the next build (called from the thread of the community's preview)."""
        with self.lock:
            self.late[community] = problems
            self.changed.add(self.root / "site_data" / community / "community.yaml")
        self._publish()
        self.reload()

    def _whole(self) -> None:
        self.previews.clear()
        self.problems.clear()
        with self.lock:
            self.late.clear()
        outcome = build_sharded(self.root, self.as_of, self.site_dir, workers=self.workers, site_url=self.site_url)
        self.parts = outcome.parts
        self.shown = {c: pickle.dumps(p.summary) for c, p in self.parts.items()}

    def _community(self, community: str) -> None:
        preview = self.previews.get(community)
        if preview is None:
            where = self.site_dir / community
            as_of = self.as_of.isoformat()
            preview = Preview(self.root, where, as_of, self.site_url, shard=community, a4_after_pages=True)
            preview.failed = functools.partial(self._failed, community)
            self.previews[community] = preview
            forget(self.site_dir, community)  # rebuilt in place from now on: not the last sharded build's
        with self.lock:
            self.late.pop(community, None)  # made again now
        preview.build()
        if preview.state.problems:
            self.problems[community] = preview.state.problems
            return
        self.problems.pop(community, None)
        reads = preview.state.reads
        if reads.last is None:  # the build reads the community, so never; then it is read here
            read_site(self.root, self.as_of, cache=reads, only=community)
        assert reads.last is not None
        site, ids = reads.last  # what the build read (its light index too), not read a second time
        self.parts[community] = result(site, ids, {})

    def _across_and_portal(self) -> None:
        self.problems.pop("across", None)
        clashes = [p for p in across(self.parts)[0] if p.severity == "error"]
        if clashes:
            raise RecordsInvalid(clashes)
        now = {c: pickle.dumps(p.summary) for c, p in self.parts.items()}
        if now != self.shown:
            config = next(p.config for p in self.parts.values() if p.config is not None)
            leaks = portal(self.root, self.as_of, config, self.parts, self.site_dir, self.site_url)
            if any(p.severity == "error" for p in leaks):
                raise RecordsInvalid(leaks)
            self.shown = now


def _lines(problems: list[Problem]) -> tuple[str, ...]:
    return tuple(p.format() for p in problems)
