"""Time `gongkai import` of a 1,000-line cash journal (.xlsx and GBK CSV) into a statement.

    .venv/bin/python bench/import_bench.py [--lines 1000] [--rounds 5]

Each round imports into a fresh copy of the record (`--into`: the tables are replaced, the record
is typed and checked, then read with its project), in this process; the medians are printed, and
one `gongkai import` run as a command (with Python's start-up) is timed too.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from conftest import community_files, write_files  # noqa: E402
from generator.authoring.importing import import_sheet  # noqa: E402

HEAD = """\
编号: 2024-cw-001
类型: 收支公开
标题: 2024年度收支公开
发布单位: juweihui
发布日期: 2025-01-10
状态: 已发布
账户: 行政账
周期: 年度
期间开始: 2024-01-01
期间结束: 2024-12-31
期初余额: 10000.00
收入: []
支出: []
期末余额: {closing}
"""


def journal(lines: int) -> tuple[list[list[object]], Decimal]:
    rows: list[list[object]] = []
    balance = Decimal("10000.00")
    for i in range(lines):
        day = dt.date(2024, 1, 1) + dt.timedelta(days=i * 365 // lines)
        amount = Decimal(100 + (i * 37) % 900) + Decimal(i % 100) / 100
        voucher = f"记-2024-{i + 1:04d}"
        if i % 3 == 0:
            rows.append([day, voucher, f"街道拨付第{i}批工作经费", None, None, None, amount, None])
            balance += amount
        else:
            rows.append(
                [day, voucher, f"购买办公用品第{i}批", "办公费", "文华办公用品商行", "居委会主任", None, amount]
            )
            balance -= amount
    return rows, balance


def write_inputs(folder: Path, lines: int) -> tuple[Path, Path, Decimal]:
    rows, closing = journal(lines)
    header = ["日期", "凭证号", "摘要", "类别", "收款方", "审批人", "收入", "支出"]
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    xlsx = folder / "journal.xlsx"
    wb.save(xlsx)
    text = "\r\n".join(",".join("" if v is None else str(v) for v in r) for r in [header, *rows])
    csv = folder / "journal.csv"
    csv.write_bytes(text.encode("gbk"))
    return xlsx, csv, closing


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        xlsx, csv, closing = write_inputs(root, args.lines)
        write_files(root, community_files())
        record = root / "site_data/ceshi/caiwu/2024-cw-001.yaml"
        original = HEAD.format(closing=f"{closing:.2f}")
        for source in (xlsx, csv):
            times = []
            for _ in range(args.rounds):
                write_files(root, {"site_data/ceshi/caiwu/2024-cw-001.yaml": original})
                start = time.perf_counter()
                done = import_sheet(root, "收支公开", source, dt.date(2025, 1, 20), into=record)
                times.append(time.perf_counter() - start)
            lines = sum(done.counts.values())
            print(f"{source.suffix}: {lines} lines, median {statistics.median(times):.3f} s, best {min(times):.3f} s")
        write_files(root, {"site_data/ceshi/caiwu/2024-cw-001.yaml": original})
        gongkai = shutil.which("gongkai", path=str(Path(sys.executable).parent)) or "gongkai"
        cmd = [gongkai, "import", "收支公开", str(xlsx), "--into", str(record), "--root", str(root)]
        start = time.perf_counter()
        subprocess.run([*cmd, "--as-of", "2025-01-20"], check=True, capture_output=True)
        print(f"gongkai import (a command, with start-up): {time.perf_counter() - start:.3f} s")


if __name__ == "__main__":
    main()
