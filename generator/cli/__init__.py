"""The command line: the only place that prints problems and sets exit codes."""

from __future__ import annotations

import argparse
import datetime as dt
import errno
import logging
import os
import re
import signal
import sys
from pathlib import Path
from typing import Any

from generator.cachefiles import require_writable_cache
from generator.cli.authoring import new, spreadsheet, spreadsheet_commands
from generator.cli.options import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, common_options
from generator.dependencies import MissingDependency, verify
from generator.errors import BuildFailed, Problem, RecordsInvalid, problems_json
from generator.today import check_epoch, parse_as_of


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gongkai", description="公开：把 YAML 记录生成公开网站和公示。")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, text in (("build", "检查记录并生成网站到 site/"), ("check", "只检查记录，不生成")):
        cmd = sub.add_parser(name, help=text, description=text)
        common_options(cmd)
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
        shards = {
            "build": "按社区分片并行生成：每个社区一个子网站 site/<社区编号>/，门户在根目录（见 docs/scale.md）",
            "check": "按社区分片并行检查：每个进程只读一个社区的记录，跨社区的检查（编号、更正）照样做",
        }
        cmd.add_argument("--shards", action="store_true", help=shards[name])
        cmd.add_argument(
            "--workers",
            type=int,
            default=None,
            help="分片用几个进程（含 --shards），默认每个 CPU 核一个；0 表示在本进程里逐个处理",
        )
        if name == "build":
            cmd.add_argument("--site-dir", type=Path, default=None, help="输出目录，默认 site/")
            cmd.add_argument(
                "--cluster",
                metavar="ADDRESS",
                default=None,
                help="把分片交给 Dask 集群，例如 tcp://10.0.0.5:8786（含 --shards）",
            )
    boards = sub.add_parser(
        "boards",
        help="生成 A4 公示和公开栏、展板的印刷 PDF 到 print/",
        description="生成所有印刷用 PDF（A4 公示、公开栏、展板）",
    )
    common_options(boards)
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
    common_options(new)
    new.add_argument("kind", help="记录类型，例如 收支公开；不写则列出全部类型", nargs="?")
    new.add_argument("--community", help="社区编号（只有一个社区时可省略）")
    schema = sub.add_parser("schema", help="生成编辑器用的 JSON Schema 到 schemas/", description="生成 JSON Schema")
    schema.add_argument("--root", type=Path, default=Path("."), help="项目根目录")
    schema.add_argument("--lang", choices=("zh", "en"), default="zh", help="提示语言 / message language")
    spreadsheet_commands(sub)
    serve = sub.add_parser("serve", help="本地预览，修改记录后自动刷新", description="本地预览")
    common_options(serve)
    serve.add_argument("--dev-addr", default="127.0.0.1:8000", help="预览地址，默认 127.0.0.1:8000")
    serve.add_argument(
        "--shards",
        action="store_true",
        help="按社区分片预览：先并行生成，之后改了哪个社区只重新生成哪个社区（见 docs/scale.md）",
    )
    serve.add_argument("--workers", type=int, default=None, help="首次分片生成用几个进程，默认每个 CPU 核一个")
    return parser


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _plain(text: str) -> str:
    """Terminal output: control characters shown as U+FFFD, never obeyed (escape sequences)."""
    return _CONTROL.sub("\ufffd", text)


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
        return spreadsheet(args, root)
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
    if args.command in ("build", "boards", "serve"):
        check_epoch(os.environ.get("SOURCE_DATE_EPOCH"))
        verify(args.command)
        require_writable_cache(root)  # PDFs are published from it: said now, not halfway
    if args.command == "new":
        return new(args, root, as_of)
    if args.command == "boards":
        out = args.out or root / "print"
        site = building.check(root, as_of)
        printed, failed = building.boards(root, as_of, out, args.icc, args.crop_marks, site=site, on_wait=_waiting)
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
            serve_site(root, as_of.isoformat(), args.dev_addr, _sharded_preview(args, root, as_of))
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
    if args.command == "build" and (args.shards or args.cluster or args.workers is not None):
        return _build_sharded(args, root, as_of)
    if args.command == "check" and (args.shards or args.workers is not None):
        return _check_sharded(args, root, as_of)
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
        building.build(root, as_of, site_dir, strict=args.strict, site=site, on_wait=_waiting)
        warnings += [p for p in [building.public_address(root, site)] if p]
    _report(warnings, args.format, args.lang, failed=False)
    if args.format == "text":
        count = sum(len(c.public) for c in site.communities)
        done = f"网站已生成：{args.site_dir or root / 'site'}" if args.command == "build" else "检查通过"
        print(f"{done}（{count} 条公开记录，{len(warnings)} 处警告）")
    return EXIT_OK


def _build_sharded(args: argparse.Namespace, root: Path, as_of: dt.date) -> int:
    """`build --shards`: each community read, checked and built by a part of its own."""
    from generator.shards import build_sharded

    site_dir = args.site_dir or root / "site"
    outcome = build_sharded(root, as_of, site_dir, args.cluster, args.workers, args.strict, on_wait=_waiting)
    _report(outcome.warnings, args.format, args.lang, failed=False)
    if args.format == "text":
        print(f"网站已生成：{site_dir}（{outcome.public} 条公开记录，{len(outcome.warnings)} 处警告）")
    return EXIT_OK


def _check_sharded(args: argparse.Namespace, root: Path, as_of: dt.date) -> int:
    """`check --shards`: each community read and checked by a process of its own."""
    from generator.shards import check_sharded

    outcome = check_sharded(root, as_of, args.workers)
    warnings = outcome.warnings
    if args.since:
        from generator.review.commands import check_since

        if late := check_since(root, args.since):
            raise RecordsInvalid(late + warnings)
    if args.strict and warnings:
        raise RecordsInvalid(warnings)
    _report(warnings, args.format, args.lang, failed=False)
    if args.format == "text":
        print(f"检查通过（{outcome.public} 条公开记录，{len(warnings)} 处警告）")
    return EXIT_OK


def _sharded_preview(args: argparse.Namespace, root: Path, as_of: dt.date) -> Any:
    """`serve --shards`: the builder of a sharded site's live preview, or None for the whole site's."""
    if not (args.shards or args.workers is not None):
        return None
    if args.workers is not None and args.workers < 0:
        raise ValueError("--workers 应是 0 或正整数 (--workers must be 0 or more)")
    from generator.shards.preview import ShardedPreview

    return lambda site_dir, site_url: ShardedPreview(root, site_dir, as_of, site_url, args.workers)


def _waiting(folder: Path) -> None:
    print(
        f"{folder} 里另一个 gongkai 正在生成，等它结束后继续…（按 Ctrl+C 取消）"
        f" (another gongkai is building in {folder}; waiting for it to finish)",
        file=sys.stderr,
        flush=True,
    )


class Terminated(KeyboardInterrupt):
    """SIGTERM (`kill`, systemd, a CI's timeout): stops as Ctrl+C does, the previous site kept and
    the temporary files removed (the default action ends the process where it stands and leaves
    the preview's site folder behind)."""


def _terminated(signum: int, frame: Any) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # another one while cleaning up does not cut it short
    raise Terminated


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    root = args.root.resolve()
    fmt = getattr(args, "format", "text")
    before = signal.signal(signal.SIGTERM, _terminated)
    try:
        return _run(args, root)
    except (ValueError, MissingDependency) as exc:  # a bad --as-of or SOURCE_DATE_EPOCH, a missing library
        print(exc, file=sys.stderr)
        return EXIT_USAGE
    except RecordsInvalid as exc:
        _report(exc.problems, fmt, args.lang, failed=True)
        return EXIT_PROBLEMS
    except BuildFailed as exc:
        if str(exc):  # ours say why (a worker's refusal); mkdocs has logged its own reasons above
            print(exc, file=sys.stderr)
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
    except KeyboardInterrupt as stop:
        print("已中断，原来的网站保持不变。(interrupted; the previous site is unchanged)", file=sys.stderr)
        return 143 if isinstance(stop, Terminated) else 130  # 128 + the signal, as shells report it
    finally:
        signal.signal(signal.SIGTERM, before)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    sys.exit(main())
