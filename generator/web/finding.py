"""Ways to find notices besides pages: tags, an Atom feed per family, an iCalendar of dates."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter, defaultdict
from urllib.parse import urlparse

from feedgen.feed import FeedGenerator
from icalendar import Calendar, Event

from generator.reading.figures import fill
from generator.reading.site import CommunityData, Entry
from generator.records import FAMILIES
from generator.records.legal import Campaign
from generator.records.party import Meeting
from generator.records.publicity import withheld
from generator.records.residential import Election
from generator.web.memo import Memo, remember

BEIJING = dt.timezone(dt.timedelta(hours=8))
SUMMARY_CHARS = 200


_UNSAFE = re.compile(r"[\s/\\?#%&:;=+<>\"'`|^{}\[\]*~!@$,]+")


def tag_hash(tag: str) -> str:
    return hashlib.blake2b(tag.encode("utf-8"), digest_size=4).hexdigest()


def tag_slug(tag: str) -> str:
    """A tag's own page name, the tag itself as residents read it (/tags/低保/), from the tag
    alone: it does not move when other tags come or go. Characters that mean something in a URL
    or a file name become '-'; a tag left empty by that is named by its hash."""
    slug = _UNSAFE.sub("-", tag).strip("-.")
    return slug if slug and slug.casefold() != "index" else tag_hash(tag)  # index: the list of tags


def tag_index(data: CommunityData) -> list[tuple[str, str, list[Entry]]]:
    """(tag, slug, notices newest first) for every tag used in the community, by tag. Two tags
    that differ only in such characters (a/b, a b) each add their hash to stay apart."""
    tagged: dict[str, list[Entry]] = defaultdict(list)
    for e in data.public:
        for tag in dict.fromkeys(e.notice.tags):
            tagged[tag].append(e)
    slugs = {tag: tag_slug(tag) for tag in tagged}
    clash = {slug for slug, n in Counter(s.casefold() for s in slugs.values()).items() if n > 1}
    slugs = {tag: f"{slug}-{tag_hash(tag)}" if slug.casefold() in clash else slug for tag, slug in slugs.items()}
    return [(tag, slugs[tag], tagged[tag]) for tag in sorted(tagged)]


def _summary(entry: Entry, as_of: dt.date) -> str:
    if withheld(entry.notice, as_of) or not entry.notice.body:
        return entry.notice.title
    text = " ".join(fill(entry.notice.body, entry.notice).split())
    return text[:SUMMARY_CHARS] + ("…" if len(text) > SUMMARY_CHARS else "")


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=BEIJING)


def family_feed(data: CommunityData, family: str, site_url: str, as_of: dt.date) -> bytes:
    """Atom feed of one family's notices (newest 50), timestamps from the records, never the clock."""
    entries = data.family(family)[:50]
    base = site_url.rstrip("/") + "/"
    feed = FeedGenerator()
    feed.id(f"{base}{data.community.id}/{family}/")
    feed.title(f"{data.community.name}·{data.community.families()[family]}")
    feed.link(href=f"{base}{data.community.id}/{family}/", rel="alternate")
    feed.link(href=f"{base}{data.community.id}/{family}/feed.xml", rel="self")
    feed.language("zh-CN")
    feed.generator("Gongkai")
    default = data.community.org(data.community.default_org)
    feed.author({"name": default.name if default else data.community.name})
    feed.updated(_midnight(entries[0].notice.date) if entries else _midnight(as_of))
    for e in reversed(entries):  # feedgen prepends: add oldest first to list newest first
        item = feed.add_entry()
        item.id(base + e.url)
        item.title(("【已撤回】" if e.notice.status.value == "已撤回" else "") + e.notice.title)
        item.link(href=base + e.url)
        item.updated(_midnight(e.notice.date))
        item.published(_midnight(e.notice.date))
        item.summary(_summary(e, as_of))
        org = data.community.org(e.notice.org)
        item.author({"name": org.name if org else e.notice.org})
    return feed.atom_str(pretty=True)


def _event(uid: str, title: str, start: dt.date, end: dt.date, url: str, stamp: dt.date) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("summary", title)
    event.add("dtstart", start)
    event.add("dtend", end + dt.timedelta(days=1))  # all-day events end the day after
    event.add("dtstamp", _midnight(stamp).astimezone(dt.UTC))
    event.add("url", url)
    return event


def _events(e: Entry, base: str, host: str) -> bytes:
    """The calendar events of one notice, as iCalendar text (none unless it is published)."""
    n, url = e.notice, base + e.url
    events = []
    if n.status.value != "已发布":
        return b""
    if n.period is not None:
        title = f"公示：{n.title}（至{n.period.last_day}）"
        events.append(_event(f"{n.id}-period@{host}", title, n.period.start, n.period.last_day, url, n.date))
    if isinstance(n, Meeting):
        events.append(
            _event(f"{n.id}-meeting@{host}", f"{n.meeting.value}：{n.title}", n.held_on, n.held_on, url, n.date)
        )
    elif isinstance(n, Election):
        events.append(_event(f"{n.id}-vote@{host}", f"选举：{n.election}", n.held_on, n.held_on, url, n.date))
    elif isinstance(n, Campaign):
        events.append(_event(f"{n.id}-campaign@{host}", f"普法：{n.theme}", n.from_, n.to or n.from_, url, n.date))
    return b"".join(event.to_ical() for event in events)


def calendar(data: CommunityData, site_url: str, memo: Memo | None = None) -> bytes:
    """公示 deadlines, meetings, elections and campaigns as all-day events. Each notice's events are
    serialised on their own (and kept by the live preview's `memo`), then placed in the calendar."""
    base = site_url.rstrip("/") + "/"
    host = urlparse(base).netloc or "gongkai"
    cal = Calendar()
    cal.add("prodid", "-//Gongkai//公开//ZH")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"{data.community.name}公开事项日历")
    events = [
        remember(memo, ("ics", e.url, e.raw.blob, base), lambda e=e: _events(e, base, host))
        for e in sorted(data.public, key=lambda e: e.notice.id)
    ]
    head, end = cal.to_ical().rsplit(b"END:VCALENDAR", 1)
    return head + b"".join(events) + b"END:VCALENDAR" + end


def community_files(data: CommunityData, site_url: str, as_of: dt.date, memo: Memo | None = None) -> dict[str, bytes]:
    out = {f"{data.community.id}/{family}/feed.xml": family_feed(data, family, site_url, as_of) for family in FAMILIES}
    out[f"{data.community.id}/calendar.ics"] = calendar(data, site_url, memo)
    return out
