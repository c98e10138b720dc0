"""The Maritime Declaration of Health (IHR 2005 Annex 8) and the port health decision on it."""
