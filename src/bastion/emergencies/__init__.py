"""Emergencies such as a typhoon: the evacuation board of vessels and crew (issue 17)."""
