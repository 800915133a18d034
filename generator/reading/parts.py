"""One community read alone: the unit of `check --shards`, run in a worker process that loads
only this stage (not the build's modules), returning plain values."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from generator.errors import Problem, RecordsInvalid
from generator.reading.checks import Indexed, steady_days
from generator.reading.reader import read_site
from generator.records.community import SiteConfig

Steady = tuple[dt.date, dt.date | None]  # the as-of days a check's result holds for (first, last)


def read_community(
    root: str, community: str, as_of: str
) -> tuple[list[Problem], list[Indexed], int, SiteConfig | None, Steady | None]:
    """One community read and checked alone (a part of `check --shards`, in a worker process that
    loads only this stage): its problems (warnings when there are no errors), the light index
    of its ids, how many records it publishes, the site's settings, and the as-of days on which
    the same check finds the same (None when it finds errors)."""
    ids: list[Indexed] = []
    try:
        site = read_site(Path(root), dt.date.fromisoformat(as_of), only=community, ids=ids)
    except RecordsInvalid as exc:
        return exc.problems, ids, 0, None, None
    public = sum(len(data.public) for data in site.communities)
    return list(site.warnings), ids, public, site.config, steady_days(site)
