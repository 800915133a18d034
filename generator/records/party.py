"""党务公开: party meetings, member development, party dues, service commitments."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import Field, model_validator

from generator.records.common import Model, Notice
from generator.records.types import Count, Day, Money, Text, TextList, fail


class MeetingKind(StrEnum):
    MEMBERS = "支部党员大会"
    COMMITTEE = "支部委员会"
    GROUP = "党小组会"
    LECTURE = "党课"
    THEME_DAY = "主题党日"
    LIFE = "组织生活会"
    APPRAISAL = "民主评议党员"
    PARTY_COMMITTEE = "党委会"


def check_attendance(expected: int, present: int) -> None:
    if present > expected:
        raise fail(
            f"实到人数 {present} 多于应到人数 {expected}",
            f"present ({present}) exceeds expected ({expected})",
            "核对签到表",
            "check the attendance sheet",
            at=("实到",),
        )


class Meeting(Notice):
    """三会一课、主题党日、组织生活会、民主评议等党内会议的公开。"""

    kind_name = "党务会议"
    family = "party"

    kind: Literal["党务会议"] = Field(alias="类型")
    """固定写“党务会议”。"""
    meeting: MeetingKind = Field(alias="会议类型")
    """支部党员大会、支部委员会、党小组会、党课、主题党日、组织生活会、民主评议党员、党委会。"""
    held_on: Day = Field(alias="会议日期")
    """会议召开日期。"""
    place: Text | None = Field(None, alias="地点")
    """会议地点。"""
    chair: Text | None = Field(None, alias="主持人")
    """主持人（职务或姓名）。"""
    expected: Count = Field(alias="应到")
    """应到人数。"""
    present: Count = Field(alias="实到")
    """实到人数，不能多于应到。"""
    topics: TextList = Field(alias="议题")
    """会议议题，一行一项。"""
    resolutions: TextList = Field(default_factory=list, alias="决议")
    """会议形成的决议或决定，一行一项。"""

    @model_validator(mode="after")
    def _attendance(self) -> Meeting:
        check_attendance(self.expected, self.present)
        return self


class Stage(StrEnum):
    ACTIVIST = "入党积极分子"
    CANDIDATE = "发展对象"
    PROBATIONARY = "预备党员"
    FULL = "预备党员转正"


class Candidate(Model):
    """发展党员公示中的一个人。"""

    name: Text = Field(alias="姓名")
    """姓名。"""
    gender: Literal["男", "女"] = Field(alias="性别")
    """男 或 女。"""
    stage: Stage = Field(alias="阶段")
    """入党积极分子、发展对象、预备党员、预备党员转正。"""
    branch: Text = Field(alias="所在支部")
    """所在党支部。"""
    applied_on: Day = Field(alias="申请入党日期")
    """递交入党申请书的日期。"""
    stage_since: Day | None = Field(None, alias="确定日期")
    """确定为当前阶段的日期。"""


class MemberDevelopment(Notice):
    """发展党员公示（发展对象、拟接收预备党员、预备党员转正）。必须有公示期。"""

    kind_name = "发展党员公示"
    family = "party"
    period_days = 5  # 发展党员工作细则: 公示 5 working days

    kind: Literal["发展党员公示"] = Field(alias="类型")
    """固定写“发展党员公示”。"""
    people: list[Candidate] = Field(alias="人员", min_length=1)
    """公示人员名单。"""


class DuesRow(Model):
    """一个支部的党费收缴情况。"""

    branch: Text = Field(alias="支部")
    """党支部名称。"""
    members: Count = Field(alias="应缴人数")
    """应缴纳党费的党员人数。"""
    paid: Count = Field(alias="实缴人数")
    """实际缴纳的人数。"""
    amount: Money = Field(alias="金额")
    """实缴金额（元）。"""


class PartyDues(Notice):
    """党费收缴情况公开：按支部列出人数和金额，合计必须相符。"""

    kind_name = "党费收缴"
    family = "party"

    kind: Literal["党费收缴"] = Field(alias="类型")
    """固定写“党费收缴”。"""
    from_: Day = Field(alias="期间开始")
    """收缴期间的第一天。"""
    to: Day = Field(alias="期间结束")
    """收缴期间的最后一天。"""
    rows: list[DuesRow] = Field(alias="明细", min_length=1)
    """按支部的明细。"""
    total: Money = Field(alias="合计金额")
    """实缴金额合计（元），必须等于明细之和。"""

    @model_validator(mode="after")
    def _adds_up(self) -> PartyDues:
        for i, row in enumerate(self.rows):
            if row.paid > row.members:
                raise fail(
                    f"{row.branch}：实缴人数多于应缴人数",
                    f"{row.branch}: paid exceeds members",
                    "核对收缴台账",
                    "check the ledger",
                    at=("明细", i, "实缴人数"),
                )
        if self.to < self.from_:
            raise fail(
                "期间结束早于期间开始", "period ends before it starts", "检查日期", "check the dates", at=("期间结束",)
            )
        total = sum((r.amount for r in self.rows), start=type(self.total)(0))
        if total != self.total:
            raise fail(
                f"合计金额 {self.total:.2f} 与明细之和 {total:.2f} 不符",
                f"total {self.total:.2f} differs from the sum of rows {total:.2f}",
                f"把合计金额改为 {total:.2f}，或核对明细",
                f"set 合计金额 to {total:.2f} or check rows",
                at=("合计金额",),
            )
        return self


class Progress(StrEnum):
    NOT_STARTED = "未开始"
    ONGOING = "推进中"
    DONE = "已完成"


class Commitment(Model):
    """一项服务承诺或民生实事。"""

    item: Text = Field(alias="事项")
    """承诺或实事的内容。"""
    owner: Text = Field(alias="责任人")
    """责任人或责任单位。"""
    deadline: Day = Field(alias="完成时限")
    """承诺完成的日期。"""
    progress: Progress = Field(alias="进展")
    """未开始、推进中、已完成。"""
    note: Text | None = Field(None, alias="说明")
    """进展说明。"""


class Commitments(Notice):
    """服务承诺、民生实事清单及其进展。"""

    kind_name = "承诺事项"
    family = "party"

    kind: Literal["承诺事项"] = Field(alias="类型")
    """固定写“承诺事项”。"""
    category: Literal["服务承诺", "民生实事"] = Field(alias="类别")
    """服务承诺 或 民生实事。"""
    items: list[Commitment] = Field(alias="事项", min_length=1)
    """事项清单。"""
