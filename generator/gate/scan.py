"""The output gate: read back every file about to be published and refuse personal data in it.

The YAML scan (reading/privacy.py) is the fast first line and names the line; this gate sees
what the reader will see after Markdown, templates, search indexing and PDF making, so numbers
split by markup, written as entities, full-width digits or with invisible characters inside
are caught too, and so are the names of lists whose 公示期 is over (or not yet begun).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

import generator.records
from generator.errors import Problem
from generator.gate.extract import html_text
from generator.gate.texts import UNREADABLE, keep, read_texts
from generator.reading.numbers import Found, find_numbers, normalise
from generator.reading.privacy import PUBLIC_CONTACT_KEYS
from generator.reading.site import Site
from generator.records.publicity import withheld

EXAMPLES = Path(generator.records.__file__).parent / "examples"


@dataclass(frozen=True)
class Leak:
    dest: str  # the published file, relative to its output folder (site/ or print/)
    what: str  # a masked number, or a name
    label: tuple[str, str]  # what kind of data, in Chinese and English
    key: str  # the unmasked value, to find the record it came from (never shown)


def _models(value: Any) -> Iterator[BaseModel]:
    if isinstance(value, BaseModel):
        yield value
        for name in type(value).model_fields:
            yield from _models(getattr(value, name))
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _models(v)


def public_numbers(site: Site) -> set[Found]:
    """The numbers declared public (监督电话, 服务电话, 咨询电话): allowed, exactly these values."""
    roots: list[Any] = [site.config]
    for data in site.communities:
        roots += [data.community, data.catalogue, *(e.notice for e in data.entries), *(b.board for b in data.boards)]
    allowed: set[Found] = set()
    for model in _models(roots):
        for name, info in type(model).model_fields.items():
            value = getattr(model, name)
            if info.alias not in PUBLIC_CONTACT_KEYS:
                continue
            for one in value if isinstance(value, (list, tuple)) else [value]:  # 电话: [a, b] too
                if isinstance(one, str):
                    allowed.update(find_numbers(one))
    return allowed


def withheld_names(site: Site) -> dict[str, str]:
    """Name → record file, for every person on a list that must not be online on the as-of date."""
    names: dict[str, str] = {}
    shown: list[str] = []
    for data in site.communities:
        for e in data.entries:
            if e.notice.personal and withheld(e.notice, site.as_of):
                people = [getattr(p, "name", "") for p in getattr(e.notice, "people", [])]
                names.update({normalise(n): e.file for n in people if len(n) >= 2})
            elif e.notice.is_public:
                shown.append(e.notice.model_dump_json())
    # A name that a public record itself shows (a roster, a news item) is public there; so are
    # the made-up names of the example records on the field reference page.
    shown += [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.yaml"))]
    public = normalise("\n".join(shown))
    return {n: f for n, f in names.items() if n not in public}


def _unreadable(dest: str) -> Leak:  # a PDF or image no library can read: it cannot be vouched for
    return Leak(dest, dest, ("无法读取的内容", "content that cannot be read"), dest)


def leaks_in(dest: str, text: str, allowed: set[Found], names: re.Pattern[str] | None) -> list[Leak]:
    """Personal data in the text read out of the published file `dest`, normalised (numbers.normalise)."""
    leaks = {Leak(dest, f.masked, f.label, f.number) for f in find_numbers(text, normalised=True) if f not in allowed}
    if names is not None:
        leaks |= {
            Leak(dest, m.group(), ("名单上的姓名", "a name on a withheld list"), m.group())
            for m in names.finditer(text)
        }
    return sorted(leaks, key=lambda leak: (leak.dest, leak.what))


def _leaks(
    files: list[tuple[str, Path]], allowed: set[Found], names: re.Pattern[str] | None, cache: Path | None
) -> list[Leak]:
    """Every leak in `files`, their text read through the cache (texts.read_texts); the text of
    each file that passed is kept there, of no other. Sorted: the same files give the same report
    whatever order the workers finished in."""
    leaks: list[Leak] = []
    for dest, text, name in read_texts(files, cache):
        found = [_unreadable(dest)] if text is UNREADABLE else leaks_in(dest, text, allowed, names)
        if found:
            leaks += found
        elif cache is not None and name is not None and text is not None:
            keep(cache, name, text)
    return sorted(leaks, key=lambda leak: (leak.dest, leak.what))


class _Origins:
    """Which record a leak came from: the list the name is on, the record holding the number once
    its markup is read (as the page shows it), or the notice whose folder it was published in.
    Only asked when something was found, so the records are read again only then."""

    def __init__(self, site: Site, names: dict[str, str]) -> None:
        self.entries = [e for data in site.communities for e in data.entries]
        self.names = names
        self.numbers: dict[str, str] | None = None

    def __call__(self, leak: Leak) -> str | None:
        if leak.key in self.names:
            return self.names[leak.key]
        if self.numbers is None:
            self.numbers = {}
            for e in reversed(self.entries):  # the first record holding a number wins
                shown = html_text(e.notice.model_dump_json()).translate(_EMPHASIS)
                self.numbers.update({f.number: e.file for f in find_numbers(shown)})
        if leak.key in self.numbers:
            return self.numbers[leak.key]
        return next((e.file for e in self.entries if leak.dest.startswith(e.url)), None)


_EMPHASIS = str.maketrans("", "", "*_`")  # Markdown marks that vanish on the page


def _problem(folder: str, origin: str | None, leaks: list[Leak]) -> Problem:
    first = leaks[0]
    zh, en = first.label
    where = f"{folder}/{first.dest} " + (f"等 {len(leaks)} 个文件" if len(leaks) > 1 else "")
    where_en = f"{folder}/{first.dest}" + (f" and {len(leaks) - 1} more file(s)" if len(leaks) > 1 else "")
    return Problem(
        origin or f"{folder}/{first.dest}",
        1,
        1,
        "",
        f"生成的 {where}里有{zh}“{first.what}”（个人信息不得公开，网站和 PDF 未更新）",
        f"{where_en} would publish a {en} '{first.what}' (nothing was published)",
        "在这条记录（含正文、附件）里找到它并删去或打码；它可能被标记拆开、写成全角或 HTML 实体",
        "find it in the record (body, attachments included), remove or mask it",
    )


def files_under(folder: Path) -> Iterable[tuple[str, Path]]:
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            yield path.relative_to(folder).as_posix(), path


def gate(
    site: Site,
    outputs: dict[str, Path],
    names: dict[str, str] | None = None,
    allowed: set[Found] | None = None,
    cache: Path | None = None,
) -> list[Problem]:
    """Every leak in the built outputs (name → folder, e.g. {"site": …, "print": …}). `names`,
    `allowed`: withheld names and public numbers of records not in `site` (a sharded build's
    portal is checked against every community's). `cache`: where the text of PDFs and images
    is kept by their bytes' hash (texts.cache_folder), so an unchanged one is not read again."""
    allowed = public_numbers(site) | (allowed or set())
    names = {**(names or {}), **withheld_names(site)}
    pattern = re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))) if names else None
    origin = _Origins(site, names)
    problems = []
    for label, folder in sorted(outputs.items()):
        found: dict[tuple[str | None, str], list[Leak]] = {}
        leaks = _leaks(list(files_under(folder)), allowed, pattern, cache)
        for leak in leaks:
            found.setdefault((origin(leak), leak.key), []).append(leak)
        problems += [_problem(label, record, leaks) for (record, _), leaks in found.items()]
    return sorted(problems)
