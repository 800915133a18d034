"""Stage 3 — what web and paper both render with: the Jinja2 environment on templates/, its
filters (money, dates, safe Markdown) and the charts."""
