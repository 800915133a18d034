"""Live-preview benchmark: how long `gongkai serve` takes to rebuild after a change.

    .venv/bin/python bench/preview.py [--size 10000] [--rounds 3]

Generates a project of N notices (bench/generate.py), builds it once through the preview's
builder (the one `gongkai serve` runs), then times rebuilds: with nothing changed, after editing
one record (from the file saved to the changed page written), after adding one and after deleting
one. Reports medians and the process's peak memory. Rebuilds run in this process, as in `serve`.
"""

from __future__ import annotations

import argparse
import logging
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from generate import generate  # noqa: E402

from generator.engine.builds import Preview  # noqa: E402

AS_OF = "2025-12-31"


def timed(preview: Preview) -> float:
    start = time.perf_counter()
    preview.build()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "project"
        generate(args.size, project)
        preview = Preview(project, Path(tmp) / "site", AS_OF)
        first = timed(preview)
        records = sorted((project / "site_data").rglob("*.yaml"))
        victim = next(p for p in records if "/dangwu/" in p.as_posix())
        rid = victim.read_text(encoding="utf-8").split("编号: ", 1)[1].split()[0]
        page = next((Path(tmp) / "site").glob(f"*/*/{rid}/index.html"))
        results: dict[str, list[float]] = {
            "nothing changed": [],
            "one record edited": [],
            "one added": [],
            "one deleted": [],
        }
        for i in range(args.rounds):
            results["nothing changed"].append(timed(preview))
            text = victim.read_text(encoding="utf-8")
            victim.write_text(text.replace("标题: ", f"标题: 改{i}", 1), encoding="utf-8")
            results["one record edited"].append(timed(preview))
            assert f"改{i}" in page.read_text(encoding="utf-8"), "the edited page was not written"
            added = victim.with_name(f"bench-added-{i}.yaml")
            added.write_text(text.replace(f"编号: {rid}", f"编号: bench-added-{i}"), encoding="utf-8")
            results["one added"].append(timed(preview))
            added.unlink()
            results["one deleted"].append(timed(preview))
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"| N | first build | {' | '.join(results)} | peak memory |")
    print(f"| --- | --- |{' --- |' * len(results)} --- |")
    cells = " | ".join(f"{statistics.median(v):.1f} s" for v in results.values())
    print(f"| {args.size} | {first:.1f} s | {cells} | {peak:.0f} MiB |")


if __name__ == "__main__":
    main()
