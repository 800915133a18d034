"""Values kept from one build to the next in the live preview, each under a key that names
everything it was made from: same key, same value, so it need not be made again."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

_MISSING = object()


class Memo:
    """A build calls `get` for every value it needs; `next_build` then forgets what it did not
    use, so the memo never holds more than one build's worth."""

    def __init__(self) -> None:
        self.kept: dict[Hashable, Any] = {}
        self.used: dict[Hashable, Any] = {}

    def get(self, key: Hashable, make: Callable[[], Any]) -> Any:
        value = self.used.get(key, _MISSING)
        if value is _MISSING:
            value = self.kept.get(key, _MISSING)
            if value is _MISSING:
                value = make()
            self.used[key] = value
        return value

    def next_build(self) -> None:
        self.kept, self.used = self.used, {}


def remember(memo: Memo | None, key: Hashable, make: Callable[[], Any]) -> Any:
    """`make()`, through the memo when there is one (a plain build has none)."""
    return make() if memo is None else memo.get(key, make)
