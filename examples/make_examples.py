"""Write the example spreadsheets: every record of the example data that has a table to import,
exported as .xlsx (and the first list also as a GBK CSV, as bookkeeping systems write them).

    .venv/bin/python examples/make_examples.py

Each file is then imported back into a copy of its record, which must come back byte for byte:
the examples are what `gongkai import` reads, not just what `gongkai export` writes.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import sys
import tempfile
from pathlib import Path

from generator.authoring.exporting import export_record
from generator.authoring.importing import IMPORTABLE, import_sheet

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "examples"


def records() -> list[tuple[str, Path]]:
    found = []
    for path in sorted((ROOT / "site_data").rglob("*.yaml")):
        m = re.search(r"^类型:\s*(\S+)", path.read_text(encoding="utf-8"), re.M)
        if m and m.group(1) in IMPORTABLE:
            found.append((m.group(1), path))
    return found


def round_trip(kind: str, record: Path, sheet: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / record.name
        shutil.copy(record, copy)
        import_sheet(Path(tmp), kind, sheet, dt.date(2024, 11, 28), into=copy)
        if copy.read_bytes() != record.read_bytes():
            sys.exit(f"{sheet.name} does not import back into {record.name} unchanged")


def main() -> None:
    written = []
    gbk_done = False
    for kind, record in records():
        community = record.relative_to(ROOT / "site_data").parts[0]
        sheet = OUT / f"{community}-{record.stem}-{kind}.xlsx"
        export_record(ROOT, kind, record, sheet)
        round_trip(kind, record, sheet)
        written.append(sheet)
        if kind == "救助名单" and not gbk_done:
            csv = sheet.with_suffix(".gbk.csv")
            export_record(ROOT, kind, record, csv)
            csv.write_bytes(csv.read_bytes().decode("utf-8-sig").encode("gbk"))
            round_trip(kind, record, csv)
            written.append(csv)
            gbk_done = True
    for path in written:
        print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
