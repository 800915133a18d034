"""Hints that need more than the file at hand: which organisations a 发布单位 may name."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import PurePosixPath

from generator.errors import Problem
from generator.records.community import Community

ORG_FIELD = "发布单位"
# The problems that mean "this is not one of the organisations": not a valid id, or an unknown one.
_NOT_AN_ORG = ("invalid id", "unknown organisation")
_QUOTED = re.compile(r"“(.*?)”")


def _community_of(problem: Problem, data_dir: str, communities: dict[str, Community]) -> Community | None:
    parts = PurePosixPath(problem.file).parts
    depth = len(PurePosixPath(data_dir).parts)  # site_data/<community>/…
    return communities.get(parts[depth]) if len(parts) > depth + 1 else None


def _with_orgs(problem: Problem, community: Community) -> Problem:
    """Name every organisation of the community; when the record wrote an organisation's name
    instead of its id, say which id that is."""
    written = _QUOTED.search(problem.message_zh)
    named = next((o for o in community.orgs if written and written.group(1) in (o.name, o.name.strip())), None)
    choices = "、".join(f"{o.id}（{o.name}）" for o in community.orgs)
    choices_en = ", ".join(f"{o.id} ({o.name})" for o in community.orgs)
    if named is not None:
        return replace(
            problem,
            message_zh=f"“{named.name}”是组织的名称，发布单位要写组织的编号",
            message_en=f"'{named.name}' is the organisation's name; 发布单位 takes its id",
            hint_zh=f"改为 {named.id}",
            hint_en=f"write {named.id}",
        )
    return replace(problem, hint_zh=f"写本社区组织的编号，可选：{choices}", hint_en=f"one of: {choices_en}")


def organisation_hints(problems: list[Problem], communities: dict[str, Community], data_dir: str) -> list[Problem]:
    """Problems at a record's 发布单位, with the organisations the record may name."""
    out = []
    for p in problems:
        mine = p.field == ORG_FIELD and p.message_en.startswith(_NOT_AN_ORG)
        community = _community_of(p, data_dir, communities) if mine else None
        out.append(_with_orgs(p, community) if community is not None else p)
    return out
