"""What a sharded build's parts are made from: the project's inputs as a worker must see them,
a digest per community (to skip the unchanged ones), and the record of the last build kept
beside the site."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import pickle
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

from generator.today import source_date_epoch

CODE = Path(__file__).resolve().parent.parent  # all of Gongkai's code: a new version rebuilds every part


def _add_files(digest: Any, root: Path, tops: list[Path]) -> None:
    for top in tops:
        for path in sorted(top.rglob("*")) if top.is_dir() else [top]:
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.as_posix().encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())


def part_digests(root: Path, parts: list[str], as_of: dt.date, site_url: str | None = None) -> dict[str, str]:
    """What each community's site is made from: the settings (every file at the top of
    site_data/), templates, engine settings, Gongkai's code and the libraries installed; its own
    folder of records and its git history; the as-of date and the build date (mkdocs dates the
    sitemap with the last commit's day). An unchanged digest means its files and problems would
    come out the same: `build --shards` reuses them. A worker computes its part's digest again
    before building: another checkout, or other libraries, are refused."""
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH") or source_date_epoch(root, as_of))
    built = dt.datetime.fromtimestamp(epoch, dt.UTC).date()
    shared = hashlib.sha256(f"{as_of} {built} {site_url}".encode())
    installed = sorted(f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions())
    shared.update(" ".join(installed).encode())  # a new mkdocs-material or WeasyPrint rebuilds all
    tops = sorted(p for p in (root / "site_data").iterdir() if not p.is_dir())  # site.yaml, and strays
    _add_files(shared, root, [root / "mkdocs.yml", root / "templates", *tops, CODE])
    digests = {}
    for part in parts:
        one = shared.copy()
        folder = f"site_data/{part}"
        _add_files(one, root, [root / folder])
        log = subprocess.run(["git", "log", "--format=%H %cs", "--", folder], cwd=root, capture_output=True, text=True)
        one.update(log.stdout.encode())
        digests[part] = one.hexdigest()
    return digests


def communities(root: Path) -> list[str]:
    """The parts: every folder of site_data/ (a folder without community.yaml is reported by its part)."""
    return sorted(p.name for p in (root / "site_data").iterdir() if p.is_dir()) if (root / "site_data").is_dir() else []


def _manifest(site_dir: Path) -> Path:
    """Beside the site, not in it: what each community's folder in it was built from."""
    return site_dir.with_name(f".{site_dir.name}.shards.pickle")


def _stamp(site_dir: Path) -> tuple[int, int, int]:
    """The site folder as this record saw it: any build into it, or a folder of the same name
    made since, has another (inodes are reused, but not with the same change time)."""
    st = site_dir.stat()
    return st.st_dev, st.st_ino, st.st_mtime_ns


def reusable(site_dir: Path, digests: dict[str, str]) -> dict[str, Any]:
    """The communities whose folder in the current site/ was built from the same inputs, with
    what their part sent back then (its problems, ids and summary). Written by this program
    beside its own output, like any build cache; anything unreadable counts as no record."""
    try:
        known = pickle.loads(_manifest(site_dir).read_bytes())
        if known["site"] != _stamp(site_dir):
            return {}
        built = known["parts"]
        same = [c for c, d in digests.items() if c in built and built[c][0] == d and (site_dir / c).is_dir()]
        return {c: built[c][1] for c in same}
    except Exception:  # a missing, old or damaged record (or one of another version): build every part
        return {}


def remember(site_dir: Path, digests: dict[str, str], results: dict[str, Any]) -> None:
    """After a build was swapped in: what each community's folder was built from, and its part's result."""
    built = {c: (digests[c], results[c]) for c in digests if c in results}
    _manifest(site_dir).write_bytes(pickle.dumps({"site": _stamp(site_dir), "parts": built}))


def forget(site_dir: Path, community: str) -> None:
    """The community's folder was rebuilt in place (by the live preview): not reusable any more."""
    try:
        known = pickle.loads(_manifest(site_dir).read_bytes())
        known["parts"].pop(community, None)
        _manifest(site_dir).write_bytes(pickle.dumps(known))
    except Exception:  # no record, or an unreadable one: nothing to forget
        _manifest(site_dir).unlink(missing_ok=True)
