"""Training, drills and meetings, with exercise mode for drills (issue 16)."""
