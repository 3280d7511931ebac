"""Importers: CSV templates (csv_*), IATI activity files (iati), mappings for other people's CSV,
and what they share (common: output written all-or-nothing; matching: names to IRIs)."""
