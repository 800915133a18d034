"""Attachments and photos as published: cleaned of what the office machine wrote into them.

Images are decoded and encoded again from their pixels (turned upright first), so EXIF (the
camera, the place, the owner), XMP, comments and text chunks stay behind. PDFs lose their
document information and XMP metadata (author, the computer's user name, the title the file
had when it was someone's private list). What remains, the text of the PDF, the output gate
reads like every other published file.
"""

from __future__ import annotations

import io
from pathlib import Path

FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}


def clean_image(data: bytes, suffix: str) -> bytes:
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as img:
        upright = ImageOps.exif_transpose(img)
        fmt = FORMATS[suffix]
        if fmt == "JPEG" and upright.mode not in ("RGB", "L"):
            upright = upright.convert("RGB")
        out = io.BytesIO()
        options = {"quality": 90} if fmt in ("JPEG", "WEBP") else {"optimize": True}
        upright.save(out, fmt, **options)
    return out.getvalue()


def clean_pdf(data: bytes) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.metadata = None  # the document information dictionary: not written at all
    writer.xmp_metadata = None
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def cleaned(source: Path) -> bytes:
    """The file's bytes as they may be published (the checks allowed only PDFs and images)."""
    data = source.read_bytes()
    suffix = source.suffix.lower()
    if suffix == ".pdf":
        return clean_pdf(data)
    if suffix in FORMATS:
        return clean_image(data, suffix)
    return data
