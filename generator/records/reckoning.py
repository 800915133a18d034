"""A figure worked out in a notice: quantity × unit price = amount, checked to the fen."""

from __future__ import annotations

from decimal import Decimal

from pydantic import Field, model_validator

from generator.records.common import Model
from generator.records.types import Money, Number, Text, fail


class Reckoning(Model):
    """一项核算：数量 × 单价 = 金额。"""

    item: Text = Field(alias="项目")
    """例如 机动地发包款。"""
    quantity: Number = Field(alias="数量")
    """数量，例如 34.5。"""
    unit: Text = Field(alias="单位")
    """数量的单位，例如 垧、亩、平方米、个站点。"""
    price: Money = Field(alias="单价")
    """每单位的金额（元），例如 3800。"""
    amount: Money = Field(alias="金额")
    """金额（元），必须等于 数量 × 单价。"""
    written: Text | None = Field(None, alias="原文")
    """原文的写法，例如“壹拾叁万壹仟壹百元整(131,100)”。"""

    @model_validator(mode="after")
    def _multiplies(self) -> Reckoning:
        due = (self.quantity * self.price).quantize(Decimal("0.01"))
        if due != self.amount:
            raise fail(
                f"{self.quantity} × {self.price} = {due:.2f}，但金额写的是 {self.amount:.2f}",
                f"quantity × price = {due:.2f}, amount is {self.amount:.2f}",
                f"把金额改为 {due:.2f}，或核对数量和单价",
                f"set 金额 to {due:.2f}",
                at=("金额",),
            )
        return self
