"""A published file → the text a reader (or a search engine) can get out of it.

HTML: comments and tags removed (block tags become line breaks, inline tags nothing, so
`1381234<!-- -->5678` and `**138**12345678` read as one number), entities decoded, and the
attributes a reader meets (links, alt text, titles) added. JSON: every string. Feeds and
sitemaps: their markup and the HTML escaped inside it. Calendars: lines unfolded. PDFs: the
text of every page and the document information. Images: their metadata. Scripts, styles and
fonts are the theme's, not the records', and are not read.
"""

from __future__ import annotations

import gzip
import html
import io
import json
import re
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote

_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.S)
# Style sheets inside the page (a chart's SVG carries one, with its generated id in every rule):
# never shown, and never made from a record (nh3 removes <style> from bodies).
_STYLE = re.compile(r"<style\b[^>]*>.*?</style>", re.S)
_BLOCK = re.compile(
    r"</?(?:p|div|td|th|tr|li|br|h[1-6]|dt|dd|dl|table|thead|tbody|ul|ol|section|article|header|footer|nav"
    r"|aside|main|pre|blockquote|hr|img|title|meta|link|option|figure|figcaption|summary|details|script|style"
    r"|entry|item|summary|content|loc|url|svg|g|text|tspan|desc|rect|path|circle|line|polyline|polygon)\b[^>]*>"
)  # lower case only: nh3, Markdown, mkdocs and our templates all write tags in lower case
_TAG = re.compile(r"<[^>]*>")
# Attributes a reader meets (links, alt text, titles, page descriptions). nh3 and our templates
# write attributes in double quotes, so only those are read: one fast pattern.
_ATTRIBUTE = re.compile(r'\s(?:href|src|alt|title|content|aria-label|value|datetime|data-[\w-]+)="([^"]*)"')
SKIPPED = frozenset({".js", ".css", ".map", ".woff", ".woff2", ".ttf", ".otf", ".eot", ".ico"})
IMAGES = frozenset({".png", ".jpg", ".jpeg", ".webp", ".gif"})


def html_text(markup: str) -> str:
    """The text of HTML as read on screen, and the attribute values a reader can reach."""
    attributes = [unquote(html.unescape(a)) for a in _ATTRIBUTE.findall(markup)]
    text = _TAG.sub("", _BLOCK.sub("\n", _STYLE.sub("", _COMMENT.sub("", markup))))
    return html.unescape(text) + "\n" + "\n".join(attributes)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield str(k)
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)
    elif value is not None:
        yield str(value)


def pdf_text(data: bytes) -> str:
    """Every page's text and the document information (title, author, subject, keywords…)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    try:
        parts = [str(v) for v in doc.get_metadata_dict(skip_empty=True).values()]
        for page in doc:
            textpage = page.get_textpage()
            parts.append(textpage.get_text_bounded())
            textpage.close()
            page.close()
        return "\n".join(parts)
    finally:
        doc.close()


def image_text(data: bytes) -> str:
    """An image's metadata as text (EXIF, PNG text chunks, XMP, comments)."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as img:
        parts = [f"{k} {v}" for k, v in sorted(img.info.items(), key=lambda kv: str(kv[0]))]
        parts += [str(v) for _, v in sorted(img.getexif().items())]
    return "\n".join(parts)


def text_of(dest: str, data: bytes) -> str | None:
    """What can be read out of the published file at `dest` (None: not read, theme files)."""
    suffix = PurePosixPath(dest).suffix.lower()
    if suffix in SKIPPED:
        return None
    if suffix == ".gz":
        return text_of(dest[:-3], gzip.decompress(data))
    if suffix == ".pdf":
        return pdf_text(data)
    if suffix in IMAGES:
        return image_text(data)
    text = data.decode("utf-8", errors="replace")
    if suffix == ".json":
        try:
            return "\n".join(html_text(s) if "<" in s or "&" in s else s for s in _strings(json.loads(text)))
        except ValueError:
            return text
    if suffix == ".ics":
        return text.replace("\r\n ", "").replace("\n ", "").replace("\\,", ",").replace("\\;", ";")
    if suffix in (".xml", ".svg"):
        return html_text(html_text(text))  # feeds carry HTML escaped inside XML
    if suffix in (".html", ".htm", ".md"):
        return html_text(text)
    return text
