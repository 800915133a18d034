"""Elections in their real steps: numbered 选民登记公告, 推选代表 notices, 选举公开信 with a schedule.

The 选举公告 kind (residential.py) announces a vote with its posts and seats; this kind carries
every other notice of an election, village or community alike.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from generator.records.common import Model, Notice
from generator.records.types import Count, Day, Text, TextList, fail
from generator.records.values import DayTime, cn_number


class ScheduleItem(Model):
    """选举日程中的一项。"""

    what: Text = Field(alias="事项")
    """例如 推选村民选举委员会、选民登记、推选村民代表、投票选举。"""
    start: DayTime | None = Field(None, alias="开始")
    """开始日期（可带时间，例如 "2021-01-16 10:00"）。"""
    end: DayTime | None = Field(None, alias="结束")
    """结束日期（一天的不写）。"""
    written: Text | None = Field(None, alias="日期原文")
    """原文的日期写法；原文日期空白（如“12月  日”）时必写，且不写“开始”。"""
    place: Text | None = Field(None, alias="地点")
    """地点，例如 村民委员会或村民小组长处。"""
    how: Text | None = Field(None, alias="方式")
    """方式，例如 入户发送选票、回收计票。"""

    @model_validator(mode="after")
    def _dated(self) -> ScheduleItem:
        if self.start is None and self.written is None:
            raise fail(
                "日程要写“开始”日期；原文没有日期时写“日期原文”",
                "a schedule item needs 开始, or 日期原文 when the source gives none",
                "例如 开始: 2021-11-09 或 日期原文: 12月  日",
                "e.g. 开始: 2021-11-09",
                at=("开始",),
            )
        if self.start is not None and self.end is not None and self.end < self.start:
            raise fail("结束早于开始", "ends before it starts", "检查日期", "check the dates", at=("结束",))
        return self


class ElectionNotice(Notice):
    """村（居）民委员会选举过程中的公告和通知：选民登记公告（可编号）、推选代表通知、候选人公告、
    选举公开信、选举结果公告。日程逐项写，日期可带时间。"""

    kind_name = "选举通知"
    family = "residential"

    kind: Literal["选举通知"] = Field(alias="类型")
    """固定写“选举通知”。"""
    genre: Literal["选民登记公告", "推选代表通知", "候选人公告", "选举公开信", "选举结果公告", "其他"] = Field(
        alias="文种"
    )
    """选民登记公告、推选代表通知、候选人公告、选举公开信、选举结果公告、其他。"""
    election: Text = Field(alias="选举名称")
    """例如 第十一届村民委员会选举、第九届社区居民委员会选举。"""
    body_elected: Literal["村民委员会", "居民委员会", "村民小组", "居民小组", "其他"] = Field(alias="选举对象")
    """村民委员会、居民委员会、村民小组、居民小组、其他。"""
    number: Count | None = Field(None, alias="公告号")
    """同一次选举的第几号公告，例如 2（显示为“第二号”）。"""
    held_on: Day | None = Field(None, alias="选举日")
    """投票选举日（已定时写；可以晚于发布日期）。"""
    conditions: TextList = Field(default_factory=list, alias="条件")
    """登记或参选、当选代表的条件，一行一条。"""
    duties: TextList = Field(default_factory=list, alias="职责")
    """当选代表的职责，一行一条。"""
    schedule: list[ScheduleItem] = Field(default_factory=list, alias="日程")
    """日程安排，按时间顺序。"""

    @property
    def number_cn(self) -> str | None:
        return f"第{cn_number(self.number)}号" if self.number is not None else None

    @model_validator(mode="after")
    def _in_order(self) -> ElectionNotice:
        last = None
        for i, item in enumerate(self.schedule):
            if item.start is None:
                continue
            if last is not None and item.start.day < last:
                raise fail(
                    f"日程“{item.what}”早于上一项",
                    f"schedule item '{item.what}' is dated before the one above it",
                    "按时间顺序写日程，或核对日期",
                    "list the schedule in time order",
                    at=("日程", i, "开始"),
                )
            last = item.start.day
        return self
