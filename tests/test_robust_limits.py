"""Hostile sizes and shapes: `check` refuses them at their line, in Chinese first, before any work;
what it lets through renders in bounded time."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from conftest import community_files, make_project, meeting
from generator.cli import main
from generator.reading import limits
from generator.templating.rendering import safe_markdown

AS_OF = ["--as-of", "2024-11-28"]
RECORD = "site_data/ceshi/a.yaml"


def check_text(tmp_path: Path, text: str | bytes, capsys: pytest.CaptureFixture[str], command: str = "check") -> str:
    """Write one record file, run the command, return what it said (it must refuse, calmly)."""
    root = make_project(tmp_path, community_files())
    target = root / RECORD
    target.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    started = time.monotonic()
    assert main([command, "--root", str(root), *AS_OF]) == 1
    assert time.monotonic() - started < 60
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert not (root / "site").exists()
    return err


def with_body(body: str) -> str:
    """A valid record whose 正文 (on line 13) is `body`, as a block scalar."""
    lines = "".join(f"  {line}\n" if line else "\n" for line in body.split("\n"))
    return meeting("a-1", "会议") + "正文: |\n" + lines


def test_a_small_file_nested_1200_levels_deep_is_refused_at_the_level_too_deep(tmp_path, capsys):
    err = check_text(tmp_path, "编号: a-1\n数据: " + "[" * 1200 + "]" * 1200 + "\n", capsys)  # 2.4 kB
    assert f"{RECORD}:2:24: 数据{'[1]' * 19}: 层次嵌套太深（超过 20 层） → 记录只需要几层：检查缩进和括号" in err


def test_deep_block_nesting_is_refused_at_its_line_and_field(tmp_path, capsys):
    text = "编号: a-1\n" + "".join("  " * i + "层:\n" for i in range(100))
    err = check_text(tmp_path, text, capsys)
    assert f"{RECORD}:22:41: {'.'.join(['层'] * 20)}: 层次嵌套太深（超过 20 层）" in err


def test_a_huge_body_is_refused_at_its_line(tmp_path, capsys):
    body = "\n\n".join("居民议事会讨论了小区停车问题。" * 300 for _ in range(14))  # 63,000 characters
    err = check_text(tmp_path, with_body(body), capsys)
    assert f"{RECORD}:13:5: 正文: 内容太长（63,027 字，上限 50,000 字） → 拆成几条记录，或把全文放在附件里" in err


def test_a_paragraph_of_brackets_is_refused_before_it_stalls_the_build(tmp_path, capsys):
    body = "说明如下：\n\n" + "[" * 30_000  # 55 kB of brackets took 177 s to build
    err = check_text(tmp_path, with_body(body), capsys, command="build")
    assert f"{RECORD}:13:5: 正文: 一段文字太长（30,001 字，上限 10,000 字） → 用空行把它分成几段" in err


def test_a_bracket_storm_in_a_short_paragraph_is_refused(tmp_path, capsys):
    body = "见文件" + "[" * 40 + "第二段"
    err = check_text(tmp_path, with_body(body), capsys)
    assert f"{RECORD}:13:5: 正文: 一段文字里的 [ 和 < 太多（40 个，上限 30 个） → 用中文括号【】〔〕和书名号《》" in err


def test_a_storm_of_angle_brackets_in_a_title_is_refused(tmp_path, capsys):
    err = check_text(tmp_path, meeting("a-1", "'" + "<a " * 200 + "'"), capsys)
    assert f"{RECORD}:3:5: 标题: 一段文字里的 [ 和 < 太多（200 个，上限 30 个）" in err


def test_a_300_deep_markdown_list_is_refused_at_its_line(tmp_path, capsys):
    body = "- " * 300 + "项目"
    err = check_text(tmp_path, with_body(body), capsys)
    assert f"{RECORD}:13:5: 正文: 列表或引用嵌套太深（300 层，上限 20 层） → 减少缩进和嵌套层数，几层就够了" in err


def test_quotes_and_lists_on_one_line_count_as_nesting(tmp_path, capsys):
    err = check_text(tmp_path, with_body("> - " * 11 + "文字"), capsys)
    assert f"{RECORD}:13:5: 正文: 列表或引用嵌套太深（22 层，上限 20 层）" in err


def test_a_list_of_too_many_rows_is_refused_at_the_first_row_too_many(tmp_path, capsys):
    text = meeting("a-1", "会议").replace("议题:\n", "议题:\n" + "".join(f"  - 第{i}项\n" for i in range(2001)))
    err = check_text(tmp_path, text, capsys)
    assert f"{RECORD}:2012:5: 议题: 列表太长（超过 2,000 项） → 拆成几条记录（例如按月或按组）" in err


def test_a_file_too_large_is_refused_before_it_is_read(tmp_path, capsys):
    text = meeting("a-1", "会议") + "".join(f"# 注释第 {i} 行，这一行很长很长很长很长很长很长\n" for i in range(20_000))
    err = check_text(tmp_path, text, capsys)
    assert f"{RECORD}:1:1: 文件太大（" in err
    assert "上限 1,000,000 字节） → 一个文件只写一条记录；很长的名单或正文请拆成几条记录" in err


def test_a_control_character_written_as_an_escape_is_refused_at_its_line(tmp_path, capsys):
    text = meeting("a-1", "会议") + '正文: "第一段\\x01第二段"\n'
    err = check_text(tmp_path, text, capsys, command="build")
    assert f"{RECORD}:13:5: 正文: 引号里用转义写了不可见的控制字符（U+0001） → 删掉这个 \\x.. 或 \\u.. 转义" in err


def test_an_escaped_escape_character_in_a_list_is_refused_with_its_field(tmp_path, capsys):
    text = meeting("a-1", "会议") + '  - "李四\\e"\n'
    err = check_text(tmp_path, text, capsys)
    assert f"{RECORD}:13:5: 议题[2]: 引号里用转义写了不可见的控制字符（U+001B）" in err


def test_a_raw_escape_byte_is_refused_at_its_own_line_in_chinese(tmp_path, capsys):
    text = meeting("a-1", "会议").replace("实到: 6", "实到: 6\x1b")
    err = check_text(tmp_path, text, capsys)
    assert f"{RECORD}:10:6: 有不可见的控制字符（U+001B） → 删除它（常见于从其他软件复制的文字）" in err
    assert main(["check", "--root", str(tmp_path), *AS_OF, "--lang", "en"]) == 1
    assert f"{RECORD}:10:6: invisible control character U+001B" in capsys.readouterr().err


@pytest.mark.parametrize(
    "shape",
    [
        "[" * limits.MAX_OPENERS,
        "![" * (limits.MAX_OPENERS // 2),
        "<a " * limits.MAX_OPENERS,
        "[`" * limits.MAX_OPENERS,
        "*[" * limits.MAX_OPENERS,
        "<http://a" * limits.MAX_OPENERS,
    ],
)
def test_the_worst_body_check_lets_through_renders_in_bounded_time(shape):
    """Paragraphs at the limits, each opener followed by the longest paragraph allowed: refused
    shapes of this kind took minutes, the worst allowed one takes well under a second (the bound
    below leaves room for a busy machine)."""
    paragraph = shape + "文" * (limits.MAX_PARAGRAPH - len(shape))
    body = "\n\n".join([paragraph] * (limits.MAX_TEXT // (limits.MAX_PARAGRAPH + 2)))
    assert limits._markdown_shape(body) is None
    started = time.monotonic()
    safe_markdown(body)
    assert time.monotonic() - started < 5


def test_real_sized_records_pass(tmp_path, capsys):
    """Far from the limits: a long notice, a long list, links and nested lists build."""
    body = "\n\n".join(
        ["详见[公示栏](https://example.org/a)和〔2024〕12号文件。" * 5, "- 第一项\n    - 子项\n        - 细项"]
        + ["居民议事会讨论了小区停车问题。" * 60] * 5
    )
    text = with_body(body).replace("议题:\n", "议题:\n" + "".join(f"  - 第{i}项议题\n" for i in range(500)))
    root = make_project(tmp_path, community_files())
    (root / RECORD).write_text(text, encoding="utf-8")
    assert main(["build", "--root", str(root), *AS_OF]) == 0, capsys.readouterr().err
    page = (root / "site/ceshi/party/a-1/index.html").read_text(encoding="utf-8")
    assert '<a href="https://example.org/a" rel="noopener noreferrer">公示栏</a>' in page
    assert "细项" in page
