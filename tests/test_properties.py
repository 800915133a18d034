"""Property tests (issue 3): whatever is in site_data/, checking ends in a Site or RecordsInvalid.

Random text and bytes, random YAML-ish documents and mutations of the example records (a line
deleted or doubled, characters swapped, tabs, colons, quotes, `&`, `*`, `!` inserted, the file
cut short, random bytes spliced in) go through `read_site`. Only our own error may come out,
never a traceback, and every problem names an existing file, a line inside it (≥ 1), a column
≥ 1 and a message in Chinese.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import community_files, make_project
from generator.errors import Problem, RecordsInvalid
from generator.reading.reader import read_site
from generator.records import KINDS

AS_OF = dt.date(2024, 11, 28)
EXAMPLES = Path(__file__).resolve().parent.parent / "generator" / "records" / "examples"
EXAMPLE_TEXTS = sorted(p.read_text(encoding="utf-8") for p in EXAMPLES.glob("*.yaml"))
RECORD = "site_data/ceshi/x.yaml"
COMMUNITY = "site_data/ceshi/community.yaml"
SITE = "site_data/site.yaml"
ORIGINALS = community_files()
CJK = re.compile(r"[\u4e00-\u9fff]")

SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One throwaway project (community `ceshi`) for the whole module; tests rewrite single files."""
    return make_project(tmp_path_factory.mktemp("properties"), community_files())


def reset(root: Path) -> None:
    """Put back the community and site files and remove the record a previous example wrote."""
    for rel, text in ORIGINALS.items():
        (root / rel).write_text(text, encoding="utf-8")
    for path in (root / "site_data").rglob("*"):
        if path.is_file() and path.relative_to(root).as_posix() not in ORIGINALS:
            path.unlink()


def check_with(root: Path, rel: str, content: bytes) -> None:
    """Write `content` at `rel`, check the site, and hold the outcome to the rules above."""
    reset(root)
    (root / rel).write_bytes(content)
    try:
        read_site(root, AS_OF)
    except RecordsInvalid as exc:
        assert exc.problems, "RecordsInvalid without a problem"
        for problem in exc.problems:
            assert_located(root, problem)


def assert_located(root: Path, p: Problem) -> None:
    assert p.file, p
    path = root / p.file
    assert path.is_file(), f"problem names a file that does not exist: {p}"
    lines = path.read_bytes().count(b"\n") + 1
    assert 1 <= p.line <= lines, f"line {p.line} outside the file ({lines} lines): {p}"
    assert p.column >= 1, p
    assert p.message_zh.strip(), p
    assert CJK.search(p.message_zh), f"message is not in Chinese: {p}"
    assert p.message_en.strip(), p
    assert p.severity in ("error", "warning"), p


# --- random input ---------------------------------------------------------------------------------


@SETTINGS
@given(st.text(max_size=400))
def test_random_text(project: Path, text: str):
    check_with(project, RECORD, text.encode("utf-8", "surrogatepass"))


@SETTINGS
@given(st.binary(max_size=400))
@example(b"\xb1\xe0\xba\xc5: 2024-dw-001\n")  # GBK
@example(b"\xef\xbb\xbf\xef\xbb\xbf")  # two BOMs
@example(b"\x00\x01\x02")
def test_random_bytes(project: Path, data: bytes):
    check_with(project, RECORD, data)


# --- YAML-ish documents ---------------------------------------------------------------------------

FIELD_NAMES = sorted(
    {f.alias for model in KINDS.values() for f in model.model_fields.values() if f.alias}
    | {"应到", "实到", "赞成", "开始", "结束", "天数", "文件", "金额", "日期", "步骤", "表决", "来源", "身份证号"}
)
# Values YAML 1.1, spreadsheets and people get wrong, one per word.
TRICKY_WORDS = """
no on yes ~ null 0755 1:20 12.30 1e3 .inf -1 0 2024-02-30 2024/3/1 3月1日 2024-05-10
1,200.50 １２００ ¥1200 1200元 1.2万 12.345 410102198003151236 13912345678 6222021234567890128
../x.pdf 党务会议 收支公开 救助名单 已撤回 dangwei juweihui # &a *a ! !!str | > { [ ' "
"""
TRICKY = [*TRICKY_WORDS.split(), "", " ", "\t", "- "]
scalars = st.one_of(st.sampled_from(TRICKY), st.text(max_size=12), st.integers(-(10**20), 10**20).map(str))
keys = st.one_of(st.sampled_from(FIELD_NAMES), st.text(min_size=1, max_size=6))
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(keys, inner, max_size=6),
    ),
    max_leaves=25,
)


@SETTINGS
@given(
    kind=st.sampled_from([*KINDS, "党务会", ""]),
    body=st.dictionaries(keys, documents, max_size=8),
    style=st.sampled_from([None, True, False]),
)
def test_random_documents(project: Path, kind: str, body: dict, style: bool | None):
    record = {"编号": "2024-x-001", "类型": kind, "发布单位": "dangwei", **body}
    text = yaml.safe_dump(record, allow_unicode=True, default_flow_style=style, sort_keys=False)
    check_with(project, RECORD, text.encode("utf-8", "surrogatepass"))


TOKENS = [
    *"\t:\"'!{}[]#|>,…１\ufeff\r\x00",
    *[": ", "&a ", "*a", "!!int ", "- ", "---\n", "? ", "  ", "\n", "%YAML 1.1\n", "<<: "],
]


@SETTINGS
@given(
    lines=st.lists(
        st.tuples(
            st.integers(0, 6),
            st.one_of(st.sampled_from(FIELD_NAMES), st.sampled_from(TOKENS), st.just("-")),
            st.one_of(st.sampled_from(TRICKY), st.sampled_from(TOKENS), st.text(max_size=8)),
        ),
        max_size=14,
    )
)
def test_yamlish_lines(project: Path, lines: list[tuple[int, str, str]]):
    text = "".join(f"{' ' * indent}{key}: {value}\n" for indent, key, value in lines)
    check_with(project, RECORD, text.encode("utf-8", "surrogatepass"))


# --- mutations of the valid example records -------------------------------------------------------


@st.composite
def mutated(draw: st.DrawFn, texts: list[str]) -> bytes:
    """A valid text with one to four small edits of the kinds people make."""
    data = draw(st.sampled_from(texts)).encode("utf-8")
    for _ in range(draw(st.integers(1, 4))):
        lines = data.split(b"\n")
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "truncate", "bytes", "replace"]))
        if op == "delete" and len(lines) > 1:
            del lines[draw(st.integers(0, len(lines) - 1))]
            data = b"\n".join(lines)
        elif op == "duplicate":
            i = draw(st.integers(0, len(lines) - 1))
            lines.insert(i, lines[i])
            data = b"\n".join(lines)
        elif op == "replace":
            i = draw(st.integers(0, len(lines) - 1))
            lines[i] = draw(st.text(max_size=20)).encode("utf-8", "surrogatepass")
            data = b"\n".join(lines)
        elif op == "swap" and len(text := data.decode("utf-8", "surrogateescape")) > 1:
            i = draw(st.integers(0, len(text) - 2))
            text = text[:i] + text[i + 1] + text[i] + text[i + 2 :]
            data = text.encode("utf-8", "surrogateescape")
        elif op == "insert":
            text = data.decode("utf-8", "surrogateescape")
            i = draw(st.integers(0, len(text)))
            token = draw(st.sampled_from([*TOKENS, *TRICKY]))
            data = (text[:i] + token + text[i:]).encode("utf-8", "surrogateescape")
        elif op == "truncate":
            data = data[: draw(st.integers(0, len(data)))]
        elif op == "bytes":
            i = draw(st.integers(0, len(data)))
            data = data[:i] + draw(st.binary(min_size=1, max_size=4)) + data[i:]
    return data


@SETTINGS
@given(mutated(EXAMPLE_TEXTS))
def test_mutated_examples(project: Path, data: bytes):
    check_with(project, RECORD, data)


@SETTINGS
@given(st.sampled_from([COMMUNITY, SITE]).flatmap(lambda rel: st.tuples(st.just(rel), mutated([ORIGINALS[rel]]))))
def test_mutated_community_and_site(project: Path, target: tuple[str, bytes]):
    rel, data = target
    reset(project)
    (project / RECORD).write_text(EXAMPLE_TEXTS[0], encoding="utf-8")
    (project / rel).write_bytes(data)
    try:
        read_site(project, AS_OF)
    except RecordsInvalid as exc:
        for problem in exc.problems:
            assert_located(project, problem)


def test_the_examples_pass_unchanged(project: Path):
    """The starting point of the mutations is valid: every example record passes on its own."""
    for text in EXAMPLE_TEXTS:
        reset(project)
        (project / RECORD).write_text(text, encoding="utf-8")
        read_site(project, AS_OF)
