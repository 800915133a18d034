"""Random YAML and Markdown through `check` and then `build`: either `check` refuses with located,
bilingual problems, or `build` succeeds. Never a traceback, never a stall. Bounded: about a minute."""

from __future__ import annotations

import re
import string
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import EXAMPLE_AS_OF, community_files, make_project, meeting
from generator.build import build, check
from generator.errors import RecordsInvalid

RECORD = "site_data/ceshi/fuzz.yaml"
CJK = re.compile("[\u4e00-\u9fff]")
FIELDS = ["编号", "类型", "标题", "发布单位", "发布日期", "状态", "会议日期", "应到", "实到", "议题", "正文", "公示期"]

# Pieces that Markdown, YAML and our checks treat specially, and ordinary Chinese text.
PIECES = [
    "[", "]", "(", ")", "](", "![", "<", ">", "<a ", "<http://a", "`", "*", "_", "#", "|", "- ", "1. ", "> ",
    "    ", "\n", "\n\n", "\t", "\\", "&", ":", "：", "\x01", "\x1b", "\u200b", "\u202e", "通知", "居民议事会",
    "2024-05-10", "1,250.50", "13912345678", "\"", "'",
]  # fmt: skip
text = st.lists(st.sampled_from(PIECES) | st.text(string.ascii_letters + "中文 ", max_size=8), max_size=60).map("".join)
bursts = st.tuples(st.sampled_from(PIECES), st.integers(1, 400)).map(lambda p: p[0] * p[1])
markdown = st.lists(text | bursts, max_size=8).map("".join)
# The same without what check refuses anywhere (control and hidden characters, a mobile number), so
# that about half of the bodies reach `build` whatever hypothesis draws.
REFUSED = {"\x01", "\x1b", "\u200b", "\u202e", "13912345678"}
SAFE = [p for p in PIECES if p not in REFUSED]
safe_text = st.lists(st.sampled_from(SAFE) | st.text(string.ascii_letters + "中文 ", max_size=8), max_size=60)
safe_markdown = st.lists(safe_text.map("".join), max_size=8).map("".join)

scalars = st.none() | st.booleans() | st.integers() | st.sampled_from(["", "no", "0755", "1:20", "12.30"]) | text
keys = st.sampled_from(FIELDS) | text.filter(lambda k: 0 < len(k) < 20)
structures = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(keys, inner, max_size=6),
    max_leaves=40,
)


def _located(problems: list, files: dict[str, str]) -> None:
    for p in problems:
        assert p.file in files or p.file.startswith("site_data/"), p
        lines = files.get(p.file, "").count("\n") + 1
        assert 1 <= p.line <= max(lines, 1) and p.column >= 1, p.format()
        assert CJK.search(p.message_zh), p.format()  # Chinese first…
        assert p.message_en, p.format()  # …and English


def _check_or_refuse(root: Path, record: str) -> bool:
    """True when `check` passes; otherwise its problems must be located, bilingual."""
    (root / RECORD).write_text(record, encoding="utf-8")
    try:
        check(root, EXAMPLE_AS_OF)
    except RecordsInvalid as exc:
        _located(exc.problems, {RECORD: record})
        return False
    return True


def test_random_yaml_structures_are_refused_at_their_place_or_pass(tmp_path: Path) -> None:
    root = make_project(tmp_path, community_files())

    @settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
    @given(data=structures, flow=st.booleans())
    def fuzz(data, flow: bool) -> None:
        record = yaml.safe_dump(data, allow_unicode=True, default_flow_style=flow, width=60)
        _check_or_refuse(root, record)

    fuzz()


def test_random_markdown_bodies_pass_check_and_build_or_are_refused(tmp_path: Path) -> None:
    root = make_project(tmp_path, community_files())
    built = []

    @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
    @given(body=markdown | safe_markdown, title=safe_text.map("".join).filter(str.strip))
    def fuzz(body: str, title: str) -> None:
        fields = yaml.load(meeting("fuzz-1", "标题", "2024-11-20"), Loader=yaml.BaseLoader)  # all text
        fields.update(标题=title, 正文=body, 公示期={"开始": "2024-11-20", "天数": "10"})
        record = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False, width=60)
        if not _check_or_refuse(root, record):
            return
        build(root, EXAMPLE_AS_OF, root / "site")  # must not fail: check let it through
        assert (root / "site/ceshi/party/fuzz-1/index.html").is_file()
        built.append(body)

    fuzz()
    assert built, "no example got past check: the strategy no longer reaches build"
