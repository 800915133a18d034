"""Rules about boards: a known organisation, public notices of their own community, unique ids."""

from __future__ import annotations

from functools import partial

from generator.errors import Problem, field_path
from generator.reading.site import BoardEntry, Site


def _board_problem(b: BoardEntry, loc: tuple[str | int, ...], zh: str, en: str, hint_zh: str, hint_en: str) -> Problem:
    line, col = b.raw.where(loc)
    field = field_path(loc)
    return Problem(b.raw.path, line, col, field, zh, en, hint_zh, hint_en)


def check_boards(site: Site, boards: list[BoardEntry]) -> list[Problem]:
    """Boards name a known organisation and public notices; board ids are unique."""
    problems = []
    orgs = {c.community.id: c.community for c in site.communities}
    seen: dict[str, BoardEntry] = {}
    for b in boards:
        at = partial(_board_problem, b)
        other = seen.setdefault(b.board.id, b)
        if other is not b:
            problems.append(
                at(
                    ("编号",),
                    f"展板编号“{b.board.id}”与 {other.raw.path} 重复",
                    f"board id '{b.board.id}' is also used by {other.raw.path}",
                    "换一个编号",
                    "use another id",
                )
            )
        community = orgs.get(b.community)
        if community is not None and community.org(b.board.org) is None:
            known = "、".join(o.id for o in community.orgs)
            problems.append(
                at(
                    ("发布单位",),
                    f"发布单位“{b.board.org}”不是本社区的组织",
                    f"unknown organisation '{b.board.org}'",
                    f"可选：{known}",
                    f"one of: {known}",
                )
            )
        for i, nid in enumerate(b.board.notices):
            entry = site.by_id.get(nid)
            if entry is None or not entry.notice.is_public or entry.community != b.community:
                problems.append(
                    at(
                        ("通知", i),
                        f"通知“{nid}”不存在，或不是本社区公开的通知",
                        f"notice '{nid}' is not a public notice of this community",
                        "写本社区已发布通知的编号",
                        "name a published notice of this community",
                    )
                )
    return problems
