"""Pack a board's cards into panels of fixed columns from measured heights.

Pure arithmetic over millimetres: WeasyPrint measures (measure.py), this decides where everything
goes. Columns are filled top to bottom, panels left to right; each family is a framed zone, opened
again (续) at the top of a column it continues into. A card that does not fit in what is left of
a column is continued in the next column (between paragraphs, or between table rows), unless only
a sliver of it would fit: then a later, smaller card of the same family fills the gap (back-fill).
Every panel holds at least one card; only a single block taller than a whole column is refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field

EPSILON_MM = 0.5  # rounding slack between measuring and the final layout
SLIVER = 0.35  # a card is split only when at least this share of it fits (or it fits nowhere whole)


@dataclass(frozen=True)
class Sizes:
    """A card's measured heights in mm."""

    title: float
    title_continued: float
    units: tuple[float, ...]  # each unit; a table row's own height
    tables: tuple[int | None, ...]  # the table each unit is a row of
    table_extra: tuple[float, ...]  # per table: wrapper, header and footer around its rows
    headings: tuple[bool, ...] = ()  # units that must not end a piece (a heading before its text)

    def height(self, start: int, end: int, card_mm: float) -> float:
        total = card_mm + (self.title if start == 0 else self.title_continued) + sum(self.units[start:end])
        return total + sum(self.table_extra[t] for t in {self.tables[i] for i in range(start, end)} if t is not None)


@dataclass
class Piece:
    card: str
    start: int
    end: int


@dataclass
class Zone:
    label: str
    continued: bool
    pieces: list[Piece] = field(default_factory=list)


@dataclass
class Column:
    zones: list[Zone] = field(default_factory=list)


@dataclass
class Panel:
    columns: list[Column]


@dataclass(frozen=True)
class Packed:
    panels: list[Panel]
    too_tall: list[str]  # cards with a block taller than a whole column: they cannot be placed


def pack(
    sections: list[tuple[str, list[str]]],
    sizes: dict[str, Sizes],
    zone_mm: float,
    card_mm: float,
    column_mm: float,
    columns: int,
) -> Packed:
    """Place every card (or its pieces) in columns of `column_mm`; see the module docstring."""
    limit = column_mm + EPSILON_MM
    too_tall = [
        card
        for _, cards in sections
        for card in cards
        if any(zone_mm + sizes[card].height(i, i + 1, card_mm) > limit for i in range(len(sizes[card].units)))
        or zone_mm + sizes[card].height(0, min(1, len(sizes[card].units)), card_mm) > limit
    ]
    panels: list[Panel] = []
    state = {"col": columns, "used": 0.0}  # start "after the last column" so the first card opens a panel

    def column() -> Column:
        return panels[-1].columns[state["col"]]

    def next_column() -> None:
        state["col"] += 1
        state["used"] = 0.0
        if state["col"] >= columns:
            panels.append(Panel([Column() for _ in range(columns)]))
            state["col"] = 0

    def place(label: str, seen: bool, piece: Piece, height: float) -> None:
        col = column()
        if not col.zones or col.zones[-1].label != label:
            col.zones.append(Zone(label, seen))
            state["used"] += zone_mm
        col.zones[-1].pieces.append(piece)
        state["used"] += height

    next_column()
    for label, cards in sections:
        pending = [c for c in cards if c not in too_tall]
        starts = dict.fromkeys(pending, 0)
        seen = False  # the zone has been opened before: a new one is its continuation
        while pending:
            card = pending[0]
            size = sizes[card]
            start, n = starts[card], len(size.units)
            col = column()
            opening = 0.0 if col.zones and col.zones[-1].label == label else zone_mm
            room = limit - state["used"] - opening
            whole = size.height(start, n, card_mm)
            if whole <= room:
                place(label, seen, Piece(card, start, n), whole)
                pending.pop(0)
                seen = True
                continue
            end = start
            while end < n and size.height(start, end + 1, card_mm) <= room:
                end += 1
            if end == n - 1:
                end -= 1  # the last block (the QR code) never goes on alone
            while end > start and size.headings and size.headings[end - 1]:
                end -= 1  # a heading stays with what it heads
            fits_fresh = whole + zone_mm <= limit
            worth = end > start and (not fits_fresh or size.height(start, end, card_mm) >= SLIVER * whole)
            if worth:
                place(label, seen, Piece(card, start, end), size.height(start, end, card_mm))
                starts[card] = end
                seen = True
                next_column()
                continue
            filler = next(
                (c for c in pending[1:] if starts[c] == 0 and sizes[c].height(0, len(sizes[c].units), card_mm) <= room),
                None,
            )
            if filler is not None:
                place(
                    label,
                    seen,
                    Piece(filler, 0, len(sizes[filler].units)),
                    sizes[filler].height(0, len(sizes[filler].units), card_mm),
                )
                pending.remove(filler)
                seen = True
                continue
            if not column().zones:  # cannot happen: too_tall catches it; never loop forever
                too_tall.append(card)
                pending.pop(0)
                continue
            next_column()
    if panels and not any(z.pieces for c in panels[-1].columns for z in c.zones):
        panels.pop()  # the column switch after the last piece may have opened an empty panel
    return Packed(panels, too_tall)
