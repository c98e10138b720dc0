"""The land border: the line, its segments, the patrols along it and their coverage."""
