"""The command line: the only place that prints problems and sets exit codes."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from generator.errors import BuildFailed, RecordsInvalid
from generator.today import parse_as_of

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gongkai", description="公开：把 YAML 记录生成公开网站和公示。")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, text in (
        ("build", "检查记录并生成网站到 site/"),
        ("check", "只检查记录，不生成"),
        ("serve", "本地预览，修改记录后自动刷新"),
    ):
        cmd = sub.add_parser(name, help=text, description=text)
        cmd.add_argument("--root", type=Path, default=Path("."), help="项目根目录（有 mkdocs.yml 的目录）")
        cmd.add_argument("--as-of", help="生成日期 YYYY-MM-DD，默认北京时间今天")
        cmd.add_argument("--lang", choices=("zh", "en"), default="zh", help="提示语言 / message language")
        if name == "build":
            cmd.add_argument("--site-dir", type=Path, default=None, help="输出目录，默认 site/")
    return parser


def _report(exc: RecordsInvalid, lang: str) -> None:
    errors = [p for p in exc.problems if p.severity == "error"]
    for problem in sorted(exc.problems):
        print(problem.format(lang), file=sys.stderr)
    if lang == "en":
        print(f"\n{len(errors)} error(s): nothing was published.", file=sys.stderr)
    else:
        print(f"\n共 {len(errors)} 处错误，未发布任何内容。请逐条改正后重试。", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    root = args.root.resolve()
    try:
        as_of = parse_as_of(args.as_of)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return EXIT_USAGE
    from generator import build as building  # after argument parsing: keeps --help fast

    try:
        if args.command == "check":
            site = building.check(root, as_of)
            for problem in site.warnings:
                print(problem.format(args.lang), file=sys.stderr)
            print(f"检查通过：{sum(len(c.entries) for c in site.communities)} 条记录。")
        elif args.command == "build":
            site_dir = args.site_dir or root / "site"
            site = building.build(root, as_of, site_dir)
            print(f"网站已生成：{site_dir}（{sum(len(c.public) for c in site.communities)} 条公开记录）")
        else:
            import os

            from mkdocs.commands.serve import serve

            os.environ["GONGKAI_AS_OF"] = as_of.isoformat()
            serve(str(root / "mkdocs.yml"))
    except RecordsInvalid as exc:
        _report(exc, args.lang)
        return EXIT_PROBLEMS
    except BuildFailed:
        print(
            "网站生成失败（原因见上），未发布任何内容。(build failed, see above; nothing was published)",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
