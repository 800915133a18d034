"""An independent reading of site_data/ for tests: plain PyYAML (all scalars as text), no Gongkai.

Tests compare what the built site shows with what this says the records contain.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

FAMILY_OF = {
    "党务会议": "party",
    "发展党员公示": "party",
    "党费收缴": "party",
    "承诺事项": "party",
    "四议两公开": "residential",
    "救助名单": "residential",
    "选举公告": "residential",
    "服务窗口": "residential",
    "人员公示": "residential",
    "收支公开": "finance",
    "专项资金": "finance",
    "预算执行": "finance",
    "普法活动": "legal",
    "普法计划": "legal",
    "普法责任清单": "legal",
    "党费使用": "party",
    "选举通知": "residential",
    "征求意见": "residential",
    "公约": "residential",
    "评选表彰": "residential",
    "资产招租": "residential",
    "公告": "residential",  # unless its 栏目 says otherwise
}
SECTION_FAMILY = {
    "党务公开": "party",
    "居务公开": "residential",
    "村务公开": "residential",
    "财务公开": "finance",
    "普法宣传": "legal",
}


def notices(data_dir: Path) -> list[dict]:
    out = []
    for path in sorted(data_dir.rglob("*.yaml")):
        if path.name in ("site.yaml", "community.yaml", "catalogue.yaml"):
            continue
        record = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
        if record["类型"] == "展板":  # boards are not notices
            continue
        record["_community"] = path.relative_to(data_dir).parts[0]
        section = record.get("栏目")
        record["_family"] = SECTION_FAMILY[section] if section else FAMILY_OF[record["类型"]]
        out.append(record)
    return out


def is_public(record: dict) -> bool:
    return record["状态"] != "草稿" and record.get("公开范围", "向社会公开") == "向社会公开"


def page_of(site: Path, record: dict) -> Path:
    return site / record["_community"] / record["_family"] / record["编号"] / "index.html"


def open_on(record: dict, day: dt.date) -> bool:
    """Under 公示 on `day`: published, public, and the 公示期 (end inclusive) covers the day."""
    period = record.get("公示期")
    if not period or record["状态"] != "已发布" or not is_public(record):
        return False
    start = dt.date.fromisoformat(period["开始"])
    if "结束" in period:
        end = dt.date.fromisoformat(period["结束"])
    else:
        end = start + dt.timedelta(days=int(period["天数"]) - 1)
    return start <= day <= end
