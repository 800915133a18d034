"""预算执行: budget lines against actual spending, per account."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import Field

from generator.records.common import Model, Notice
from generator.records.finance import ZERO, Account
from generator.records.types import Count, Day, Money, Text


class BudgetLine(Model):
    """预算的一个科目。"""

    item: Text = Field(alias="科目")
    """预算科目，例如 办公费、活动经费。"""
    budget: Money = Field(alias="预算")
    """年初预算（元）。"""
    actual: Money = Field(alias="实际")
    """实际支出（元）。"""

    @property
    def rate(self) -> Decimal | None:
        """Execution rate in percent, to one decimal place (None when nothing was budgeted)."""
        if not self.budget:
            return None
        return (self.actual * 100 / self.budget).quantize(Decimal("0.1"))


class Budget(Notice):
    """年度预算执行情况：各科目预算与实际支出对比，执行率。"""

    kind_name = "预算执行"
    family = "finance"

    kind: Literal["预算执行"] = Field(alias="类型")
    """固定写“预算执行”。"""
    account: Account = Field(alias="账户")
    """行政账 或 经济账。"""
    year: Count = Field(alias="年度")
    """预算年度。"""
    as_at: Day = Field(alias="截至日期")
    """实际支出统计到哪一天。"""
    lines: list[BudgetLine] = Field(alias="科目", min_length=1)
    """预算科目。"""

    @property
    def budget_total(self) -> Decimal:
        return sum((line.budget for line in self.lines), start=ZERO)

    @property
    def actual_total(self) -> Decimal:
        return sum((line.actual for line in self.lines), start=ZERO)

    @property
    def rate(self) -> Decimal | None:
        total = self.budget_total
        return (self.actual_total * 100 / total).quantize(Decimal("0.1")) if total else None
