"""The Jinja2 environment on templates/: autoescaped, strict, with our filters."""

from __future__ import annotations

import datetime as dt
import functools
import posixpath
from decimal import Decimal
from pathlib import Path

import jinja2
import jinja2.bccache
import markdown
import nh3
from markupsafe import Markup

from generator.reading.attachments import local_image
from generator.reading.figures import fill
from generator.templating.charts import bar_chart

_ALLOWED_TAGS = set(nh3.ALLOWED_TAGS)
_md = markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html")


def _local_only(tag: str, attr: str, value: str) -> str | None:
    """Drop any image source that would make the reader's browser call another host, or make
    WeasyPrint read a file outside the project."""
    if tag == "img" and attr in ("src", "srcset") and not local_image(value):
        return None
    return value


def safe_markdown(text: str | None) -> Markup:
    """Staff-written Markdown → sanitised HTML: no scripts, no event handlers, no javascript: links."""
    if not text:
        return Markup("")
    _md.reset()
    html = _md.convert(text)
    clean = nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        url_schemes={"http", "https", "mailto", "tel"},
        attribute_filter=_local_only,
        link_rel="noopener noreferrer",
    )
    return Markup(clean)


def money(value: Decimal | None) -> str:
    """1250.5 → '1,250.50' (always two places, exact)."""
    if value is None:
        return ""
    return f"{value:,.2f}"


def date_cn(value: dt.date) -> str:
    """2024-09-01 → '2024年9月1日', as on a GB/T 9704 notice."""
    return f"{value.year}年{value.month}月{value.day}日"


def relative_url(target: str, page_url: str) -> str:
    """A link from the page at `page_url` to `target`, both site-relative directory URLs."""
    if target.startswith(("http:", "https:", "mailto:", "#")):
        return target
    here = page_url.rstrip("/") or "."
    path, _, anchor = target.partition("#")
    rel = posixpath.relpath(path.rstrip("/") or ".", here)
    if path.endswith("/") or not path:
        rel = "./" if rel == "." else rel + "/"
    return rel + (f"#{anchor}" if anchor else "")


class Compiled(jinja2.BytecodeCache):
    """Templates compiled once for the life of the process (jinja checks each one's source
    checksum: an edited template is compiled again). Every build makes new environments; the
    live preview builds a community and the portal after each edit, and compiling about fifty
    templates each time was a third of an edit's time. One per kind of environment: the
    compiled code depends on the environment's options, which differ between ours and mkdocs'."""

    def __init__(self) -> None:
        self.kept: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if (code := self.kept.get(bucket.key)) is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.kept[bucket.key] = bucket.bytecode_to_string()


COMPILED = Compiled()  # make_env's environments
THEME_COMPILED = Compiled()  # the site engine's (mkdocs' theme templates)


def make_env(templates: Path, *folders: str, chart_cache: Path | None = None) -> jinja2.Environment:
    """Templates from templates/pages (the web's), and first from any `folders` given.
    `chart_cache`: where charts drawn by earlier builds are kept (see charts.bar_chart)."""
    search = [str(templates / f) for f in folders] + [str(templates / "pages")]
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(search),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=COMPILED,
    )
    env.filters.update(money=money, date_cn=date_cn, markdown=safe_markdown, zip=zip, figures=fill)
    env.globals.update(
        bar_chart=functools.partial(bar_chart, cache=chart_cache), charts=True
    )  # print turns charts off (their colours are RGB)
    return env
