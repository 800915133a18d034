"""SVG bar charts (pygal) for finance pages: exact labels, no script, no colour needed to read.

Every bar carries its amount as text, so the chart reads in black and white and on a screen
reader's table beside it; values come in as Decimal and are printed exactly, not via float.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from decimal import Decimal
from pathlib import Path

import pygal
from markupsafe import Markup
from pygal.style import Style

_STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#222",
    foreground_strong="#111",
    foreground_subtle="#666",
    colors=("#a31515", "#555555"),
    font_family="sans-serif",
    label_font_size=14,
    major_label_font_size=14,
    value_font_size=14,
    title_font_size=16,
    value_label_font_size=14,
)


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
    base = os.environ.get("GONGKAI_CACHE")
    return Path(base) / "charts" if base else root / ".cache" / "gongkai" / "charts"


def bar_chart(title: str, bars: list[tuple[str, Decimal]], cache: Path | None = None) -> Markup:
    """Horizontal bars, one per (label, amount) and in that order top down, each with its exact amount.
    With a `cache` folder, a chart drawn by an earlier build (same title, labels, amounts, pygal
    and this file) is read back instead of drawn: pygal takes about 5 ms a chart."""
    key = tuple(bars)
    if cache is None:
        return _chart(title, key)
    name = hashlib.sha256(repr((_CODE, pygal.__version__, title, key)).encode()).hexdigest()
    path = cache / f"{name}.svg"
    try:
        return Markup(path.read_text(encoding="utf-8"))
    except OSError:
        pass
    svg = _chart(title, key)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{name}.{os.getpid()}.tmp")
        partial.write_text(svg, encoding="utf-8")
        partial.replace(path)  # whole or not at all, even with builds running side by side
    except OSError:
        pass  # no cache (read-only folder, full disk): the chart was drawn all the same
    return svg


@functools.lru_cache(maxsize=20000)  # the live preview rebuilds in one process: unchanged charts are free
def _chart(title: str, bars: tuple[tuple[str, Decimal], ...]) -> Markup:
    top_down = list(reversed(bars))  # pygal draws the first bar at the bottom; tables read top down
    chart = pygal.HorizontalBar(
        style=_STYLE,
        js=[],
        disable_xml_declaration=True,
        show_legend=False,
        print_values=True,
        print_values_position="top",
        width=520,
        height=max(180, 56 * len(bars) + 80),
        explicit_size=False,
        show_y_guides=False,
        show_x_guides=False,
        show_x_labels=False,
        margin=10,
        spacing=12,
        margin_right=90,
        margin_left=10
        + 9
        * max((sum(ord(ch) > 127 for ch in label) for label, _ in bars), default=0),  # CJK is wider than pygal thinks
        truncate_label=-1,
        pretty_print=False,
    )
    chart.title = title
    chart.x_labels = [label for label, _ in top_down]
    chart.add(title, [{"value": float(a), "formatter": lambda _v, a=a: f"{a:,.2f}"} for _, a in top_down])
    seed = title + "|" + "|".join(f"{label}={amount}" for label, amount in bars)
    return _clean(chart.render(is_unicode=True), seed)


def chart_values(svg: str) -> list[str]:
    """The amounts printed on the bars, top to bottom (to check a chart against its table)."""
    return list(reversed(re.findall(r'<text[^>]*class="value[^"]*"[^>]*>([^<]+)</text>', svg)))
