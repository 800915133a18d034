"""Record text is never trusted, and no page makes a reader's browser call another host."""

from __future__ import annotations

import json
import re
from urllib.parse import urlparse

import pytest

from conftest import article, build_project, community_files, meeting, soup
from generator.errors import RecordsInvalid
from generator.templating.rendering import safe_markdown

EVIL_TITLE = '<script>alert("t")</script>会议'
EVIL_BODY = """|
    <script>alert("b")</script>

    <img src="x.png" onerror="alert('i')"> [点我](javascript:alert('l'))

    <a href="#" onclick="alert('c')">链接</a> ![本地](x.png)

    **正常的粗体**
"""


def _evil_site(tmp_path):
    files = community_files()
    files["site_data/ceshi/dangwu/a.yaml"] = meeting("evil-1", "'" + EVIL_TITLE + "'", 正文=EVIL_BODY)
    return build_project(tmp_path, files)


def test_a_title_with_script_shows_as_text_everywhere(tmp_path):
    site = _evil_site(tmp_path)
    page = site / "ceshi" / "party" / "evil-1" / "index.html"
    html = page.read_text(encoding="utf-8")
    assert "<script>alert" not in html
    assert article(page).find("h1").get_text() == EVIL_TITLE
    assert soup(page).title.get_text().startswith(EVIL_TITLE)
    for other in ("ceshi/index.html", "ceshi/party/index.html", "ceshi/archive/2024/index.html", "index.html"):
        text = (site / other).read_text(encoding="utf-8")
        assert "<script>alert" not in text
        assert EVIL_TITLE in soup(site / other).get_text()
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    titles = [d["title"] for d in index["docs"] if d["location"].startswith("ceshi/party/evil-1/")]
    assert titles and all("<script" not in t for t in titles)


def test_markdown_body_is_sanitised(tmp_path):
    site = _evil_site(tmp_path)
    body = article(site / "ceshi" / "party" / "evil-1" / "index.html").select_one(".gk-body")
    html = str(body)
    assert "<script" not in html
    assert "alert" not in html  # script content, event handlers and javascript: links all gone
    assert not body.find_all(attrs={"onerror": True}) and not body.find_all(attrs={"onclick": True})
    assert all(not a.get("href", "").startswith("javascript:") for a in body.find_all("a"))
    assert all("//" not in img.get("src", "") for img in body.find_all("img"))
    assert body.find("strong").get_text() == "正常的粗体"


EXTERNAL_IMAGES = [
    "https://evil.example.com/x.png",
    "http:evil.example.com/x.png",  # browsers read a missing // after a web scheme as a host
    "/\\evil.example.com/x.png",  # and a backslash as a slash
    "//evil.example.com/x.png",
    " java\tscript:alert(1)",
    "/etc/hostname",  # on paper: a file of the build machine
    "data:image/png;base64,iVBORw0KGgo=",
]


@pytest.mark.parametrize("src", EXTERNAL_IMAGES)
def test_an_external_image_is_refused_by_the_checks(tmp_path, src):
    files = community_files()
    files["site_data/ceshi/dangwu/a.yaml"] = meeting("img-1", "会议", 正文=f"|\n    <img src='{src}' alt='图'>\n")
    with pytest.raises(RecordsInvalid) as caught:
        build_project(tmp_path, files)
    assert [(p.file, p.line, p.field) for p in caught.value.problems] == [("site_data/ceshi/dangwu/a.yaml", 11, "正文")]
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("src", EXTERNAL_IMAGES)
def test_an_external_image_never_renders_either(src):
    """Behind the checks, the Markdown filter (used by web and print alike) drops such a source."""
    html = str(safe_markdown(f"![图]({src.strip()})\n\n<img src='{src}' alt='图2'>"))
    assert "evil" not in html and "/etc/" not in html and "data:" not in html and "script" not in html


# Attributes through which a page makes the browser fetch something by itself.
FETCHING = {
    "script": "src",
    "img": "src",
    "iframe": "src",
    "source": "src",
    "audio": "src",
    "video": "src",
    "embed": "src",
    "object": "data",
    "link": "href",
    "input": "src",
}
ALLOWED_ANCHOR_HOSTS = {"beian.miit.gov.cn"}  # the 备案号 must link to the MIIT register


def external_references(site, own_host: str) -> list[str]:
    found = []
    for page in site.rglob("*.html"):
        doc = soup(page)
        for tag, attr in FETCHING.items():
            for node in doc.find_all(tag):
                host = urlparse(node.get(attr, "")).netloc
                if host and host != own_host:
                    found.append(f"{page}: <{tag} {attr}={node.get(attr)}>")
        for a in doc.find_all("a", href=True):
            host = urlparse(a["href"]).netloc
            if host and host != own_host and host not in ALLOWED_ANCHOR_HOSTS:
                found.append(f"{page}: <a href={a['href']}>")
        for style in doc.find_all("style"):
            found += [f"{page}: {u}" for u in re.findall(r"url\(\s*['\"]?(?:https?:)?//[^)]*\)", style.text)]
    for css in site.rglob("*.css"):
        text = css.read_text(encoding="utf-8")
        found += [f"{css}: {u}" for u in re.findall(r"(?:url\(|@import)\s*['\"]?(?:https?:)?//[^)'\";]*", text)]
    return found


def test_no_file_of_the_example_site_refers_to_an_external_host(example_site):
    assert external_references(example_site, "gongkai.example.org") == []


def test_external_reference_check_catches_one(tmp_path):
    (tmp_path / "a.html").write_text('<link rel="stylesheet" href="https://fonts.googleapis.com/x">')
    (tmp_path / "b.css").write_text("@import url(https://cdn.example.com/a.css);")
    assert len(external_references(tmp_path, "gongkai.example.org")) == 2


def test_community_name_is_escaped_in_the_nav(tmp_path):
    files = community_files("ceshi", "<b>测试</b>社区")
    files["site_data/ceshi/community.yaml"] = files["site_data/ceshi/community.yaml"].replace(
        "名称: <b>测试</b>社区\n", "名称: '<b>测试</b>社区'\n"
    )
    site = build_project(tmp_path, files)
    page = site / "ceshi" / "index.html"
    assert "<b>测试</b>" not in page.read_text(encoding="utf-8")
    nav = soup(page).select_one("nav.md-nav--primary")
    assert "<b>测试</b>社区" in nav.get_text()
