"""The libraries a command needs, verified before it starts: present, importable, of the version
pyproject.toml asks for. mkdocs-material's search uses jieba only if it imports, and says nothing
when it does not: Chinese search would silently break. WeasyPrint fails to import without Pango."""

from __future__ import annotations

from importlib import import_module, metadata

from packaging.requirements import Requirement

SEARCH = {"jieba": "jieba", "mkdocs-material": "material", "mkdocs": "mkdocs"}  # distribution → module
PRINT = {"weasyprint": "weasyprint", "pypdfium2": "pypdfium2"}
PURPOSE = {"jieba": ("中文搜索", "Chinese search"), "weasyprint": ("生成 PDF", "making PDFs")}
NEEDED = {"build": {**SEARCH, **PRINT}, "serve": {**SEARCH, **PRINT}, "boards": PRINT}


class MissingDependency(Exception):
    """A library a command needs is missing, broken or of another version."""


def _wanted() -> dict[str, Requirement]:
    try:
        declared = metadata.requires("gongkai") or []
    except metadata.PackageNotFoundError:  # run from a source tree: versions cannot be known
        return {}
    found = (Requirement(text) for text in declared)
    return {r.name: r for r in found if r.marker is None}


def _problem(dist: str, module: str, wanted: Requirement | None) -> str | None:
    spec = str(wanted.specifier) if wanted is not None else ""
    for_zh, for_en = PURPOSE.get(dist, ("生成网站", "building"))
    fix = f"pip install '{dist}{spec}'（或 ./dev.sh 重新安装）"
    try:
        version = metadata.version(dist)
    except metadata.PackageNotFoundError:
        return f"缺少 {dist}{spec}（{for_zh}需要）。请运行 {fix} (missing {dist}{spec}, needed for {for_en})"
    if wanted is not None and not wanted.specifier.contains(version, prereleases=True):
        return (
            f"{dist} 的版本是 {version}，需要 {spec}（{for_zh}的结果会不同）。请运行 {fix}"
            f" ({dist} {version} is installed, {spec} is needed for {for_en})"
        )
    try:
        import_module(module)
    except Exception as exc:  # ImportError, or OSError when a system library is missing
        return (
            f"{dist} 无法加载（{for_zh}需要）：{exc}。请运行 {fix}"
            f" ({dist} cannot be imported, needed for {for_en}: {exc})"
        )
    return None


def verify(command: str) -> None:
    """Raise MissingDependency naming every library `command` lacks, in Chinese and English."""
    wanted = _wanted()
    found = [_problem(dist, module, wanted.get(dist)) for dist, module in NEEDED.get(command, {}).items()]
    problems = [p for p in found if p]
    if problems:
        raise MissingDependency("\n".join(problems))
