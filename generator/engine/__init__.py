"""Stage 5 — the site engine (mkdocs) and everything that knows it: the thin plugin, running a build,
the live preview. Moving to another engine means rewriting this folder only."""
