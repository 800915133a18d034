"""Imported first by a worker pool's fork server as it starts: it dies with the process that
started it (the server is busy loading modules for seconds, deaf to its parent's end)."""

from __future__ import annotations

from generator.paper.workers import die_with_parent

die_with_parent()
