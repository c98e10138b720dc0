"""Legal outreach visits to linked villages and the compliance board (issue 16)."""
