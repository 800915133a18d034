"""Stage 2 — site_data/ → a checked `Site`: YAML loading with located errors, validation against
the record classes, the personal-data scan and the checks across records."""
