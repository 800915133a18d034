"""The search index as mkdocs' search plugin wrote it, made smaller without changing what it finds
or shows: Chinese as UTF-8 rather than \\uXXXX escapes, no word marks next to punctuation, and
written entry by entry (the whole index as one string would add its size to the peak memory)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from generator.cachefiles import segmenter

ZWSP = "\u200b"  # the word mark of the search plugin's Chinese segmentation

Entries = list[dict[str, Any]]


def quiet_jieba(root: Path) -> None:
    """jieba (the search plugin's Chinese segmenter), quiet (it logs at DEBUG on every build) and
    with its dictionary cache among the project's, not in the machine's temporary folder
    (cachefiles.segmenter), before its first use in this process."""
    try:
        segmenter(root)
    except ImportError:  # search then indexes without segmentation; tests catch that
        return


def _lean(text: str, separator: re.Pattern[str]) -> str:
    """Drop the zero-width spaces jieba's segmentation put next to punctuation or spaces: the
    search splits words at any run of separators, so a run keeps splitting the same without
    them, and they are invisible. 15–20 % of the index."""

    def run(m: re.Match[str]) -> str:
        found = m.group()
        return found if not found.strip(ZWSP) else found.replace(ZWSP, "")

    return separator.sub(run, text)


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _serialised(docs: list[Any]) -> Iterator[str]:
    """Each entry as JSON, let go once serialised."""
    for i in range(len(docs)):
        yield dumps(docs[i])
        docs[i] = None


def _write_index(index: Path, head: dict[str, Any], entries: Iterable[str]) -> None:
    """The index as the search plugin writes it ({"config": …, "docs": […]}), entry by entry."""
    with index.open("w", encoding="utf-8") as out:
        out.write(dumps(head)[:-1] + ',"docs":[' if head else '{"docs":[')
        for i, entry in enumerate(entries):
            out.write(("," if i else "") + entry)
        out.write("]}")


# mkdocs-material 9.x splits a Chinese query into words it finds in the index, but its loop stops
# one character short of the query's end: "党费" became "党" (every notice of the party family
# matched, the 党费 notice 8th of 26). The one-character fix, applied to the worker the build
# copied; tests/test_web_search.py searches in a browser and fails if the theme changes this.
_QUERY_SPLIT_BUG = "for(let o=s+1;o<t.length;o++)t.slice(s,o)in e"
_QUERY_SPLIT_FIX = "for(let o=s+1;o<=t.length;o++)t.slice(s,o)in e"


def mend_worker(site_dir: Path) -> bool:
    """Fix the theme's query splitting in site_dir's search worker; False if there was nothing to fix."""
    mended = False
    for worker in sorted((site_dir / "assets" / "javascripts" / "workers").glob("search.*.min.js")):
        code = worker.read_text(encoding="utf-8")
        if _QUERY_SPLIT_BUG in code:
            worker.write_text(code.replace(_QUERY_SPLIT_BUG, _QUERY_SPLIT_FIX), encoding="utf-8")
            mended = True
    return mended


def rewrite_index(site_dir: Path, merge: Callable[[Entries], Iterable[str]] | None = None) -> None:
    """Rewrite site_dir's search index leaner. `merge`: the live preview's, which adds the entries
    of the pages this build did not write to the ones it did. Mends the theme's search worker."""
    mend_worker(site_dir)
    index = site_dir / "search" / "search_index.json"
    if not index.is_file():
        return
    data = json.loads(index.read_text(encoding="utf-8"))
    docs = data.pop("docs")
    separator = re.compile(data["config"]["separator"])
    for doc in docs:
        doc["title"], doc["text"] = _lean(doc["title"], separator), _lean(doc["text"], separator)
    _write_index(index, data, merge(docs) if merge is not None else _serialised(docs))
