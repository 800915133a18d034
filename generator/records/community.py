"""Data about the publishers: the site, each community and its organisations, the catalogue."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import Field, model_validator

from generator.records.common import Model
from generator.records.types import Count, Ident, Number, PublicPhone, Text, TextList, fail


class OrgKind(StrEnum):
    PARTY = "党组织"
    RESIDENTS = "居委会"
    VILLAGERS = "村民委员会"
    COLLECTIVE = "经济合作社"
    VILLAGE_COLLECTIVE = "村股份经济合作社"
    UNION = "经联社"
    WOMEN = "妇联"
    SUPERVISION = "监督委员会"
    VILLAGE_SUPERVISION = "村务监督委员会"
    GROUP = "村民小组"
    ELECTORAL = "选举委员会"
    GOVERNMENT = "街道办事处或乡镇"
    DEPARTMENT = "政府部门"
    OTHER = "其他"


class Place(StrEnum):
    COMMUNITY = "社区"
    VILLAGE = "村"
    STREET = "街道"
    TOWN = "乡镇"


class Organisation(Model):
    """社区里发布信息的一个组织。"""

    id: Ident = Field(alias="编号")
    """组织编号，记录的“发布单位”写这个，例如 dangwei。"""
    name: Text = Field(alias="名称")
    """全称，例如 中共漓江路社区委员会。"""
    kind: OrgKind = Field(alias="类别")
    """党组织、居委会、村民委员会、（村股份）经济合作社、经联社、妇联、（村务）监督委员会、村民小组、选举委员会、
    街道办事处或乡镇、政府部门、其他。"""
    phone: PublicPhone | None = Field(None, alias="监督电话")
    """公开的监督电话，通知不写监督渠道时用它。"""
    box: Text | None = Field(None, alias="意见箱")
    """意见箱位置。"""
    address: Text | None = Field(None, alias="地址")
    """办公地址。"""


class Community(Model):
    """社区概况：一个社区一个 community.yaml，放在它自己的目录里。"""

    id: Ident = Field(alias="编号")
    """社区编号，用于网址，例如 lijianglu；必须与目录名相同。"""
    name: Text = Field(alias="名称")
    """社区名称，例如 漓江路社区。"""
    street: Text | None = Field(None, alias="街道")
    """所属街道（乡镇），例如 天桥街道；街道、乡镇自己发布时不写。"""
    place: Place = Field(Place.COMMUNITY, alias="类别")
    """社区（默认）、村，或直接发布公开信息的街道、乡镇。"""
    district: Text | None = Field(None, alias="区县")
    """所属区县，例如 召陵区。"""
    area_km2: Number | None = Field(None, alias="面积")
    """辖区面积，平方公里。"""
    households: Count | None = Field(None, alias="户数")
    """户数。"""
    population: Count | None = Field(None, alias="人口")
    """常住人口。"""
    women: Count | None = Field(None, alias="女性人口")
    """其中女性人口。"""
    party_orgs: Count | None = Field(None, alias="党组织数")
    """下属党组织（党支部）个数。"""
    party_members: Count | None = Field(None, alias="党员数")
    """党员人数。"""
    intro: str | None = Field(None, alias="简介")
    """社区简介，Markdown。"""
    orgs: list[Organisation] = Field(alias="组织", min_length=1)
    """本社区的组织：党委（党支部）、居委会、股份经济合作社、妇代会等。"""
    default_org: Ident = Field(alias="主办单位")
    """网站页脚显示的组织编号，一般是居委会或社区党委。"""

    @model_validator(mode="after")
    def _consistent(self) -> Community:
        ids = [o.id for o in self.orgs]
        for i, org_id in enumerate(ids):
            if org_id in ids[:i]:
                raise fail(
                    f"组织编号“{org_id}”重复",
                    f"duplicate organisation id '{org_id}'",
                    "每个组织用不同的编号",
                    "give each organisation its own id",
                    at=("组织", i, "编号"),
                )
        if self.default_org not in ids:
            raise fail(
                f"主办单位“{self.default_org}”不在组织列表里",
                f"主办单位 '{self.default_org}' is not one of the organisations",
                f"可选：{'、'.join(ids)}",
                f"one of: {', '.join(ids)}",
                at=("主办单位",),
            )
        if self.women is not None and self.population is not None and self.women > self.population:
            raise fail(
                "女性人口多于总人口", "more women than people", "核对人口数", "check the figures", at=("女性人口",)
            )
        return self

    def families(self) -> dict[str, str]:
        """The four families as this publisher calls them: a village's 居务 is 村务公开."""
        from generator.records import FAMILIES

        if self.place is Place.VILLAGE:
            return {**FAMILIES, "residential": "村务公开"}
        return dict(FAMILIES)

    def org(self, org_id: str) -> Organisation | None:
        return next((o for o in self.orgs if o.id == org_id), None)


class CatalogueRow(Model):
    """公开目录中的一项，列名与官方公开目录相同。"""

    item: Text = Field(alias="公开事项")
    """例如 居务收支。"""
    content: Text = Field(alias="公开内容")
    """例如 行政账收入、支出明细及余额。"""
    basis: Text = Field(alias="公开依据")
    """例如 《中华人民共和国村民委员会组织法》第三十条。"""
    timing: Text = Field(alias="公开时限")
    """例如 每季度一次、事项办结后5个工作日内。"""
    publisher: Text = Field(alias="公开主体")
    """负责公开的组织。"""
    channels: Text = Field(alias="公开渠道")
    """例如 社区公开栏、网站。"""
    audience: Text = Field(alias="公开对象")
    """例如 社会公众、全体居民、党内。"""
    manner: Text = Field(alias="公开方式")
    """主动公开 或 依申请公开。"""
    kind: Text | None = Field(None, alias="对应类型")
    """（可选）对应的记录类型，例如 收支公开。写了“频次”后，超期未公开会提示。"""
    account: Literal["行政账", "经济账"] | None = Field(None, alias="账户")
    """（可选）收支公开对应的账户。"""
    every: Literal["每月", "每季度", "每年"] | None = Field(None, alias="频次")
    """（可选）每月、每季度 或 每年：检查是否按时公开。"""

    @model_validator(mode="after")
    def _kind_known(self) -> CatalogueRow:
        from generator.records import KINDS

        if self.kind is not None and self.kind not in KINDS:
            raise fail(
                f"不认识的类型“{self.kind}”",
                f"unknown kind '{self.kind}'",
                f"可选：{'、'.join(KINDS)}",
                "see the field reference",
                at=("对应类型",),
            )
        if (self.kind is None) != (self.every is None):
            raise fail(
                "“对应类型”和“频次”要一起写",
                "对应类型 and 频次 go together",
                "两项都写，或都不写",
                "give both or neither",
                at=("频次",),
            )
        return self


class Catalogue(Model):
    """公开目录：本社区应当公开的事项清单（放在社区目录下的 catalogue.yaml）。"""

    rows: list[CatalogueRow] = Field(alias="目录", min_length=1)
    """目录各项。"""


class Fonts(Model):
    """单位自己有授权的字体（已安装时使用，否则用思源/Noto 字体）。"""

    title: Text | None = Field(None, alias="标题")
    """公示标题字体，例如 方正小标宋简体。"""
    body: Text | None = Field(None, alias="正文")
    """正文字体，例如 仿宋_GB2312。"""
    heading: Text | None = Field(None, alias="黑体")
    """小标题、表头字体，例如 黑体。"""


# Words residents type and the words notices use for the same thing (site search).
SYNONYMS = (
    ("低保", "最低生活保障", "低保户", "低保对象"),
    ("五保", "特困供养", "特困人员", "五保户"),
    ("党费", "党费收缴", "缴纳党费"),
    ("医保", "医疗保险", "城乡居民医保"),
    ("养老金", "养老保险"),
    ("残疾人补贴", "两项补贴", "残疾人两项补贴"),
    ("四议两公开", "四议", "两公开"),
    ("选举", "换届", "换届选举"),
)


class SiteConfig(Model):
    """整个网站的设置（site_data/site.yaml），由发布网站的人维护。"""

    name: Text = Field(alias="网站名称")
    """例如 天桥街道党务居务公开网。"""
    icp: Text | None = Field(None, alias="备案号")
    """ICP 备案号，显示在页脚，例如 豫ICP备12345678号-1。"""
    police_record: Text | None = Field(None, alias="公安备案号")
    """公安联网备案号（如有）。"""
    latest_count: Count = Field(10, alias="首页最新条数")
    """首页“最新公开”显示多少条。"""
    fonts: Fonts | None = Field(None, alias="字体")
    """（可选）打印用的授权字体；没有安装时自动改用 Noto 字体。"""
    example: Literal["是", "否"] | None = Field(None, alias="示例网站")
    """写“是”表示这是示例项目：网址（mkdocs.yml 的 site_url）还是示例地址时只警告、不报错。正式使用时删去这一行。"""
    synonyms: list[TextList] = Field(default_factory=lambda: [list(g) for g in SYNONYMS], alias="同义词")
    """网站搜索的同义词，每组是一行，例如 [低保, 最低生活保障, 低保户]：搜其中一个词，含同组任一词的通知都会排在前面。
    不写则用默认的几组（低保、五保、党费、医保等）；写了就只用写的这些。"""
    request_days: Count = Field(20, alias="依申请公开答复期限")
    """收到依申请公开的申请后，多少个工作日内答复（默认 20，参照《政府信息公开条例》第三十三条）。"""
    min_days: dict[str, Count] = Field(default_factory=dict, alias="公示期最短天数")
    """各类型公示期至少多少天（含首尾），例如 救助名单: 7。未写的类型按默认：救助名单 7 天、发展党员公示 5 天。"""

    @model_validator(mode="after")
    def _kinds_known(self) -> SiteConfig:
        from generator.records import KINDS

        for kind in self.min_days:
            if kind not in KINDS:
                raise fail(
                    f"不认识的类型“{kind}”",
                    f"unknown kind '{kind}'",
                    f"可选：{'、'.join(KINDS)}",
                    "see the field reference",
                    at=("公示期最短天数", kind),
                )
        return self

    def minimum_days(self, kind: str) -> int:
        """The shortest 公示期 allowed for a kind (configured, else the kind's statutory minimum)."""
        from generator.records import KINDS

        model = KINDS.get(kind)
        return self.min_days.get(kind, (model.period_days if model else None) or 1)
