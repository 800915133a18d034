"""Templates are compiled once a process (issue 20: the live preview builds a community and the
portal after every edit, and compiling about fifty templates each time was a third of it), and
compiled again as soon as one is edited."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from conftest import EXAMPLE_AS_OF, community_files, make_project, meeting
from generator.engine.builds import build_site


def ours(compiled: list[str]) -> list[str]:
    """Leaving out material's translations (see below)."""
    return [name for name in compiled if not name.startswith("partials/language")]


def test_a_template_is_compiled_once_and_again_after_an_edit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project(
        tmp_path / "p", {**community_files(), "site_data/ceshi/dangwu/a.yaml": meeting("2024-dw-001", "会")}
    )
    compiled: list[str] = []
    real = jinja2.Environment.compile

    def spy(self: jinja2.Environment, source: str, name: str | None = None, filename: str | None = None, *a, **k):
        compiled.append(name or "<string>")
        return real(self, source, name, filename, *a, **k)

    monkeypatch.setattr(jinja2.Environment, "compile", spy)
    build_site(root, tmp_path / "one", EXAMPLE_AS_OF.isoformat())
    assert "notice.md.j2" in compiled  # this project's own templates folder: compiled here
    compiled.clear()
    build_site(root, tmp_path / "two", EXAMPLE_AS_OF.isoformat())
    # None again, ours or the theme's; but material's search plugin reads its translations
    # through an environment of its own (theme.get_env()), which no plugin hook can reach.
    assert ours(compiled) == []

    page = "ceshi/party/2024-dw-001/index.html"
    assert "本页记录编号" not in (tmp_path / "two" / page).read_text(encoding="utf-8")
    notice = root / "templates/pages/notice.md.j2"
    notice.write_text(notice.read_text(encoding="utf-8").replace("记录编号", "本页记录编号", 1), encoding="utf-8")
    build_site(root, tmp_path / "three", EXAMPLE_AS_OF.isoformat())
    assert ours(compiled) == ["notice.md.j2"]
    assert "本页记录编号" in (tmp_path / "three" / page).read_text(encoding="utf-8")
