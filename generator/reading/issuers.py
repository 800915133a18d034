"""Who may issue what: 党务公开 is the Party organisation's, 居务（村务）公开 the residents' (villagers')
committee's and the other non-Party organisations'. Finance and legal-publicity notices may come from
any organisation (a Party committee publishes its 党建经费, a women's federation its 普法 week)."""

from __future__ import annotations

from collections.abc import Iterator

from generator.errors import Problem
from generator.reading.site import Entry, Site
from generator.records.community import OrgKind


def check_issuers(site: Site, entries: list[Entry]) -> Iterator[Problem]:
    """A Party notice issued by a non-Party organisation, or a residential one by a Party organisation."""
    communities = {c.community.id: c.community for c in site.communities}
    for e in entries:
        community = communities.get(e.community)
        org = community.org(e.notice.org) if community is not None else None
        if org is None:
            continue  # an unknown organisation is reported by the reference check
        party_org = org.kind is OrgKind.PARTY
        if e.family == "party" and not party_org:
            wanted = [o for o in community.orgs if o.kind is OrgKind.PARTY] if community else []
            yield _wrong(
                e, org.name, "党务公开应由党组织发布", "a Party notice must be issued by a Party organisation", wanted
            )
        elif e.family == "residential" and party_org:
            wanted = [o for o in community.orgs if o.kind is not OrgKind.PARTY] if community else []
            yield _wrong(
                e,
                org.name,
                "居务（村务）公开应由居（村）民委员会等组织发布，不由党组织发布",
                "a residential notice is issued by the residents' committee, not the Party organisation",
                wanted,
            )


def _wrong(e: Entry, name: str, zh: str, en: str, wanted: list) -> Problem:
    line, col = e.raw.where(("发布单位",))
    choices = (
        "、".join(f"{o.id}（{o.name}）" for o in wanted) or "（本社区还没有这样的组织，先在 community.yaml 里添加）"
    )
    return Problem(
        e.file,
        line,
        col,
        "发布单位",
        f"{zh}：“{name}”不能发布“{e.notice.kind_name}”",
        f"{en}: '{name}' cannot issue a {e.notice.kind_name}",
        f"可选：{choices}",
        "one of: " + ", ".join(o.id for o in wanted),
    )
