"""Lists of people (低保, 救助, 评优): what a row may say about a household.

A row names the household and its category, never where exactly it lives (门牌, 楼号, 房号)
nor its health (an illness, a disability grade): the 公示 needs the category ("因病致贫"),
not the diagnosis. House numbers are errors; health words are warnings, since a category
word can look like one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.errors import Problem, field_path
from generator.reading.site import Entry

HOUSE = re.compile(r"[0-9０-９一二三四五六七八九十百]+\s*(?:号楼|栋|幢|单元|室|号院|楼[0-9]|层)|门牌|房号")
HEALTH_WORDS = (
    "尿毒症",
    "透析",
    "癌",
    "肿瘤",
    "白血病",
    "重病",
    "残疾",
    "瘫痪",
    "偏瘫",
    "截肢",
    "失明",
    "精神病",
    "精神疾病",
    "智力",
    "肢体",
    "艾滋",
    "乙肝",
    "抑郁",
    "卧床",
    "病情",
)
_HEALTH = re.compile("|".join(HEALTH_WORDS))


def _texts(value: object, path: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _texts(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _texts(v, (*path, i))


def list_problems(entries: list[Entry]) -> Iterator[Problem]:
    """House numbers (errors) and health details (warnings) in the rows of every list of people."""
    for e in entries:
        if not e.notice.personal or e.raw.data is None:
            continue
        for path, text in _texts(e.raw.value(("名单",)), ("名单",)):
            line, col = e.raw.where(path)
            if house := HOUSE.search(text):
                yield Problem(
                    e.file,
                    line,
                    col,
                    field_path(path),
                    f"名单里写了门牌或房号（“{house.group()}”）",
                    f"a house or flat number in a list of people ('{house.group()}')",
                    "只写到网格或小区，例如“第二网格（湘江苑）”",
                    "give the grid or estate only",
                )
            if health := _HEALTH.search(text):
                yield Problem(
                    e.file,
                    line,
                    col,
                    field_path(path),
                    f"名单里写了健康或残疾情况（“{health.group()}”），这是敏感个人信息",
                    f"health or disability details in a list of people ('{health.group()}')",
                    "只写类别，例如“因病致贫”“因残致贫”，不写病名和残疾等级",
                    "give the category only, not the illness or disability grade",
                    "warning",
                )
