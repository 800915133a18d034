"""居务公开 / 村务公开: benefit lists, elections, service points, staff (decisions: decisions.py)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from generator.records.common import Model, Notice
from generator.records.decisions import Decision, DecisionStage, Vote  # noqa: F401 (kept importable from here)
from generator.records.types import Count, Day, Money, PublicPhone, Text, TextList, fail


class Part(Model):
    """金额的一个组成部分。"""

    name: Text = Field(alias="名称")
    """例如 家庭补差救助、成员重点救助。"""
    amount: Money = Field(alias="金额")
    """金额（元）。"""


class Beneficiary(Model):
    """名单中的一户（不得填写身份证号、银行卡号）。"""

    name: Text = Field(alias="姓名")
    """户主姓名。"""
    household: Count = Field(alias="家庭人口")
    """家庭人口数（申请保障的家庭成员数）。"""
    income: Money | None = Field(None, alias="人均收入")
    """家庭人均月收入（元/月），原文公布时写。"""
    amount: Money | None = Field(None, alias="金额")
    """每月（或一次性）金额，元；有“分项”时等于各分项之和。"""
    parts: list[Part] = Field(default_factory=list, alias="分项")
    """金额的组成，例如 家庭补差救助 860、成员重点救助 140。"""
    reason: Text | None = Field(None, alias="理由")
    """享受原因或类别，例如“因病致贫”（原文没有时不写）。"""
    grid: Text | None = Field(None, alias="网格")
    """所在网格、小区，或社区、村（只写到这一级，不写门牌号）。"""

    @model_validator(mode="after")
    def _parts_add_up(self) -> Beneficiary:
        if self.parts:
            total = sum((p.amount for p in self.parts), start=type(self.parts[0].amount)(0))
            if self.amount is None or total != self.amount:
                raise fail(
                    f"各分项之和 {total:.2f} 与金额 {self.amount or 0:.2f} 不符",
                    f"parts add up to {total:.2f}, not the amount",
                    f"把金额改为 {total:.2f}，或核对分项",
                    f"set 金额 to {total:.2f}",
                    at=("金额",),
                )
        return self


class Refusal(Model):
    """不予保障（不予纳入）的一户。"""

    name: Text = Field(alias="姓名")
    """户主姓名（按发布单位的打码方式，例如 刘*兵）。"""
    household: Count | None = Field(None, alias="家庭人口")
    """家庭人口数。"""
    reason: Text = Field(alias="原因")
    """不予保障的原因。"""
    grid: Text | None = Field(None, alias="网格")
    """所在社区或村。"""


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
    refused: list[Refusal] = Field(default_factory=list, alias="不予名单")
    """（可选）审核后不予保障的名单及原因。"""
    refusal_rule: Text | None = Field(None, alias="不予说明")
    """（可选）不予保障的情形说明，例如 家庭财产超标的情形。"""


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
