"""PrintJob → PDF with WeasyPrint, in worker processes, each PDF rendered only when it changed.

Boards are fitted: the body size is searched between the legible minimum and a comfortable
maximum so the board fills as few panels as possible; what still does not fit flows onto more
panels, or fails naming the notices that do not fit (放不下时: 报错). A single notice taller
than a panel always fails: it would be cut.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

from generator.printing import BODY_PT, PrintJob

CACHE_VERSION = "1"


@dataclass(frozen=True)
class Rendered:
    """What a worker returns for one job."""

    dest: str
    pdf: bytes
    pages: int
    body_pt: float | None
    error_zh: str = ""
    error_en: str = ""
    preview: bytes | None = None


def _weasy(html: str, pdfx: bool) -> tuple[object, bytes]:
    from weasyprint import HTML

    document = HTML(string=html, base_url=".").render()
    options = {"pdf_variant": "pdf/x-4"} if pdfx else {}
    return document, document.write_pdf(**options)


def _cards_by_page(document: object) -> list[set[str]]:
    """The card ids (n-…) laid out on each page."""
    pages = []
    for page in document.pages:  # type: ignore[attr-defined]
        ids = set()
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if element is not None and element.get("id", "").startswith("n-"):
                ids.add(element.get("id"))
        pages.append(ids)
    return pages


def _fit(job: PrintJob) -> Rendered:
    """Binary search of the body size: the largest that needs the fewest panels."""
    least, most = job.fit or (12.0, 12.0)

    def render(pt: float) -> tuple[object, int]:
        from weasyprint import HTML

        document = HTML(string=job.html.replace(BODY_PT, f"{pt:.1f}pt"), base_url=".").render()
        return document, len(document.pages)  # type: ignore[attr-defined]

    document, fewest = render(least)
    best = least
    if fewest == 1:
        low, high = least, most
        for _ in range(6):
            mid = round((low + high) / 2, 1)
            if render(mid)[1] == 1:
                best, low = mid, mid
            else:
                high = mid
            if high - low < 0.5:
                break
    split = [card for card in job.titles if sum(card in page for page in _cards_by_page(document)) > 1]
    if split or (fewest > 1 and job.overflow == "报错"):
        late = split or sorted(set().union(*_cards_by_page(document)[1:]))
        names = "、".join(f"“{job.titles[c]}”" for c in late if c in job.titles)
        why = "一块板放不下这条通知" if split else "这块板放不下全部内容"
        return Rendered(job.dest, b"", fewest, least,
                        f"{why}（正文已缩到最小 {least} 磅）：{names}",
                        f"does not fit even at {least} pt: {names}")
    html = job.html.replace(BODY_PT, f"{best:.1f}pt")
    _, pdf = _weasy(html, job.pdfx)
    return Rendered(job.dest, pdf, fewest, best)


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
    if job.fit is None:
        _, pdf = _weasy(job.html, job.pdfx)
        result = Rendered(job.dest, pdf, 0, None)
    else:
        result = _fit(job)
    if job.preview and result.pdf:
        result = Rendered(**{**asdict(result), "preview": _preview(result.pdf)})
    return result


def _render_batch(jobs: list[PrintJob]) -> list[Rendered]:
    return [render_one(job) for job in jobs]


def job_key(job: PrintJob) -> str:
    """Content hash of everything a PDF depends on."""
    import weasyprint

    blob = json.dumps([CACHE_VERSION, weasyprint.__version__, asdict(job)], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _load(cache: Path, key: str) -> Rendered | None:
    meta = cache / f"{key}.json"
    if not meta.is_file():
        return None
    info = json.loads(meta.read_text(encoding="utf-8"))
    pdf = (cache / f"{key}.pdf").read_bytes() if info["has_pdf"] else b""
    preview = (cache / f"{key}.png").read_bytes() if info["has_preview"] else None
    return Rendered(info["dest"], pdf, info["pages"], info["body_pt"], info["error_zh"], info["error_en"], preview)


def _store(cache: Path, key: str, r: Rendered) -> None:
    cache.mkdir(parents=True, exist_ok=True)
    if r.pdf:
        (cache / f"{key}.pdf").write_bytes(r.pdf)
    if r.preview:
        (cache / f"{key}.png").write_bytes(r.preview)
    info = {"dest": r.dest, "pages": r.pages, "body_pt": r.body_pt, "error_zh": r.error_zh, "error_en": r.error_en,
            "has_pdf": bool(r.pdf), "has_preview": bool(r.preview)}
    (cache / f"{key}.json").write_text(json.dumps(info, ensure_ascii=False), encoding="utf-8")


def _batches(jobs: list[PrintJob], n: int) -> list[list[PrintJob]]:
    """n batches of similar cost: boards are spread first, then notices."""
    ordered = sorted(jobs, key=lambda j: (j.fit is None, j.dest))
    return [b for b in (ordered[i::n] for i in range(n)) if b]


def render_jobs(jobs: Iterable[PrintJob], cache: Path, workers: int | None = None,
                progress: Callable[[int, int], None] | None = None) -> dict[str, tuple[Rendered, str]]:
    """Render what is not cached yet, in worker processes; return dest → (result, cache key)."""
    jobs = list(jobs)
    keys = {job.dest: job_key(job) for job in jobs}
    done: dict[str, tuple[Rendered, str]] = {}
    todo = []
    for job in jobs:
        cached = _load(cache, keys[job.dest])
        if cached is not None:
            done[job.dest] = (cached, keys[job.dest])
        else:
            todo.append(job)
    workers = workers or min(len(todo), os.cpu_count() or 1, 2) or 1
    if progress:
        progress(len(done), len(jobs))
    if len(todo) <= 1 or workers == 1:
        results: Iterable[list[Rendered]] = (_render_batch([job]) for job in todo)
    else:
        pool = ProcessPoolExecutor(max_workers=workers)
        # Each worker gets a few batches: one process start (~1.4 s) serves many PDFs.
        results = pool.map(_render_batch, _batches(todo, workers * 4))
    try:
        for batch in results:
            for r in batch:
                _store(cache, keys[r.dest], r)
                done[r.dest] = (r, keys[r.dest])
                if progress:
                    progress(len(done), len(jobs))
    finally:
        if len(todo) > 1 and workers > 1:
            pool.shutdown(cancel_futures=True)
    return done
