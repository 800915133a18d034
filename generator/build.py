"""build(): check the records, build the site aside, swap it in only when all went well."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from generator.engine.builds import build_site, engine_site_url
from generator.lock import output_lock
from generator.paper.pdf import Rendered
from generator.paper.printshop import print_site
from generator.reading.reader import read_site
from generator.reading.site import Site


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


def _aside(target: Path) -> Path:
    """A new folder beside `target` to build into. Called under the output lock: any other
    `.NAME.building-*` folder is a killed build's, and is removed."""
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    for stale in target.parent.glob(f".{target.name}.building-*"):
        shutil.rmtree(stale, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=target.parent))


def build(
    root: Path,
    as_of: dt.date,
    site_dir: Path,
    strict: bool = False,
    site: Site | None = None,
    on_wait: Callable[[Path], None] | None = None,
) -> Site:
    """Check, print, render the site into a temporary folder beside `site_dir`, then swap it in.
    One build at a time: `on_wait` is called when another holds the output lock."""
    site = site or check(root, as_of)
    with output_lock(site_dir, on_wait):
        printed = print_site(site, root / "templates", root, engine_site_url(root))  # layout errors stop here
        work = _aside(site_dir)
        try:
            build_site(root, work / "site", as_of.isoformat(), strict=strict, prepared=(site, printed))
            swap_in(work / "site", site_dir.resolve())
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return site


def boards(
    root: Path, as_of: dt.date, out_dir: Path, icc: Path | None = None, on_wait: Callable[[Path], None] | None = None
) -> dict[str, Rendered]:
    """Every PDF for the print shop into `out_dir` (swapped in whole), PDF/X-4 when given a profile."""
    site = check(root, as_of)
    with output_lock(out_dir, on_wait):
        return _print_into(site, root, out_dir, icc)


def _print_into(site: Site, root: Path, out_dir: Path, icc: Path | None) -> dict[str, Rendered]:
    printed = print_site(site, root / "templates", root, engine_site_url(root), icc)
    work = _aside(out_dir)
    try:
        for dest, rendered in sorted(printed.items()):
            target = work / "out" / dest
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(rendered.pdf)
        (work / "out").mkdir(exist_ok=True)
        swap_in(work / "out", out_dir.resolve())
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return printed
