"""Record kinds: one typed class per kind, grouped into the four families."""

from __future__ import annotations

from generator.records.assets import AssetLease
from generator.records.budget import Budget
from generator.records.common import Notice
from generator.records.elections import ElectionNotice
from generator.records.finance import SpecialFund, Statement
from generator.records.general import Charter, Consultation, GeneralNotice, Honours
from generator.records.legal import Campaign, LegalPlan, Responsibilities
from generator.records.party import Commitments, Meeting, MemberDevelopment, PartyDues
from generator.records.party_funds import DuesUse
from generator.records.residential import (
    BenefitList,
    Decision,
    Election,
    ServicePoints,
    StaffRoster,
)

FAMILIES: dict[str, str] = {
    "party": "党务公开",
    "residential": "居务公开",
    "finance": "财务公开",
    "legal": "普法宣传",
}

KINDS: dict[str, type[Notice]] = {
    cls.kind_name: cls
    for cls in (
        Meeting,
        MemberDevelopment,
        PartyDues,
        DuesUse,
        Commitments,
        Decision,
        BenefitList,
        Election,
        ElectionNotice,
        GeneralNotice,
        Consultation,
        Charter,
        Honours,
        AssetLease,
        ServicePoints,
        StaffRoster,
        Statement,
        SpecialFund,
        Budget,
        Campaign,
        LegalPlan,
        Responsibilities,
    )
}
