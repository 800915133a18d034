"""site_data/**/*.yaml → raw records whose every value is text that remembers where it was.

YAML 1.1 typing is never applied: we walk the parser's events ourselves (libyaml when present)
and keep every scalar as the exact text the person wrote, so `no`, `0755`, `1:20` and `12.30`
reach the schema unchanged and are typed there. Duplicate keys, anchors, aliases, tags and
several documents in one file are refused with their line.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from generator.errors import Problem, field_path
from generator.reading.limits import check_events, file_size, hidden_problem, raw_control
from generator.reading.yaml_errors import syntax_problem

Parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class RawFile:
    """A YAML file as plain dicts, lists and strings, with the position of every value and key."""

    path: str  # relative to the project root, with forward slashes
    data: Any
    marks: dict[Path_, tuple[int, int]]  # value position, 1-based (line, column)
    key_marks: dict[Path_, tuple[int, int]]  # position of the key that names the value
    blob: str = ""  # git's object id of the file as stored (`git hash-object FILE`)

    def value(self, loc: Path_) -> Any:
        """The raw value at a field path, or None."""
        node = self.data
        for part in loc:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                return None
        return node

    def where(self, loc: Path_, key: bool = False) -> tuple[int, int]:
        """Position for a field path: its key (if `key`) or value, else the nearest parent."""
        if key and loc in self.key_marks:
            return self.key_marks[loc]
        for i in range(len(loc), -1, -1):
            if loc[:i] in self.marks:
                return self.marks[loc[:i]]
        return (1, 1)


class _Fail(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem


def _problem(file: str, mark: Any, zh: str, en: str, hint_zh: str = "", hint_en: str = "", path: Path_ = ()) -> Problem:
    line = mark.line + 1 if mark is not None else 1
    col = mark.column + 1 if mark is not None else 1
    return Problem(file, line, col, field_path(path), zh, en, hint_zh, hint_en)


def _refuse(problem: Problem | None) -> None:
    if problem is not None:
        raise _Fail(problem)


def _tag_as_written(tag: str) -> str:
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,2002:") else tag


_NULLS = {"", "~", "null", "Null", "NULL"}


def _scalar(event: yaml.ScalarEvent) -> str | None:
    if not event.style and event.value in _NULLS:  # plain style: None (Python parser) or "" (libyaml)
        return None
    return event.value


def _build(events: list[Any], file: str) -> RawFile:
    marks: dict[Path_, tuple[int, int]] = {}
    key_marks: dict[Path_, tuple[int, int]] = {}
    it = iter(events)

    def pos(ev: Any) -> tuple[int, int]:
        mark = ev.start_mark
        return (mark.line + 1, mark.column + 1)

    def refuse_node_extras(ev: Any, path: Path_) -> None:
        if ev.anchor is None and getattr(ev, "tag", None) is None:
            return  # the usual case, checked first: this runs for every value of every record
        if isinstance(ev, yaml.AliasEvent) or ev.anchor:
            zh, en = "不支持锚点和别名（& 和 *）", "anchors and aliases (& and *) are not supported"
            hint = ("请把内容完整地写出来，不要用 & 或 * 引用", "write the value out in full")
            raise _Fail(_problem(file, ev.start_mark, zh, en, *hint, path=path))
        tag = getattr(ev, "tag", None)
        if tag is not None:  # the parser reports a tag only when one was written
            tag = _tag_as_written(tag)
            zh, en = f"不支持 YAML 标签 {tag}", f"YAML tags such as {tag} are not supported"
            hint = ("去掉以 ! 开头的标签", "remove the tag starting with !")
            raise _Fail(_problem(file, ev.start_mark, zh, en, *hint, path=path))

    def node(ev: Any, path: Path_) -> Any:
        refuse_node_extras(ev, path)
        marks[path] = pos(ev)
        if isinstance(ev, yaml.ScalarEvent):
            if not ev.value.isascii() or not ev.value.isprintable():
                _refuse(hidden_problem(ev.value, file, ev.start_mark, path))
            return _scalar(ev)
        if isinstance(ev, yaml.SequenceStartEvent):
            items: list[Any] = []
            for child in it:
                if isinstance(child, yaml.SequenceEndEvent):
                    return items
                items.append(node(child, (*path, len(items))))
        if isinstance(ev, yaml.MappingStartEvent):
            mapping: dict[str, Any] = {}
            for key_ev in it:
                if isinstance(key_ev, yaml.MappingEndEvent):
                    return mapping
                refuse_node_extras(key_ev, path)
                if not isinstance(key_ev, yaml.ScalarEvent):
                    raise _Fail(
                        _problem(
                            file,
                            key_ev.start_mark,
                            "字段名必须是简单文字",
                            "a key must be plain text",
                            "检查冒号前面的内容",
                            "check what stands before the colon",
                        )
                    )
                key = key_ev.value
                if not key.isascii() or not key.isprintable():
                    _refuse(hidden_problem(key, file, key_ev.start_mark, (*path, key)))
                if key in mapping:
                    first = key_marks[(*path, key)][0]
                    raise _Fail(
                        _problem(
                            file,
                            key_ev.start_mark,
                            f"字段“{key}”重复出现（第 {first} 行已有）",
                            f"duplicate key '{key}' (already on line {first})",
                            "删除其中一个，只保留正确的值",
                            "keep only one of them",
                            path=(*path, key),
                        )
                    )
                key_marks[(*path, key)] = pos(key_ev)
                mapping[key] = node(next(it), (*path, key))
        raise _Fail(_problem(file, ev.start_mark, "无法识别的 YAML 结构", "unexpected YAML structure"))

    data: Any = None
    documents = 0
    for ev in it:
        if isinstance(ev, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise _Fail(
                    _problem(
                        file,
                        ev.start_mark,
                        "一个文件只能写一条记录（发现多个 --- 文档）",
                        "one record per file (found several --- documents)",
                        "把第二条记录另存为一个新文件",
                        "move the second record to its own file",
                    )
                )
        elif isinstance(ev, (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent, yaml.AliasEvent)):
            data = node(ev, ())
    return RawFile(file, data, marks, key_marks)


def _decode(raw: bytes, file: str) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise _Fail(
            Problem(
                file,
                line,
                1,
                "",
                "文件不是 UTF-8 编码（可能是从 Excel 或记事本另存的 GBK 文件）",
                "the file is not UTF-8 (perhaps GBK saved from Excel or Notepad)",
                "请用编辑器“另存为 UTF-8”后再提交",
                "save it again as UTF-8",
            )
        ) from None
    return text.replace("\r\n", "\n")


_ODD_BREAK = re.compile("[\r\x85\u2028\u2029]")  # a lone \r too: CRLF became \n on reading


def parse_text(text: str, file: str) -> RawFile:
    """Parse one YAML document into a RawFile; raise _Fail with a located Problem."""
    if "\t" in text:
        for number, line in enumerate(text.split("\n"), 1):
            indent = line[: len(line) - len(line.lstrip(" \t"))]
            if "\t" in indent:
                raise _Fail(
                    Problem(
                        file,
                        number,
                        indent.index("\t") + 1,
                        "",
                        "缩进里有制表符（Tab）",
                        "tab character in indentation",
                        "YAML 只能用空格缩进，请把 Tab 换成两个空格",
                        "indent with spaces only",
                    )
                )
    odd = _ODD_BREAK.search(text)
    if odd is not None:  # YAML counts these as line breaks, editors mostly do not: lines would disagree
        line = text.count("\n", 0, odd.start()) + 1
        column = odd.start() - (text.rfind("\n", 0, odd.start()) + 1) + 1
        raise _Fail(
            Problem(
                file,
                line,
                column,
                "",
                f"有不可见的特殊换行符（U+{ord(odd.group()):04X}）",
                f"invisible line-break character U+{ord(odd.group()):04X}",
                "删除它（常见于从网页或 Word 复制的文字），需要换行时直接回车",
                "delete it (it comes from text copied from web pages or Word)",
            )
        )
    if (control := raw_control(text, file)) is not None:
        raise _Fail(control)
    try:
        events = list(yaml.parse(text, Loader=Parser))
    except yaml.MarkedYAMLError as exc:
        raise _Fail(syntax_problem(exc, text, file)) from None
    except yaml.YAMLError as exc:
        raise _Fail(Problem(file, 1, 1, "", f"YAML 格式错误：{exc}", f"YAML syntax error: {exc}")) from None
    if (limit := check_events(events, file)) is not None:  # before _build, which recurses
        raise _Fail(limit)
    return _build(events, file)


def git_blob_id(data: bytes) -> str:
    """The id git gives these bytes: paper, website and repository can be matched by it."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


@dataclass(frozen=True)
class Source:
    """A file as read: its path, its text (None when undecodable) and its git blob id."""

    path: str
    text: str | None
    blob: str
    problem: Problem | None = None


def read_source(path: Path, root: Path, data: bytes | None = None) -> Source:
    """Read a file (or decode `data`, its bytes as already read); BOM and CRLF are tolerated,
    anything but UTF-8 is a located Problem."""
    rel = path.relative_to(root).as_posix()
    data = path.read_bytes() if data is None else data
    if (too_big := file_size(len(data), rel)) is not None:
        return Source(rel, None, git_blob_id(data), too_big)
    try:
        return Source(rel, _decode(data, rel), git_blob_id(data))
    except _Fail as fail:
        return Source(rel, None, git_blob_id(data), fail.problem)


def parse(source: Source) -> tuple[RawFile | None, Problem | None]:
    """Parse a decoded Source into a RawFile, or return the Problem that stopped it."""
    assert source.text is not None
    try:
        return replace(parse_text(source.text, source.path), blob=source.blob), None
    except _Fail as fail:
        return None, fail.problem


def load_file(path: Path, root: Path) -> tuple[RawFile | None, Problem | None]:
    """Read and parse one file."""
    source = read_source(path, root)
    if source.text is None:
        return None, source.problem
    return parse(source)


def tree(top: Path) -> list[Path]:
    """Everything under `top`, as `top.rglob("*")` lists it (a linked folder listed, not entered),
    in a third of its time: os.walk learns each entry's type without a stat of its own."""
    found: list[Path] = []
    for folder, dirs, names in os.walk(top):
        found.extend(Path(folder, name) for name in (*dirs, *names))
    return found


def find_yaml(data_dir: Path, only: str | None = None) -> list[Path]:
    """Every record file under data_dir, in a stable order (file order never changes output);
    with `only`, the site's files at the top and that community's folder (a sharded build's part).
    A file reached through a link out of the project is left out (the checks refuse the link)."""
    project = data_dir.resolve().parent
    top = data_dir / only if only else data_dir
    found = [*data_dir.iterdir(), *tree(top)] if only else tree(top)
    inside = top.resolve().is_relative_to(project)  # folders under it are real ones: os.walk enters no link
    files = [p for p in found if p.suffix in (".yaml", ".yml") and p.is_file()]
    links = {p for p in files if p.is_symlink() or p.parent == data_dir}  # the rest lie in `top`
    files = [p for p in files if (p.resolve().is_relative_to(project) if p in links else inside)]
    return sorted(files, key=lambda p: p.as_posix())
