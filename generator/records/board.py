"""Boards (公开栏、展板): which notices go on which panel, at what size. A board is data too."""

from __future__ import annotations

import re
from typing import ClassVar, Literal

from pydantic import Field, model_validator

from generator.records.common import Model
from generator.records.types import Count, Day, Ident, Text, TextList, fail

#: Width × height in mm, in the preset's natural orientation, and the smallest body text (pt)
#: that stays legible at the distance it is read from (6 mm of type per metre; PRINT-NOTES).
PRESETS: dict[str, tuple[int, int, float]] = {
    "A4": (210, 297, 12),
    "A3": (297, 420, 14),
    "A1": (594, 841, 24),
    "公开栏": (2400, 1200, 34),
    "展板": (900, 1200, 34),
    "X展架": (800, 1800, 34),
}
_CUSTOM = re.compile(r"(\d{2,5})\s*[x×X*]\s*(\d{2,5})(?:\s*mm)?")
FAMILY_NAMES = {
    "党务公开": "party",
    "居务公开": "residential",
    "村务公开": "residential",
    "财务公开": "finance",
    "普法宣传": "legal",
}


class BoardPeriod(Model):
    """哪段时间发布的通知上这块板。"""

    start: Day = Field(alias="开始")
    """从这一天起发布的通知。"""
    end: Day = Field(alias="结束")
    """到这一天为止发布的通知。"""


class Board(Model):
    """一块公开栏、展板或 A4/A3 公示栏：放哪些通知、多大、几栏。生成可直接送印刷厂的 PDF。"""

    kind_name: ClassVar[str] = "展板"

    id: Ident = Field(alias="编号")
    """展板编号，用于网址和文件名，例如 2024q4-gongkailan。"""
    kind: Literal["展板"] = Field(alias="类型")
    """固定写“展板”。"""
    title: Text = Field(alias="标题")
    """板面大标题，例如 漓江路社区党务居务公开栏。"""
    org: Ident = Field(alias="发布单位")
    """发布单位的编号；板面底部显示它的监督电话。"""
    size: Text = Field(alias="尺寸")
    """A4、A3、A1、公开栏（2400×1200）、展板（900×1200）、X展架（800×1800），或任意“宽x高”毫米，如 1200x900。"""
    orientation: Literal["横向", "竖向"] | None = Field(None, alias="方向")
    """横向 或 竖向；不写则按尺寸本来的方向。"""
    columns: Count = Field(3, alias="栏数")
    """分几栏排版。"""
    families: TextList = Field(default_factory=list, alias="类别")
    """放哪些栏目：党务公开、居务公开（村写 村务公开）、财务公开、普法宣传。"""
    notices: TextList = Field(default_factory=list, alias="通知")
    """另外指定要放的通知编号。"""
    period: BoardPeriod | None = Field(None, alias="期间")
    """只放这段时间发布的通知（按类别选取时）；不写则放全部。"""
    bleed: Count = Field(0, alias="出血")
    """印刷出血，毫米：写真、KT 板一般 3；喷绘写 0。"""
    on_overflow: Literal["分版", "报错"] = Field("分版", alias="放不下时")
    """内容放不下时：分版（续排到第二块板）或 报错。"""

    @model_validator(mode="after")
    def _valid(self) -> Board:
        self.dimensions()  # raises on a bad size
        for i, family in enumerate(self.families):
            if family not in FAMILY_NAMES:
                raise fail(
                    f"不认识的类别“{family}”",
                    f"unknown family '{family}'",
                    f"可选：{'、'.join(FAMILY_NAMES)}",
                    "one of the four families",
                    at=("类别", i),
                )
        if not self.families and not self.notices:
            raise fail(
                "展板上没有内容：请写“类别”或“通知”",
                "the board selects nothing",
                "例如 类别: [党务公开, 居务公开]",
                "add 类别 or 通知",
                at=("类别",),
            )
        if self.columns < 1 or self.columns > 12:
            raise fail("栏数应在 1 到 12 之间", "columns must be 1–12", "例如 栏数: 3", "e.g. 3", at=("栏数",))
        if self.bleed > 10:
            raise fail(
                "出血一般是 3 毫米，不超过 10", "bleed is at most 10 mm", "写 3 或 0", "use 3 or 0", at=("出血",)
            )
        return self

    def dimensions(self) -> tuple[int, int, float]:
        """(width mm, height mm, minimum body pt) after orientation."""
        if self.size in PRESETS:
            w, h, least = PRESETS[self.size]
        elif m := _CUSTOM.fullmatch(self.size):
            w, h = int(m.group(1)), int(m.group(2))
            least = 34.0 if w * h >= 500_000 else 16.0
        else:
            raise fail(
                f"不认识的尺寸“{self.size}”",
                f"unknown size '{self.size}'",
                f"可选：{'、'.join(PRESETS)}，或 宽x高（毫米），如 1200x900",
                "a preset or WIDTHxHEIGHT in mm",
                at=("尺寸",),
            )
        if (self.orientation == "横向" and h > w) or (self.orientation == "竖向" and w > h):
            w, h = h, w
        return w, h, least
