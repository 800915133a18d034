"""A board card cut into units that may go to different columns: its title, each paragraph or
block, and each row of a table. A fragment of a card (a run of units) is put back together as a
card of its own: a continuation carries the title marked （续） and every table piece repeats the
table's header row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import html as lxml_html

_FLATTEN = {"div", "section"}  # wrappers whose children are blocks of their own


@dataclass(frozen=True)
class Table:
    """A table's pieces: its opening tag, the header and the footer (HTML)."""

    open_tag: str
    head: str
    foot: str


@dataclass(frozen=True)
class Unit:
    """One indivisible block of a card: a paragraph, a list, a heading, the QR block or a row."""

    html: str
    table: int | None = None  # index into Card.tables for a table row
    heading: bool = False  # keep with the next unit: a column never ends with it


@dataclass(frozen=True)
class Card:
    ident: str
    title: str  # HTML of the title block
    units: tuple[Unit, ...]
    tables: tuple[Table, ...] = field(default=())


def _outer(element) -> str:
    return lxml_html.tostring(element, encoding="unicode", with_tail=False)


def _open_tag(element) -> str:
    attrs = "".join(f' {k}="{v}"' for k, v in element.attrib.items() if k != "id")
    return f"<{element.tag}{attrs}>"


def split(ident: str, card_html: str) -> Card:
    """Cut a rendered board card (an <article> whose first child is its title block) into units."""
    article = lxml_html.fragment_fromstring(card_html)
    children = [c for c in article if isinstance(c.tag, str)]
    title, rest = children[0], children[1:]
    units: list[Unit] = []
    tables: list[Table] = []

    def add(element) -> None:
        if (element.tag in _FLATTEN and element.find(".//table") is not None) or (
            element.tag == "div" and ("gk-body" in element.get("class", ""))
        ):
            for child in element:
                if isinstance(child.tag, str):
                    add(child)
            return
        if element.tag == "table":
            head = element.find("thead")
            foot = element.find("tfoot")
            rows = [r for body in element.findall("tbody") for r in body.findall("tr")]
            rows += element.findall("tr")
            if not rows:
                units.append(Unit(_outer(element)))
                return
            tables.append(
                Table(
                    _open_tag(element),
                    _outer(head) if head is not None else "",
                    _outer(foot) if foot is not None else "",
                )
            )
            units.extend(Unit(_outer(row), len(tables) - 1) for row in rows)
            return
        units.append(Unit(_outer(element), heading=element.tag in ("h2", "h3", "h4", "caption")))

    for child in rest:
        add(child)
    return Card(ident, _outer(title), tuple(units), tuple(tables))


def continued_title(title_html: str) -> str:
    """The title block of a continuation: the heading with （续） and without the meta line."""
    block = lxml_html.fragment_fromstring(title_html)
    heading = block.find(".//h3")
    if heading is None:
        return title_html
    heading.tail = None
    heading.append(lxml_html.fragment_fromstring('<span class="cont">（续）</span>'))
    return f'<div class="u u-title">{_outer(heading)}</div>'


def assemble(card: Card, start: int, end: int, *, ids: bool = False) -> str:
    """Units start..end-1 of a card as one <article>; ids=True marks every unit and row for
    measuring (see measure.py)."""
    title = card.title if start == 0 else continued_title(card.title)
    if ids:
        title = title.replace('class="u u-title"', f'class="u u-title" id="{card.ident}-t"', 1)
        title = title if start == 0 else title.replace(f'id="{card.ident}-t"', f'id="{card.ident}-tc"', 1)
    parts = [title]
    i = start
    while i < end:
        unit = card.units[i]
        if unit.table is None:
            ident = f' id="{card.ident}-u{i}"' if ids else ""
            parts.append(f'<div class="u"{ident}>{unit.html}</div>')
            i += 1
            continue
        t, first = unit.table, i
        rows = []
        while i < end and card.units[i].table == t:
            row = card.units[i].html
            rows.append(row.replace("<tr", f'<tr id="{card.ident}-r{i}"', 1) if ids else row)
            i += 1
        last_row = i == len(card.units) or card.units[i].table != t
        table = card.tables[t]
        ident = f' id="{card.ident}-x{first}"' if ids else ""
        parts.append(
            f'<div class="u"{ident}>{table.open_tag}{table.head}<tbody>{"".join(rows)}</tbody>'
            f"{table.foot if last_row else ''}</table></div>"
        )
    return f'<article class="card" id="{card.ident}{"" if start == 0 else f"-c{start}"}">{"".join(parts)}</article>'
