"""`gongkai import`: a spreadsheet's lines into a record's tables, checked like a typed record.

The lines are written into the record's YAML text (a new draft, or the tables of an existing
record, the rest kept), and that text goes through the same reading stage as every record:
YAML, personal-data scan, typing and the record's own rules; an updated record inside a project
is then read with the whole site (continuity of balances, ids, dates). Every problem comes back at
once, located at the spreadsheet cell it came from where there is one; nothing is written unless
there is none.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.authoring.columns import find_layout, parse_map
from generator.authoring.scaffold import FOLDER, fresh_id, scaffold, taken_ids
from generator.authoring.schema import SCHEMA_DIR, schema_name
from generator.authoring.spreadsheet import read_sheet, sheet_problem
from generator.authoring.tables import JOURNAL, TABLE_OF, Reading, read_rows, spec_for
from generator.authoring.yamltables import put_table
from generator.errors import Problem, RecordsInvalid
from generator.reading.loading import Source, parse
from generator.reading.privacy import scan
from generator.reading.reader import read_site
from generator.reading.validation import validate
from generator.records import KINDS

IMPORTABLE = (JOURNAL, *TABLE_OF)
_ROW_FIELD = re.compile(r"([^.\[]+)\[(\d+)\](?:\.([^.\[]+))?")


@dataclass(frozen=True)
class Imported:
    """What an import wrote: the record, the lines per table, the columns left out."""

    path: Path
    created: bool
    counts: dict[str, int]
    unused: tuple[str, ...]


def _usage(zh: str, en: str, hint_zh: str, hint_en: str) -> RecordsInvalid:
    return RecordsInvalid([Problem("gongkai import", 1, 1, "", zh, en, hint_zh, hint_en)])


def import_sheet(
    root: Path,
    kind: str,
    source: Path,
    as_of: dt.date,
    *,
    sheet: str | None = None,
    into: Path | None = None,
    maps: Sequence[str] = (),
    community: str | None = None,
) -> Imported:
    """Import `source` into a record of `kind`; raise RecordsInvalid with every problem, or write."""
    reading, problems = read_lines(kind, source, sheet, maps)
    path, old = _target(root, kind, into, community, as_of)
    tables = [t for t in reading.spec.tables if kind != JOURNAL or t in reading.layout.columns]
    text = old if old is not None else _draft(root, kind, path, as_of)
    later = [f.alias or "" for f in KINDS[kind].model_fields.values()]
    for table in tables:
        text = put_table(text, table, reading.items[table], tuple(later[later.index(table) + 1 :]))
    rel = _shown(path, root)
    in_site = old is not None and _in_project(path, root) and not problems
    if not in_site:  # else reading the site does these checks, and more
        problems += _located(_check(text, kind, rel), reading, problems, drafts=old is None)
    if any(p.severity == "error" for p in problems):
        raise RecordsInvalid(problems)
    _write(path, text)
    if in_site:
        _check_in_site(root, as_of, path, rel, old or "", reading)
    counts = {t: len(reading.items[t]) for t in tables}
    return Imported(path, old is None, counts, reading.layout.unused)


def read_lines(kind: str, source: Path, sheet: str | None, maps: Sequence[str]) -> tuple[Reading, list[Problem]]:
    """The sheet's lines as record table items, and the problems met reading them."""
    spec = spec_for(kind)
    if spec is None:
        raise _usage(
            f"“{kind}”没有可以从表格导入的明细",
            f"'{kind}' has no table to import",
            f"可导入的类型：{'、'.join(IMPORTABLE)}",
            f"importable kinds: {', '.join(IMPORTABLE)}",
        )
    grid = read_sheet(source, sheet)
    overrides, problems = parse_map(list(maps), tuple(spec.columns))
    layout, found = find_layout(grid, tuple(spec.columns), overrides)
    if layout is None:
        raise RecordsInvalid(problems + found)
    problems += found + layout.missing(grid, _needed(spec.kind, spec.required, layout.columns))
    reading = read_rows(grid, layout, spec)
    return reading, problems + reading.problems


def _needed(kind: str, required: tuple[str, ...], columns: dict[str, int]) -> tuple[str, ...]:
    if kind != JOURNAL:
        return required
    needed = list(required)
    if "收入" not in columns and "支出" not in columns:
        needed += ["收入", "支出"]
    if "收入" in columns and "来源" not in columns:
        needed.append("摘要")
    if "支出" in columns:
        needed += ["类别", "收款方", "审批人"]
    return tuple(needed)


def _check(text: str, kind: str, rel: str) -> list[Problem]:
    """The reading stage's own checks on the record text: YAML, personal data, types and rules."""
    raw, problem = parse(Source(rel, text, ""))
    if raw is None:
        return [problem] if problem else []
    return scan(rel, text, raw) + validate(raw, KINDS[kind])[1]


def _located(found: list[Problem], reading: Reading, already: list[Problem], drafts: bool) -> list[Problem]:
    """Problems in an imported line moved to its cell; a draft's blank fields dropped."""
    taken = {(p.file, p.cell) for p in already if p.cell}
    out = []
    for p in found:
        m = _ROW_FIELD.fullmatch(p.field) or _ROW_FIELD.match(p.field)
        where = reading.where.get((m[1], int(m[2]) - 1)) if m else None
        if where is None or not m:
            if not drafts:
                out.append(p)
            continue
        name = m[3] or ""
        row, col = where.get(name) or min(where.values(), default=(reading.layout.header_row + 1, 1))
        moved = sheet_problem(reading.sheet.label, row, col, name, p.message_zh, p.message_en, p.hint_zh, p.hint_en)
        if (moved.file, moved.cell) not in taken:
            taken.add((moved.file, moved.cell))
            out.append(moved)
    return out


def _target(root: Path, kind: str, into: Path | None, community: str | None, as_of: dt.date):
    """(path to write, its current text or None when a new draft is made)."""
    if into is not None and into.exists():
        try:
            return into, into.read_bytes().decode("utf-8")  # as bytes: line ends kept
        except UnicodeDecodeError:
            raise _usage(
                f"{into} 不是 UTF-8 编码的记录文件",
                f"{into} is not a UTF-8 record file",
                "用 --into 指定一个 .yaml 记录",
                "name a .yaml record with --into",
            ) from None
    if into is not None:
        return into, None
    data_dir = root / "site_data"
    communities = sorted(p.parent.name for p in data_dir.glob("*/community.yaml"))
    chosen = community or (communities[0] if len(communities) == 1 else None)
    if chosen not in communities:
        raise _usage(
            f"请用 --community 指定社区，可选：{'、'.join(communities) or '（还没有社区）'}；或用 --into 指定记录文件",
            "name the community with --community, or the record file with --into",
            "例如 --community lijianglu",
            "e.g. --community lijianglu",
        )
    record_id = fresh_id(KINDS[kind], as_of.year, taken_ids(data_dir))
    return data_dir / chosen / FOLDER[KINDS[kind].family] / f"{record_id}.yaml", None


def _draft(root: Path, kind: str, path: Path, as_of: dt.date) -> str:
    """A `gongkai new` draft for `path`: fresh id, the community's organisation, blanks to fill."""
    taken = taken_ids(root / "site_data") if (root / "site_data").is_dir() else set()
    record_id = (
        path.stem if re.fullmatch(r"\d{4}-[a-z]{2}-\d{3}", path.stem) else fresh_id(KINDS[kind], as_of.year, taken)
    )
    org = ""
    if _in_project(path, root):
        community = path.resolve().relative_to((root / "site_data").resolve()).parts[0]
        text = (root / "site_data" / community / "community.yaml").read_text(encoding="utf-8", errors="replace")
        org = m.group(1) if (m := re.search(r"^主办单位:\s*(\S+)", text, re.M)) else ""
    schema = Path(os.path.relpath(root / SCHEMA_DIR / schema_name(kind), path.parent.resolve()))
    return scaffold(kind, record_id, as_of, org, schema.as_posix())


def _in_project(path: Path, root: Path) -> bool:
    data_dir = (root / "site_data").resolve()
    target = path.resolve()
    return data_dir in target.parents and len(target.relative_to(data_dir).parts) > 1


def _shown(path: Path, root: Path) -> str:
    target = path.resolve()
    return target.relative_to(root.resolve()).as_posix() if root.resolve() in target.parents else str(path)


def _write(path: Path, text: str) -> None:
    """Write in one step (a temporary file renamed), so a reader never sees half a record."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
        out.write(text)
    os.replace(tmp, path)


def _check_in_site(root: Path, as_of: dt.date, path: Path, rel: str, old: str, reading: Reading) -> None:
    """Read the whole project with the updated record (its YAML, personal data, types, rules, and
    the checks across records); on errors in this record, put the old one back."""
    try:
        read_site(root, as_of)
    except RecordsInvalid as exc:
        mine = [p for p in exc.problems if p.file == rel and p.severity == "error"]
        if mine:
            _write(path, old)
            raise RecordsInvalid(_located(mine, reading, [], drafts=False)) from None
