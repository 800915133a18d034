"""Collective assets: 招租/招标 公告, 出租方案 and 结果公示 of leases of village land, markets, shops.

Not construction tenders: the collective lets what it owns (land, a market, a cold store) for a
term, at a reserve rent, and says how the rent is shared.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from pydantic import Field, model_validator

from generator.records.common import Model, Notice
from generator.records.types import Count, Day, Money, Number, Text, TextList, fail
from generator.records.values import DayTime

ZERO = Decimal("0.00")


class Lot(Model):
    """一个标的（出租的一块地、一个市场、一间铺面）。"""

    number: Text | None = Field(None, alias="标号")
    """标号，例如 1。"""
    name: Text = Field(alias="名称")
    """标的名称，例如 农业科技示范园用地（包括大棚）。"""
    place: Text | None = Field(None, alias="位置")
    """位置，例如 本村七组圹外大田。"""
    area: Number | None = Field(None, alias="面积")
    """面积（数字）。"""
    area_unit: Text = Field("亩", alias="面积单位")
    """面积单位：亩（默认）、平方米、㎡、垧。"""
    reserve: Money | None = Field(None, alias="底价")
    """每年租金底价（元）。"""
    use: Text | None = Field(None, alias="用途")
    """用途或经营范围。"""


class Share(Model):
    """租金分配给的一方。"""

    to: Text = Field(alias="对象")
    """例如 隆南村。"""
    amount: Money = Field(alias="每年金额")
    """每年分得的金额（元）。"""


class Award(Model):
    """结果公示中的一个标的的成交结果。"""

    lot: Text = Field(alias="标的")
    """标的名称或标号。"""
    tenant: Text = Field(alias="承租方")
    """中标（承租）单位；个人写姓名，不写身份证号和手机号。"""
    rent: Money = Field(alias="成交租金")
    """成交的每年租金（元），不得低于底价。"""


class AssetLease(Notice):
    """集体资产（资源）出租：招租公告、招标公告、出租方案、结果公示。写明标的、租期、底价、
    保证金、报名时间和租金分配；租期与年限、分配与租金互相核对。"""

    kind_name = "资产招租"
    family = "residential"

    kind: Literal["资产招租"] = Field(alias="类型")
    """固定写“资产招租”。"""
    stage: Literal["招租公告", "招标公告", "出租方案", "结果公示"] = Field(alias="文种")
    """招租公告、招标公告、出租方案、结果公示。"""
    lessor: Text = Field(alias="出租方")
    """出租的集体，例如 向家村村民委员会、隆南经联社。"""
    on_behalf_of: TextList = Field(default_factory=list, alias="委托方")
    """委托出租方办理的村或组织（几村共有的资产）。"""
    approval: Text | None = Field(None, alias="决策程序")
    """例如 经村支两委集体研究，并经村民代表会议表决通过。"""
    basis: TextList = Field(default_factory=list, alias="依据")
    """依据的办法、细则。"""
    lots: list[Lot] = Field(alias="标的", min_length=1)
    """标的清单。"""
    use: Text | None = Field(None, alias="用途")
    """出租后的用途或经营范围（各标的相同时写在这里）。"""
    years: Count | None = Field(None, alias="租期年数")
    """租期，年。"""
    term_start: Day | None = Field(None, alias="租期开始")
    """租期第一天。"""
    term_end: Day | None = Field(None, alias="租期结束")
    """租期最后一天，不得早于开始；写了年数时应为 开始 + 年数 − 1 天。"""
    payment: Text | None = Field(None, alias="支付方式")
    """租金支付方式，例如 分四期支付，每五年支付一次。"""
    deposit_rate: Number | None = Field(None, alias="保证金比例")
    """保证金占 底价 × 年限 的百分比，例如 2（表示 2%）。"""
    deposit: Money | None = Field(None, alias="保证金")
    """保证金金额（元）。"""
    deposit_rule: Text | None = Field(None, alias="保证金说明")
    """保证金的交退规则，照原文写。"""
    performance_bond: Money | None = Field(None, alias="履约金")
    """履约保证金（元）。"""
    bidders: Text | None = Field(None, alias="参与条件")
    """谁可以参与。"""
    signup_start: DayTime | None = Field(None, alias="报名开始")
    """报名（投标）开始，可带时间。"""
    signup_end: DayTime | None = Field(None, alias="报名截止")
    """报名（投标）截止，可带时间，例如 "2021-12-31 17:00"。"""
    signup_place: Text | None = Field(None, alias="报名地点")
    """报名地点。"""
    shares: list[Share] = Field(default_factory=list, alias="租金分配")
    """每年租金分给哪些村或组织。"""
    awards: list[Award] = Field(default_factory=list, alias="成交结果")
    """结果公示：各标的承租方和成交租金。"""

    @property
    def reserve_total(self) -> Decimal:
        return sum((lot.reserve or ZERO for lot in self.lots), start=ZERO)

    @property
    def deposit_due(self) -> Decimal | None:
        """The deposit the stated rule gives: rate % × yearly reserve × years (None without a rule)."""
        if self.deposit_rate is None or self.years is None:
            return None
        return (self.reserve_total * self.years * self.deposit_rate / 100).quantize(Decimal("0.01"))

    @property
    def expected_end(self) -> dt.date | None:
        """The last day of the term: start + years − 1 day (None without both)."""
        if self.term_start is None or self.years is None:
            return None
        start = self.term_start
        try:
            return start.replace(year=start.year + self.years) - dt.timedelta(days=1)
        except ValueError:  # 29 February
            return start.replace(year=start.year + self.years, day=28)

    @property
    def priced(self) -> bool:
        """Every lot has a reserve rent, so shares can be weighed against the yearly rent."""
        return all(lot.reserve is not None for lot in self.lots)

    @property
    def shared(self) -> Decimal:
        return sum((s.amount for s in self.shares), start=ZERO)

    @model_validator(mode="after")
    def _consistent(self) -> AssetLease:
        if self.term_start and self.term_end and self.term_end < self.term_start:
            raise fail(
                f"租期结束（{self.term_end}）早于租期开始（{self.term_start}）",
                "the lease ends before it starts",
                f"租期{self.years or ''}年，结束日期应为 {self.expected_end}" if self.expected_end else "核对日期",
                "check the term dates",
                at=("租期结束",),
            )
        if self.signup_start and self.signup_end and self.signup_end < self.signup_start:
            raise fail("报名截止早于报名开始", "sign-up ends before it starts", "检查日期", "check", at=("报名截止",))
        if self.shares and self.priced and self.shared > self.reserve_total:
            raise fail(
                f"租金分配合计 {self.shared:.2f} 元多于年租金底价 {self.reserve_total:.2f} 元",
                "the rent shares exceed the yearly rent",
                "核对各方每年金额",
                "check the shares",
                at=("租金分配",),
            )
        names = {lot.name for lot in self.lots} | {lot.number for lot in self.lots if lot.number}
        for i, award in enumerate(self.awards):
            lot = next((x for x in self.lots if award.lot in (x.name, x.number)), None)
            if lot is None:
                raise fail(
                    f"成交结果里的标的“{award.lot}”不在标的清单里",
                    f"awarded lot '{award.lot}' is not listed",
                    f"可选：{'、'.join(sorted(names))}",
                    "name a listed lot",
                    at=("成交结果", i, "标的"),
                )
            if lot.reserve is not None and award.rent < lot.reserve:
                raise fail(
                    f"成交租金 {award.rent:.2f} 低于底价 {lot.reserve:.2f}",
                    "the rent is below the reserve",
                    "核对成交租金",
                    "check the rent",
                    at=("成交结果", i, "成交租金"),
                )
        return self
