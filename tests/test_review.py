"""gongkai diff and check --since: a throwaway git repository, records committed, then changed."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, community_files, make_project, meeting, write_files
from generator.build import check
from generator.review.changes import diff_records, published_changes_without_note
from generator.review.commands import check_since, run_diff
from generator.review.revisions import RevisionNotFound, records_at
from generator.review.words import to_markdown, to_text

AS_OF = dt.date(2024, 11, 28)

STATEMENT = """\
编号: 2024-cw-001
类型: 收支公开
标题: 2024年8月居务收支公开
发布单位: juweihui
发布日期: 2024-09-05
状态: 已发布
账户: 行政账
周期: 月度
期间开始: 2024-08-01
期间结束: 2024-08-31
期初余额: 10000.00
收入:
  - 日期: 2024-08-05
    来源: 街道拨付工作经费
    金额: 2000.00
    凭证号: 记-2024-031
支出:
  - 日期: 2024-08-10
    类别: 办公费
    收款方: 文华办公用品商行
    金额: {first}
    凭证号: 记-2024-032
    审批人: 居委会主任
{more}期末余额: {closing}
{note}"""

NEW_LINE = """\
  - 日期: 2024-08-20
    类别: 活动经费
    收款方: 育才文具店
    金额: 1250.00
    凭证号: 记-2024-035
    审批人: 居委会主任
"""

BENEFITS = """\
编号: 2024-jw-001
类型: 救助名单
标题: 2024年9月临时救助名单
发布单位: juweihui
发布日期: 2024-09-01
状态: 已发布
公示期: {{开始: 2024-09-01, 结束: {end}}}
项目: 临时救助
金额单位: 元（一次性）
名单:
  - 姓名: 张三
    家庭人口: 3
    金额: 800.00
    理由: 因病致贫
{more}{note}"""

LISI = """\
  - 姓名: 李四
    家庭人口: 2
    金额: 500.00
    理由: 突发事故
"""

BEFORE = {
    **community_files(),
    "site_data/ceshi/caiwu/2024-cw-001.yaml": STATEMENT.format(first="300.00", more="", closing="11700.00", note=""),
    "site_data/ceshi/juwu/2024-jw-001.yaml": BENEFITS.format(end="2024-09-07", more=LISI, note=""),
    "site_data/ceshi/dangwu/2024-dw-001.yaml": meeting("2024-dw-001", "第一党支部5月支部委员会会议"),
    "site_data/ceshi/dangwu/old-name.yaml": meeting("2024-dw-002", "第一党支部6月支部委员会", "2024-06-10"),
}

STATEMENT_AFTER = STATEMENT.format(first="350.00", more=NEW_LINE, closing="10400.00", note="")
AFTER = {
    "site_data/ceshi/caiwu/2024-cw-001.yaml": STATEMENT_AFTER,
    "site_data/ceshi/juwu/2024-jw-001.yaml": BENEFITS.format(
        end="2024-09-15", more="", note="更正说明: 李四已迁出本社区，从名单中删除；公示期相应延长\n"
    ),
    "site_data/ceshi/dangwu/2024-dw-001.yaml": meeting(
        "2024-dw-001", "第一党支部5月支部委员会会议", 状态="已撤回", 撤回原因="会议日期有误，见更正通知"
    ),
    "site_data/ceshi/dangwu/2024-dw-002.yaml": meeting("2024-dw-002", "第一党支部6月支部委员会会议", "2024-06-10"),
    "site_data/ceshi/dangwu/2024-dw-003.yaml": meeting(
        "2024-dw-003",
        "第一党支部5月支部委员会会议（更正）",
        "2024-05-11",
        更正="2024-dw-001",
        更正说明="会议日期应为5月11日",
    ),
}


def git(root: Path, *args: str) -> str:
    env_free = ["-c", "user.name=测试", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false"]
    done = subprocess.run(["git", *env_free, *args], cwd=root, capture_output=True, text=True, check=True)
    return done.stdout


def commit(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """Two commits: the records, then every kind of change a reviewer must see in words."""
    root = make_project(tmp_path / "project", BEFORE)
    git(root, "init", "-q")
    commit(root, "records")
    check(root, AS_OF)  # the test data itself is valid
    git(root, "mv", "site_data/ceshi/dangwu/old-name.yaml", "site_data/ceshi/dangwu/2024-dw-002.yaml")
    write_files(root, AFTER)
    check(root, AS_OF)
    commit(root, "changes")
    return root


TEXT = """\
记录改动：HEAD~1 → HEAD
更正 1 条，撤回 1 条，修改 3 条

【修改】2024-cw-001 收支公开：2024年8月居务收支公开
  文件：site_data/ceshi/caiwu/2024-cw-001.yaml
  · 支出 +1 笔，改 1 笔，合计 +1,300.00 元（300.00 元 → 1,600.00 元）
  · 支出[1].金额：300.00 元 → 350.00 元（+50.00 元）
  · 支出[2]：新增 日期 2024-08-20，类别 活动经费，收款方 育才文具店，\
金额 1,250.00 元，凭证号 记-2024-035，审批人 居委会主任
  · 期末余额：11,700.00 元 → 10,400.00 元（−1,300.00 元）
  · ⚠ 已发布的通知改了金额或名单行，但没有写“更正说明”：请写明改了什么、为什么

【撤回】2024-dw-001 党务会议：第一党支部5月支部委员会会议
  文件：site_data/ceshi/dangwu/2024-dw-001.yaml
  · 撤回原因：会议日期有误，见更正通知

【修改】2024-dw-002 党务会议：第一党支部6月支部委员会会议
  文件：site_data/ceshi/dangwu/2024-dw-002.yaml
  · 文件改名：site_data/ceshi/dangwu/old-name.yaml → site_data/ceshi/dangwu/2024-dw-002.yaml
  · 标题：第一党支部6月支部委员会 → 第一党支部6月支部委员会会议

【更正】2024-dw-003 党务会议：第一党支部5月支部委员会会议（更正）
  文件：site_data/ceshi/dangwu/2024-dw-003.yaml
  · 状态：已发布
  · 更正 2024-dw-001（两条通知互相链接）

【修改】2024-jw-001 救助名单：2024年9月临时救助名单
  文件：site_data/ceshi/juwu/2024-jw-001.yaml
  · 公示期延长至 9月15日（结束日期 2024-09-07 → 2024-09-15）
  · 名单 删除 1 户：李四
  · 更正说明：新增 李四已迁出本社区，从名单中删除；公示期相应延长
  · 名单[李四]：删除（原为 姓名 李四，家庭人口 2，金额 500.00 元，理由 突发事故）
"""

MARKDOWN = """\
## 记录改动：`HEAD~1` → `HEAD`

更正 1 条，撤回 1 条，修改 3 条

### 【修改】2024-cw-001 收支公开：2024年8月居务收支公开

文件：`site_data/ceshi/caiwu/2024-cw-001.yaml`

- 支出 +1 笔，改 1 笔，合计 +1,300.00 元（300.00 元 → 1,600.00 元）
- 支出\\[1\\].金额：300.00 元 → 350.00 元（+50.00 元）
- 支出\\[2\\]：新增 日期 2024-08-20，类别 活动经费，收款方 育才文具店，\
金额 1,250.00 元，凭证号 记-2024-035，审批人 居委会主任
- 期末余额：11,700.00 元 → 10,400.00 元（−1,300.00 元）
- ⚠ 已发布的通知改了金额或名单行，但没有写“更正说明”：请写明改了什么、为什么

### 【撤回】2024-dw-001 党务会议：第一党支部5月支部委员会会议

文件：`site_data/ceshi/dangwu/2024-dw-001.yaml`

- 撤回原因：会议日期有误，见更正通知

### 【修改】2024-dw-002 党务会议：第一党支部6月支部委员会会议

文件：`site_data/ceshi/dangwu/2024-dw-002.yaml`

- 文件改名：site\\_data/ceshi/dangwu/old-name.yaml → site\\_data/ceshi/dangwu/2024-dw-002.yaml
- 标题：第一党支部6月支部委员会 → 第一党支部6月支部委员会会议

### 【更正】2024-dw-003 党务会议：第一党支部5月支部委员会会议（更正）

文件：`site_data/ceshi/dangwu/2024-dw-003.yaml`

- 状态：已发布
- 更正 2024-dw-001（两条通知互相链接）

### 【修改】2024-jw-001 救助名单：2024年9月临时救助名单

文件：`site_data/ceshi/juwu/2024-jw-001.yaml`

- 公示期延长至 9月15日（结束日期 2024-09-07 → 2024-09-15）
- 名单 删除 1 户：李四
- 更正说明：新增 李四已迁出本社区，从名单中删除；公示期相应延长
- 名单\\[李四\\]：删除（原为 姓名 李四，家庭人口 2，金额 500.00 元，理由 突发事故）
"""


def test_diff_in_words(repo: Path) -> None:
    assert run_diff(repo, "HEAD~1", "HEAD") == TEXT


def test_diff_as_markdown_for_a_pull_request(repo: Path) -> None:
    assert run_diff(repo, "HEAD~1", "HEAD", fmt="markdown") == MARKDOWN


def test_diff_in_english(repo: Path) -> None:
    text = run_diff(repo, "HEAD~1", "HEAD", lang="en")
    assert text.splitlines()[:6] == [
        "Changes to the records: HEAD~1 → HEAD",
        "1 correction, 1 withdrawn, 3 changed",
        "",
        "[changed] 2024-cw-001 收支公开: 2024年8月居务收支公开",
        "  file: site_data/ceshi/caiwu/2024-cw-001.yaml",
        "  · 支出 +1 line(s), 1 changed, total +1,300.00 yuan (300.00 yuan → 1,600.00 yuan)",
    ]
    assert "  · withdrawn because: 会议日期有误，见更正通知" in text
    assert "  · 公示期 extended to 2024-09-15 (end 2024-09-07 → 2024-09-15)" in text
    assert "  · warning: a published notice changed amounts or list rows without a 更正说明 (change note)" in text


def test_diff_as_json(repo: Path) -> None:
    data = json.loads(run_diff(repo, "HEAD~1", "HEAD", fmt="json"))
    assert (data["from"], data["to"]) == ("HEAD~1", "HEAD")
    assert data["summary"] == {"added": 0, "changed": 3, "corrected": 1, "published": 0, "removed": 0, "withdrawn": 1}
    by_id = {c["key"]: c for c in data["changes"]}
    assert list(by_id) == ["2024-cw-001", "2024-dw-001", "2024-dw-002", "2024-dw-003", "2024-jw-001"]
    statement = by_id["2024-cw-001"]
    assert statement["lines"] == [
        {"section": "支出", "added": 1, "removed": 0, "changed": 1, "total_old": "300.00", "total_new": "1600.00"}
    ]
    assert statement["fields"][0] == {"field": "支出[1].金额", "old": "300.00", "new": "350.00"}
    assert statement["fields"][2] == {"field": "期末余额", "old": "11700.00", "new": "10400.00"}
    assert statement["needs_note"] is True
    assert by_id["2024-dw-001"]["verb"] == "withdrawn"
    assert by_id["2024-dw-001"]["withdrawn"] == "会议日期有误，见更正通知"
    assert by_id["2024-dw-002"]["renamed_from"] == "site_data/ceshi/dangwu/old-name.yaml"
    assert (by_id["2024-dw-003"]["verb"], by_id["2024-dw-003"]["corrects"]) == ("corrected", "2024-dw-001")
    benefits = by_id["2024-jw-001"]
    assert benefits["period"] == {
        "old_start": "2024-09-01",
        "old_end": "2024-09-07",
        "new_start": "2024-09-01",
        "new_end": "2024-09-15",
    }
    assert (benefits["names_added"], benefits["names_removed"]) == ([], ["李四"])
    assert data["unreadable"] == []


def test_output_is_byte_identical(repo: Path) -> None:
    """Twice here, and once in a fresh interpreter with another hash seed and time zone."""
    script = "import sys; from pathlib import Path; from generator.review.commands import run_diff; "
    script += "sys.stdout.buffer.write(run_diff(Path(sys.argv[1]), 'HEAD~1', 'HEAD', fmt=sys.argv[2]).encode())"
    for fmt in ("text", "markdown", "json"):
        first = run_diff(repo, "HEAD~1", "HEAD", fmt=fmt)
        assert run_diff(repo, "HEAD~1", "HEAD", fmt=fmt) == first
        env = {**os.environ, "PYTHONHASHSEED": "7", "TZ": "America/New_York", "LC_ALL": "C"}
        other = subprocess.run(
            [sys.executable, "-c", script, str(repo), fmt], cwd=ROOT, env=env, capture_output=True, check=True
        )
        assert other.stdout == first.encode("utf-8")


def test_head_against_the_working_tree_by_default(repo: Path) -> None:
    write_files(repo, {"site_data/ceshi/caiwu/2024-cw-001.yaml": STATEMENT_AFTER.replace("8月居务", "8月份居务")})
    assert run_diff(repo) == (
        "记录改动：HEAD → 工作区\n"
        "修改 1 条\n"
        "\n"
        "【修改】2024-cw-001 收支公开：2024年8月份居务收支公开\n"
        "  文件：site_data/ceshi/caiwu/2024-cw-001.yaml\n"
        "  · 标题：2024年8月居务收支公开 → 2024年8月份居务收支公开\n"
    )
    git(repo, "checkout", "--", ".")
    assert run_diff(repo) == "记录改动：HEAD → 工作区\n记录没有改动。\n"


def test_published_amount_changed_without_a_note(repo: Path) -> None:
    problems = published_changes_without_note(records_at(repo, "HEAD~1"), records_at(repo, "HEAD"))
    assert [p.format() for p in problems] == [
        "site_data/ceshi/caiwu/2024-cw-001.yaml:21:9: 支出[1].金额: "
        "已发布的通知改了金额或名单行（支出[1].金额、支出[2]、期末余额），但没有写更正说明"
        " → 在记录里写明 更正说明：改了什么、为什么"
    ]
    assert problems[0].format("en") == (
        "site_data/ceshi/caiwu/2024-cw-001.yaml:21:9: 支出[1].金额: a published notice changed amounts or list rows"
        " (支出[1].金额, 支出[2], 期末余额) without a 更正说明 (change note)"
        " → add 更正说明 to the record: what changed and why"
    )
    assert check_since(repo, "HEAD~1") == problems  # the working tree is HEAD


def test_a_change_note_satisfies_the_check(repo: Path) -> None:
    note = "更正说明: 8月10日办公费发票金额为350.00元，补记8月20日活动经费1250.00元\n"
    write_files(repo, {"site_data/ceshi/caiwu/2024-cw-001.yaml": STATEMENT_AFTER + note})
    check(repo, AS_OF)
    assert check_since(repo, "HEAD~1") == []
    assert "⚠" not in run_diff(repo, "HEAD~1")


def test_drafts_and_unpublished_changes_need_no_note(repo: Path) -> None:
    draft = STATEMENT.format(first="300.00", more="", closing="11700.00", note="").replace("已发布", "草稿")
    write_files(repo, {"site_data/ceshi/caiwu/2024-cw-001.yaml": draft})
    commit(repo, "back to a draft")
    write_files(repo, {"site_data/ceshi/caiwu/2024-cw-001.yaml": STATEMENT_AFTER})
    assert check_since(repo, "HEAD") == []
    assert run_diff(repo).splitlines()[3:6] == [
        "【发布】2024-cw-001 收支公开：2024年8月居务收支公开",
        "  文件：site_data/ceshi/caiwu/2024-cw-001.yaml",
        "  · 由草稿改为已发布，将在网站上公开",
    ]


def test_removed_and_unreadable_files(repo: Path) -> None:
    (repo / "site_data/ceshi/dangwu/2024-dw-003.yaml").unlink()
    write_files(repo, {"site_data/ceshi/dangwu/2024-dw-002.yaml": "编号: 2024-dw-002\n标题: [没有结束\n"})
    text = run_diff(repo)
    assert text == (
        "记录改动：HEAD → 工作区\n"
        "删除 1 条，无法解析 1 条\n"
        "\n"
        "【删除】2024-dw-003 党务会议：第一党支部5月支部委员会会议（更正）\n"
        "  文件：site_data/ceshi/dangwu/2024-dw-003.yaml\n"
        "  · 文件已删除，网站上不再有这条通知；已发布的通知应改为“已撤回”并写明撤回原因，而不是删除\n"
        "\n"
        "无法解析：\n"
        "  site_data/ceshi/dangwu/2024-dw-002.yaml:2:5: YAML 格式错误：[ 没有配对的 ] → 在列表末尾补上 ]\n"
    )
    assert json.loads(run_diff(repo, fmt="json"))["unreadable"][0]["file"] == "site_data/ceshi/dangwu/2024-dw-002.yaml"


def test_rows_inserted_at_the_top_do_not_shift_the_others(tmp_path: Path) -> None:
    path = "site_data/ceshi/caiwu/2024-cw-001.yaml"
    write_files(tmp_path / "old", {path: STATEMENT_AFTER})
    first = NEW_LINE.replace("08-20", "08-01").replace("035", "030")
    write_files(
        tmp_path / "new", {path: STATEMENT_AFTER.replace("支出:\n", "支出:\n" + first).replace("10400", "9150")}
    )
    diff = diff_records(records_at(tmp_path / "old"), records_at(tmp_path / "new"))
    assert [(f.field, f.old is None, f.new is None) for f in diff.changes[0].fields] == [
        ("支出[1]", True, False),
        ("期末余额", False, False),
    ]
    assert diff.changes[0].lines[0].added == 1 and diff.changes[0].lines[0].changed == 0


def test_a_bad_revision_is_a_usage_error(repo: Path) -> None:
    with pytest.raises(RevisionNotFound, match="无法读取 git 版本 no-such-branch"):
        run_diff(repo, "no-such-branch")
    assert issubclass(RevisionNotFound, ValueError)  # cli.py turns ValueErrors into exit code 2


def test_first_lines_of_a_published_statement_and_a_changed_body(tmp_path: Path) -> None:
    statement = STATEMENT.format(first="300.00", more="", closing="11700.00", note="")
    income = statement[statement.index("收入:") : statement.index("支出:")]
    body = "|\n  会议由书记主持。\n  {}\n"
    write_files(
        tmp_path / "old",
        {
            "site_data/ceshi/caiwu/a.yaml": statement.replace(income, "").replace("11700.00", "9700.00"),
            "site_data/ceshi/dangwu/b.yaml": meeting("2024-dw-001", "支委会", 正文=body.format("会议研究了三项工作。")),
        },
    )
    write_files(
        tmp_path / "new",
        {
            "site_data/ceshi/caiwu/a.yaml": statement,
            "site_data/ceshi/dangwu/b.yaml": meeting("2024-dw-001", "支委会", 正文=body.format("会议研究了四项工作。")),
        },
    )
    old, new = records_at(tmp_path / "old"), records_at(tmp_path / "new")
    diff = diff_records(old, new)
    text = to_text(diff)
    assert "  · 收入 +1 笔，合计 +2,000.00 元（0.00 元 → 2,000.00 元）\n" in text
    assert "  · 收入[1]：新增 日期 2024-08-05，来源 街道拨付工作经费，金额 2,000.00 元，凭证号 记-2024-031\n" in text
    assert "  · 正文：改了 1 行\n      -会议研究了三项工作。\n      +会议研究了四项工作。\n" in text
    assert "- 正文：改了 1 行\n\n  ```diff\n  -会议研究了三项工作。\n  +会议研究了四项工作。\n  ```\n" in to_markdown(
        diff
    )
    assert [p.field for p in published_changes_without_note(old, new)] == ["收入[1]"]


def test_the_commands_a_reviewer_and_ci_run(repo: Path, capsys) -> None:
    from generator.cli import main

    assert main(["diff", "HEAD~1", "HEAD", "--root", str(repo)]) == 0
    assert capsys.readouterr().out == TEXT
    assert main(["diff", "HEAD~1", "HEAD", "--root", str(repo), "--format", "markdown"]) == 0
    assert capsys.readouterr().out == MARKDOWN
    assert main(["check", "--root", str(repo), "--as-of", "2024-11-28", "--since", "HEAD~1", "--format", "github"]) == 1
    assert capsys.readouterr().err.startswith(
        "::error file=site_data/ceshi/caiwu/2024-cw-001.yaml,line=21,col=9,title=支出[1].金额::"
        "已发布的通知改了金额或名单行"
    )
    assert main(["check", "--root", str(repo), "--as-of", "2024-11-28", "--since", "HEAD"]) == 0
    assert main(["diff", "no-such-rev", "--root", str(repo)]) == 2


def test_each_notice_page_shows_its_change_history(repo: Path) -> None:
    from bs4 import BeautifulSoup

    from generator.build import build
    from generator.today import parse_as_of

    build(repo, parse_as_of(None), repo / "site")  # today: both commits are in the past
    page = repo / "site/ceshi/party/2024-dw-002/index.html"  # the file was renamed in the second commit
    items = [
        li.get_text() for li in BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select(".gk-history li")
    ]
    assert [item.split("：", 1)[1] for item in items] == ["修改", "发布"]  # commit messages are never shown
