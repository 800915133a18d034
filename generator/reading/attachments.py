"""What a notice may publish beside itself, and what the build may read at all.

Attachments and photos: PDF, JPEG, PNG or WebP only (office files are refused: they carry
authors, tracked changes and hidden sheets that no one checks; save them as PDF), in the
record's own folder or below it, never a record file, and their bytes must be what their name
says. Symlinks under content/, site_data/ and templates/ must not lead out of the project:
mkdocs and the loader would follow them to the build machine's own files.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from generator.errors import Problem, field_path
from generator.reading.loading import tree
from generator.reading.site import Entry

# Suffix → the bytes such a file starts with.
ALLOWED = {
    ".pdf": (b"%PDF-",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".webp": (b"RIFF",),
}
IMAGES = frozenset({".jpg", ".jpeg", ".png", ".webp"})
PROJECT_FOLDERS = ("content", "site_data", "templates")


def _at(entry: Entry, loc: tuple[str | int, ...], zh: str, en: str, hint_zh: str, hint_en: str) -> Problem:
    line, col = entry.raw.where(loc)
    return Problem(entry.file, line, col, field_path(loc), zh, en, hint_zh, hint_en)


def _content_ok(path: Path, suffix: str) -> bool:
    with path.open("rb") as f:
        head = f.read(16)
    if suffix == ".webp":
        return head.startswith(b"RIFF") and head[8:12] == b"WEBP"
    return head.startswith(ALLOWED[suffix])


def _opens(path: Path, suffix: str) -> bool:
    """The file can be read whole (not damaged, not encrypted): it is cleaned and read back on
    publishing, and a file we cannot read we cannot vouch for."""
    try:
        if suffix == ".pdf":
            from pypdf import PdfReader

            reader = PdfReader(path)
            return not reader.is_encrypted and len(reader.pages) > 0
        from PIL import Image

        with Image.open(path) as img:
            img.load()
        return True
    except Exception:  # every library error means the same here: unreadable
        return False


def _refusal(rel: str, folder: Path, target: Path, data_dir: Path, allowed: tuple[str, ...]) -> tuple[str, ...] | None:
    suffix = PurePosixPath(rel).suffix.lower()
    if not target.is_relative_to(data_dir):
        return (
            f"文件“{rel}”在 site_data/ 之外",
            f"file '{rel}' is outside site_data/",
            "把文件放进 site_data/ 里，路径不要用 ../",
            "keep files inside site_data/",
        )
    if not target.is_relative_to(folder):
        return (
            f"文件“{rel}”不在本记录所在的目录里",
            f"file '{rel}' is not in this record's folder",
            "把文件放在本记录所在目录或其子目录（如 附件/）里，不要用 ../ 引用别的记录的文件",
            "keep a record's files in its own folder or below it",
        )
    if not target.is_file():
        return (
            f"找不到文件“{rel}”",
            f"file '{rel}' not found",
            "检查文件名和路径（相对于本记录所在目录）",
            "check the path, relative to this record",
        )
    if suffix not in allowed:
        kinds = "、".join(s.lstrip(".").upper() for s in allowed)
        return (
            f"不能发布“{suffix or '无扩展名'}”文件“{rel}”：只能附 {kinds}",
            f"'{rel}': only {', '.join(allowed)} files are published",
            "Word、Excel 等请另存为 PDF；网页、Markdown、SVG、YAML 等不能作为附件",
            "save office files as PDF; HTML, Markdown, SVG, YAML and others are refused",
        )
    if not _content_ok(target, suffix):
        return (
            f"文件“{rel}”的内容不是 {suffix.lstrip('.').upper()}（扩展名与内容不符）",
            f"'{rel}' is not really a {suffix} file",
            "用原来的程序重新导出为 PDF 或图片",
            "export it again as a PDF or an image",
        )
    if not _opens(target, suffix):
        return (
            f"文件“{rel}”打不开（已损坏或加了密码）",
            f"'{rel}' cannot be read (damaged or encrypted)",
            "用原来的程序重新导出，不要设置密码",
            "export it again, without a password",
        )
    return None


def attachment_problems(entries: list[Entry], base: Path, root: Path) -> Iterator[Problem]:
    """Every attachment and photo that may not be published, at its field."""
    data_dir = base.resolve()
    for e in entries:
        files = [("附件", i, a.file, tuple(ALLOWED)) for i, a in enumerate(e.notice.attachments)]
        files += [("照片", i, p.file, tuple(sorted(IMAGES))) for i, p in enumerate(getattr(e.notice, "photos", []))]
        folder = (root / e.file).parent.resolve() if files else root
        for name, i, rel, allowed in files:
            refused = _refusal(rel, folder, (folder / rel).resolve(), data_dir, allowed)
            if refused is not None:
                yield _at(e, (name, i, "文件"), *refused)


def _project_paths(root: Path, only: str | None) -> Iterator[Path]:
    for top in PROJECT_FOLDERS:
        folder = root / top
        if not folder.is_dir() or (only and top != "site_data"):
            continue
        if only is not None and top == "site_data":  # the top, and the part's own community
            yield from sorted([*folder.iterdir(), *(tree(folder / only) if only else ())])
        else:
            yield from sorted(tree(folder))


def links_leaving(root: Path, only: str | None = None) -> Iterator[Problem]:
    """Symlinks under the project's folders that lead outside the project. A sharded build splits
    the walk: `only="<community>"` walks the top of site_data/ and that community's folder (its
    part), `only=""` content/, templates/ and the top of site_data/ (the client)."""
    project = root.resolve()
    for path in _project_paths(root, only):
        if path.is_symlink() and not path.resolve().is_relative_to(project):
            rel = path.relative_to(root).as_posix()
            yield Problem(
                rel,
                1,
                1,
                "",
                f"“{rel}”是指向项目之外的链接（符号链接），生成时不会读取项目以外的文件",
                f"'{rel}' is a symlink leading outside the project",
                "删除这个链接，把需要的文件复制进项目",
                "delete the link and copy the file into the project",
            )


# What browsers strip or ignore in a URL before reading it (WHATWG URL: C0 controls and space at
# the ends, tabs and newlines anywhere); they also read "\\" as "/" in web addresses.
_URL_NOISE = re.compile(r"[\t\n\r]")
# Image references in Markdown (![alt](src "title")) and in raw HTML (<img src=…>).
_IMAGE_REFS = re.compile(r"""!\[[^\]]*\]\(\s*<?([^)\s>]*)|<img\b[^>]*?\bsrc\s*=\s*["']?([^"'\s>]*)""", re.I)


def local_image(src: str) -> bool:
    """An image address that stays within the site: a relative path, no scheme, no host, not
    rooted (on paper a rooted path would be a file of the build machine)."""
    url = _URL_NOISE.sub("", src).strip("\x00- ").replace("\\", "/")
    parts = urlsplit(url)
    return bool(url) and not parts.scheme and not parts.netloc and not url.startswith("/") and ":" not in url


def body_images(entries: list[Entry]) -> Iterator[Problem]:
    """Images in a 正文 that would be fetched from another host or read from the build machine."""
    for e in entries:
        body = e.notice.body
        if not body or ("![" not in body and "<img" not in body.lower()):
            continue
        for match in _IMAGE_REFS.finditer(body):
            src = match.group(1) if match.group(1) is not None else match.group(2)
            if not local_image(src):
                yield _at(
                    e,
                    ("正文",),
                    f"正文里的图片“{src}”不是本项目里的文件（外部网址或本机路径）",
                    f"the image '{src}' in 正文 is not a file of the project",
                    "图片请作为“照片”或“附件”放在本记录目录里；正文不引用外部网站或本机文件",
                    "add pictures as photos or attachments in the record's folder",
                )
