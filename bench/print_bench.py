"""Print benchmark: seconds per A4 notice and per panel board, cold (empty cache) and cached.

    .venv/bin/python bench/print_bench.py [--notices 20] [--boards 3]

Builds a throwaway project from the repository's templates and example community, with
generated notices, and times `print_site` twice: once with an empty cache, once warm.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.paper.pdf import render_jobs  # noqa: E402
from generator.paper.printing import print_jobs  # noqa: E402
from generator.reading.reader import read_site  # noqa: E402

AS_OF = dt.date(2024, 11, 28)
BODY = "经社区党委研究，现将有关情况公示如下。公示期间，党员和群众可通过来电、来信、来访等方式反映情况。" * 6


def notice(i: int) -> str:
    return (
        f"编号: bench-{i:04d}\n类型: 党务会议\n标题: 第一党支部第{i}次支部委员会会议情况公示\n发布单位: dangwei\n"
        f"发布日期: 2024-11-20\n状态: 已发布\n公示期: {{开始: 2024-11-20, 天数: 10}}\n会议类型: 支部委员会\n"
        f"会议日期: 2024-11-18\n应到: 7\n实到: 6\n议题:\n  - 研究发展党员工作\n  - 学习党章\n正文: {BODY}\n"
    )


def board(i: int) -> str:
    return (
        f"编号: bench-board-{i}\n类型: 展板\n标题: 公开栏 {i}\n发布单位: juweihui\n尺寸: 公开栏\n栏数: 3\n"
        f"类别: [党务公开]\n出血: 3\n"
    )


def project(notices: int, boards: int) -> Path:
    root = Path(tempfile.mkdtemp(prefix="gongkai-print-bench-"))
    shutil.copy(ROOT / "mkdocs.yml", root)
    shutil.copytree(ROOT / "templates", root / "templates")
    shutil.copytree(ROOT / "site_data", root / "site_data", ignore=shutil.ignore_patterns("*.yaml"))
    for name in ("site.yaml",):
        shutil.copy(ROOT / "site_data" / name, root / "site_data" / name)
    shutil.copy(ROOT / "site_data/lijianglu/community.yaml", root / "site_data/lijianglu/community.yaml")
    folder = root / "site_data/lijianglu/bench"
    folder.mkdir(parents=True)
    for i in range(notices):
        (folder / f"n{i:04d}.yaml").write_text(notice(i), encoding="utf-8")
    for i in range(boards):
        (folder / f"b{i}.yaml").write_text(board(i), encoding="utf-8")
    return root


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notices", type=int, default=20)
    parser.add_argument("--boards", type=int, default=3)
    args = parser.parse_args()
    root = project(args.notices, args.boards)
    site = read_site(root, AS_OF)
    jobs = print_jobs(site, root / "templates", "https://gongkai.example.org/")
    a4 = [j for j in jobs if j.board is None]
    boards = [j for j in jobs if j.board is not None]

    def timed(subset: list, cache: Path) -> tuple[float, dict]:
        start = time.perf_counter()
        done = render_jobs(subset, cache)
        return time.perf_counter() - start, done

    a4_cold, _ = timed(a4, root / "cache-a4")
    board_cold, done = timed(boards, root / "cache-boards")
    panels = sum(r.pages for r, _ in done.values())
    shutil.copytree(root / "cache-boards", root / "cache-a4", dirs_exist_ok=True)
    cached, _ = timed(jobs, root / "cache-a4")
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"A4 notices: {len(a4)}, boards: {len(boards)} ({panels} panels of 2400x1200 mm), 2 worker processes")
    print(f"cold A4:      {a4_cold:.2f} s = {a4_cold / max(len(a4), 1):.2f} s per A4 notice (wall clock)")
    print(f"cold boards:  {board_cold:.2f} s = {board_cold / max(panels, 1):.2f} s per panel (fitting included)")
    print(f"cached, all:  {cached:.2f} s = {cached / max(len(jobs), 1) * 1000:.1f} ms per PDF")
    shutil.rmtree(root)


if __name__ == "__main__":
    main()
