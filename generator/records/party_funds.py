"""党费 beyond collection: its use, what is passed up (上缴), and 专项党费 allocation plans."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import Field, model_validator

from generator.records.common import Model, Notice
from generator.records.types import Count, Day, Money, Text, TextList, fail
from generator.records.values import plain


class DuesLine(Model):
    """一笔党费的使用、上缴或划拨。"""

    to: Text = Field(alias="对象")
    """使用单位或接收单位，例如 唐家沟村、上级党委。"""
    purpose: Text = Field(alias="用途")
    """用途或原因，例如 村级党群服务中心漏雨、渗水修缮。"""
    amount: Money = Field(alias="金额")
    """金额，单位见“金额单位”。"""
    on: Day | None = Field(None, alias="日期")
    """日期（计划、方案不写）。"""


class DuesUse(Notice):
    """党费使用、党费上缴、专项党费使用方案（划拨）：来源、合计、按对象的明细，明细之和必须等于合计。"""

    kind_name = "党费使用"
    family = "party"

    kind: Literal["党费使用"] = Field(alias="类型")
    """固定写“党费使用”。"""
    category: Literal["党费使用", "党费上缴", "专项党费使用方案", "专项党费下拨"] = Field(alias="类别")
    """党费使用、党费上缴、专项党费使用方案、专项党费下拨。"""
    year: Count | None = Field(None, alias="年度")
    """年度。"""
    origin: Text | None = Field(None, alias="资金来源")
    """例如 县委组织部划拨专项党费、本支部留存党费。"""
    unit: Literal["元", "万元"] = Field("元", alias="金额单位")
    """金额单位：元（默认）或 万元（照原文，例如 5.3 万元）。"""
    total: Money = Field(alias="合计")
    """合计，单位见“金额单位”，必须等于明细之和。"""
    lines: list[DuesLine] = Field(alias="明细", min_length=1)
    """明细，一个对象一行。"""
    rules: TextList = Field(default_factory=list, alias="使用要求")
    """使用要求，一行一条，例如 坚持专款专用。"""
    tasks: TextList = Field(default_factory=list, alias="工作要求")
    """工作要求，一行一条。"""

    def shown(self, amount: Decimal) -> str:
        """An amount in the notice's own unit: 5.3 万元, or 1,250.00 元."""
        return f"{plain(amount)} 万元" if self.unit == "万元" else f"{amount:,.2f} 元"

    @model_validator(mode="after")
    def _adds_up(self) -> DuesUse:
        total = sum((line.amount for line in self.lines), start=Decimal("0.00"))
        if total != self.total:
            raise fail(
                f"明细之和 {plain(total)} {self.unit} 与合计 {plain(self.total)} {self.unit} 不符",
                f"lines add up to {total}, not {self.total}",
                f"把合计改为 {plain(total)}，或核对明细",
                f"set 合计 to {total}",
                at=("合计",),
            )
        return self
