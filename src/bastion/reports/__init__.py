"""The annual report: every domain's figures for a period, computed from records."""
