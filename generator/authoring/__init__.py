"""Stage 4 — helping staff write records: scaffolds for `gongkai new` and JSON Schemas for editors."""
