"""A notice as an image to post in a residents' WeChat group: 1080 px wide PNG with the title, the
公示期, the key figures (or the start of the text), a QR code to the page and the fingerprint.

Drawn with Pillow in the system's Noto CJK fonts (no web font). The same text is written into the
PNG's text chunks (Title, Description, Source), so what the image says can be read back exactly.
A withheld list (公示期 over) gets no image: its names are off the site."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import PIL
import segno
from PIL import Image, ImageDraw, ImageFont
from PIL.PngImagePlugin import PngInfo

from generator.cachefiles import used, write_whole
from generator.reading.site import Entry, Site
from generator.templating.rendering import date_cn
from generator.web.guide import index_number
from generator.web.sharing import SHARE_IMAGE, clip, has_share_image, key_figures, period_text, plain

WIDTH = 1080
PAD = 64
RED = (163, 21, 21)
INK = (17, 17, 17)
GREY = (68, 68, 68)
PALE = (250, 238, 238)


@functools.lru_cache(maxsize=4)
def _font_file(bold: bool) -> tuple[str, int]:
    """The installed Noto Sans CJK SC (fonts-noto-cjk), as fontconfig names it: file and index."""
    name = "Noto Sans CJK SC:bold" if bold else "Noto Sans CJK SC"
    try:
        out = subprocess.run(["fc-match", "-f", "%{file}:%{index}", name], capture_output=True, text=True, check=True)
        path, _, index = out.stdout.rpartition(":")
        return path, int(index or 0)
    except (OSError, subprocess.CalledProcessError, ValueError):
        return ("/usr/share/fonts/opentype/noto/NotoSansCJK-" + ("Bold" if bold else "Regular") + ".ttc", 2)


@functools.lru_cache(maxsize=32)
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    path, index = _font_file(bold)
    return ImageFont.truetype(path, size, index=index)


@dataclass(frozen=True)
class ShareText:
    """What the image says, in reading order."""

    title: str
    lines: tuple[str, ...]  # kind, publisher, date; 公示期; figures or summary
    url: str
    fingerprint: str
    index_no: str


def share_text(site: Site, entry: Entry, page_url: str) -> ShareText:
    n = entry.notice
    lines = [f"{n.kind} · {site.channel(entry)['org']} · {date_cn(n.date)}发布"]
    if (p := period_text(n)) is not None:
        lines.append(f"公示期：{p}")
    figures = key_figures(n)
    lines += [f"{label}：{value}" for label, value in figures]
    if not figures and n.body:
        lines.append(clip(plain(n.body), 90))
    if (phone := site.channel(entry).get("phone")) is not None:
        lines.append(f"监督电话：{phone}")
    return ShareText(n.title, tuple(lines), page_url, entry.fingerprint, index_number(entry))


NO_LINE_START = set("，。、；：！？）》」』”’…")  # 避头: never at the start of a line


def _wrap(draw: ImageDraw.ImageDraw, text: str, face: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Lines of `text` no wider than `width` (CJK breaks anywhere but before closing punctuation;
    a Latin word or number is not split); a line break in the text starts a new line."""
    return [line for part in text.splitlines() for line in _wrap_line(draw, part, face, width)]


def _wrap_line(draw: ImageDraw.ImageDraw, text: str, face: ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines, line = [], ""
    for token in _tokens(text):
        too_wide = draw.textlength(line + token, font=face) > width
        if line and too_wide and token not in NO_LINE_START:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line += token
    return [*lines, line] if line else lines


def _tokens(text: str) -> list[str]:
    tokens: list[str] = []
    for ch in text:
        if tokens and ch.isascii() and not ch.isspace() and tokens[-1][-1:].isascii() and not tokens[-1].isspace():
            tokens[-1] += ch
        else:
            tokens.append(ch)
    return tokens


def _qr(url: str, scale: int = 8) -> Image.Image:
    matrix = segno.make(url, error="m").matrix
    size = len(matrix) + 8
    image = Image.new("1", (size, size), 1)
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                image.putpixel((x + 4, y + 4), 0)
    return image.resize((size * scale, size * scale), Image.Resampling.NEAREST)


def draw_share(text: ShareText, site_name: str) -> bytes:
    """The PNG: drawn on a tall canvas, cut to what it used."""
    canvas = Image.new("RGB", (WIDTH, 4000), "white")
    draw = ImageDraw.Draw(canvas)
    inner = WIDTH - 2 * PAD
    draw.rectangle((0, 0, WIDTH, 120), fill=RED)
    draw.text((PAD, 60), site_name, font=font(38, True), fill="white", anchor="lm")
    y = 170
    for line in _wrap(draw, text.title, font(60, True), inner):
        draw.text((PAD, y), line, font=font(60, True), fill=INK)
        y += 84
    y += 24
    for i, line in enumerate(text.lines):
        face = font(42, True) if "：" in line and i else font(36)
        wrapped = _wrap(draw, line, face, inner - 32)
        height = len(wrapped) * int(face.size * 1.5) + 24
        if i and "：" in line:
            draw.rectangle((PAD, y, WIDTH - PAD, y + height - 8), fill=PALE)
        for part in wrapped:
            draw.text((PAD + 16, y + 8), part, font=face, fill=INK if i else GREY)
            y += int(face.size * 1.5)
        y += 24
    y += 24
    qr = _qr(text.url)
    canvas.paste(qr.convert("RGB"), (PAD - 32, y))
    left = PAD + qr.width - 16
    draw.text((left, y + 40), "扫码查看全文", font=font(40, True), fill=INK)
    notes = [f"索引号 {text.index_no}", f"记录指纹 {text.fingerprint}", "指纹相同，内容即与网页、公开栏一致"]
    for i, note in enumerate(notes):
        draw.text((left, y + 110 + i * 52), note, font=font(30), fill=GREY)
    y += max(qr.height, 110 + len(notes) * 52) + PAD // 2
    image = canvas.crop((0, 0, WIDTH, y))
    info = PngInfo()
    info.add_itxt("Title", text.title)
    info.add_itxt("Description", "\n".join(text.lines))
    info.add_itxt("Source", text.url)
    info.add_itxt("Comment", f"索引号 {text.index_no}；记录指纹 {text.fingerprint}")
    out = io.BytesIO()
    # 64 colours are plenty for text, a red band and a QR code: a third of the bytes, faster too.
    image.quantize(64, method=Image.Quantize.FASTOCTREE).save(out, format="PNG", pnginfo=info)
    return out.getvalue()


_CODE = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()  # a changed layout is another image
CACHED = re.compile(r"[0-9a-f]{64}\.png")  # the share-image cache's own files


def cached_share(text: ShareText, site_name: str, cache: Path | None) -> bytes | Path:
    """The image's file in `cache` (drawn by an earlier build from the same text; published by
    copying, not held), else the image drawn, and kept: drawing one takes some 50–100 ms, so a
    thousand notices would add over a minute to each build."""
    if cache is None:
        return draw_share(text, site_name)
    key = repr((_CODE, PIL.__version__, segno.__version__, text, site_name))
    path = cache / f"{hashlib.sha256(key.encode()).hexdigest()}.png"
    if path.is_file() and os.access(path, os.R_OK):
        used(path)  # cachefiles.prune keeps what builds use
        return path
    png = draw_share(text, site_name)
    with contextlib.suppress(OSError):  # no cache (read-only, full disk): the image is drawn all the same
        write_whole(path, png)
    return png


def share_images(site: Site, site_url: str) -> dict[str, tuple[ShareText, str]]:
    """dest → (what the image says, site name) for every notice that has one."""
    base = site_url.rstrip("/") + "/"
    found = {}
    for data in site.communities:
        for entry in data.public:
            if has_share_image(site, entry):
                found[entry.url + SHARE_IMAGE] = (share_text(site, entry, base + entry.url), site.config.name)
    return found
