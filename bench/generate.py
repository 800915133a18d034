"""Deterministic synthetic records for benchmarks: N notices across all four families.

    .venv/bin/python bench/generate.py N OUT_DIR [COMMUNITIES]

OUT_DIR becomes a complete project (mkdocs.yml, templates, site_data with one community, or
COMMUNITIES communities c001, c002… each holding an equal block of the N notices).
Bodies are 400–1,500 characters, statements have 10–30 lines, every figure adds up, and the
same N always gives the same files.
"""

from __future__ import annotations

import random
import shutil
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PHRASES = [
    "社区党委",
    "居民代表会议",
    "网格员走访",
    "老旧小区改造",
    "楼道照明",
    "公益金",
    "民生实事",
    "党员志愿服务",
    "垃圾分类",
    "文明创建",
    "法律咨询",
    "妇女权益保障",
    "养老服务",
    "困难群众",
    "便民服务",
    "平安建设",
]
START = date(2015, 1, 1)


def body(rng: random.Random) -> str:
    length = rng.randint(400, 1500)
    words = []
    while sum(map(len, words)) < length:
        words.append(rng.choice(PHRASES) + rng.choice(["工作", "情况", "安排", "落实", "推进"]) + "，")
    return "".join(words)[:length].rstrip("，") + "。"


def meeting(i: int, day: date, rng: random.Random) -> str:
    expected = rng.randint(5, 40)
    return (
        f"编号: b-dw-{i:05d}\n类型: 党务会议\n标题: 第{rng.randint(1, 9)}党支部第{i}次{rng.choice(['支部委员会', '党员大会'])}"  # noqa: E501
        f"会议情况\n发布单位: dangwei\n发布日期: {day}\n状态: 已发布\n会议类型: 支部委员会\n会议日期: {day}\n"
        f"应到: {expected}\n实到: {rng.randint(expected * 2 // 3 + 1, expected)}\n议题:\n  - 学习党章\n  - 研究民生实事\n"  # noqa: E501
        f"标签: [三会一课, {rng.choice(PHRASES)}]\n正文: |\n  {body(rng)}\n"
    )


def statement(i: int, day: date, rng: random.Random) -> str:
    lines = rng.randint(10, 30)
    opening = Decimal(rng.randint(100000, 5000000)) / 100
    period_end = day - timedelta(days=1)
    period_start = period_end - timedelta(days=89)
    income, spent, out = Decimal(0), Decimal(0), []
    out.append("收入:")
    for n in range(lines // 3):
        amount = Decimal(rng.randint(10000, 2000000)) / 100
        income += amount
        out.append(
            f"  - {{日期: {period_start + timedelta(days=n)}, 来源: 街道拨付工作经费, 金额: {amount:.2f}, "
            f"凭证号: 记-{i}-{n}}}"
        )
    out.append("支出:")
    for n in range(lines - lines // 3):
        amount = Decimal(rng.randint(1000, 300000)) / 100
        spent += amount
        out.append(
            f"  - {{日期: {period_start + timedelta(days=n)}, 类别: {rng.choice(['办公费', '活动经费', '水电费'])}, "
            f"收款方: 便民超市, 金额: {amount:.2f}, 凭证号: 支-{i}-{n}, 审批人: 居委会主任}}"
        )
    closing = opening + income - spent
    return (
        f"编号: b-cw-{i:05d}\n类型: 收支公开\n标题: 第{i}期居务收支情况公示\n发布单位: juweihui\n发布日期: {day}\n"
        f"状态: 已发布\n账户: 经济账\n周期: 季度\n期间开始: {period_start}\n期间结束: {period_end}\n"
        f"期初余额: {opening:.2f}\n" + "\n".join(out) + f"\n期末余额: {closing:.2f}\n正文: |\n  {body(rng)}\n"
    )


def decision(i: int, day: date, rng: random.Random) -> str:
    steps = ["党组织提议", "两委会商议", "党员大会审议", "居民代表会议决议", "决议公开", "实施结果公开"]
    text = [
        f"编号: b-jw-{i:05d}",
        "类型: 四议两公开",
        f"标题: 关于{rng.choice(PHRASES)}事项的决策公开",
        "发布单位: juweihui",
        f"发布日期: {day}",
        "状态: 已发布",
        f"事项: {rng.choice(PHRASES)}",
        "步骤:",
    ]
    for n, step in enumerate(steps):
        text.append(f"  - 步骤: {step}\n    日期: {day - timedelta(days=30 - n * 5)}\n    内容: {step}完成")
        if step in ("党员大会审议", "居民代表会议决议"):
            text.append("    表决: {应到: 45, 实到: 41, 赞成: 39, 反对: 0, 弃权: 2}")
    return "\n".join(text) + f"\n正文: |\n  {body(rng)}\n"


def campaign(i: int, day: date, rng: random.Random) -> str:
    return (
        f"编号: b-pf-{i:05d}\n类型: 普法活动\n标题: {rng.choice(PHRASES)}法治宣传活动（第{i}期）\n发布单位: juweihui\n"
        f"发布日期: {day}\n状态: 已发布\n主题: {rng.choice(PHRASES)}\n开始日期: {day}\n地点: 社区广场\n"
        f"主办单位: [社区居委会]\n宣传法律: [《中华人民共和国宪法》]\n活动内容:\n  - {{项目: 展板, 数量: {rng.randint(2, 20)}, "  # noqa: E501
        f"单位: 块}}\n参与人数: {rng.randint(20, 500)}\n正文: |\n  {body(rng)}\n"
    )


KINDS = [("dangwu", meeting), ("caiwu", statement), ("juwu", decision), ("pufa", campaign)]


def _community_ids(communities: int) -> list[str]:
    return ["lijianglu"] if communities <= 1 else [f"c{k + 1:03d}" for k in range(communities)]


def generate(n: int, out: Path, communities: int = 1) -> Path:
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    shutil.copy(ROOT / "mkdocs.yml", out / "mkdocs.yml")
    shutil.copytree(ROOT / "templates", out / "templates")
    (out / "content").mkdir()
    data = out / "site_data"
    shutil.copytree(
        ROOT / "site_data/lijianglu",
        data / "lijianglu",
        ignore=lambda d, names: [x for x in names if x != "community.yaml" and d.endswith("lijianglu")],
    )
    shutil.copy(ROOT / "site_data/site.yaml", data / "site.yaml")
    ids = _community_ids(communities)
    profile = (data / "lijianglu/community.yaml").read_text(encoding="utf-8")
    if ids != ["lijianglu"]:
        shutil.rmtree(data / "lijianglu")
        for k, cid in enumerate(ids):
            (data / cid).mkdir(parents=True)
            text = profile.replace("编号: lijianglu", f"编号: {cid}").replace("漓江路社区", f"第{k + 1}社区")
            (data / cid / "community.yaml").write_text(text, encoding="utf-8")
    rng = random.Random(20241128)
    for i in range(n):
        folder, make = KINDS[i % len(KINDS)]
        day = START + timedelta(days=(i * 3653) // max(n, 1))
        cid = ids[i * len(ids) // n]  # equal blocks, in date order within each
        target = data / cid / folder / f"{i:05d}.yaml"
        target.parent.mkdir(exist_ok=True)
        target.write_text(make(i, day, rng), encoding="utf-8")
    return out


if __name__ == "__main__":
    generate(int(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 1)
