"""Monthly assessments of auxiliaries and party members, and the annual rating (issue 16)."""
