"""print_site(): every PDF of the site rendered (or taken from the cache), or one RecordsInvalid.

Also checks what a print shop needs before anything is rendered: a Chinese font, and for PDF/X
a CMYK output profile.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from generator.cachefiles import print_cache, prune, segmenter
from generator.errors import Problem, RecordsInvalid
from generator.paper.pdf import CACHED, Rendered, cached_files, render_jobs
from generator.paper.printing import FontsMissing, Keeps, PrintJob, print_jobs
from generator.reading.site import Site


def check_icc(profile: Path) -> None:
    """PDF/X-4 needs the print shop's CMYK output profile; anything else is refused."""

    def refuse(zh: str, en: str) -> RecordsInvalid:
        return RecordsInvalid(
            [
                Problem(
                    str(profile),
                    1,
                    1,
                    "",
                    zh,
                    en,
                    "向印刷厂要他们的 CMYK 输出特性文件（.icc）",
                    "ask the print shop for its CMYK output profile (.icc)",
                )
            ]
        )

    try:
        head = profile.read_bytes()[:128]
    except OSError:
        raise refuse("找不到 ICC 文件", "ICC profile not found") from None
    if len(head) < 128 or head[36:40] != b"acsp":
        raise refuse("这不是 ICC 色彩特性文件", "not an ICC profile")
    if head[12:16] != b"prtr" or head[16:20] != b"CMYK":
        raise refuse("PDF/X-4 需要 CMYK 输出（印刷）特性文件，这个文件不是", "PDF/X-4 needs a CMYK output profile")


def _progress() -> Callable[[int, int], None] | None:
    """A progress bar on an interactive terminal; silence elsewhere (CI logs, tests)."""
    if not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    bar: list[tqdm] = []

    def update(done: int, total: int) -> None:
        if not bar:
            bar.append(tqdm(total=total, desc="生成 PDF", unit="份", file=sys.stderr))
        bar[0].n = done
        bar[0].refresh()
        if done == total:
            bar[0].close()

    return update


HINT = (
    "可以：改为 放不下时: 分版（续排到下一块）；换更大的尺寸或更少的栏数；或不把它放上展板，只张贴它的 A4 公示",
    "options: 放不下时: 分版 (continue on another panel), a larger size or fewer columns, "
    "or leave the notice to its own A4",
)


def print_all(
    site: Site,
    templates: Path,
    root: Path,
    site_url: str,
    icc: Path | None = None,
    marks: bool = False,
    memo: Keeps | None = None,
    later: list[PrintJob] | None = None,
) -> tuple[dict[str, Rendered], list[Problem]]:
    """dest → rendered PDF for every A4 notice and board that could be laid out, and a Problem for
    each one that could not: one board's problem never stops the others. `memo`: the live
    preview's, to keep each notice's A4 job between builds (printing.print_jobs)."""
    if icc is not None:
        check_icc(icc)
    cache = print_cache(root)  # content-addressed: safe to share
    segmenter(root)  # titles are broken between words: its dictionary cache among ours
    try:
        jobs = print_jobs(site, templates, site_url, icc, marks, cache / "qr", memo)
    except FontsMissing as exc:
        raise RecordsInvalid(
            [Problem("（系统）", 1, 1, "", str(exc).split("\n")[0], str(exc).split("\n")[-1])]
        ) from None
    done = render_jobs(jobs, cache, progress=_progress(), later=later)
    prune(cache, CACHED, cached_files(key for _, key in done.values()))  # never what this build publishes
    jobs_by_dest = {job.dest: job for job in jobs}
    problems = [
        Problem(jobs_by_dest[dest].source, *jobs_by_dest[dest].where, r.error_zh, r.error_en, *HINT)
        for dest, (r, _) in sorted(done.items())
        if r.error_zh
    ]
    return {dest: r for dest, (r, _) in done.items() if not r.error_zh}, problems


def print_site(
    site: Site,
    templates: Path,
    root: Path,
    site_url: str,
    icc: Path | None = None,
    marks: bool = False,
    memo: Keeps | None = None,
    later: list[PrintJob] | None = None,
) -> dict[str, Rendered]:
    """Every PDF, or RecordsInvalid naming every one that could not be laid out (nothing published).
    `later`: the live preview's, for the A4 notices it renders after their pages (pdf.render_jobs)."""
    printed, problems = print_all(site, templates, root, site_url, icc, marks, memo, later)
    if problems:
        raise RecordsInvalid(problems)
    return printed
