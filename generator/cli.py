"""The command line: the only place that prints problems and sets exit codes."""

from __future__ import annotations

import argparse
import datetime as dt
import errno
import logging
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path

from generator.errors import BuildFailed, Problem, RecordsInvalid, problems_json
from generator.today import parse_as_of

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _common(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("--root", type=Path, default=Path("."), help="项目根目录（有 mkdocs.yml 的目录）")
    cmd.add_argument("--as-of", help="生成日期 YYYY-MM-DD，默认北京时间今天")
    cmd.add_argument("--lang", choices=("zh", "en"), default="zh", help="提示语言 / message language")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gongkai", description="公开：把 YAML 记录生成公开网站和公示。")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, text in (("build", "检查记录并生成网站到 site/"), ("check", "只检查记录，不生成")):
        cmd = sub.add_parser(name, help=text, description=text)
        _common(cmd)
        cmd.add_argument("--strict", action="store_true", help="有警告也算失败 / warnings fail too")
        if name == "check":
            cmd.add_argument(
                "--since", metavar="REV", help="与某个 git 版本比较：已发布通知改了金额或名单却没写更正说明的，算错误"
            )
        cmd.add_argument(
            "--format",
            choices=("text", "json", "github"),
            default="text",
            help="问题的输出格式：text、json（给程序）、github（CI 注释）",
        )
        if name == "build":
            cmd.add_argument("--site-dir", type=Path, default=None, help="输出目录，默认 site/")
    boards = sub.add_parser(
        "boards",
        help="生成 A4 公示和公开栏、展板的印刷 PDF 到 print/",
        description="生成所有印刷用 PDF（A4 公示、公开栏、展板）",
    )
    _common(boards)
    boards.add_argument("--out", type=Path, default=None, help="输出目录，默认 print/")
    boards.add_argument("--icc", type=Path, default=None, help="印刷厂的 CMYK 输出特性文件（.icc）；给出时生成 PDF/X-4")
    boards.add_argument("--crop-marks", action="store_true", help="展板加裁切线（出血放宽到 10 毫米）")
    diff = sub.add_parser(
        "diff",
        help="两个 git 版本之间，记录有哪些变化（给审核人看）",
        description="比较两个 git 版本的记录，用文字说明对公众有什么变化。默认：HEAD 与工作区。",
    )
    diff.add_argument("revs", nargs="*", metavar="REV", help="版本，最多两个：REV_A [REV_B]")
    diff.add_argument("--root", type=Path, default=Path("."), help="项目根目录")
    diff.add_argument(
        "--format",
        choices=("text", "markdown", "json"),
        default="text",
        help="text（终端）、markdown（贴到拉取请求）、json",
    )
    diff.add_argument("--lang", choices=("zh", "en"), default="zh", help="语言 / language")
    new = sub.add_parser("new", help="新建一条记录（草稿）", description="按类型新建一条记录，填好空白后即可检查通过")
    _common(new)
    new.add_argument("kind", help="记录类型，例如 收支公开；不写则列出全部类型", nargs="?")
    new.add_argument("--community", help="社区编号（只有一个社区时可省略）")
    schema = sub.add_parser("schema", help="生成编辑器用的 JSON Schema 到 schemas/", description="生成 JSON Schema")
    schema.add_argument("--root", type=Path, default=Path("."), help="项目根目录")
    schema.add_argument("--lang", choices=("zh", "en"), default="zh", help="提示语言 / message language")
    _spreadsheet_commands(sub)
    serve = sub.add_parser("serve", help="本地预览，修改记录后自动刷新", description="本地预览")
    _common(serve)
    serve.add_argument("--dev-addr", default="127.0.0.1:8000", help="预览地址，默认 127.0.0.1:8000")
    return parser


def _spreadsheet_commands(sub: argparse._SubParsersAction) -> None:
    imp = sub.add_parser(
        "import",
        help="从 Excel/WPS 表格或 CSV 导入收支明细、预算、名单等",
        description="把表格里的明细写进记录（新建草稿，或用 --into 更新已有记录的明细），并按记录的规则检查",
    )
    _common(imp)
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


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _plain(text: str) -> str:
    """Terminal output: control characters shown as U+FFFD, never obeyed (escape sequences)."""
    return _CONTROL.sub("\ufffd", text)


def _spreadsheet(args: argparse.Namespace, root: Path) -> int:
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


def _report(problems: list[Problem], fmt: str, lang: str, failed: bool) -> None:
    problems = sorted(problems)
    if fmt == "json":
        print(problems_json(problems, lang))
        return
    for p in problems:
        print(p.github(lang) if fmt == "github" else _plain(p.format(lang)), file=sys.stderr)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    if failed and lang == "en":
        print(f"\n{errors} error(s), {warnings} warning(s): nothing was published.", file=sys.stderr)
    elif failed:
        print(f"\n共 {errors} 处错误、{warnings} 处警告，未发布任何内容。请逐条改正后重试。", file=sys.stderr)


def _run(args: argparse.Namespace, root: Path) -> int:
    if args.command in ("import", "export"):  # before the build's imports: a spreadsheet needs none of them
        return _spreadsheet(args, root)
    from generator import build as building  # imported late: keeps --help fast

    if args.command == "diff":
        from generator.review.commands import run_diff

        if len(args.revs) > 2:
            print("最多给两个版本 (at most two revisions)", file=sys.stderr)
            return EXIT_USAGE
        sys.stdout.write(run_diff(root, *args.revs, fmt=args.format, lang=args.lang))
        return EXIT_OK
    if args.command == "schema":
        from generator.authoring.schema import write_schemas

        written = write_schemas(root)
        print(f"已写入 {len(written)} 个 JSON Schema 到 {root / 'schemas'}")
        return EXIT_OK
    as_of = parse_as_of(args.as_of)
    if args.command == "new":
        return _new(args, root, as_of)
    if args.command == "boards":
        out = args.out or root / "print"
        site = building.check(root, as_of)
        printed, failed = building.boards(root, as_of, out, args.icc, args.crop_marks, site=site)
        _report([p for p in [building.public_address(root, site)] if p], "text", args.lang, failed=False)
        for dest, r in sorted(printed.items()):
            extra = f"，{r.pages} 块，正文 {r.body_pt} 磅" if r.body_pt else ""
            print(f"{out / dest}{extra}")
        print(f"已生成 {len(printed)} 份 PDF 到 {out}" + ("（PDF/X-4）" if args.icc else ""))
        if failed:  # the others are written: say so instead of "nothing was published"
            _report(failed, getattr(args, "format", "text"), args.lang, failed=False)
            print(
                f"以上 {len(failed)} 份 PDF 无法排版；其余 {len(printed)} 份已生成。"
                f"({len(failed)} PDF(s) could not be laid out; the other {len(printed)} were written)",
                file=sys.stderr,
            )
            return EXIT_PROBLEMS
        return EXIT_OK
    if args.command == "serve":
        from generator.engine.serve import serve_site

        try:
            serve_site(root, as_of.isoformat(), args.dev_addr)
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise
            print(
                f"预览地址 {args.dev_addr} 已被占用（可能已有一个预览在运行），"
                "请关掉它或换一个：--dev-addr 127.0.0.1:8001"
                f" (address {args.dev_addr} is in use; stop the other preview or pass another --dev-addr)",
                file=sys.stderr,
            )
            return EXIT_USAGE
        return EXIT_OK
    site = building.check(root, as_of)
    if getattr(args, "since", None):
        from generator.review.commands import check_since

        if late := check_since(root, args.since):
            raise RecordsInvalid(late + list(site.warnings))
    if args.strict and site.warnings:
        raise RecordsInvalid(list(site.warnings))
    warnings = list(site.warnings)
    if args.command == "build":
        site_dir = args.site_dir or root / "site"
        building.build(root, as_of, site_dir, strict=args.strict, site=site)
        warnings += [p for p in [building.public_address(root, site)] if p]
    _report(warnings, args.format, args.lang, failed=False)
    if args.format == "text":
        count = sum(len(c.public) for c in site.communities)
        done = f"网站已生成：{args.site_dir or root / 'site'}" if args.command == "build" else "检查通过"
        print(f"{done}（{count} 条公开记录，{len(warnings)} 处警告）")
    return EXIT_OK


COMMUNITY_KIND = "社区"  # `gongkai new 社区 --community X`: a new community folder and its community.yaml


def _new(args: argparse.Namespace, root: Path, as_of: dt.date) -> int:
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


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    root = args.root.resolve()
    fmt = getattr(args, "format", "text")
    try:
        return _run(args, root)
    except ValueError as exc:  # a bad --as-of
        print(exc, file=sys.stderr)
        return EXIT_USAGE
    except RecordsInvalid as exc:
        _report(exc.problems, fmt, args.lang, failed=True)
        return EXIT_PROBLEMS
    except BuildFailed:
        print(
            "网站生成失败（原因见上），未发布任何内容。(build failed, see above; nothing was published)",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    except OSError as exc:
        print(
            f"无法写入输出：{exc}。原来的网站保持不变。(cannot write the output: {exc}; the previous "
            "site is unchanged)",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        print("已中断，原来的网站保持不变。(interrupted; the previous site is unchanged)", file=sys.stderr)
        return 130


if __name__ == "__main__":
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    sys.exit(main())
