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
from dataclasses import asdict, dataclass
from html import escape
from pathlib import Path

from generator.paper.packing import Packed, pack
from generator.paper.printing import BODY_PT, PANELS, PrintJob
from generator.paper.workers import worker_pool

CACHE_VERSION = "3"


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
    preview_dest: str = ""


def _weasy(html: str, pdfx: bool) -> bytes:
    from weasyprint import HTML

    options = {"pdf_variant": "pdf/x-4"} if pdfx else {}
    return HTML(string=html, base_url=".").write_pdf(**options)


_PX_MM = 25.4 / 96  # WeasyPrint lays out in CSS pixels


def _heights(job: PrintJob, pt: float) -> tuple[dict[str, float], float, float]:
    """Measure every card in a column, the section heading and the title band, in mm."""
    from weasyprint import HTML

    layout = job.board
    assert layout is not None
    cards = "".join(html for _, items in layout.sections for _, html in items)
    body = (
        f'<div class="measure">{layout.band}<div class="col"><h2 class="section" id="heading">栏目</h2>'
        f"{cards}</div></div>"
    )
    tall = (
        f"<style>@page board {{ size: {layout.width_mm}mm 20000mm; margin: 0; bleed: 0;"
        " @bottom-center { content: none } }</style>"
    )
    html = job.html.replace(BODY_PT, f"{pt:.1f}pt").replace(PANELS, body).replace("</head>", tall + "</head>")
    document = HTML(string=html, base_url=".").render()
    found: dict[str, float] = {}
    for page in document.pages:
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            ident = element.get("id", "") if element is not None else ""
            if ident and getattr(box, "element_tag", "") in ("article", "h2", "header") and ident not in found:
                found[ident] = box.margin_height() * _PX_MM
    band = found.pop("band", 0.0)
    heading = found.pop("heading", 0.0)
    return found, heading, band


def _pack_at(job: PrintJob, pt: float) -> Packed:
    layout = job.board
    assert layout is not None
    heights, heading, band = _heights(job, pt)
    sections = [(label, [card for card, _ in items]) for label, items in layout.sections]
    return pack(sections, heights, heading, band, layout.height_mm, layout.columns)


def _assemble(job: PrintJob, packed: Packed, pt: float) -> str:
    layout = job.board
    assert layout is not None
    cards = {card: html for _, items in layout.sections for card, html in items}
    panels = []
    for i, panel in enumerate(packed.panels):
        cols = []
        for column in panel.columns:
            parts = [
                f'<h2 class="section">{escape(value)}</h2>' if kind == "heading" else cards[value]
                for kind, value in column.items
            ]
            cols.append(f'<div class="col">{"".join(parts)}</div>')
        band = layout.band if i == 0 else ""
        panels.append(f'<div class="panel">{band}<div class="cols">{"".join(cols)}</div></div>')
    return job.html.replace(BODY_PT, f"{pt:.1f}pt").replace(PANELS, "".join(panels))


def _fit(job: PrintJob) -> Rendered:
    """The largest body size (between the legible minimum and the maximum) that needs the
    fewest panels; a notice taller than a column, or any overflow under 报错, is an error."""
    layout = job.board
    assert layout is not None
    least, most = layout.fit
    packed = _pack_at(job, least)
    names = lambda cards: "、".join(f"“{layout.titles[c]}”" for c in cards)  # noqa: E731
    if packed.too_tall:
        return Rendered(
            job.dest,
            b"",
            0,
            least,
            f"这条通知太长，缩到最小字号 {least} 磅仍超过一栏的高度，会被截断：{names(packed.too_tall)}",
            f"too long for one column even at {least} pt: {names(packed.too_tall)}",
        )
    if len(packed.panels) > 1 and layout.overflow == "报错":
        late = [v for p in packed.panels[1:] for c in p.columns for k, v in c.items if k == "card"]
        return Rendered(
            job.dest,
            b"",
            len(packed.panels),
            least,
            f"一块板放不下（需要 {len(packed.panels)} 块），放不下的通知：{names(late)}",
            f"needs {len(packed.panels)} panels; not fitting: {names(late)}",
        )
    best, fewest = least, len(packed.panels)
    low, high = least, most
    while high - low >= 1.0:
        mid = round((low + high) / 2, 1)
        trial = _pack_at(job, mid)
        if not trial.too_tall and len(trial.panels) <= fewest:
            best, packed, low = mid, trial, mid
        else:
            high = mid
    pdf = _weasy(_assemble(job, packed, best), job.pdfx)
    return Rendered(job.dest, pdf, len(packed.panels), best)


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
        pdf = _weasy(job.html, job.pdfx)
        result = Rendered(job.dest, pdf, 0, None)
    else:
        result = _fit(job)
    if job.preview and result.pdf:
        result = Rendered(**{**asdict(result), "preview": _preview(result.pdf), "preview_dest": job.preview})
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
    pdf = (cache / f"{key}.pdf").read_bytes() if info.pop("has_pdf") else b""
    preview = (cache / f"{key}.png").read_bytes() if info.pop("has_preview") else None
    return Rendered(**info, pdf=pdf, preview=preview)


def _store(cache: Path, key: str, r: Rendered) -> None:
    cache.mkdir(parents=True, exist_ok=True)
    if r.pdf:
        (cache / f"{key}.pdf").write_bytes(r.pdf)
    if r.preview:
        (cache / f"{key}.png").write_bytes(r.preview)
    info = {k: v for k, v in asdict(r).items() if k not in ("pdf", "preview")}
    info.update(has_pdf=bool(r.pdf), has_preview=bool(r.preview))
    (cache / f"{key}.json").write_text(json.dumps(info, ensure_ascii=False), encoding="utf-8")


def _batches(jobs: list[PrintJob], n: int) -> list[list[PrintJob]]:
    """n batches of similar cost: boards are spread first, then notices."""
    ordered = sorted(jobs, key=lambda j: (j.board is None, j.dest))
    return [b for b in (ordered[i::n] for i in range(n)) if b]


def render_jobs(
    jobs: Iterable[PrintJob],
    cache: Path,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, tuple[Rendered, str]]:
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
        pool = worker_pool(workers)
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
