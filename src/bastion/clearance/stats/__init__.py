"""Port-call statistics (#5) from the event log: vessels and persons cleared, pre-check lead
time, clearance time, time in port and waiting for tide, by period, terminal and service mode,
against the same range one year earlier.

``measures`` is pure (calls and events in, a table out); ``service`` reads what the user may
see; ``xlsx`` writes the workbook; ``api`` and ``views`` are the edges.
"""
