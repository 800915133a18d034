"""What every command shares: exit codes and the common options."""

from __future__ import annotations

import argparse
from pathlib import Path

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def common_options(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("--root", type=Path, default=Path("."), help="项目根目录（有 mkdocs.yml 的目录）")
    cmd.add_argument("--as-of", help="生成日期 YYYY-MM-DD，默认北京时间今天")
    cmd.add_argument("--lang", choices=("zh", "en"), default="zh", help="提示语言 / message language")
