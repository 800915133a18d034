"""The command line: the only place that prints problems and sets exit codes."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

from generator.errors import BuildFailed, Problem, RecordsInvalid
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
        cmd.add_argument(
            "--format",
            choices=("text", "json", "github"),
            default="text",
            help="问题的输出格式：text、json（给程序）、github（CI 注释）",
        )
        if name == "build":
            cmd.add_argument("--site-dir", type=Path, default=None, help="输出目录，默认 site/")
    serve = sub.add_parser("serve", help="本地预览，修改记录后自动刷新", description="本地预览")
    _common(serve)
    serve.add_argument("--dev-addr", default="127.0.0.1:8000", help="预览地址，默认 127.0.0.1:8000")
    return parser


def _github(p: Problem, lang: str) -> str:
    level = "warning" if p.severity == "warning" else "error"
    hint = f" → {p.hint(lang)}" if p.hint(lang) else ""
    title = p.field or "gongkai"
    return f"::{level} file={p.file},line={p.line},col={p.column},title={title}::{p.message(lang)}{hint}"


def _json(problems: list[Problem], lang: str) -> str:
    rows = [
        {
            "file": p.file,
            "line": p.line,
            "column": p.column,
            "field": p.field,
            "severity": p.severity,
            "message": p.message(lang),
            "hint": p.hint(lang),
            "message_zh": p.message_zh,
            "message_en": p.message_en,
            "hint_zh": p.hint_zh,
            "hint_en": p.hint_en,
        }
        for p in problems
    ]
    return json.dumps(rows, ensure_ascii=False, indent=2)


def _report(problems: list[Problem], fmt: str, lang: str, failed: bool) -> None:
    problems = sorted(problems)
    if fmt == "json":
        print(_json(problems, lang))
        return
    for p in problems:
        print(_github(p, lang) if fmt == "github" else p.format(lang), file=sys.stderr)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    if failed and lang == "en":
        print(f"\n{errors} error(s), {warnings} warning(s): nothing was published.", file=sys.stderr)
    elif failed:
        print(f"\n共 {errors} 处错误、{warnings} 处警告，未发布任何内容。请逐条改正后重试。", file=sys.stderr)


def _run(args: argparse.Namespace, root: Path) -> int:
    from generator import build as building  # imported late: keeps --help fast

    as_of = parse_as_of(args.as_of)
    if args.command == "serve":
        from generator.mkdocs_plugin import serve_site

        serve_site(root, as_of.isoformat(), args.dev_addr)
        return EXIT_OK
    site = building.check(root, as_of)
    if args.strict and site.warnings:
        raise RecordsInvalid(list(site.warnings))
    if args.command == "build":
        site_dir = args.site_dir or root / "site"
        building.build(root, as_of, site_dir, strict=args.strict)
    _report(list(site.warnings), args.format, args.lang, failed=False)
    if args.format == "text":
        count = sum(len(c.public) for c in site.communities)
        done = f"网站已生成：{args.site_dir or root / 'site'}" if args.command == "build" else "检查通过"
        print(f"{done}（{count} 条公开记录，{len(site.warnings)} 处警告）")
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
