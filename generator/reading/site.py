"""The checked site: every record typed, grouped by community. Built once, then only read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import PurePosixPath
from urllib.parse import quote

from generator.errors import Problem
from generator.reading.loading import RawFile
from generator.records import FAMILIES
from generator.records.board import Board
from generator.records.common import Notice
from generator.records.community import Catalogue, Community, SiteConfig


@dataclass(frozen=True)
class Entry:
    """A notice together with where it came from."""

    notice: Notice
    community: str
    raw: RawFile

    @property
    def file(self) -> str:
        return self.raw.path

    @property
    def family(self) -> str:
        return self.notice.family

    @property
    def fingerprint(self) -> str:
        """Short git blob id of the record file, printed on paper and shown on the page."""
        return self.raw.blob[:10]

    @property
    def url(self) -> str:
        """Site-relative URL of the notice's page (directory style)."""
        return f"{self.community}/{self.family}/{self.notice.id}/"

    @property
    def a4_url(self) -> str:
        """Where the notice's A4 公示 PDF is published (when it has one)."""
        return self.url + "notice-a4.pdf"

    def files(self) -> list[tuple[str, str]]:
        """(site-relative URL, path relative to the record) of every attachment and photo."""
        rels = [a.file for a in self.notice.attachments]
        rels += [p.file for p in getattr(self.notice, "photos", [])]
        return [(f"{self.url}{i}-{PurePosixPath(rel).name}", rel) for i, rel in enumerate(rels, 1)]

    def file_url(self, rel: str) -> str:
        """Where the attachment or photo written as `rel` in the record is published, as a link
        (percent-encoded: spaces, #, ? and quotes in a file name do not break it)."""
        return quote(dict((r, u) for u, r in self.files())[rel])


@dataclass(frozen=True)
class BoardEntry:
    """A board with where it came from."""

    board: Board
    community: str
    raw: RawFile

    @property
    def url(self) -> str:
        return f"{self.community}/boards/{self.board.id}/"

    @property
    def pdf_url(self) -> str:
        return self.url + "board.pdf"

    @property
    def preview_url(self) -> str:
        return self.url + "preview.png"


@dataclass(frozen=True)
class CommunityData:
    community: Community
    catalogue: Catalogue | None
    entries: tuple[Entry, ...]
    catalogue_raw: RawFile | None = None
    boards: tuple[BoardEntry, ...] = ()

    @cached_property
    def public(self) -> tuple[Entry, ...]:
        """Entries that reach the website, newest first (ties broken by id, for stable output)."""
        shown = [e for e in self.entries if e.notice.is_public]
        return tuple(sorted(shown, key=lambda e: (e.notice.date, e.notice.id), reverse=True))

    def family(self, family: str) -> tuple[Entry, ...]:
        return tuple(e for e in self.public if e.family == family)


@dataclass(frozen=True)
class Site:
    config: SiteConfig
    as_of: dt.date
    communities: tuple[CommunityData, ...]
    by_id: dict[str, Entry] = field(default_factory=dict)
    warnings: tuple[Problem, ...] = ()

    @property
    def families(self) -> dict[str, str]:
        return FAMILIES

    @cached_property
    def _by_community(self) -> dict[str, CommunityData]:
        return {c.community.id: c for c in self.communities}

    def family_label(self, entry: Entry) -> str:
        """The entry's family as its publisher calls it (a village's 居务 is 村务公开)."""
        return self._by_community[entry.community].community.families()[entry.family]

    def channel(self, entry: Entry) -> dict[str, str | None]:
        """Where to object: the notice's own 监督电话 / 意见箱, else its organisation's."""
        community = self._by_community[entry.community].community
        org = community.org(entry.notice.org)
        own = entry.notice.channel
        return {
            "phone": (own.phone if own else None) or (org.phone if org else None),
            "box": (own.box if own else None) or (org.box if org else None),
            "org": org.name if org else entry.notice.org,
        }

    def under_notice(self, data: CommunityData) -> list[Entry]:
        """Public notices whose 公示期 covers the as-of date, ending soonest first."""
        now = [
            e
            for e in data.public
            if e.notice.status.value == "已发布"
            and e.notice.period
            and e.notice.period.start <= self.as_of <= e.notice.period.last_day
        ]
        return sorted(now, key=lambda e: (e.notice.period.last_day, e.notice.id))  # type: ignore[union-attr]
