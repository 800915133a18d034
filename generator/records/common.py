"""What every notice has, whatever its family.

Field names in the YAML are Chinese (the alias of each field), so a record reads like the paper
form it replaces; the Python attribute names are English.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from generator.records.types import Count, Day, Ident, PublicPhone, Text, TextList, fail
from generator.records.values import Email


class Model(BaseModel):
    """Base of every record part: Chinese keys, unknown keys refused, immutable."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        populate_by_name=False,
        use_attribute_docstrings=True,
        validate_by_alias=True,
        serialize_by_alias=True,
    )


class Status(StrEnum):
    DRAFT = "草稿"
    PUBLISHED = "已发布"
    WITHDRAWN = "已撤回"


class Audience(StrEnum):
    PUBLIC = "向社会公开"
    PARTY = "党内公开"
    UNIT = "本单位公开"
    SPECIFIC = "对特定对象公开"


class Period(Model):
    """A 公示期: a start date and either an end date or a number of days (end date inclusive)."""

    start: Day = Field(alias="开始")
    """公示开始日期（含当天）。"""
    end: Day | None = Field(None, alias="结束")
    """公示结束日期（含当天）。与“天数”二选一。"""
    days: Count | None = Field(None, alias="天数")
    """公示天数（含开始当天）。与“结束”二选一。"""

    @model_validator(mode="after")
    def _one_of(self) -> Period:
        if (self.end is None) == (self.days is None):
            raise fail(
                "公示期要写“结束”或“天数”其中一项",
                "give either 结束 (end) or 天数 (days)",
                "例如 结束: 2024-09-07 或 天数: 7",
                "e.g. 结束: 2024-09-07 or 天数: 7",
            )
        if self.days is not None and self.days < 1:
            raise fail("公示天数至少为 1", "days must be at least 1", "填写正整数", "use a positive number")
        if self.end is not None and self.end < self.start:
            raise fail(
                "公示期结束日期早于开始日期",
                "the 公示期 ends before it starts",
                "检查“开始”和“结束”是否写反",
                "check whether start and end are swapped",
                at=("结束",),
            )
        return self

    @property
    def last_day(self) -> dt.date:
        """The inclusive end date, whichever way it was given."""
        if self.end is not None:
            return self.end
        return self.start + dt.timedelta(days=(self.days or 1) - 1)


class Channel(Model):
    """Where residents object or give opinions (监督渠道)."""

    phone: PublicPhone | None = Field(None, alias="监督电话")
    """公开的监督电话（公开号码，可以发布）。"""
    box: Text | None = Field(None, alias="意见箱")
    """意见箱位置，例如“社区服务大厅门口”。"""


class Attachment(Model):
    """A file under site_data/ published with the notice."""

    file: Text = Field(alias="文件")
    """文件路径，相对于本记录文件所在目录，例如 附件/名单.pdf。"""
    caption: Text | None = Field(None, alias="说明")
    """附件说明。"""


class Contact(Model):
    """一组公开的联系方式：联系人（岗位）、一个或多个电话、传真、电子邮箱、地址。"""

    name: Text | None = Field(None, alias="联系人")
    """联系人或岗位，例如 社区办公室、王意意。"""
    phones: list[PublicPhone] = Field(default_factory=list, alias="电话")
    """公开的办公电话，可写多个；横线写成 - – — － 都可以（公开号码，可以发布）。"""
    fax: list[PublicPhone] = Field(default_factory=list, alias="传真")
    """传真号码，可写多个。"""
    email: Email | None = Field(None, alias="邮箱")
    """电子邮箱。"""
    address: Text | None = Field(None, alias="地址")
    """办公或来访地址。"""
    hours: Text | None = Field(None, alias="时间")
    """接待或办公时间，例如 工作日 8:30-17:30。"""

    @model_validator(mode="after")
    def _something(self) -> Contact:
        if not (self.phones or self.fax or self.email or self.address):
            raise fail(
                "联系方式里至少要写电话、传真、邮箱或地址之一",
                "a contact needs a phone, fax, e-mail or address",
                "例如 电话: [0631-5222837]",
                "e.g. 电话: [0631-5222837]",
                at=("电话",),
            )
        return self


class Signatory(Model):
    """落款的一个单位（几个单位联合落款时写多项）。"""

    org: Text = Field(alias="单位")
    """落款单位全称，例如 中共青兰村支部委员会。"""
    seal: Text | None = Field(None, alias="印章")
    """原文在落款处印的印章说明，例如“（章）”“（公章）”，照原文写。"""


class SourceNote(Model):
    """原文与记录的一处不同：原文写的是什么，记录改成了什么，为什么。检查时逐条提示，页面上也公开。"""

    field: Text | None = Field(None, alias="字段")
    """涉及的字段，例如 租期结束、标的[1].底价。"""
    original: Text = Field(alias="原文")
    """原文照录，例如“自2024年 7 月 9 日起至 2024 年 7 月 8 日止”。"""
    fix: Text | None = Field(None, alias="更正")
    """记录采用的写法；原文缺漏无法更正时不写。"""
    note: Text = Field(alias="说明")
    """为什么这样处理，例如“租期3年，结束日期应为2027年7月8日”。"""


class SectionOf:
    """A class attribute that an instance may answer from one of its fields (the 栏目 of a plain
    公告, the 期满撤下 of an honours list), while the class answers its default."""

    def __init__(self, default: Any, attr: str, mapping: dict[Any, Any] | None = None) -> None:
        self.default, self.attr, self.mapping = default, attr, mapping

    def __get__(self, obj: Any, cls: Any = None) -> Any:
        if obj is None:
            return self.default
        value = getattr(obj, self.attr)
        return self.mapping.get(value, self.default) if self.mapping is not None else value


class Notice(Model):
    """Fields common to every notice. Subclasses add their family's fields."""

    kind_name: ClassVar[str] = ""
    family: ClassVar[str] = ""
    #: Lists people (benefit lists): once the 公示期 has ended, only the title stays online.
    personal: ClassVar[bool] = False
    #: Kinds that must have a 公示期, with its statutory minimum in days (None: 公示期 optional).
    period_days: ClassVar[int | None] = None

    id: Ident = Field(alias="编号")
    """永久编号，用于网址和二维码，发布后不再改动，也不重复使用。例如 2024-dw-001。"""
    kind: Text = Field(alias="类型")
    """记录类型，例如 会议记录、收支公开。决定其余字段。"""
    title: Text = Field(alias="标题")
    """标题，例如“关于2024年第三季度居务收支情况的公示”。"""
    doc_number: Text | None = Field(None, alias="文号")
    """（可选）发文字号，纸质通知有文号时照抄，例如 漓社发〔2024〕12号。网页和索引里显示。"""
    org: Ident = Field(alias="发布单位")
    """发布单位的编号，见本社区 community.yaml 的“组织”。"""
    date: Day = Field(alias="发布日期")
    """发布日期，格式 年-月-日。"""
    status: Status = Field(alias="状态")
    """草稿（不发布）、已发布、已撤回（仍列出，标明“已撤回”及原因）。"""
    audience: Audience = Field(Audience.PUBLIC, alias="公开范围")
    """向社会公开（默认，上网上墙）、党内公开、本单位公开、对特定对象公开；后三种不上网站。"""
    period: Period | None = Field(None, alias="公示期")
    """公示期：开始，以及结束或天数。有公示期的通知会显示在首页“正在公示”。"""
    channel: Channel | None = Field(None, alias="监督渠道")
    """监督电话或意见箱；不写则用发布单位的。"""
    body: str | None = Field(None, alias="正文")
    """正文，Markdown 格式，可用 | 写多行。"""
    attachments: list[Attachment] = Field(default_factory=list, alias="附件")
    """附件列表。"""
    tags: TextList = Field(default_factory=list, alias="标签")
    """标签，便于检索。"""
    withdrawn_reason: Text | None = Field(None, alias="撤回原因")
    """状态为“已撤回”时必填：为什么撤回。"""
    corrects: Ident | None = Field(None, alias="更正")
    """本通知更正的另一条通知的编号（须是本社区的通知）；两者会互相链接。"""
    correction_note: Text | None = Field(None, alias="更正说明")
    """更正或修改了什么、为什么。"""
    salutation: Text | None = Field(None, alias="称谓")
    """主送对象，写在正文前，例如 各党(总)支部、各位村民（不写冒号）。"""
    doc_number: Text | None = Field(None, alias="文号")
    """发文字号，例如 鼓民〔2025〕29号（没有不写）。"""
    source: Text | None = Field(None, alias="信息来源")
    """信息来源，例如 转载时的原文网址或纸质公示栏。"""
    contacts: list[Contact] = Field(default_factory=list, alias="联系方式")
    """公开的联系方式：联系人、电话（可多个）、传真、邮箱、地址。"""
    closing_words: Text | None = Field(None, alias="结束语")
    """结束语，照原文写，例如 特此公告、专此公告（不写标点）。"""
    signatories: list[Signatory] = Field(default_factory=list, alias="落款")
    """落款单位，可写多个（例如 村党支部和村民委员会联合落款）；不写则用发布单位。"""
    source_notes: list[SourceNote] = Field(default_factory=list, alias="原文说明")
    """原文有误、缺漏或前后不一时，逐条写明原文、更正和理由；不悄悄改。"""

    @model_validator(mode="after")
    def _withdrawn_needs_reason(self) -> Notice:
        if self.status is Status.WITHDRAWN and not self.withdrawn_reason:
            raise fail(
                "已撤回的通知必须写“撤回原因”",
                "a withdrawn notice needs 撤回原因 (reason)",
                "加一行 撤回原因: ……",
                "add a line 撤回原因: …",
                at=("状态",),
            )
        return self

    @model_validator(mode="after")
    def _period_when_required(self) -> Notice:
        if self.period_days is not None and self.period is None:
            raise fail(
                f"{self.kind_name}必须有“公示期”",
                f"a {self.kind_name} notice needs a 公示期",
                f"加上 公示期: {{开始: …, 天数: {self.period_days}}}",
                "add 公示期 with 开始 and 天数",
                at=("公示期",),
            )
        return self

    @property
    def is_public(self) -> bool:
        """Reaches the website and the boards: public audience and not a draft."""
        return self.audience is Audience.PUBLIC and self.status is not Status.DRAFT
