"""The kinds added for real notices, as a staff member meets them: YAML in, messages or pages out."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import article, build_project, community_files, make_project
from generator.errors import RecordsInvalid
from generator.reading.reader import read_site

HEAD = "编号: n-1\n发布单位: juweihui\n发布日期: 2024-11-01\n状态: 已发布\n"


def check(tmp_path, record: str) -> list:
    """Every problem the checker reports for one record (errors first would raise)."""
    root = make_project(tmp_path, {**community_files(), "site_data/ceshi/n.yaml": record})
    try:
        return list(read_site(root, dt.date(2024, 11, 28)).warnings)
    except RecordsInvalid as exc:
        return list(exc.problems)


def honours(extra: str = "") -> str:
    return (
        HEAD
        + "类型: 评选表彰\n标题: 文明户公示\n文种: 拟表彰公示\n荣誉: 文明户\n对象: 家庭\n"
        + "公示期: {开始: 2024-11-01, 天数: 5}\n名单:\n  - 名称: 王建华家庭\n"
        + extra
    )


@pytest.mark.parametrize(("extra", "stays"), [("", True), ("期满撤下: 是\n", False)])
def test_honours_stay_online_after_the_period_unless_asked(tmp_path, extra, stays):
    site = build_project(tmp_path, {**community_files(), "site_data/ceshi/n.yaml": honours(extra)})
    text = article(site / "ceshi/residential/n-1/index.html").get_text(" ", strip=True)
    assert ("王建华家庭" in text) is stays and ("家庭人口" not in text)


def test_honours_refuse_a_household_size(tmp_path):
    (p,) = check(tmp_path, honours().replace("  - 名称: 王建华家庭\n", "  - 名称: 王建华家庭\n    家庭人口: 3\n"))
    assert p.field == "名单[1].家庭人口" and "不认识的字段" in p.message_zh


def test_a_schedule_out_of_order_is_located(tmp_path):
    record = HEAD + (
        "类型: 选举通知\n标题: 选民登记公告\n文种: 选民登记公告\n选举名称: 换届选举\n选举对象: 村民委员会\n"
        "日程:\n  - 事项: 登记\n    开始: 2024-10-20\n  - 事项: 公布名单\n    开始: 2024-10-10\n"
    )
    (p,) = check(tmp_path, record)
    assert p.field == "日程[2].开始" and "早于上一项" in p.message_zh


def test_a_deadline_with_a_bad_time_says_how_to_write_it(tmp_path):
    record = (
        HEAD
        + "类型: 征求意见\n标题: 征求意见\n事项: 公约修订\n开始: 2024-11-01\n截止: 2024-11-15 25:00\n反馈方式: [电话]\n"
    )
    (p,) = check(tmp_path, record)
    assert p.field == "截止" and "时间格式不对" in p.message_zh and "17:00" in p.hint_zh


def test_approximate_counts_and_their_mistakes(tmp_path):
    campaign = HEAD + (
        "类型: 普法活动\n标题: 宣传\n主题: 民法典\n开始日期: 2024-11-01\n地点: 广场\n主办单位: [司法所]\n"
        "宣传法律: [民法典]\n活动内容:\n  - 项目: 折页\n    数量: 好多\n    单位: 份\n"
    )
    (p,) = check(tmp_path, campaign)
    assert p.field == "活动内容[1].数量" and "约数" in p.message_zh and "100余" in p.hint_zh
    assert check(tmp_path / "ok", campaign.replace("好多", "100余")) == []


def test_a_contact_needs_a_way_to_reach_someone(tmp_path):
    record = HEAD + "类型: 公告\n标题: 通知\n联系方式:\n  - 联系人: 办公室\n"
    (p,) = check(tmp_path, record)
    assert p.field == "联系方式[1].电话" and "至少要写电话" in p.message_zh


def test_a_lease_award_below_reserve_is_refused(tmp_path):
    record = HEAD + (
        "类型: 资产招租\n标题: 结果公示\n文种: 结果公示\n出租方: 合作社\n"
        "标的:\n  - 名称: 铺面\n    底价: 36000\n成交结果:\n  - 标的: 铺面\n    承租方: 某公司\n    成交租金: 30000\n"
    )
    (p,) = check(tmp_path, record)
    assert p.field == "成交结果[1].成交租金" and "低于底价" in p.message_zh


def test_a_plain_notice_files_under_its_section(tmp_path):
    record = HEAD.replace("juweihui", "dangwei")  # filed under 党务公开: the Party organisation issues it
    record += "类型: 公告\n栏目: 党务公开\n标题: 主题党日安排\n文种: 通知\n结束语: 特此通知\n"
    site = build_project(tmp_path, {**community_files(), "site_data/ceshi/n.yaml": record})
    text = article(site / "ceshi/party/n-1/index.html").get_text(" ", strip=True)
    assert "党务公开 · 公告" in text and "特此通知。" in text
