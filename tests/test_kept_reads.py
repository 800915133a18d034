"""What reading each record file gave is kept on disk between runs (issue 20: `check` at 10,000
records): an unchanged file is not parsed or typed again, a changed one always is, and a run
with kept readings reports exactly what a fresh one does."""

from __future__ import annotations

from pathlib import Path

import pytest

import generator.reading.kept as kept
import generator.reading.reader as reader
from conftest import EXAMPLE_AS_OF, community_files, make_project, meeting
from generator.errors import RecordsInvalid
from generator.reading.reader import read_site


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GONGKAI_CACHE", str(tmp_path / "cache"))  # its own: what is read is counted
    return tmp_path / "cache" / "reads"


def _spy(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files parsed and typed (by their path under site_data/)."""
    read: list[str] = []
    real = reader.read_file

    def counted(path: Path, root: Path, base: Path, data: bytes | None = None) -> reader.Loaded:
        read.append(path.relative_to(base).as_posix())
        return real(path, root, base, data)

    monkeypatch.setattr(reader, "read_file", counted)
    return read


def _problems(root: Path) -> list[str]:
    try:
        site = read_site(root, EXAMPLE_AS_OF)
    except RecordsInvalid as exc:
        return [repr(p) for p in exc.problems]
    return [repr(p) for p in site.warnings]


def test_only_changed_files_are_read_again(tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {
        **community_files(),
        "site_data/ceshi/dangwu/a.yaml": meeting("2024-dw-001", "支部委员会会议"),
        "site_data/ceshi/dangwu/b.yaml": meeting("2024-dw-002", "党员大会", 实到="9"),  # more came than were due
        "site_data/ceshi/dangwu/c.yaml": meeting("2024-dw-003", "组织生活会"),
    }
    root = make_project(tmp_path / "p", files)
    read = _spy(monkeypatch)
    first = _problems(root)
    assert any("实到" in p for p in first)  # b.yaml's error
    assert sorted(read) == ["ceshi/community.yaml", *(f"ceshi/dangwu/{n}.yaml" for n in "abc"), "site.yaml"]
    assert len(list(cache.rglob("*.pickle"))) == 2  # the community's shelf and the top's

    read.clear()
    assert _problems(root) == first  # the same report
    assert read == ["ceshi/dangwu/b.yaml"]  # a file with problems of its own is read every time
    read.clear()

    (root / "site_data/ceshi/dangwu/b.yaml").write_text(meeting("2024-dw-002", "党员大会"), encoding="utf-8")
    (root / "site_data/ceshi/dangwu/c.yaml").write_text(meeting("2024-dw-001", "组织生活会"), encoding="utf-8")
    assert [p for p in _problems(root) if "实到" in p] == []  # the fix is seen
    assert read == ["ceshi/dangwu/b.yaml", "ceshi/dangwu/c.yaml"]
    with pytest.raises(RecordsInvalid, match="2024-dw-001"):  # the checks across files still run
        read_site(root, EXAMPLE_AS_OF)

    read.clear()
    (root / "site_data/ceshi/dangwu/c.yaml").unlink()  # gone: neither read nor reported
    site = read_site(root, EXAMPLE_AS_OF)
    assert read == []
    assert sorted(e.notice.id for d in site.communities for e in d.entries) == ["2024-dw-001", "2024-dw-002"]


def test_kept_readings_give_the_same_site(tmp_path: Path, cache: Path) -> None:
    """The example project (every kind of record, warnings included), read afresh and from the
    shelves: equal in every value, position and problem."""
    root = make_project(tmp_path / "p", {}, example=True)
    fresh = read_site(root, EXAMPLE_AS_OF)
    assert list(cache.rglob("*.pickle"))
    again = read_site(root, EXAMPLE_AS_OF)
    assert again == fresh
    assert again.warnings == fresh.warnings


def test_a_new_reader_reads_everything_again(tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project(tmp_path / "p", {**community_files(), "site_data/ceshi/a.yaml": meeting("2024-dw-001", "会")})
    read_site(root, EXAMPLE_AS_OF)
    read = _spy(monkeypatch)
    monkeypatch.setattr(kept, "reader", lambda: b"another version of Gongkai")
    read_site(root, EXAMPLE_AS_OF)
    assert sorted(read) == ["ceshi/a.yaml", "ceshi/community.yaml", "site.yaml"]


def test_a_damaged_or_unwritable_cache_only_costs_time(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project(tmp_path / "p", {**community_files(), "site_data/ceshi/a.yaml": meeting("2024-dw-001", "会")})
    fresh = read_site(root, EXAMPLE_AS_OF)
    for shelf in cache.rglob("*.pickle"):  # cut short, as by a crash while writing
        shelf.write_bytes(shelf.read_bytes()[: len(kept.reader()) + 20])
    read = _spy(monkeypatch)
    assert read_site(root, EXAMPLE_AS_OF) == fresh
    assert len(read) == 3
    assert not list(cache.rglob(".*.part"))  # nothing left half-written

    (tmp_path / "blocked").write_text("not a folder")
    monkeypatch.setenv("GONGKAI_CACHE", str(tmp_path / "blocked"))  # reads/ cannot be made under a file
    read.clear()
    assert read_site(root, EXAMPLE_AS_OF) == fresh
    assert read_site(root, EXAMPLE_AS_OF) == fresh
    assert len(read) == 6  # read afresh both times


def test_a_refused_file_is_never_kept_and_gone_folders_are_dropped(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    number = "410102198001011234"  # an ID number in a record: refused, and its text never kept
    files = {
        **community_files(),
        **community_files("qita", "其他社区"),
        "site_data/ceshi/a.yaml": meeting("2024-dw-001", "会", 备注=number),
        "site_data/qita/b.yaml": meeting("2024-dw-002", "会"),
    }
    root = make_project(tmp_path / "p", files)
    with pytest.raises(RecordsInvalid, match="身份证"):
        read_site(root, EXAMPLE_AS_OF)
    kept_bytes = b"".join(p.read_bytes() for p in cache.rglob("*") if p.is_file())
    assert b"2024-dw-002" in kept_bytes and number.encode() not in kept_bytes
    assert len(list(cache.rglob("*.pickle"))) == 3  # site.yaml's, ceshi's (its community.yaml) and qita's

    (root / "site_data/qita").rename(root / "site_data/xin")  # a community renamed: its old shelf goes
    (root / "site_data/xin/community.yaml").write_text(community_files("xin")["site_data/xin/community.yaml"])
    (root / "site_data/ceshi/a.yaml").unlink()
    (next(cache.rglob("*.pickle")).parent / ".x.part").write_bytes(b"cut short")  # a crash while writing
    read_site(root, EXAMPLE_AS_OF, only="xin")  # a part: other communities' shelves are not its business
    assert len(list(cache.rglob("*.pickle"))) == 4
    read_site(root, EXAMPLE_AS_OF)
    assert len(list(cache.rglob("*"))) == 1 + 3  # the project's folder: site.yaml's, ceshi's and xin's


def test_how_gongkai_is_started_does_not_matter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A source checkout on sys.path (PYTHONPATH, or `python -m generator` in it) adds Gongkai's
    own .egg-info: the same reader. A library installed or upgraded is another."""
    checkout = tmp_path / "checkout"
    (checkout / "gongkai.egg-info").mkdir(parents=True)
    try:
        kept.reader.cache_clear()
        before = kept.reader()
        monkeypatch.syspath_prepend(str(checkout))
        kept.reader.cache_clear()
        assert kept.reader() == before
        (checkout / "somelib-2.0.dist-info").mkdir()
        kept.reader.cache_clear()
        assert kept.reader() != before
    finally:
        monkeypatch.undo()
        kept.reader.cache_clear()


def test_the_preview_keeps_its_own_memory(tmp_path: Path, cache: Path) -> None:
    """The live preview passes its in-memory cache: nothing is written to disk for it."""
    root = make_project(tmp_path / "p", {**community_files(), "site_data/ceshi/a.yaml": meeting("2024-dw-001", "会")})
    read_site(root, EXAMPLE_AS_OF, cache=reader.ReadCache())
    assert not cache.exists()


def test_record_files_found_as_a_full_walk_finds_them(tmp_path: Path) -> None:
    """find_yaml lists with os.walk (fast) what rglob and resolving every path found: links to
    files and folders inside the project are followed once, links out are left out, a linked
    folder is not entered, hidden folders are walked."""
    from generator.reading.loading import find_yaml

    root = make_project(tmp_path / "p", {**community_files(), "site_data/ceshi/.hidden/a.yaml": meeting("x-1", "会")})
    outside = tmp_path / "outside"
    (outside / "deep").mkdir(parents=True)
    (outside / "o.yaml").write_text("类型: 公告\n", encoding="utf-8")
    (outside / "deep" / "d.yaml").write_text("类型: 公告\n", encoding="utf-8")
    base = root / "site_data"
    (base / "ceshi" / "out.yaml").symlink_to(outside / "o.yaml")  # a file out of the project
    (base / "ceshi" / "in.yaml").symlink_to(base / "ceshi" / "community.yaml")  # a file within
    (base / "ceshi" / "deep").symlink_to(outside / "deep", target_is_directory=True)  # not entered
    (base / "top.yaml").symlink_to(outside / "o.yaml")
    (base / "linked").symlink_to(outside, target_is_directory=True)  # a community folder leading out

    def full_walk(only: str | None) -> list[Path]:
        found = [*base.iterdir(), *(base / only).rglob("*")] if only else base.rglob("*")
        files = [p for p in found if p.suffix in (".yaml", ".yml") and p.is_file()]
        return sorted((p for p in files if p.resolve().is_relative_to(root.resolve())), key=lambda p: p.as_posix())

    for only in (None, "ceshi", "linked"):
        assert find_yaml(base, only) == full_walk(only)
    assert base / "ceshi" / "in.yaml" in find_yaml(base)
    assert find_yaml(base, "linked") == [base / "site.yaml"]
