"""The output gate reads each PDF and image once (issue 14): their text is kept by the hash of
their bytes, so a build that publishes the same PDFs again does not read them again, and one
whose bytes changed always is read; many are read in worker processes."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pypdf
import pytest

import generator.gate.texts as texts
from conftest import EXAMPLE_AS_OF, community_files, make_project, meeting
from generator.build import build
from generator.gate.scan import gate
from generator.reading.reader import read_site


def minimal_pdf(author: str) -> bytes:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_metadata({"/Author": author})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GONGKAI_CACHE", str(tmp_path / "cache"))  # its own: what is read is counted
    files = {**community_files(), "site_data/ceshi/dangwu/a.yaml": meeting("2024-dw-001", "支部委员会会议")}
    return make_project(tmp_path / "p", files)


def _spy(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files whose text the gate reads out (in this process: too few for worker processes)."""
    read: list[str] = []
    real = texts.text_of
    monkeypatch.setattr(texts, "text_of", lambda dest, data: read.append(dest) or real(dest, data))
    return read


def test_a_second_build_reads_no_pdf_or_image_again(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    read = _spy(monkeypatch)
    build(project, EXAMPLE_AS_OF, project / "site")
    first = sorted(read)
    assert "ceshi/party/2024-dw-001/notice-a4.pdf" in first  # the A4 notice, read once
    assert any(dest.endswith(".png") for dest in first)  # its preview and share images
    kept = {p.stem for p in (project.parent / "cache" / "gate").glob("*.json")}
    assert kept == {texts.key(dest, (project / "site" / dest).read_bytes()) for dest in first}  # by content
    read.clear()
    build(project, EXAMPLE_AS_OF, project / "site")
    assert read == []
    monkeypatch.setattr(texts, "_reader", lambda: b"another pdfium")  # a new reader reads everything again
    build(project, EXAMPLE_AS_OF, project / "site")
    assert sorted(read) == first


def test_a_changed_pdf_is_read_again_and_its_leak_found(project: Path, tmp_path: Path) -> None:
    site = read_site(project, EXAMPLE_AS_OF)
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.pdf").write_bytes(minimal_pdf("社区居委会"))
    cache = tmp_path / "cache" / "gate"
    assert gate(site, {"site": out}, cache=cache) == []
    kept = [json.loads(p.read_text("utf-8"))["text"].split()[0] for p in cache.glob("*.json")]
    assert kept == ["社区居委会"]  # (and the PDF's producer)
    (out / "a.pdf").write_bytes(minimal_pdf("13912345678"))  # same name, other bytes
    problems = gate(site, {"site": out}, cache=cache)
    assert [p.message_zh for p in problems] == [
        "生成的 site/a.pdf 里有手机号“139****5678”（个人信息不得公开，网站和 PDF 未更新）"
    ]
    assert len(list(cache.glob("*.json"))) == 1  # what was refused is not kept: the number is nowhere
    assert not [p for p in cache.iterdir() if b"13912345678" in p.read_bytes()]


def _many_pdfs(out: Path) -> Path:
    """Enough clean PDFs for worker processes (three workers' worth), each its own content."""
    out.mkdir()
    for n in range(3 * texts.PER_WORKER):
        (out / f"{n:02}.pdf").write_bytes(minimal_pdf(f"第{n}网格"))
    return out


def _fail_here(dest: str, data: bytes) -> str:
    raise AssertionError("read in this process, not in a worker")


def test_many_pdfs_are_read_in_worker_processes_and_kept(project: Path, tmp_path: Path, monkeypatch) -> None:
    site, out = read_site(project, EXAMPLE_AS_OF), _many_pdfs(tmp_path / "out")
    (out / "07.pdf").write_bytes(minimal_pdf("联系人 13812345678"))
    (out / "11.pdf").write_bytes(b"%PDF-1.7 damaged")
    monkeypatch.setattr(texts, "cores", lambda: 2)  # two workers even on a one-core machine
    real = texts.text_of
    monkeypatch.setattr(texts, "text_of", _fail_here)  # here only: the workers load their own
    cache = tmp_path / "cache" / "gate"
    problems = gate(site, {"site": out}, cache=cache)
    assert sorted((p.file, p.message_zh.split("（")[0]) for p in problems) == [
        ("site/07.pdf", "生成的 site/07.pdf 里有手机号“138****5678”"),
        ("site/11.pdf", "生成的 site/11.pdf 里有无法读取的内容“11.pdf”"),
    ]
    assert len(list(cache.glob("*.json"))) == 3 * texts.PER_WORKER - 2  # neither refused file is kept
    assert not list(cache.glob(".text-*"))  # written aside, then renamed
    monkeypatch.setattr(texts, "text_of", real)  # the two refused files: too few for workers
    assert gate(site, {"site": out}, cache=cache) == problems  # the rest from the cache: the same report


def test_a_damaged_cache_entry_is_read_again(project: Path, tmp_path: Path, monkeypatch) -> None:
    site = read_site(project, EXAMPLE_AS_OF)
    out, cache = tmp_path / "out", tmp_path / "cache" / "gate"
    out.mkdir()
    (out / "a.pdf").write_bytes(data := minimal_pdf("13812345678"))
    cache.mkdir(parents=True)
    (cache / f"{texts.key('a.pdf', data)}.json").write_bytes(b'{"text": "cut short')  # a crash while writing
    assert [p.file for p in gate(site, {"site": out}, cache=cache)] == ["site/a.pdf"]


def test_the_same_bytes_as_another_kind_of_file_are_read_again(project: Path, tmp_path: Path) -> None:
    """Markup splits the number: a CSV shows the tags (no number), a page drops them (a number)."""
    site = read_site(project, EXAMPLE_AS_OF)
    out, cache = tmp_path / "out", tmp_path / "cache" / "gate"
    out.mkdir()
    data = b"<span>138</span>12345678"
    (out / "a.csv").write_bytes(data)
    assert gate(site, {"site": out}, cache=cache) == []
    (out / "b.html").write_bytes(data)
    assert [p.file for p in gate(site, {"site": out}, cache=cache)] == ["site/b.html"]


def crash_on_05(job: tuple[str, str], data: bytes | None = None) -> tuple[str | None, str]:
    """In a worker: a file that kills its reader (as a hostile PDF could crash pdfium)."""
    if job[0] == "05.pdf":
        os._exit(1)
    return texts._read(job, data)  # the worker's own module: not patched there


def crash_in_batch(jobs: list[tuple[str, str]]) -> list[tuple[str | None, str]]:
    return [crash_on_05(job) for job in jobs]


def test_a_file_that_crashes_its_reader_is_named_and_only_it(project: Path, tmp_path, monkeypatch) -> None:
    site, out = read_site(project, EXAMPLE_AS_OF), _many_pdfs(tmp_path / "out")
    (out / "20.pdf").write_bytes(minimal_pdf("联系人 13812345678"))
    monkeypatch.setattr(texts, "cores", lambda: 2)
    monkeypatch.setattr(texts, "_read_batch", crash_in_batch)
    monkeypatch.setattr(texts, "_read", crash_on_05)  # read again one by one: it crashes again
    problems = gate(site, {"site": out}, cache=tmp_path / "cache" / "gate")  # no exception
    assert sorted(p.message_zh.split("（")[0] for p in problems) == [
        "生成的 site/05.pdf 里有无法读取的内容“05.pdf”",
        "生成的 site/20.pdf 里有手机号“138****5678”",  # a file of a crashed batch, read again
    ]
