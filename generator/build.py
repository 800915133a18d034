"""build(): check the records, build the site aside, swap it in only when all went well."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

from generator.mkdocs_plugin import build_site
from generator.reading import read_site
from generator.site import Site


def check(root: Path, as_of: dt.date) -> Site:
    """Load and check every record; raises RecordsInvalid listing every problem."""
    return read_site(root, as_of)


def swap_in(built: Path, target: Path) -> None:
    """Replace `target` with `built` in two renames, so readers never see a half-built site."""
    old = target.with_name(target.name + ".old")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        target.rename(old)
    built.rename(target)
    if old.exists():
        shutil.rmtree(old)


def build(root: Path, as_of: dt.date, site_dir: Path, strict: bool = False) -> Site:
    """Check, render into a temporary folder beside `site_dir`, then swap it in."""
    site = check(root, as_of)
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.building-", dir=site_dir.parent))
    try:
        build_site(root, work / "site", as_of.isoformat(), strict=strict)
        swap_in(work / "site", site_dir)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return site
