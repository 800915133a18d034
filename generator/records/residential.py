"""居务公开 / 村务公开: 四议两公开 decisions, benefit lists, elections, service points, staff."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import Field, model_validator

from generator.records.common import Model, Notice
from generator.records.party import check_attendance
from generator.records.types import Count, Day, Money, PublicPhone, Text, TextList, fail


class DecisionStage(StrEnum):
    PROPOSE = "党组织提议"
    CONSULT = "两委会商议"
    REVIEW = "党员大会审议"
    RESOLVE = "居民代表会议决议"
    PUBLISH_RESOLUTION = "决议公开"
    PUBLISH_RESULT = "实施结果公开"


STAGE_ORDER = list(DecisionStage)


class Vote(Model):
    """一次表决的人数。"""

    expected: Count = Field(alias="应到")
    """应到人数。"""
    present: Count = Field(alias="实到")
    """实到人数，不能多于应到。"""
    yes: Count = Field(alias="赞成")
    """赞成票。"""
    no: Count = Field(alias="反对")
    """反对票。"""
    abstain: Count = Field(alias="弃权")
    """弃权票。赞成+反对+弃权 不能多于实到。"""

    @model_validator(mode="after")
    def _sane(self) -> Vote:
        check_attendance(self.expected, self.present)
        cast = self.yes + self.no + self.abstain
        if cast > self.present:
            raise fail(
                f"赞成、反对、弃权合计 {cast} 多于实到人数 {self.present}",
                f"votes cast ({cast}) exceed those present ({self.present})",
                "核对表决记录",
                "check the vote record",
                at=("赞成",),
            )
        return self

    @property
    def quorate(self) -> bool:
        """Two thirds of those expected were present."""
        return self.present * 3 >= self.expected * 2

    @property
    def carried(self) -> bool:
        """Quorate and more than half of those present voted for."""
        return self.quorate and self.yes * 2 > self.present


class DecisionStep(Model):
    """四议两公开中的一个步骤。"""

    stage: DecisionStage = Field(alias="步骤")
    """党组织提议、两委会商议、党员大会审议、居民代表会议决议、决议公开、实施结果公开。"""
    on: Day = Field(alias="日期")
    """这一步的日期。"""
    vote: Vote | None = Field(None, alias="表决")
    """表决情况（审议和决议两步必填）。"""
    summary: Text = Field(alias="内容")
    """这一步做了什么、结论是什么。"""


class Decision(Notice):
    """按“四议两公开”程序作出的决策，六个步骤依次记录，含表决人数。"""

    kind_name = "四议两公开"
    family = "residential"

    kind: Literal["四议两公开"] = Field(alias="类型")
    """固定写“四议两公开”。"""
    matter: Text = Field(alias="事项")
    """决策事项，例如“老旧小区楼道照明改造”。"""
    steps: list[DecisionStep] = Field(alias="步骤", min_length=1)
    """按顺序写的各个步骤。"""

    @model_validator(mode="after")
    def _in_order(self) -> Decision:
        last_rank, last_day = -1, None
        for i, step in enumerate(self.steps):
            rank = STAGE_ORDER.index(step.stage)
            if rank <= last_rank:
                raise fail(
                    f"步骤“{step.stage.value}”的顺序不对或重复",
                    f"stage '{step.stage.value}' is out of order or repeated",
                    "按 提议→商议→审议→决议→决议公开→实施结果公开 的顺序写",
                    "list the stages in the statutory order",
                    at=("步骤", i, "步骤"),
                )
            if last_day is not None and step.on < last_day:
                raise fail(
                    f"步骤“{step.stage.value}”的日期早于上一步",
                    f"stage '{step.stage.value}' is dated before the previous stage",
                    "核对各步骤日期",
                    "check the stage dates",
                    at=("步骤", i, "日期"),
                )
            if step.stage in (DecisionStage.REVIEW, DecisionStage.RESOLVE):
                if step.vote is None:
                    raise fail(
                        f"“{step.stage.value}”必须写表决情况",
                        f"'{step.stage.value}' needs a vote",
                        "加上 表决: {应到, 实到, 赞成, 反对, 弃权}",
                        "add 表决",
                        at=("步骤", i, "步骤"),
                    )
                if not step.vote.quorate:
                    raise fail(
                        "实到人数不足应到人数的三分之二，会议无效",
                        "fewer than two thirds present: no quorum",
                        "核对人数，或重新召开会议",
                        "check the figures or hold the meeting again",
                        at=("步骤", i, "表决", "实到"),
                    )
                if step.stage is DecisionStage.RESOLVE and not step.vote.carried:
                    raise fail(
                        "赞成票未超过实到人数的一半，决议未通过",
                        "the resolution did not get a majority of those present",
                        "未通过的事项不能进入决议公开",
                        "a failed resolution cannot be published as passed",
                        at=("步骤", i, "表决", "赞成"),
                    )
            last_rank, last_day = rank, step.on
        return self


class Beneficiary(Model):
    """名单中的一户（不得填写身份证号、银行卡号）。"""

    name: Text = Field(alias="姓名")
    """户主姓名。"""
    household: Count = Field(alias="家庭人口")
    """家庭人口数。"""
    amount: Money | None = Field(None, alias="金额")
    """每月（或一次性）金额，元。评优等无金额时不写。"""
    reason: Text = Field(alias="理由")
    """享受原因或类别，例如“因病致贫”。"""
    grid: Text | None = Field(None, alias="网格")
    """所在网格或小区。"""


class BenefitList(Notice):
    """低保、救助、补贴、评优等名单的公示。公示期结束后名单从网站撤下。"""

    kind_name = "救助名单"
    family = "residential"
    personal = True
    period_days = 7  # 最低生活保障审核确认办法 (2021) Art. 19: 公示 7 days

    kind: Literal["救助名单"] = Field(alias="类型")
    """固定写“救助名单”。"""
    programme: Text = Field(alias="项目")
    """项目名称，例如 城市最低生活保障、临时救助、高龄补贴、“好媳妇”评选。"""
    unit: Text = Field("元/月", alias="金额单位")
    """金额的单位，例如 元/月、元（一次性）。"""
    people: list[Beneficiary] = Field(alias="名单", min_length=1)
    """名单，一户一行。"""


class Post(Model):
    """选举的一个职位。"""

    post: Text = Field(alias="职位")
    """职位，例如 居民委员会主任。"""
    seats: Count = Field(alias="名额")
    """应选名额。"""


class Election(Notice):
    """选举公告：换届选举的日期、地点、职位与名额、选民登记安排。"""

    kind_name = "选举公告"
    family = "residential"

    kind: Literal["选举公告"] = Field(alias="类型")
    """固定写“选举公告”。"""
    election: Text = Field(alias="选举名称")
    """例如 第十二届居民委员会换届选举。"""
    held_on: Day = Field(alias="选举日期")
    """投票日期（可以晚于生成日期）。"""
    place: Text = Field(alias="地点")
    """投票地点。"""
    posts: list[Post] = Field(alias="职位", min_length=1)
    """职位和名额。"""


class Window(Model):
    """一个服务窗口。"""

    name: Text = Field(alias="窗口")
    """窗口名称，例如 1号窗口 社会保障。"""
    services: TextList = Field(alias="办理事项")
    """可以办理的事项。"""
    hours: Text = Field(alias="办公时间")
    """例如 周一至周五 8:30-12:00 14:30-17:30（请加引号）。"""
    phone: PublicPhone | None = Field(None, alias="咨询电话")
    """公开的咨询电话。"""


class ServicePoints(Notice):
    """一站式服务大厅的窗口、事项和办公时间。"""

    kind_name = "服务窗口"
    family = "residential"

    kind: Literal["服务窗口"] = Field(alias="类型")
    """固定写“服务窗口”。"""
    address: Text = Field(alias="地址")
    """服务大厅地址。"""
    windows: list[Window] = Field(alias="窗口", min_length=1)
    """窗口清单。"""


class Staff(Model):
    """一名社区工作者或网格员。"""

    name: Text = Field(alias="姓名")
    """姓名。"""
    post: Text = Field(alias="岗位")
    """岗位，例如 党委书记、居委会主任、专职网格员。"""
    duties: Text = Field(alias="职责")
    """分工职责。"""
    grid: Text | None = Field(None, alias="网格")
    """负责的网格。"""
    phone: PublicPhone | None = Field(None, alias="服务电话")
    """对外公开的服务电话（公开号码，可以发布）。"""


class StaffRoster(Notice):
    """人员公示：社区工作者和网格员的姓名、岗位、职责和服务电话。"""

    kind_name = "人员公示"
    family = "residential"

    kind: Literal["人员公示"] = Field(alias="类型")
    """固定写“人员公示”。"""
    people: list[Staff] = Field(alias="人员", min_length=1)
    """人员名单。"""
