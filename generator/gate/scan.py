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

from generator.errors import Problem
from generator.gate.extract import text_of
from generator.reading.numbers import Found, find_numbers, normalise
from generator.reading.privacy import PUBLIC_CONTACT_KEYS
from generator.reading.site import Site
from generator.records.publicity import withheld


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
            if info.alias in PUBLIC_CONTACT_KEYS and isinstance(value, str):
                allowed.update(find_numbers(value))
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
    # A name that a public record itself shows (a roster, a news item) is public there.
    public = normalise("\n".join(shown))
    return {n: f for n, f in names.items() if n not in public}


def find_leaks(dest: str, data: bytes, allowed: set[Found], names: re.Pattern[str] | None) -> list[Leak]:
    """Personal data in one published file."""
    text = text_of(dest, data)
    if text is None:
        return []
    text = normalise(text)
    leaks = {Leak(dest, f.masked, f.label, f.number) for f in find_numbers(text, normalised=True) if f not in allowed}
    if names is not None:
        leaks |= {
            Leak(dest, m.group(), ("名单上的姓名", "a name on a withheld list"), m.group())
            for m in names.finditer(text)
        }
    return sorted(leaks, key=lambda leak: (leak.dest, leak.what))


def _origin(site: Site, dest: str, leak: Leak, names: dict[str, str]) -> str:
    """The record the leak came from: the notice whose folder it was published in, or the one
    holding the same number or name."""
    if leak.key in names:
        return names[leak.key]
    entries = [e for data in site.communities for e in data.entries]
    for e in entries:
        if dest.startswith(e.url):
            return e.file
    for e in entries:
        dump = e.notice.model_dump_json()
        if any(f.number == leak.key for f in find_numbers(dump)):
            return e.file
    return dest


def _problem(site: Site, folder: str, leak: Leak, names: dict[str, str]) -> Problem:
    origin = _origin(site, leak.dest, leak, names)
    zh, en = leak.label
    return Problem(
        origin,
        1,
        1,
        "",
        f"生成的 {folder}/{leak.dest} 里有{zh}“{leak.what}”（个人信息不得公开，网站和 PDF 未更新）",
        f"{folder}/{leak.dest} would publish a {en} '{leak.what}' (nothing was published)",
        "在记录（含正文、附件、提交说明）里找到它并删去或打码；它可能被拆开、写成全角或 HTML 实体",
        "find it in the record (body, attachments included), remove or mask it",
    )


def files_under(folder: Path) -> Iterable[tuple[str, Path]]:
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            yield path.relative_to(folder).as_posix(), path


def gate(site: Site, outputs: dict[str, Path]) -> list[Problem]:
    """Every leak in the built outputs (name → folder, e.g. {"site": …, "print": …})."""
    allowed = public_numbers(site)
    names = withheld_names(site)
    pattern = re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))) if names else None
    problems = []
    for label, folder in sorted(outputs.items()):
        for dest, path in files_under(folder):
            for leak in find_leaks(dest, path.read_bytes(), allowed, pattern):
                problems.append(_problem(site, label, leak, names))
    return sorted(set(problems))
