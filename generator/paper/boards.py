"""A board fitted to its panels: measure, pack, choose the body size, put the panels together,
render, and check the result before it is written (every panel's columns end above its footer
strip, and the PDF has exactly as many pages as panels were packed).

The body size is searched between the legible minimum and a comfortable maximum for the fewest
panels. A notice too long for a column continues in the next one (and on the next panel); what
still cannot be placed — a single paragraph or table row taller than a column — fails naming it.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from generator.paper.cards import Card, assemble, split
from generator.paper.measure import measure
from generator.paper.packing import Packed, pack
from generator.paper.printing import BODY_PT, PANEL_COUNT, PANEL_NO, PANELS, PrintJob

_PX_MM = 25.4 / 96
RETRIES = 4  # re-packs with a slightly shorter column when the final layout disagrees with the measure


class Refused(Exception):
    """The board cannot be laid out; carries the Chinese and English messages."""

    def __init__(self, zh: str, en: str, pages: int = 0) -> None:
        super().__init__(zh)
        self.zh, self.en, self.pages = zh, en, pages


def _panels_html(job: PrintJob, cards: dict[str, Card], packed: Packed) -> str:
    layout = job.board
    assert layout is not None
    total = len(packed.panels)
    out = []
    for i, panel in enumerate(packed.panels):
        cols = []
        for column in panel.columns:
            zones = []
            for zone in column.zones:
                head = f'<h2 class="zone-head">{escape(zone.label)}{"（续）" if zone.continued else ""}</h2>'
                pieces = "".join(assemble(cards[p.card], p.start, p.end) for p in zone.pieces)
                zones.append(f'<section class="zone">{head}{pieces}</section>')
            cols.append(f'<div class="col">{"".join(zones)}</div>')
        band = layout.band if i == 0 else layout.band_continued
        strip = layout.strip.replace(PANEL_NO, str(i + 1)).replace(PANEL_COUNT, str(total))
        out.append(f'<div class="panel">{band}<div class="cols">{"".join(cols)}</div>{strip}</div>')
    return "".join(out)


def _overflows(document: Any) -> bool:
    """True when a zone's frame on some panel runs into the footer strip."""
    for page in document.pages:
        bottom, strip = 0.0, None
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            classes = element.get("class", "") if element is not None else ""
            if classes == "zone" and box.element_tag == "section":  # its frame, not the margin below
                bottom = max(bottom, box.border_box_y() + box.border_height())
            if classes == "strip" and strip is None:
                strip = box.position_y
        if strip is not None and bottom > strip + 0.5 / _PX_MM:
            return True
    return False


def fit(job: PrintJob, render_html: Callable[[str], Any], pdf_options: dict[str, Any]) -> tuple[bytes, int, float]:
    """(PDF, panels, body pt) for a board job, or Refused."""
    layout = job.board
    assert layout is not None
    cards = {cid: split(cid, html) for _, items in layout.sections for cid, html in items}
    sections = [(label, [cid for cid, _ in items]) for label, items in layout.sections]
    if not cards:
        raise Refused("展板上没有可放的通知", "the board selects no published notice")
    strip = layout.strip.replace(PANEL_NO, "88").replace(PANEL_COUNT, "88")

    def pack_at(pt: float, shrink: float = 0.0) -> Packed:
        html = job.html.replace(BODY_PT, f"{pt:.1f}pt")
        m = measure(
            render_html, html, list(cards.values()), layout.band_continued, strip, layout.width_mm, layout.column_mm
        )
        column = layout.height_mm - m.band_mm - m.strip_mm - layout.gutter_mm / 2
        return pack(sections, m.sizes, m.zone_mm, m.card_mm, column * (1 - shrink), layout.columns)

    least, most = layout.fit
    names = lambda ids: "、".join(f"“{layout.titles[c]}”" for c in ids)  # noqa: E731
    packed = pack_at(least)
    if packed.too_tall:
        raise Refused(
            f"这条通知有一段（或表格的一行）缩到最小字号 {least} 磅仍高过一栏，无法续排：{names(packed.too_tall)}",
            f"a paragraph or table row is taller than a column even at {least} pt: {names(packed.too_tall)}",
        )
    if len(packed.panels) > 1 and layout.overflow == "报错":
        late = sorted({p.card for panel in packed.panels[1:] for c in panel.columns for z in c.zones for p in z.pieces})
        raise Refused(
            f"一块板放不下（需要 {len(packed.panels)} 块），放不下的通知：{names(late)}",
            f"needs {len(packed.panels)} panels; not fitting: {names(late)}",
            len(packed.panels),
        )
    best, fewest = least, len(packed.panels)
    low, high = least, most
    while high - low >= 1.0:
        mid = round((low + high) / 2, 1)
        trial = pack_at(mid)
        if not trial.too_tall and len(trial.panels) <= fewest:
            best, packed, low = mid, trial, mid
        else:
            high = mid
    for attempt in range(RETRIES + 1):
        html = job.html.replace(BODY_PT, f"{best:.1f}pt").replace(PANELS, _panels_html(job, cards, packed))
        document = render_html(html)
        if len(document.pages) == len(packed.panels) and not _overflows(document):
            return document.write_pdf(**pdf_options), len(packed.panels), best
        packed = pack_at(best, 0.015 * (attempt + 1))
    raise Refused(
        f"排版结果与测量不一致，无法保证不截断（{len(packed.panels)} 块）；请换一个尺寸或栏数",
        "the layout disagrees with the measurement; try another size or column count",
        len(packed.panels),
    )
