"""财务公开: account statements (行政账 / 经济账 kept apart) and special funds."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from pydantic import Field, model_validator

from generator.records.common import Model, Notice
from generator.records.types import Count, Day, Money, Text, TextList, fail
from generator.records.values import Month

ZERO = Decimal("0.00")


def _subtotals(lines: Iterable[tuple[str, Decimal]]) -> list[tuple[str, Decimal]]:
    totals: dict[str, Decimal] = {}
    for label, amount in lines:
        totals[label] = totals.get(label, ZERO) + amount
    return list(totals.items())


class Account(StrEnum):
    ADMIN = "行政账"
    ECONOMIC = "经济账"


class Income(Model):
    """一笔收入。"""

    on: Day = Field(alias="日期")
    """入账日期。"""
    source: Text = Field(alias="来源")
    """收入来源，例如 街道拨付工作经费。"""
    amount: Money = Field(alias="金额")
    """金额（元），最多两位小数。"""
    voucher: Text = Field(alias="凭证号")
    """记账凭证号，例如 记-2024-031。"""
    counterpart: Account | None = Field(None, alias="对方账户")
    """本社区另一本账转来的钱（例如 合作社拨给居委会的公益金）写对方账户；另一本账须有同日同额的支出。"""


class Expense(Model):
    """一笔支出。"""

    on: Day = Field(alias="日期")
    """支出日期。"""
    category: Text = Field(alias="类别")
    """支出类别，例如 办公费、活动经费、公益事业。"""
    payee: Text = Field(alias="收款方")
    """收款单位（个人收款写“个人”或岗位，不写姓名以外的个人信息）。"""
    amount: Money = Field(alias="金额")
    """金额（元），最多两位小数。"""
    voucher: Text = Field(alias="凭证号")
    """记账凭证号。"""
    approver: Text = Field(alias="审批人")
    """审批人（职务）。"""
    purpose: Text | None = Field(None, alias="摘要")
    """用途摘要。"""
    counterpart: Account | None = Field(None, alias="对方账户")
    """转到本社区另一本账的钱写对方账户；另一本账须有同日同额的收入。"""


class SignOff(Model):
    """民主理财小组审核。"""

    on: Day = Field(alias="审核日期")
    """审核日期。"""
    members: TextList = Field(alias="成员")
    """参加审核的小组成员。"""
    opinion: Text = Field("同意公开", alias="意见")
    """审核意见。"""


class Statement(Notice):
    """一个账户一个期间的收支公开：期初余额 + 收入 − 支出 = 期末余额，到分。"""

    kind_name = "收支公开"
    family = "finance"

    kind: Literal["收支公开"] = Field(alias="类型")
    """固定写“收支公开”。"""
    account: Account = Field(alias="账户")
    """行政账（居委会）或 经济账（股份经济合作社），政经分离，分别公开。"""
    cycle: Literal["月度", "季度", "年度"] = Field(alias="周期")
    """月度、季度 或 年度。"""
    from_: Day = Field(alias="期间开始")
    """期间第一天，例如 2024-07-01。"""
    to: Day = Field(alias="期间结束")
    """期间最后一天，例如 2024-09-30。"""
    opening: Money = Field(alias="期初余额")
    """期初余额（元），应等于上一期的期末余额。"""
    income: list[Income] = Field(default_factory=list, alias="收入")
    """收入明细。"""
    expenses: list[Expense] = Field(default_factory=list, alias="支出")
    """支出明细。"""
    closing: Money = Field(alias="期末余额")
    """期末余额（元）= 期初余额 + 收入合计 − 支出合计。"""
    sign_off: SignOff | None = Field(None, alias="民主理财小组")
    """民主理财小组审核情况。"""

    @property
    def income_total(self) -> Decimal:
        return sum((i.amount for i in self.income), start=ZERO)

    @property
    def expense_total(self) -> Decimal:
        return sum((e.amount for e in self.expenses), start=ZERO)

    def by_category(self) -> list[tuple[str, Decimal]]:
        """Expenditure subtotals per category, in order of first appearance."""
        return _subtotals((e.category, e.amount) for e in self.expenses)

    def by_source(self) -> list[tuple[str, Decimal]]:
        """Income subtotals per source, in order of first appearance."""
        return _subtotals((i.source, i.amount) for i in self.income)

    # Three rules, each run on its own: a record with a bad line date still gets its balance checked.
    @model_validator(mode="after")
    def _period_in_order(self) -> Statement:
        if self.to < self.from_:
            raise fail(
                "期间结束早于期间开始", "period ends before it starts", "检查日期", "check the dates", at=("期间结束",)
            )
        return self

    @model_validator(mode="after")
    def _lines_in_period(self) -> Statement:
        for name, lines in (("收入", self.income), ("支出", self.expenses)):
            for i, line in enumerate(lines):
                if not self.from_ <= line.on <= self.to:
                    raise fail(
                        f"这笔{name}的日期 {line.on} 不在本期间内",
                        f"this {name} line is dated {line.on}, outside the period",
                        "核对日期，或放到对应期间的收支公开里",
                        "check the date",
                        at=(name, i, "日期"),
                    )
        return self

    @model_validator(mode="after")
    def _reconciles(self) -> Statement:
        expected = self.opening + self.income_total - self.expense_total
        if expected != self.closing:
            raise fail(
                f"账不平：期初 {self.opening:.2f} + 收入 {self.income_total:.2f} − 支出 "
                f"{self.expense_total:.2f} = {expected:.2f}，但期末余额写的是 {self.closing:.2f}",
                f"does not reconcile: opening + income − expenditure = {expected:.2f}, closing is {self.closing:.2f}",
                "核对每一笔收支，或改正期末余额",
                "check every line or correct the closing balance",
                at=("期末余额",),
            )
        return self


class FundSource(Model):
    """专项资金的一个来源。"""

    source: Text = Field(alias="来源")
    """拨付单位，例如 市财政。"""
    rate: Money | None = Field(None, alias="人均标准")
    """按人头拨付时的标准（元/人·年）。"""
    amount: Money = Field(alias="金额")
    """拨付金额（元）；有人均标准时 = 人均标准 × 人口基数。"""


class FundSpending(Model):
    """专项资金的一笔支出。"""

    on: Day | None = Field(None, alias="日期")
    """支出日期；原文只写到月时写“月份”。"""
    month: Month | None = Field(None, alias="月份")
    """原文只写到月时的支付月份，例如 2025-04。"""
    purpose: Text = Field(alias="用途")
    """用途。"""
    amount: Money = Field(alias="金额")
    """金额（元）。"""
    voucher: Text | None = Field(None, alias="凭证号")
    """记账凭证号（原文未公布时不写）。"""

    @model_validator(mode="after")
    def _when(self) -> FundSpending:
        if (self.on is None) == (self.month is None):
            raise fail(
                "支出要写“日期”或“月份”其中一项",
                "give either 日期 or 月份",
                "例如 日期: 2025-04-15 或 月份: 2025-04",
                "e.g. 日期: 2025-04-15 or 月份: 2025-04",
                at=("日期",),
            )
        return self


class SpecialFund(Notice):
    """专项资金的来源、标准、使用和结余，例如 公共卫生专项经费 27.50 元/人·年。"""

    kind_name = "专项资金"
    family = "finance"

    kind: Literal["专项资金"] = Field(alias="类型")
    """固定写“专项资金”。"""
    fund: Text = Field(alias="资金名称")
    """例如 基本公共卫生服务专项经费。"""
    year: Count = Field(alias="年度")
    """资金年度，例如 2024。"""
    rate: Money | None = Field(None, alias="人均标准")
    """总的人均标准（元/人·年），应等于各来源人均标准之和。"""
    population: Count | None = Field(None, alias="人口基数")
    """按人头拨付时的人口数（户籍人口）。"""
    sources: list[FundSource] = Field(alias="来源", min_length=1)
    """资金来源。"""
    total: Money = Field(alias="合计")
    """下达合计（元），应等于各来源金额之和。"""
    spending: list[FundSpending] = Field(default_factory=list, alias="支出")
    """使用明细。"""

    @property
    def spent(self) -> Decimal:
        return sum((s.amount for s in self.spending), start=ZERO)

    @property
    def remaining(self) -> Decimal:
        return self.total - self.spent

    @model_validator(mode="after")
    def _adds_up(self) -> SpecialFund:
        for i, s in enumerate(self.sources):
            if s.rate is not None:
                if self.population is None:
                    raise fail(
                        "写了人均标准，就要写“人口基数”",
                        "a per-capita rate needs 人口基数",
                        "加上 人口基数: 户籍人口数",
                        "add 人口基数",
                        at=("来源", i, "人均标准"),
                    )
                due = (s.rate * self.population).quantize(Decimal("0.01"))
                if due != s.amount:
                    raise fail(
                        f"{s.source}：{s.rate} × {self.population} = {due:.2f}，但金额写的是 {s.amount:.2f}",
                        f"{s.source}: rate × population = {due:.2f}, amount is {s.amount:.2f}",
                        f"把金额改为 {due:.2f}",
                        f"set 金额 to {due:.2f}",
                        at=("来源", i, "金额"),
                    )
        if self.rate is not None:
            rates = sum((s.rate or ZERO for s in self.sources), start=ZERO)
            if rates != self.rate:
                raise fail(
                    f"各来源人均标准之和 {rates} 不等于人均标准 {self.rate}",
                    f"source rates add up to {rates}, not {self.rate}",
                    "核对各级标准",
                    "check each source's rate",
                    at=("人均标准",),
                )
        total = sum((s.amount for s in self.sources), start=ZERO)
        if total != self.total:
            raise fail(
                f"各来源金额之和 {total:.2f} 不等于合计 {self.total:.2f}",
                f"sources add up to {total:.2f}, not {self.total:.2f}",
                f"把合计改为 {total:.2f}，或核对来源",
                f"set 合计 to {total:.2f}",
                at=("合计",),
            )
        if self.spent > self.total:
            raise fail(
                f"支出合计 {self.spent:.2f} 超过下达合计 {self.total:.2f}",
                f"spending {self.spent:.2f} exceeds the allocation {self.total:.2f}",
                "核对支出明细",
                "check the spending lines",
                at=("支出",),
            )
        return self
