"""build(): check the records, build the site aside, swap it in only when all went well."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from generator.engine.builds import build_site, engine_site_url
from generator.errors import Problem, RecordsInvalid
from generator.gate.scan import gate
from generator.gate.texts import cache_folder
from generator.lock import output_lock
from generator.paper.pdf import Rendered
from generator.paper.printshop import print_all, print_site
from generator.reading.address import CONFIG, address_problem
from generator.reading.reader import read_site
from generator.reading.site import Site


def check(root: Path, as_of: dt.date) -> Site:
    """Load and check every record and the site's public address; raises RecordsInvalid listing
    every problem."""
    site = read_site(root, as_of)
    problem = public_address(root, site)
    if problem is not None and problem.severity == "error":
        raise RecordsInvalid([*site.warnings, problem])
    return site


def public_address(root: Path, site: Site) -> Problem | None:
    """A placeholder `site_url`: an error, or in the example project a warning that `build` and
    `boards` print (not `check`: it would be noise on every check of the example)."""
    if not (root / CONFIG).is_file():
        return None
    return address_problem(root, engine_site_url(root), site.config.example == "是")


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


def guard(site: Site, root: Path, outputs: dict[str, Path]) -> None:
    """The last gate before publishing: personal data in any built file stops the swap."""
    leaks = gate(site, outputs, cache=cache_folder(root))
    if leaks:
        raise RecordsInvalid(leaks)


def aside(target: Path) -> Path:
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
        work = aside(site_dir)
        try:
            build_site(root, work / "site", as_of.isoformat(), strict=strict, prepared=(site, printed))
            guard(site, root, {"site": work / "site"})
            swap_in(work / "site", site_dir.resolve())
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return site


def boards(
    root: Path,
    as_of: dt.date,
    out_dir: Path,
    icc: Path | None = None,
    marks: bool = False,
    site: Site | None = None,
    on_wait: Callable[[Path], None] | None = None,
) -> tuple[dict[str, Rendered], list[Problem]]:
    """Every PDF for the print shop into `out_dir` (swapped in whole), PDF/X-4 when given a profile.
    A board that cannot be laid out is returned as a Problem; every other PDF is still written."""
    site = site or check(root, as_of)
    with output_lock(out_dir, on_wait):
        return _print_into(site, root, out_dir, icc, marks)


def _print_into(
    site: Site, root: Path, out_dir: Path, icc: Path | None, marks: bool
) -> tuple[dict[str, Rendered], list[Problem]]:
    printed, problems = print_all(site, root / "templates", root, engine_site_url(root), icc, marks)
    work = aside(out_dir)
    try:
        for dest, rendered in sorted(printed.items()):
            target = work / "out" / dest
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(rendered.pdf, Path):
                shutil.copyfile(rendered.pdf, target)
            else:
                target.write_bytes(rendered.pdf)
        (work / "out").mkdir(exist_ok=True)
        guard(site, root, {"print": work / "out"})
        swap_in(work / "out", out_dir.resolve())
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return printed, problems
