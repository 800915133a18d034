"""Which PDFs exist and their HTML: an A4 公示 per notice under a 公示期, and every board.

Rendering the HTML to PDF is pdf.py's job; this module only decides and fills templates.
"""

from __future__ import annotations

import functools
import hashlib
import shutil
import subprocess
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import segno
from markupsafe import Markup

from generator.cachefiles import kept_text
from generator.errors import Problem, RecordsInvalid
from generator.paper.typeset import font_files, font_stacks, sign_padding, title_lines
from generator.reading.site import BoardEntry, CommunityData, Entry, Site
from generator.records import FAMILIES
from generator.records.board import FAMILY_NAMES, Board
from generator.records.publicity import publicity, withheld
from generator.templating.rendering import make_env

BODY_PT = "__GONGKAI_BODY_PT__"  # replaced by the fitting loop in pdf.py
PANELS = "__GONGKAI_PANELS__"
PANEL_NO = "__GONGKAI_PANEL__"  # in the footer strip: this panel's number…
PANEL_COUNT = "__GONGKAI_PANELS_TOTAL__"  # …and the board's number of panels
CMYK_BLACK = "device-cmyk(0 0 0 1)"


@dataclass(frozen=True)
class BoardLayout:
    """A board's pieces, packed into panels and columns by pdf.py once their heights are known."""

    band: str  # the header band of the first panel, HTML
    band_continued: str  # the header band of the other panels (title marked （续）)
    strip: str  # the footer strip of every panel, with PANEL_NO and PANEL_COUNT to fill in
    sections: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]  # (label, ((card id, HTML), …))
    width_mm: float  # the content box of a panel
    height_mm: float
    columns: int
    gutter_mm: float
    fit: tuple[float, float]  # (smallest legible, largest) body size in pt
    overflow: str = "分版"  # 分版: flow onto more panels; 报错: fail
    titles: dict[str, str] = field(default_factory=dict)  # card id → notice title, for messages

    @property
    def column_mm(self) -> float:
        return (self.width_mm - (self.columns - 1) * self.gutter_mm) / self.columns


@dataclass(frozen=True)
class PrintJob:
    """One PDF to render. Picklable: it crosses into worker processes."""

    dest: str  # site-relative path of the PDF
    html: str  # a board's HTML holds BODY_PT and PANELS, filled in by pdf.py
    source: str  # the record file, for messages
    board: BoardLayout | None = None
    preview: str | None = None  # site-relative path of a PNG preview of the first page
    pdfx: bool = False  # PDF/X-4 with the output intent from the CSS @color-profile
    marks: bool = False  # crop marks outside the trim (boards)
    where: tuple[int, int, str] = (1, 1, "")  # line, column and field to point at in `source`
    files: tuple[str, ...] = ()  # the only file: URLs its HTML may load (print font, ICC profile)


class Keeps(Protocol):
    """The live preview's memo (web.memo.Memo): `make()`'s value, kept under `key` between builds."""

    def get(self, key: Hashable, make: Callable[[], Any]) -> Any: ...


class FontsMissing(Exception):
    """No Chinese font is installed: printing would produce empty boxes."""


def cjk_font_families() -> set[str]:
    """Font families fontconfig knows for Simplified Chinese."""
    if shutil.which("fc-list") is None:
        return set()
    out = subprocess.run(["fc-list", ":lang=zh-cn", "family"], capture_output=True, text=True, check=False)
    return {name.strip() for line in out.stdout.splitlines() for name in line.split(",") if name.strip()}


def require_cjk_fonts(families: set[str]) -> None:
    if not families:
        raise FontsMissing(
            "没有安装中文字体，打印件会显示成方框。请安装：sudo apt-get install fonts-noto-cjk\n"
            "(no Chinese font installed: PDFs would show empty boxes. Install: sudo apt-get install fonts-noto-cjk)"
        )


_CODE = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()  # a QR code drawn otherwise is another file


@functools.lru_cache(maxsize=4096)  # a preview edit plans every notice's A4 again
def qr_svg(url: str, kept: Path | None = None) -> Markup:
    """A QR code as inline SVG in single black ink (sized by CSS), with the standard quiet zone of
    four modules. Encoding one takes 9–18 ms (segno scores eight masks): a thousand notices' A4
    would add 10–20 s to every build, so they are kept in the `kept` folder between builds (by
    address, segno's version and this file) and in memory for the last few thousand addresses."""
    if kept is not None:
        name = hashlib.sha256(repr((_CODE, segno.__version__, url)).encode()).hexdigest()
        return Markup(kept_text(kept / f"{name}.svg", lambda: qr_svg(url)))
    svg = segno.make(url, error="m").svg_inline(scale=1, border=4, dark="#000", omitsize=True)
    svg = svg.replace('stroke="#000"', f'stroke="{CMYK_BLACK}" fill="none"')
    return Markup(svg.replace("<svg ", f'<svg fill="{CMYK_BLACK}" ', 1))  # no default RGB fill either


def print_title(title: str) -> str:
    """GB/T 9704 style: 关于……的公示, unless the title already reads as one."""
    if title.startswith("关于") or title.endswith(("公示", "公告", "通知", "公开")):
        return title
    return f"关于{title}的公示"


class _Printer:
    def __init__(self, site: Site, templates: Path, site_url: str, css_extra: str, kept: Path | None) -> None:
        self.site, self.site_url, self.kept = site, site_url.rstrip("/") + "/", kept
        self.env = make_env(templates, "print")
        base = (templates / "print" / "print.css").read_text(encoding="utf-8")
        self.css = Markup(base + css_extra)
        self.stamp = f"{site.as_of.isoformat()}T00:00:00+08:00"
        self.settings = (site.config.model_dump_json(), self.stamp, self.site_url, str(self.css), kept)

    def kept_notice(self, entry: Entry, memo: Keeps | None) -> PrintJob:
        """A notice's A4 job; through the preview's memo under a key naming everything the job is
        made from (a template reading more must add it here; the memo is emptied when a template
        changes): an edit then renders one A4 page, not the community's thousand."""
        if memo is None:
            return self.notice(entry)
        channel = tuple(self.site.channel(entry).items())
        key = ("a4", entry.file, entry.raw.blob, entry.community, channel, self.settings)
        return memo.get(key, lambda: self.notice(entry))  # type: ignore[no-any-return]

    def context(self) -> dict[str, Any]:
        """What the web's kind templates expect, with absolute links (paper has no relative URLs)."""
        return {
            "url": lambda target: self.site_url + target,
            "publicity": publicity,
            "as_of": self.site.as_of,
            "families": FAMILIES,
            "is_withheld": lambda n: False,
            "withheld": False,
            "charts": False,
        }

    def notice(self, entry: Entry) -> PrintJob:
        n = entry.notice
        channel = self.site.channel(entry)
        title = print_title(n.title) if n.period is not None else n.title
        date = f"{n.date.year}年{n.date.month}月{n.date.day}日"
        names = [f"{s.org}{s.seal or ''}" for s in n.signatories] or [str(channel["org"])]
        orgs = [(name, f"{sign_padding(name, date)[0]:g}") for name in names]
        html = self.env.get_template("notice-a4.html.j2").render(
            **self.context(),
            n=n,
            entry=entry,
            ch=channel,
            css=self.css,
            stamp=self.stamp,
            print_title=title,
            title_lines=title_lines(title),
            sign={"orgs": orgs, "date_em": f"{sign_padding('', date)[1]:g}"},
            qr=qr_svg(self.site_url + entry.url, self.kept),
            page_url=self.site_url + entry.url,
            kind_template=f"kinds/{type(n).__name__.lower()}.html.j2",
            a4_template=f"a4-kinds/{type(n).__name__.lower()}.html.j2",
        )
        return PrintJob(entry.a4_url, html, entry.file)

    def board(self, data: CommunityData, b: BoardEntry, marks: bool = False) -> PrintJob:
        board = b.board
        w, h, least = board.dimensions()
        margin = 40 if min(w, h) >= 800 else 12
        gutter = max(5, margin // 2)
        org = data.community.org(board.org)
        org_name = org.name if org else board.org
        phone, box = (org.phone, org.box) if org else (None, None)
        sections = _sections(data, board, self.site)
        card = self.env.get_template("board-card.html.j2")
        pieces = tuple(
            (
                label,
                tuple(
                    (
                        f"n-{e.notice.id}",
                        card.render(
                            **self.context(),
                            n=e.notice,
                            entry=e,
                            qr=qr_svg(self.site_url + e.url, self.kept),
                            kind_template=f"kinds/{type(e.notice).__name__.lower()}.html.j2",
                            board_template=f"board-kinds/{type(e.notice).__name__.lower()}.html.j2",
                        ),
                    )
                    for e in entries
                ),
            )
            for label, entries in sections
        )
        band = self.env.get_template("board-band.html.j2")
        layout = BoardLayout(
            band=band.render(board=board, org_name=org_name, continued=False),
            band_continued=band.render(board=board, org_name=org_name, continued=True),
            strip=self.env.get_template("board-strip.html.j2").render(
                org_name=org_name, phone=phone, box=box, as_of=self.site.as_of
            ),
            sections=pieces,
            width_mm=w - 2 * margin,
            height_mm=h - 2 * margin,
            columns=board.columns,
            gutter_mm=gutter,
            fit=(least, round(least * 1.6, 1)),
            overflow=board.on_overflow,
            titles={f"n-{e.notice.id}": e.notice.title for _, entries in sections for e in entries},
        )
        # Crop marks are drawn in the bleed, half of it long: with marks the bleed grows to 10 mm.
        bleed = max(board.bleed, 10) if marks else board.bleed
        page_css = (
            f"@page board {{ size: {w}mm {h}mm; margin: {margin}mm; bleed: {bleed}mm;"
            f"{' marks: crop;' if marks else ''} }}"
            f":root {{ --body: {BODY_PT}; --colw: {layout.column_mm:.3f}mm; --gutter: {gutter}mm;"
            f" --panel-h: {h - 2 * margin - 0.2:.1f}mm; }}"
        )
        html = self.env.get_template("board.html.j2").render(
            board=board, stamp=self.stamp, css=Markup(self.css + page_css)
        )
        line, column = b.raw.where(("尺寸",))
        return PrintJob(
            b.pdf_url, html, b.raw.path, board=layout, preview=b.preview_url, where=(line, column, "尺寸"), marks=marks
        )


def _sections(data: CommunityData, board: Board, site: Site) -> list[tuple[str, list[Entry]]]:
    """The board's notices grouped by family, in the order the board lists the families."""

    wanted = [FAMILY_NAMES[f] for f in board.families]

    def chosen(e: Entry) -> bool:
        if e.notice.id in board.notices:
            return True
        if e.family not in wanted or e.notice.status.value != "已发布":
            return False
        return board.period is None or board.period.start <= e.notice.date <= board.period.end

    picked = [e for e in data.public if chosen(e) and not withheld(e.notice, site.as_of)]
    order = list(dict.fromkeys([*wanted, *FAMILIES]))
    labels = data.community.families()
    return [(labels[f], [e for e in picked if e.family == f]) for f in order if any(e.family == f for e in picked)]


def print_jobs(
    site: Site,
    templates: Path,
    site_url: str,
    pdfx_profile: Path | None = None,
    marks: bool = False,
    kept: Path | None = None,
    memo: Keeps | None = None,
) -> list[PrintJob]:
    """Every PDF of the site: an A4 notice for every published notice (not withheld) and boards.
    `kept`: a folder to keep QR codes in between builds. `memo`: the live preview's."""
    installed = cjk_font_families()
    require_cjk_fonts(installed)
    wanted = site.config.fonts
    own = {"title": wanted.title, "body": wanted.body, "heading": wanted.heading} if wanted else {}
    extra = font_stacks(own, installed, templates)
    files = font_files(templates)
    if pdfx_profile is not None:
        uri = pdfx_profile.resolve().as_uri().replace('"', "%22")
        extra += f'@color-profile device-cmyk {{ src: url("{uri}"); components: cyan, magenta, yellow, black }}'
        files += (uri,)
    printer = _Printer(site, templates, site_url, extra, kept)
    jobs: list[PrintJob] = []
    for data in site.communities:
        for entry in data.public:
            n = entry.notice
            if n.status.value == "已发布" and not withheld(n, site.as_of):
                jobs.append(printer.kept_notice(entry, memo))
        jobs.extend(printer.board(data, b, marks) for b in data.boards)
    return [PrintJob(**{**j.__dict__, "pdfx": pdfx_profile is not None, "files": files}) for j in jobs]


def as_problem(job: PrintJob, zh: str, en: str, hint_zh: str, hint_en: str) -> RecordsInvalid:
    return RecordsInvalid([Problem(job.source, 1, 1, "", zh, en, hint_zh, hint_en)])
