"""Hazards and blind spots on the land border: reports, work orders, repairs and their totals (issue 16)."""
