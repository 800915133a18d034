"""Stage 4 — print: A4 公示 notices and boards as HTML, packed into panels, made into PDFs by a
WeasyPrint worker pool, written to print/."""
