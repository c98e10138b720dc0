"""Departure: the departure crew and passenger lists, what changed against arrival and why,
outbound screening, and the departure tide window with the departure draught."""
