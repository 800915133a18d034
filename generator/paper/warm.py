"""Imported once by the PDF fork server as it starts: it dies with the build that started it, and
WeasyPrint is loaded and its fonts found before any worker is forked from it, so each worker
starts ready instead of spending a second on fontconfig."""

from __future__ import annotations

import generator.paper.server  # noqa: F401  (dies with the build that started the server)

try:
    from weasyprint import HTML

    HTML(string="<p>公开 Gongkai</p>").write_pdf()
except Exception:  # a broken WeasyPrint is reported by the workers that use it
    pass
