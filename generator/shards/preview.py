"""`gongkai serve --shards`: the live preview of a sharded site. The first build is a sharded build
(its parts in parallel, on the local cluster); after that, an edit in one community rebuilds that
community alone, incrementally, with the preview's builder kept for it in this process (its first
rebuild there is a whole build of the community, each later one only what changed), and the
portal only when what it shows of that community changed. Anything outside the communities'
folders (settings, templates, pages, a commit) is a sharded build again: only the communities
whose inputs changed are rebuilt.
"""

from __future__ import annotations

import datetime as dt
import pickle
import threading
from pathlib import Path

from generator.engine.builds import Preview
from generator.engine.preview import PreviewState
from generator.errors import RecordsInvalid
from generator.reading.reader import read_site
from generator.shards import across, build_sharded, portal
from generator.shards.part import Part, summary


class ShardedPreview:
    """The builder the preview's server calls (`build()`), told which files changed (`note`)."""

    def __init__(self, root: Path, site_dir: Path, as_of: dt.date, site_url: str, workers: int | None = None) -> None:
        self.root, self.site_dir, self.as_of, self.site_url, self.workers = root, site_dir, as_of, site_url, workers
        self.state = PreviewState()  # the server shows its `problems`
        self.parts: dict[str, Part] = {}  # every community as last built: ids and what the portal shows
        self.previews: dict[str, Preview] = {}  # the communities edited since the last sharded build
        self.lock = threading.Lock()
        self.changed: set[Path] = set()

    def note(self, path: str, dest: str = "") -> None:
        """Called by the server's file watcher (from its own thread) for every file event."""
        with self.lock:
            self.changed.update(Path(p) for p in (path, dest) if p)

    def _communities(self, changed: set[Path]) -> set[str] | None:
        """The communities whose folders the changes are in; None when anything else changed."""
        data = (self.root / "site_data").resolve()
        found = set()
        for path in changed:
            parts = path.resolve().relative_to(data).parts if path.resolve().is_relative_to(data) else ()
            if len(parts) < 2:  # site.yaml, templates, pages, mkdocs.yml, git
                return None
            found.add(parts[0])
        return found

    def build(self) -> None:
        """Build what changed. Never raises: problems are kept in `state.problems` for the
        server to show on every page, and the previous site stays."""
        with self.lock:
            changed, self.changed = self.changed, set()
        communities = self._communities(changed) if self.parts else None
        try:
            if communities is None or not communities <= set(self.parts):  # a new community too
                self.previews.clear()
                self.parts = build_sharded(
                    self.root, self.as_of, self.site_dir, workers=self.workers, site_url=self.site_url
                ).parts
            else:
                self._communities_again(sorted(communities))
            self.state.problems = ()
        except RecordsInvalid as exc:
            errors = [p for p in sorted(exc.problems) if p.severity == "error"] or sorted(exc.problems)
            self.state.problems = tuple(p.format() for p in errors)
        except _Shown as exc:
            self.state.problems = exc.problems
        except Exception as exc:  # anything else: shown too, the server goes on
            self.state.problems = (f"{type(exc).__name__}: {exc}",)

    def _communities_again(self, communities: list[str]) -> None:
        before = {c: pickle.dumps(self.parts[c].summary) for c in communities}
        for community in communities:
            preview = self.previews.get(community)
            if preview is None:
                where = self.site_dir / community
                preview = Preview(self.root, where, self.as_of.isoformat(), self.site_url, shard=community)
                self.previews[community] = preview
            preview.build()
            if preview.state.problems:
                raise _Shown(preview.state.problems)
            ids: list[tuple[str, str, int, int]] = []
            site = read_site(self.root, self.as_of, cache=preview.state.reads, only=community, ids=ids)
            data = site.communities[0]
            shown = summary(site, data)
            self.parts[community] = Part({}, list(site.warnings), ids, shown, site.config, len(data.public))
        clashes = [p for p in across(self.parts) if p.severity == "error"]
        if clashes:
            raise RecordsInvalid(clashes)
        if any(pickle.dumps(self.parts[c].summary) != before[c] for c in communities):
            config = next(p.config for p in self.parts.values() if p.config is not None)
            leaks = portal(self.root, self.as_of, config, self.parts, self.site_dir, self.site_url)
            if any(p.severity == "error" for p in leaks):
                raise RecordsInvalid(leaks)


class _Shown(Exception):
    """A community preview's problems, already formatted."""

    def __init__(self, problems: tuple[str, ...]) -> None:
        super().__init__(*problems)
        self.problems = problems
