"""普法宣传: campaigns, the annual plan, the 谁执法谁普法 responsibility list."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from generator.records.common import Model, Notice
from generator.records.types import Count, Day, Text, TextList, fail
from generator.records.values import ApproxCount


class Activity(Model):
    """活动中的一项内容及数量。"""

    item: Text = Field(alias="项目")
    """例如 展板、法律宣传单、咨询台、咨询。"""
    count: ApproxCount | None = Field(None, alias="数量")
    """数量，可照原文写约数，例如 35、30多、约300、100余；原文没有数量时不写。"""
    unit: Text | None = Field(None, alias="单位")
    """例如 块、份、个、人次。"""


class Photo(Model):
    """活动照片。"""

    file: Text = Field(alias="文件")
    """图片路径，相对于本记录文件所在目录。"""
    caption: Text = Field(alias="说明")
    """照片说明（也是读屏软件读出的替代文字）。"""


class Campaign(Notice):
    """一次普法宣传活动，例如 三八维权宣传周、12·4 国家宪法日。"""

    kind_name = "普法活动"
    family = "legal"

    kind: Literal["普法活动"] = Field(alias="类型")
    """固定写“普法活动”。"""
    theme: Text = Field(alias="主题")
    """活动主题。"""
    from_: Day = Field(alias="开始日期")
    """活动开始日期。"""
    to: Day | None = Field(None, alias="结束日期")
    """活动结束日期，一天的活动不写。"""
    place: Text = Field(alias="地点")
    """活动地点。"""
    organisers: TextList = Field(alias="主办单位")
    """主办、承办单位。"""
    laws: TextList = Field(alias="宣传法律")
    """宣传的法律法规，例如 《中华人民共和国妇女权益保障法》。"""
    activities: list[Activity] = Field(default_factory=list, alias="活动内容")
    """活动内容和数量，例如 展板 12 块、宣传单 2000 份、咨询 150 人次。"""
    participants: ApproxCount | None = Field(None, alias="参与人数")
    """参与群众人数，可写约数，例如 约300。"""
    photos: list[Photo] = Field(default_factory=list, alias="照片")
    """活动照片及说明。"""

    @model_validator(mode="after")
    def _dates(self) -> Campaign:
        if self.to is not None and self.to < self.from_:
            raise fail("结束日期早于开始日期", "ends before it starts", "检查日期", "check the dates", at=("结束日期",))
        return self


class PlanItem(Model):
    """年度普法计划中的一项。"""

    when: Text = Field(alias="时间")
    """计划时间，例如 3月、第二季度、全年。"""
    theme: Text = Field(alias="主题")
    """主题。"""
    content: Text = Field(alias="内容")
    """主要内容和形式。"""
    owner: Text = Field(alias="责任单位")
    """责任单位。"""


class LegalPlan(Notice):
    """年度普法工作计划。计划可以写未来的日期。"""

    kind_name = "普法计划"
    family = "legal"

    kind: Literal["普法计划"] = Field(alias="类型")
    """固定写“普法计划”。"""
    year: Count = Field(alias="年度")
    """计划年度。"""
    items: list[PlanItem] = Field(alias="计划", min_length=1)
    """计划事项。"""


class Duty(Model):
    """谁执法谁普法责任清单中的一行。"""

    unit: Text = Field(alias="责任单位")
    """负责普法的单位。"""
    laws: TextList = Field(alias="法律法规")
    """负责宣传的法律法规。"""
    tasks: Text = Field(alias="普法任务")
    """普法任务。"""
    progress: Text = Field(alias="进展")
    """进展情况。"""


class Responsibilities(Notice):
    """“谁执法谁普法”责任清单及进展。"""

    kind_name = "普法责任清单"
    family = "legal"

    kind: Literal["普法责任清单"] = Field(alias="类型")
    """固定写“普法责任清单”。"""
    year: Count = Field(alias="年度")
    """年度。"""
    duties: list[Duty] = Field(alias="清单", min_length=1)
    """责任清单。"""
