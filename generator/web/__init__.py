"""Stage 4 — the website, engine-agnostic: which pages exist (Site → Page), their Markdown, the finance
pages, the reference page, feeds and calendars, open data."""
