"""SVG bar charts (pygal) for finance pages: exact labels, no script, no colour needed to read.

Every bar carries its amount as text, so the chart reads in black and white and on a screen
reader's table beside it; values come in as Decimal and are printed exactly, not via float.
"""

from __future__ import annotations

import functools
import hashlib
import re
from decimal import Decimal
from html import escape
from pathlib import Path

import pygal
from markupsafe import Markup
from pygal.style import Style

from generator.cachefiles import kept_in, kept_text

FONT = 16  # label and value size in the chart's own units
BAR = "#eeb4b4"  # pale: the black text on it keeps a contrast above 10:1
# (class, narrowest and widest viewBox): a chart fills its column, so its text grows with the
# column over the viewBox width. Phones get a narrow drawing (16 units → 18 px in a 358 px column,
# 14.3 px at the widest), wider screens a wide one (→ 17–23 px); in 大字 mode narrower ones
# (→ 23 px on phones, 21 px at the widest; 30 px at 1280 px). Within its range a drawing is as
# narrow as its longest label allows. The CSS shows one of the four.
VARIANTS = (
    ("gk-chart-wide", 640, 640),
    ("gk-chart-narrow", 320, 400),
    ("gk-chart-large", 240, 264),
    ("gk-chart-large-wide", 480, 480),
)
MARGIN = 2 * FONT + 8  # the text's indent and the drawing's margins
LINE = 21  # pygal spaces a label and its value by the value font size: set it a line apart
_CSS = (
    "inline:.text-overlay text.label,.text-overlay text.value"
    f"{{text-anchor:start;fill:#111;font-size:{FONT}px!important}}"
    ".text-overlay text.value{font-weight:bold}"
)


def _style() -> Style:
    return Style(
        background="white",
        plot_background="white",
        foreground="#111",
        foreground_strong="#111",
        foreground_subtle="#555",
        colors=(BAR,),
        font_family='"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif',
        label_font_size=FONT,
        major_label_font_size=FONT,
        value_font_size=LINE,
        value_label_font_size=FONT,
        title_font_size=FONT,
        tooltip_font_size=FONT,
    )


def _units(label: str) -> float:
    return sum(FONT if ord(ch) > 127 else FONT * 0.6 for ch in label)


def _width(labels: list[str], narrowest: int, widest: int) -> int:
    return int(min(max(narrowest, max((_units(label) for label in labels), default=0) + MARGIN), widest))


def _fit(label: str, width: int) -> str:
    """A label cut to the drawing's width (CJK a full em, others about half): the table beside
    the chart has it whole, and a longer label would shrink every text below 14 px."""
    room, used = width - MARGIN, 0.0
    for i, ch in enumerate(label):
        used += FONT if ord(ch) > 127 else FONT * 0.6
        if used > room:
            return label[: max(i - 1, 1)] + "…"
    return label


def _clean(svg: str, seed: str) -> Markup:
    """Deterministic ids, no comments (they name pygal's web site), no script."""
    chart_id = "chart-" + hashlib.sha1(seed.encode(), usedforsecurity=False).hexdigest()[:12]
    svg = re.sub(r"chart-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", chart_id, svg)
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.S)
    svg = re.sub(r"<script.*?</script>", "", svg, flags=re.S)
    return Markup(svg)


_CODE = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()  # a changed chart layout is another chart


def chart_cache(root: Path) -> Path:
    """Where charts are kept between builds: beside the PDFs, by content, so safe to share."""
    return kept_in(root, "charts")


def bar_chart(title: str, bars: list[tuple[str, Decimal]], cache: Path | None = None) -> Markup:
    """Horizontal bars, one per (label, amount) and in that order top down, each with its exact amount.
    With a `cache` folder, a chart drawn by an earlier build (same title, labels, amounts, pygal
    and this file) is read back instead of drawn: pygal takes about 5 ms a chart."""
    key = tuple(bars)
    if cache is None:
        return _chart(title, key)
    name = hashlib.sha256(repr((_CODE, pygal.__version__, title, key)).encode()).hexdigest()
    return Markup(kept_text(cache / f"{name}.svg", lambda: _chart(title, key)))


def _drawing(title: str, top_down: list[tuple[str, Decimal]], width: int) -> str:
    """One drawing: a pale bar per amount, its label and exact amount on two lines over the bar's
    start (never across the bar's end, never over another label)."""
    slot = int(FONT * 3.3)  # two lines of text and the gap to the next bar
    chart = pygal.HorizontalBar(
        style=_style(),
        css=["file://style.css", "file://graph.css", _CSS],
        js=[],
        disable_xml_declaration=True,
        show_legend=False,
        print_values=True,
        print_labels=True,
        print_values_position="bottom",  # at the bar's start; the CSS anchors the text there
        width=width,
        height=slot * len(top_down) + 8,
        explicit_size=False,
        show_y_guides=False,
        show_x_guides=False,
        show_x_labels=False,
        show_y_labels=False,
        margin=4,
        spacing=6,
        pretty_print=False,
    )
    chart.add(
        title,
        [
            {"value": float(a), "label": _fit(label, width), "formatter": lambda _v, a=a: f"{a:,.2f}"}
            for label, a in top_down
        ],
    )
    return chart.render(is_unicode=True).replace("<svg ", f'<svg role="img" aria-label="{escape(title)}" ', 1)


@functools.lru_cache(maxsize=20000)  # the live preview rebuilds in one process: unchanged charts are free
def _chart(title: str, bars: tuple[tuple[str, Decimal], ...]) -> Markup:
    top_down = list(reversed(bars))  # pygal draws the first bar at the bottom; tables read top down
    seed = title + "|" + "|".join(f"{label}={amount}" for label, amount in bars)
    drawings = [
        f'<div class="{cls}">{_clean(_drawing(title, top_down, width), f"{seed}|{width}")}</div>'
        for cls, width in ((cls, _width([label for label, _ in bars], low, high)) for cls, low, high in VARIANTS)
    ]
    return Markup("".join(drawings))


def chart_values(svg: str) -> list[str]:
    """The amounts printed on the bars of the (first) drawing, top to bottom (to check a chart
    against its table)."""
    svg = svg[: svg.find("</svg>")]
    return list(reversed(re.findall(r'<text[^>]*class="value[^"]*"[^>]*>([^<]+)</text>', svg)))
