"""Joint operations for major events (issue 17)."""
