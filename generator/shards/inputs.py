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


# What a part is made from, by kind: a worker names the kinds that differ from the client's.
KINDS = {
    "dates": ("截止日期、构建日期或网址", "the as-of day, the build date or the site address"),
    "libraries": ("已安装的库", "the installed libraries"),
    "code": ("Gongkai 的代码", "Gongkai's code"),
    "settings": ("mkdocs.yml、模板或 site_data/ 顶层的设置", "mkdocs.yml, the templates or the settings in site_data/"),
    "records": ("该社区的记录", "the community's records"),
    "history": ("该社区的提交历史", "the community's commit history"),
}


def _files(tops: list[Path]) -> str:
    digest = hashlib.sha256()
    for top in tops:
        for path in sorted(top.rglob("*")) if top.is_dir() else [top]:
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.as_posix().encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def installed() -> str:
    """Every distribution importable here, once each: a folder twice on sys.path (a Dask worker
    adds entries of its own) lists its distributions twice, and must not make another digest."""
    found = {f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions()}
    return hashlib.sha256(" ".join(sorted(found)).encode()).hexdigest()


def part_inputs(root: Path, parts: list[str], as_of: dt.date, site_url: str | None = None) -> dict[str, dict[str, str]]:
    """What each community's site is made from, by kind (KINDS): the settings (every file at the
    top of site_data/), templates, engine settings, Gongkai's code and the libraries installed;
    its own folder of records and its git history; the as-of date and the build date (mkdocs
    dates the sitemap with the last commit's day). Unchanged inputs mean its files and problems
    would come out the same: `build --shards` reuses them. A worker computes its part's inputs
    again before building: another checkout, or other libraries, are refused by name."""
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH") or source_date_epoch(root, as_of))
    built = dt.datetime.fromtimestamp(epoch, dt.UTC).date()
    tops = sorted(p for p in (root / "site_data").iterdir() if not p.is_dir())  # site.yaml, and strays
    shared = {
        "dates": f"{as_of} {built} {site_url}",
        "libraries": installed(),  # a new mkdocs-material or WeasyPrint rebuilds all
        "code": _files([CODE]),
        "settings": _files([root / "mkdocs.yml", root / "templates", *tops]),
    }
    inputs = {}
    for part in parts:
        folder = f"site_data/{part}"
        log = subprocess.run(["git", "log", "--format=%H %cs", "--", folder], cwd=root, capture_output=True, text=True)
        history = hashlib.sha256(log.stdout.encode()).hexdigest()
        inputs[part] = {**shared, "records": _files([root / folder]), "history": history}
    return inputs


def digest_of(inputs: dict[str, str]) -> str:
    return hashlib.sha256(repr(sorted(inputs.items())).encode()).hexdigest()


def part_digests(root: Path, parts: list[str], as_of: dt.date, site_url: str | None = None) -> dict[str, str]:
    """One digest per community of its inputs (part_inputs): an unchanged one is reused."""
    return {part: digest_of(inputs) for part, inputs in part_inputs(root, parts, as_of, site_url).items()}


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
