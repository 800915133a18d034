"""PrintJob → PDF with WeasyPrint, in worker processes, each PDF rendered only when it changed.

A4 notices are rendered as they are; boards are fitted to their panels by boards.py. Workers come
from a fork server (workers.py: no copy of a process that runs threads, no inherited locks) and end
when the parent process dies.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import re
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from generator.cachefiles import used, write_whole
from generator.paper.boards import Refused, fit
from generator.paper.keys import job_key
from generator.paper.printing import PrintJob
from generator.paper.workers import stop_now, worker_pool


@dataclass(frozen=True)
class Rendered:
    """What a worker returns for one job. `pdf`: the bytes just rendered, or the file in the
    cache (content-addressed: published by copying, never held in memory; a district's build
    would otherwise hold hundreds of megabytes of PDFs per community)."""

    dest: str
    pdf: bytes | Path
    pages: int
    body_pt: float | None
    error_zh: str = ""
    error_en: str = ""
    preview: bytes | None = None
    preview_dest: str = ""


def _fetcher(files: tuple[str, ...]) -> Any:
    """WeasyPrint may read data: URLs and the exact files the job names (the vendored print font
    under templates/, the print shop's ICC profile given on the command line), nothing else: no
    other file of the build machine, no other host. Print templates inline their CSS, QR and charts."""
    from weasyprint import URLFetcher

    allowed = frozenset(files)

    class _Only(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("file:") and url in allowed:
                return super().fetch(url, headers)
            if not url.startswith("data:"):
                raise ValueError(f"refused: {url[:80]} (print reads only its own files)")
            return super().fetch(url, headers)

    return _Only()


@functools.cache
def _fonts(faces: tuple[str, ...]) -> Any:
    """The WeasyPrint font configuration this process's documents with these `@font-face` rules
    share until `fresh_fonts()` (a face is added to the configuration it is declared with, and
    every later document laid out with it would see it: one per set of faces, so a document never
    sees a face it does not declare).
    Left to itself, WeasyPrint makes one per document, each copying the print font (7 MB) into a
    `weasyprint-*` folder of its own under the temporary directory, removed only when Python
    collects it: a worker that exits without collecting (as pool workers do) left every copy
    behind, gigabytes a day. Shared, the font is copied and loaded once, and the folder removed
    with the configuration (multiprocessing runs its finalizers in workers as they exit and at
    exit in the main process)."""
    from weasyprint.text.fonts import FontConfiguration

    _forget_at_exit()
    return FontConfiguration()


def fresh_fonts() -> None:
    """The next document loads the system's fonts as they are now: each build starts with its own
    configuration (a preview running for hours sees a font installed meanwhile; one configuration
    for the process would print its PDFs with a substitute, cached as if made with that font)."""
    _fonts.cache_clear()


@functools.cache
def _forget_at_exit() -> None:
    from multiprocessing.util import Finalize

    Finalize(None, _forget_fonts, exitpriority=0)


def _forget_fonts() -> None:
    import gc

    _fonts.cache_clear()
    gc.collect()  # documents laid out with it hold it in reference cycles; its folder goes with it


def _html(html: str, files: tuple[str, ...] = ()) -> Any:
    """A WeasyPrint document for our HTML. `files`: the file URLs it may read."""
    from weasyprint import HTML

    return HTML(string=html, base_url=".", url_fetcher=_fetcher(files))


def _render(html: str, files: tuple[str, ...] = (), **options: Any) -> Any:
    """Our HTML laid out (every render and every measurement goes through here)."""
    faces = tuple(re.findall(r"@font-face\s*\{[^}]*\}", html))
    return _html(html, files).render(font_config=_fonts(faces), **options)


def _options(pdfx: bool) -> dict[str, Any]:
    return {"pdf_variant": "pdf/x-4"} if pdfx else {}


def _weasy(html: str, pdfx: bool, files: tuple[str, ...] = ()) -> bytes:
    return _render(html, files, **_options(pdfx)).write_pdf(**_options(pdfx))  # as HTML.write_pdf does


def _fit(job: PrintJob) -> Rendered:
    """A board fitted to its panels (boards.py), or the reason it cannot be."""
    try:
        pdf, panels, pt = fit(job, functools.partial(_render, files=job.files), _options(job.pdfx))
    except Refused as refused:
        return Rendered(job.dest, b"", refused.pages, None, refused.zh, refused.en)
    return Rendered(job.dest, pdf, panels, pt)


def _preview(pdf: bytes, width_px: int = 1200) -> bytes:
    import io

    import pypdfium2 as pdfium

    page = pdfium.PdfDocument(pdf)[0]
    scale = width_px / page.get_width()
    image = page.render(scale=scale).to_pil()
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def render_one(job: PrintJob) -> Rendered:
    """Render a job in this process (the unit of work of a worker)."""
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    if job.board is None:
        pdf = _weasy(job.html, job.pdfx, job.files)
        result = Rendered(job.dest, pdf, 0, None)
    else:
        result = _fit(job)
    if job.preview and isinstance(result.pdf, bytes) and result.pdf:
        result = Rendered(**{**asdict(result), "preview": _preview(result.pdf), "preview_dest": job.preview})
    return result


def _render_batch(jobs: list[PrintJob]) -> list[Rendered]:
    return [render_one(job) for job in jobs]


_RENDERING = threading.Lock()  # render_jobs
LATER_AT_MOST = 4  # A4 notices the live preview renders after the pages, one after another (render_jobs)
CACHED = re.compile(r"[0-9a-f]{64}\.(json|pdf|png)")  # the print cache's own files (job_key)


def cached_files(keys: Iterable[str]) -> set[str]:
    """The names of the cache's files for these keys."""
    return {f"{key}.{suffix}" for key in keys for suffix in ("json", "pdf", "png")}


def _load(cache: Path, key: str) -> Rendered | None:
    meta = cache / f"{key}.json"
    try:
        info = json.loads(meta.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # not cached, or removed by a prune meanwhile: rendered again
        return None
    pdf = cache / f"{key}.pdf" if info.pop("has_pdf") else b""
    if isinstance(pdf, Path) and not pdf.is_file():  # removed from the cache: rendered again
        return None
    try:
        preview = (cache / f"{key}.png").read_bytes() if info.pop("has_preview") else None
    except OSError:
        return None
    used(meta, *([pdf] if isinstance(pdf, Path) else []), *([cache / f"{key}.png"] if preview else []))
    return Rendered(**info, pdf=pdf, preview=preview)


def _store(cache: Path, key: str, r: Rendered) -> None:
    cache.mkdir(parents=True, exist_ok=True)
    if isinstance(r.pdf, bytes) and r.pdf:
        write_whole(cache / f"{key}.pdf", r.pdf)
    if r.preview:
        write_whole(cache / f"{key}.png", r.preview)
    info = {k: v for k, v in asdict(r).items() if k not in ("pdf", "preview")}
    info.update(has_pdf=bool(r.pdf), has_preview=bool(r.preview))
    write_whole(cache / f"{key}.json", json.dumps(info, ensure_ascii=False).encode("utf-8"))


def _batches(jobs: list[PrintJob], n: int) -> list[list[PrintJob]]:
    """n batches of similar cost: boards are spread first, then notices."""
    ordered = sorted(jobs, key=lambda j: (j.board is None, j.dest))
    return [b for b in (ordered[i::n] for i in range(n)) if b]


def render_jobs(
    jobs: Iterable[PrintJob],
    cache: Path,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    later: list[PrintJob] | None = None,
) -> dict[str, tuple[Rendered, str]]:
    """Render what is not cached yet, in worker processes; return dest → (result, cache key).
    `later`: the live preview's list of A4 notices to render after their pages are shown. The A4
    notices not in the cache go there instead of being rendered when they are few (an edit's: at
    most LATER_AT_MOST), and their results name the files they will have in the cache: a notice's
    page needs only to know that its A4 exists (a board's page shows its panels, so boards are
    rendered now). More of them (a first build, a changed template) are rendered now, on all
    cores. `render_jobs(later, cache, workers=1)` renders them in this process. One call at a time
    in a process: the live preview renders in a thread of its own, and WeasyPrint's fonts, which
    `fresh_fonts` renews, are the process's."""
    with _RENDERING:
        return _render_jobs(list(jobs), cache, workers, progress, later)


def _render_jobs(
    jobs: list[PrintJob],
    cache: Path,
    workers: int | None,
    progress: Callable[[int, int], None] | None,
    later: list[PrintJob] | None,
) -> dict[str, tuple[Rendered, str]]:
    fresh_fonts()  # rendered here when there is one job, or one worker
    keys = {job.dest: job_key(job) for job in jobs}
    done: dict[str, tuple[Rendered, str]] = {}
    todo = []
    for job in jobs:
        cached = _load(cache, keys[job.dest])
        if cached is not None:
            done[job.dest] = (cached, keys[job.dest])
        else:
            todo.append(job)
    after = [job for job in todo if job.board is None and not job.preview] if later is not None else []
    if later is not None and 0 < len(after) <= LATER_AT_MOST:
        later.extend(after)
        for job in after:
            done[job.dest] = (Rendered(job.dest, cache / f"{keys[job.dest]}.pdf", 0, None), keys[job.dest])
        todo = [job for job in todo if job.dest not in done]
    workers = workers or min(len(todo), os.cpu_count() or 1, 2) or 1
    if progress:
        progress(len(done), len(jobs))
    pool, scratch, finished = None, None, False
    try:
        if len(todo) <= 1 or workers == 1:
            results: Iterable[list[Rendered]] = (_render_batch([job]) for job in todo)
        else:
            # The workers' temporary files (WeasyPrint's copy of the print font) in a folder of the
            # pool's, removed below however the workers end (SIGTERM to the process group, SIGKILL)
            # or fail to start.
            scratch = tempfile.mkdtemp(prefix="gongkai-pdf-")
            pool = worker_pool(workers, scratch=scratch)
            # Each worker gets a few batches: one process start (~1.4 s) serves many PDFs.
            results = pool.map(_render_batch, _batches(todo, workers * 4))
        for batch in results:
            for r in batch:
                _store(cache, keys[r.dest], r)
                if r.pdf:  # kept: published from the cache, not held
                    r = replace(r, pdf=cache / f"{keys[r.dest]}.pdf")
                done[r.dest] = (r, keys[r.dest])
                if progress:
                    progress(len(done), len(jobs))
        finished = True
    finally:
        if pool is not None:
            pool.shutdown() if finished else stop_now(pool)  # stopped: not waiting for the batches
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
    return done
