"""Plain notices as publishers write them: 公告/公示/通知 with tables, 征求意见 with a deadline,
adopted texts (居民公约, 村规民约) as articles, and honours lists (评选表彰)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from generator.records.common import Model, Notice, SectionOf
from generator.records.types import Day, Text, TextList, fail
from generator.records.values import Cell, DayTime, YesNo, cn_number

#: The 栏目 a plain notice is filed under → the site's family.
SECTIONS = {
    "党务公开": "party",
    "居务公开": "residential",
    "村务公开": "residential",
    "财务公开": "finance",
    "普法宣传": "legal",
}
Section = Literal["党务公开", "居务公开", "村务公开", "财务公开", "普法宣传"]


class Table(Model):
    """通知里的一张表：表头一行，数据若干行，每行的格数与表头相同（空格写 ""）。"""

    caption: Text | None = Field(None, alias="标题")
    """表的标题，例如 拟纳入保障申请家庭。"""
    header: TextList = Field(alias="表头", min_length=1)
    """各列的名称。"""
    rows: list[list[Cell]] = Field(default_factory=list, alias="行")
    """数据行，每行一个列表，例如 - [1, 社头村, 优胜村]。原文没有数据行时不写。"""
    note: Text | None = Field(None, alias="说明")
    """表下的说明，例如 单位：元。"""

    @model_validator(mode="after")
    def _rectangular(self) -> Table:
        for i, row in enumerate(self.rows):
            if len(row) != len(self.header):
                raise fail(
                    f"第 {i + 1} 行有 {len(row)} 格，表头有 {len(self.header)} 列",
                    f"row {i + 1} has {len(row)} cells for {len(self.header)} columns",
                    '补上缺的格（空格写 ""），并在“原文说明”里写明原文少了哪一格',
                    'add the missing cells ("" for blank) and explain it under 原文说明',
                    at=("行", i),
                )
        return self


class GeneralNotice(Notice):
    """一般的公告、公示、通知、公开信：标题、正文，可带表格、附件、公示期或反馈截止时间、多个联系方式、多个落款。
    没有专门类型的公开事项都用它，不要硬套别的类型。"""

    kind_name = "公告"
    family = SectionOf("residential", "section", SECTIONS)  # type: ignore[assignment]

    kind: Literal["公告"] = Field(alias="类型")
    """固定写“公告”。"""
    genre: Literal["公告", "公示", "通知", "通告", "公开信", "决定", "方案", "情况说明", "其他"] = Field(
        "公告", alias="文种"
    )
    """公告（默认）、公示、通知、通告、公开信、决定、方案、情况说明、其他。"""
    section: Section = Field("居务公开", alias="栏目")
    """放在哪个栏目：党务公开、居务公开、村务公开、财务公开、普法宣传。"""
    tables: list[Table] = Field(default_factory=list, alias="表格")
    """正文后的表格。"""
    deadline: DayTime | None = Field(None, alias="截止")
    """报名、反馈或办理的截止时间，例如 2021-12-31 17:00（请加引号）。"""
    respond: TextList = Field(default_factory=list, alias="反馈方式")
    """怎样报名或反馈，一行一种，例如 电话、电子邮件、到社区办公室。"""


class Step(Model):
    """一个已完成的程序步骤。"""

    start: Day = Field(alias="开始")
    """开始日期。"""
    end: Day | None = Field(None, alias="结束")
    """结束日期（一天的不写）。"""
    what: Text = Field(alias="内容")
    """做了什么，例如 发放调查问卷。"""

    @model_validator(mode="after")
    def _order(self) -> Step:
        if self.end is not None and self.end < self.start:
            raise fail("结束日期早于开始日期", "ends before it starts", "检查日期", "check the dates", at=("结束",))
        return self


class Consultation(Notice):
    """征求意见：草案或拟办事项、决策程序和依据、征求意见的起止和截止时间、反馈方式和联系方式。"""

    kind_name = "征求意见"
    family = "residential"

    kind: Literal["征求意见"] = Field(alias="类型")
    """固定写“征求意见”。"""
    matter: Text = Field(alias="事项")
    """征求意见的事项，例如 前进社区居委会更名为西南村社区居委会。"""
    start: Day = Field(alias="开始")
    """开始征求意见的日期。"""
    deadline: DayTime = Field(alias="截止")
    """截止时间，例如 2022-05-17 或 "2022-05-17 17:00"。"""
    basis: TextList = Field(default_factory=list, alias="依据")
    """决策依据，例如 《山东省地名管理办法》第七条。"""
    steps: list[Step] = Field(default_factory=list, alias="程序")
    """已经做过的程序（调查问卷、座谈会、风险评估等），按时间写。"""
    respond: TextList = Field(alias="反馈方式", min_length=1)
    """怎样提意见，一行一种，例如 电话、电子邮件、书面意见交社区。"""

    @model_validator(mode="after")
    def _deadline_after_start(self) -> Consultation:
        if self.deadline.day < self.start:
            raise fail(
                "截止时间早于开始日期",
                "the deadline is before the start",
                "核对“开始”和“截止”",
                "check 开始 and 截止",
                at=("截止",),
            )
        return self


class Charter(Notice):
    """经会议通过的居民公约、村规民约、自治章程：序言和逐条条款。"""

    kind_name = "公约"
    family = "residential"

    kind: Literal["公约"] = Field(alias="类型")
    """固定写“公约”。"""
    charter: Literal["居民公约", "村规民约", "自治章程", "其他"] = Field(alias="文本类别")
    """居民公约、村规民约、自治章程、其他。"""
    adopted_by: Text = Field(alias="通过会议")
    """通过它的会议，例如 居民会议、村民会议、村民代表会议。"""
    adopted_on: Day | None = Field(None, alias="通过日期")
    """通过日期（原文没写时不写）。"""
    preamble: Text | None = Field(None, alias="序言")
    """条款前的说明。"""
    articles: TextList = Field(alias="条款", min_length=1)
    """条款，一行一条，不写序号（页面上自动编为 一、二、三……）。"""

    @property
    def numbered(self) -> list[tuple[str, str]]:
        return [(f"{cn_number(i)}、", text) for i, text in enumerate(self.articles, 1)]


class Honouree(Model):
    """名单上的一个受表彰对象。"""

    name: Text = Field(alias="名称")
    """受表彰的村、社区、单位、家庭或个人。"""
    where: Text | None = Field(None, alias="所在")
    """所在村、社区或单位。"""
    deeds: Text | None = Field(None, alias="事迹")
    """简要事迹或得分。"""


class Honours(Notice):
    """评选表彰：表彰决定、拟表彰公示、评选结果（优胜村、文明户、五好家庭等）。
    不是救助名单：没有家庭人口，公示期满默认不撤下（名单涉及个人隐私时写 期满撤下: 是）。"""

    kind_name = "评选表彰"
    family = "residential"
    personal = SectionOf(False, "takedown")  # type: ignore[assignment]

    kind: Literal["评选表彰"] = Field(alias="类型")
    """固定写“评选表彰”。"""
    stage: Literal["表彰决定", "拟表彰公示", "评选结果"] = Field(alias="文种")
    """表彰决定、拟表彰公示（一般有公示期）、评选结果。"""
    honour: Text = Field(alias="荣誉")
    """荣誉称号，例如 2018年度农村综合考核优胜村。"""
    who: Literal["村", "社区", "集体", "单位", "家庭", "个人"] = Field(alias="对象")
    """表彰对象：村、社区、集体、单位、家庭、个人。"""
    basis: Text | None = Field(None, alias="依据")
    """评选依据，例如 《2018年指前镇农村综合管理目标考评办法》。"""
    names: list[Honouree] = Field(alias="名单", min_length=1)
    """受表彰名单。"""
    takedown: YesNo = Field(False, alias="期满撤下")
    """公示期满后是否从网站撤下名单（涉及个人、家庭且需要保护隐私时写“是”）。"""
