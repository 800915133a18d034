"""Measure a board's pieces with WeasyPrint: every card unit and table row in a column of the
board's column width, a zone's frame, a card's frame, the header band and the footer strip.

Units are `display: flow-root` blocks (print.css), so their margins never collapse into each
other and heights add up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from generator.paper.cards import Card, assemble
from generator.paper.packing import Sizes
from generator.paper.printing import PANELS

_PX_MM = 25.4 / 96  # WeasyPrint lays out in CSS pixels


@dataclass(frozen=True)
class Measured:
    sizes: dict[str, Sizes]
    zone_mm: float
    card_mm: float
    band_mm: float
    strip_mm: float


def _boxes(document) -> dict[str, float]:
    """Height in mm of every element with an id (the outermost box: the page is tall enough never to split one)."""
    found: dict[str, float] = {}
    for page in document.pages:
        for box in page._page_box.descendants():  # outer boxes come before anonymous inner ones
            element = getattr(box, "element", None)
            ident = element.get("id", "") if element is not None else ""
            if ident and ident not in found:
                found[ident] = box.margin_height() * _PX_MM
    return found


def measure(
    render_html: Callable[[str], Any],
    html: str,
    cards: list[Card],
    band: str,
    strip: str,
    width_mm: float,
    column_mm: float,
) -> Measured:
    """Lay out `html` (a board document whose panels placeholder is replaced here) and read back
    every height the packer needs."""
    articles = "".join(
        assemble(c, 0, len(c.units), ids=True) + assemble(c, len(c.units), len(c.units), ids=True) for c in cards
    )
    body = (
        f'<div class="measure">{band}{strip}<div class="col" style="width: {column_mm:.3f}mm">'
        '<section class="zone" id="m-zone"><h2 class="zone-head">栏目</h2></section>'
        '<section class="zone"><h2 class="zone-head">栏目</h2><article class="card" id="m-card"></article>'
        f"{articles}</section>"
        "</div></div>"
    )
    tall = f"<style>@page board {{ size: {width_mm}mm 20000mm; margin: 0; bleed: 0; marks: none }}</style>"
    document = render_html(html.replace(PANELS, body).replace("</head>", tall + "</head>"))
    found = _boxes(document)
    sizes = {}
    for card in cards:
        units, tables = [], []
        for i, unit in enumerate(card.units):
            key = f"{card.ident}-u{i}" if unit.table is None else f"{card.ident}-r{i}"
            units.append(found.get(key, 0.0))
            tables.append(unit.table)
        extra = []
        for t in range(len(card.tables)):
            rows = [i for i, u in enumerate(card.units) if u.table == t]
            whole = found.get(f"{card.ident}-x{rows[0]}", 0.0)
            extra.append(max(0.0, whole - sum(units[i] for i in rows)))
        sizes[card.ident] = Sizes(
            found.get(f"{card.ident}-t", 0.0),
            found.get(f"{card.ident}-tc", 0.0),
            tuple(units),
            tuple(tables),
            tuple(extra),
            tuple(u.heading for u in card.units),
        )
    return Measured(
        sizes, found.get("m-zone", 0.0), found.get("m-card", 0.0), found.get("band", 0.0), found.get("strip", 0.0)
    )
