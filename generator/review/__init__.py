"""Stage 4 — review: the records at a git revision, what changed between two revisions, and that
change in words (text, Markdown, JSON)."""
