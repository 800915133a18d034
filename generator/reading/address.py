"""The site's public address must be real before anything is printed or published: every QR code,
printed URL and feed link is made from it. A placeholder (the example's `gongkai.example.org`,
any RFC 2606 example or `.invalid` domain, or none at all) is an error — a warning only in the
example project itself (site.yaml `示例网站: 是`)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from generator.errors import Problem

CONFIG = "mkdocs.yml"
_EXAMPLE_DOMAINS = ("example.org", "example.com", "example.net")
_RESERVED_TLDS = ("example", "invalid", "localhost")


def is_placeholder(site_url: str) -> bool:
    host = (urlsplit(site_url).hostname or "").lower().rstrip(".")
    if not host:
        return True
    return host.endswith(_RESERVED_TLDS) or any(host == d or host.endswith("." + d) for d in _EXAMPLE_DOMAINS)


def address_problem(root: Path, site_url: str, example: bool) -> Problem | None:
    """The problem with `site_url`, located at its line in mkdocs.yml, or None when it is real."""
    if not is_placeholder(site_url):
        return None
    text = (root / CONFIG).read_text(encoding="utf-8") if (root / CONFIG).is_file() else ""
    found = re.search(r"^site_url\s*:", text, re.M)
    line = text.count("\n", 0, found.start()) + 1 if found else 1
    shown = site_url if site_url not in ("", "/") else "（未填写）"
    return Problem(
        CONFIG,
        line,
        1,
        "site_url",
        f"网站网址还是示例地址 {shown}：二维码、打印件和订阅里的网址都会指向它",
        f"the site address is still a placeholder ({site_url or 'none'}): QR codes, print and feeds would point there",
        "在 mkdocs.yml 里把 site_url 改为本网站的正式网址（例如 https://gongkai.某某街道.gov.cn/）"
        + ("；正式使用前删去 site.yaml 的“示例网站: 是”" if example else ""),
        "set site_url in mkdocs.yml to the site's real address"
        + ("; remove 示例网站 from site.yaml before real use" if example else ""),
        "warning" if example else "error",
    )
