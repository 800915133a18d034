"""四议两公开 decisions: the statutory steps, in community and village vocabulary, with their votes."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import Field, model_validator

from generator.records.common import Model, Notice
from generator.records.party import check_attendance
from generator.records.reckoning import Reckoning
from generator.records.types import Count, Day, Text, TextList, fail


class DecisionStage(StrEnum):
    PROPOSE = "党组织提议"
    CONSULT = "两委会商议"
    REVIEW = "党员大会审议"
    RESOLVE = "居民代表会议决议"
    RESIDENTS_RESOLVE = "居民会议决议"
    VILLAGE_REPS_RESOLVE = "村民代表会议决议"
    VILLAGE_RESOLVE = "村民会议决议"
    UNION_RESOLVE = "成员代表会议决议"
    PUBLISH_RESOLUTION = "决议公开"
    PUBLISH_RESULT = "实施结果公开"


RESOLVING = frozenset(
    {
        DecisionStage.RESOLVE,
        DecisionStage.RESIDENTS_RESOLVE,
        DecisionStage.VILLAGE_REPS_RESOLVE,
        DecisionStage.VILLAGE_RESOLVE,
        DecisionStage.UNION_RESOLVE,
    }
)
#: The statutory order; the resolving meetings of communities, villages and collectives share a rank.
STAGE_RANK = {
    **{stage: 3 for stage in RESOLVING},
    DecisionStage.PROPOSE: 0,
    DecisionStage.CONSULT: 1,
    DecisionStage.REVIEW: 2,
    DecisionStage.PUBLISH_RESOLUTION: 4,
    DecisionStage.PUBLISH_RESULT: 5,
}


class Vote(Model):
    """一次表决的人数。"""

    expected: Count = Field(alias="应到")
    """应到人数。"""
    present: Count = Field(alias="实到")
    """实到人数，不能多于应到。"""
    yes: Count = Field(alias="赞成")
    """赞成票。"""
    no: Count = Field(alias="反对")
    """反对票。"""
    abstain: Count = Field(alias="弃权")
    """弃权票。赞成+反对+弃权 不能多于实到。"""

    @model_validator(mode="after")
    def _sane(self) -> Vote:
        check_attendance(self.expected, self.present)
        cast = self.yes + self.no + self.abstain
        if cast > self.present:
            raise fail(
                f"赞成、反对、弃权合计 {cast} 多于实到人数 {self.present}",
                f"votes cast ({cast}) exceed those present ({self.present})",
                "核对表决记录",
                "check the vote record",
                at=("赞成",),
            )
        return self

    @property
    def quorate(self) -> bool:
        """Two thirds of those expected were present."""
        return self.present * 3 >= self.expected * 2

    @property
    def carried(self) -> bool:
        """Quorate and more than half of those present voted for."""
        return self.quorate and self.yes * 2 > self.present


class DecisionStep(Model):
    """四议两公开中的一个步骤。"""

    stage: DecisionStage = Field(alias="步骤")
    """党组织提议、两委会商议、党员大会审议、居民（代表）会议决议 / 村民（代表）会议决议 / 成员代表会议决议、
    决议公开、实施结果公开。"""
    on: Day | None = Field(None, alias="日期")
    """这一步的日期；原文没写日期时不写，并在“内容”里照原文说明。"""
    vote: Vote | None = Field(None, alias="表决")
    """表决情况（审议和决议两步必填，除非写了“表决说明”）。"""
    vote_note: Text | None = Field(None, alias="表决说明")
    """没有表决人数时写明原因或原文的说法，例如“原文只写‘经村民代表会议表决通过’，未公布票数”。"""
    summary: Text = Field(alias="内容")
    """这一步做了什么、结论是什么。"""


class Decision(Notice):
    """按“四议两公开”程序作出的决策（社区、村、集体经济组织都用），各步骤依次记录，含表决人数。"""

    kind_name = "四议两公开"
    family = "residential"

    kind: Literal["四议两公开"] = Field(alias="类型")
    """固定写“四议两公开”。"""
    matter: Text = Field(alias="事项")
    """决策事项，例如“老旧小区楼道照明改造”“村集体机动地向外发包”。"""
    steps: list[DecisionStep] = Field(alias="步骤", min_length=1)
    """按顺序写的各个步骤（原文只提到几步的，只写这几步）。"""
    resolutions: TextList = Field(default_factory=list, alias="决议")
    """决议内容，一行一条。"""
    reckoning: list[Reckoning] = Field(default_factory=list, alias="核算")
    """涉及金额的核算：数量 × 单价 = 金额，例如 34.5 垧 × 3800 元 = 131100 元。"""

    @model_validator(mode="after")
    def _in_order(self) -> Decision:
        last_rank, last_day = -1, None
        for i, step in enumerate(self.steps):
            rank = STAGE_RANK[step.stage]
            if rank <= last_rank:
                raise fail(
                    f"步骤“{step.stage.value}”的顺序不对或重复",
                    f"stage '{step.stage.value}' is out of order or repeated",
                    "按 提议→商议→审议→决议→决议公开→实施结果公开 的顺序写",
                    "list the stages in the statutory order",
                    at=("步骤", i, "步骤"),
                )
            if last_day is not None and step.on is not None and step.on < last_day:
                raise fail(
                    f"步骤“{step.stage.value}”的日期早于上一步",
                    f"stage '{step.stage.value}' is dated before the previous stage",
                    "核对各步骤日期",
                    "check the stage dates",
                    at=("步骤", i, "日期"),
                )
            voted = step.stage is DecisionStage.REVIEW or step.stage in RESOLVING
            if voted and step.vote is None and step.vote_note is None:
                raise fail(
                    f"“{step.stage.value}”必须写表决情况",
                    f"'{step.stage.value}' needs a vote",
                    "加上 表决: {应到, 实到, 赞成, 反对, 弃权}；原文没有票数时写 表决说明: …",
                    "add 表决, or 表决说明 when the source gives no figures",
                    at=("步骤", i, "步骤"),
                )
            if step.vote is not None:
                if not step.vote.quorate:
                    raise fail(
                        "实到人数不足应到人数的三分之二，会议无效",
                        "fewer than two thirds present: no quorum",
                        "核对人数，或重新召开会议",
                        "check the figures or hold the meeting again",
                        at=("步骤", i, "表决", "实到"),
                    )
                if step.stage in RESOLVING and not step.vote.carried:
                    raise fail(
                        "赞成票未超过实到人数的一半，决议未通过",
                        "the resolution did not get a majority of those present",
                        "未通过的事项不能进入决议公开",
                        "a failed resolution cannot be published as passed",
                        at=("步骤", i, "表决", "赞成"),
                    )
            last_rank, last_day = rank, step.on or last_day
        return self
