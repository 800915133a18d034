"""The command line for the authoring commands: `new`, `import` and `export` (cli/__init__.py
has the rest). Like the rest of cli/, the only code that prints and sets exit codes."""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from collections.abc import Callable
from pathlib import Path

from generator.cli.options import EXIT_OK, EXIT_USAGE, common_options
from generator.today import parse_as_of


def spreadsheet_commands(sub: argparse._SubParsersAction) -> None:
    imp = sub.add_parser(
        "import",
        help="从 Excel/WPS 表格或 CSV 导入收支明细、预算、名单等",
        description="把表格里的明细写进记录（新建草稿，或用 --into 更新已有记录的明细），并按记录的规则检查",
    )
    common_options(imp)
    imp.add_argument("kind", help="记录类型，例如 收支公开、救助名单")
    imp.add_argument("file", type=Path, help="表格文件：.xlsx 或 .csv")
    imp.add_argument("--sheet", help="工作表名称，默认第一个")
    imp.add_argument("--into", type=Path, help="要更新的记录文件；不写则在社区目录里新建草稿")
    imp.add_argument("--map", action="append", default=[], help="表头=字段，例如 --map 事由=摘要（可写多次）")
    imp.add_argument("--community", help="新建草稿时的社区编号（只有一个社区时可省略）")
    exp = sub.add_parser("export", help="把记录的明细导出为表格（.xlsx 或 .csv）", description="导出记录的明细")
    exp.add_argument("kind", help="记录类型")
    exp.add_argument("record", type=Path, help="记录文件 .yaml")
    exp.add_argument("out", type=Path, help="输出的表格 .xlsx 或 .csv")
    exp.add_argument("--root", type=Path, default=Path("."), help="项目根目录")
    exp.add_argument("--lang", choices=("zh", "en"), default="zh", help="提示语言 / message language")


def spreadsheet(args: argparse.Namespace, root: Path) -> int:
    if args.command == "export":
        from generator.authoring.exporting import export_record

        count = export_record(root, args.kind, args.record, args.out)
        print(f"已导出 {count} 行到 {args.out}")
        return EXIT_OK
    from generator.authoring.importing import import_sheet

    done = import_sheet(
        root,
        args.kind,
        args.file,
        parse_as_of(args.as_of),
        sheet=args.sheet,
        into=args.into,
        maps=args.map,
        community=args.community,
    )
    lines = "，".join(f"{table} {n} 行" for table, n in done.counts.items())
    then = "填好其余字段后运行 gongkai check。" if done.created else "已通过检查。"
    print(f"已{'新建草稿' if done.created else '更新'}：{done.path}（{lines}）。{then}")
    if done.unused:
        print(f"未导入的列：{'、'.join(done.unused)}")
    return EXIT_OK


COMMUNITY_KIND = "社区"  # `gongkai new 社区 --community X`: a new community folder and its community.yaml


def new(args: argparse.Namespace, root: Path, as_of: dt.date) -> int:
    from generator.authoring.scaffold import new_community, new_record, taken_ids
    from generator.records import KINDS

    if args.kind not in KINDS and args.kind != COMMUNITY_KIND:
        print(f"请写记录类型，可选：{'、'.join(KINDS)}，或 {COMMUNITY_KIND}（新建社区） (give a kind)", file=sys.stderr)
        return EXIT_USAGE
    data_dir = root / "site_data"
    communities = sorted(p.parent.name for p in data_dir.glob("*/community.yaml"))
    if args.kind == COMMUNITY_KIND:
        return _new_community(root, args.community, communities, new_community)
    community = args.community or (communities[0] if len(communities) == 1 else None)
    if community not in communities:
        _no_such_community(args.community, communities)
        return EXIT_USAGE
    path = new_record(root, args.kind, community, as_of, taken_ids(data_dir))
    print(f"已新建：{path.relative_to(root)}（草稿）。填好空白字段后运行 gongkai check。")
    return EXIT_OK


def _no_such_community(asked: str | None, communities: list[str]) -> None:
    known = "、".join(communities) or "（还没有社区）"
    if asked:
        print(f"没有社区“{asked}”（site_data/{asked}/community.yaml 不存在）。已有的社区：{known}", file=sys.stderr)
    else:
        print(f"请用 --community 指定社区，可选：{known}", file=sys.stderr)
    name = asked or "社区编号"
    print(
        f"要新建这个社区，运行：gongkai new {COMMUNITY_KIND} --community {name}"
        f" (no such community; existing: {', '.join(communities) or 'none'};"
        f" to create one: gongkai new {COMMUNITY_KIND} --community {name})",
        file=sys.stderr,
    )


def _new_community(root: Path, cid: str | None, communities: list[str], make: Callable[[Path, str], Path]) -> int:
    if not cid or not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,63}", cid):
        print(
            "请用 --community 写新社区的编号：小写英文字母、数字和连字符，例如 lijianglu"
            " (give the new community's id with --community: lowercase letters, digits, hyphens)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if cid in communities:
        print(f"社区“{cid}”已经有了 (community '{cid}' exists)", file=sys.stderr)
        return EXIT_USAGE
    path = make(root, cid)
    print(f"已新建：{path.relative_to(root)}。填好社区概况和组织后运行 gongkai check。")
    return EXIT_OK
