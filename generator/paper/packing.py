"""Pack a board's cards into panels of fixed columns, column by column, from measured heights.

Pure arithmetic over millimetres: WeasyPrint measures, this decides where everything goes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

EPSILON_MM = 0.5  # rounding slack between measuring and the final layout


@dataclass
class Column:
    items: list[tuple[str, str]] = field(default_factory=list)  # ("heading", label) or ("card", id)


@dataclass
class Panel:
    columns: list[Column]


@dataclass(frozen=True)
class Packed:
    panels: list[Panel]
    too_tall: list[str]  # cards taller than a whole column: they cannot be placed without cutting


def pack(
    sections: list[tuple[str, list[str]]],
    heights: dict[str, float],
    heading_mm: float,
    band_mm: float,
    column_mm: float,
    columns: int,
) -> Packed:
    """Fill columns top to bottom, panels left to right; a section heading stays with its first card
    and is repeated (续) at the top of a column the section continues into."""
    too_tall = [card for _, cards in sections for card in cards if heights[card] + heading_mm > column_mm + EPSILON_MM]
    panels = [Panel([Column() for _ in range(columns)])]
    col, used = 0, band_mm

    def next_column() -> None:
        nonlocal col, used
        col += 1
        used = band_mm if len(panels) == 1 else 0.0
        if col == columns:
            panels.append(Panel([Column() for _ in range(columns)]))
            col, used = 0, 0.0

    for label, cards in sections:
        first = True
        for card in cards:
            if card in too_tall:
                continue
            column = panels[-1].columns[col]
            heading = heading_mm if first or not column.items else 0.0
            if used + heading + heights[card] > column_mm + EPSILON_MM and column.items:
                next_column()
                column, heading = panels[-1].columns[col], heading_mm
            if heading:
                column.items.append(("heading", label if first else f"{label}（续）"))
            column.items.append(("card", card))
            used += heading + heights[card]
            first = False
    return Packed(panels, too_tall)
