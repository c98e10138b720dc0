"""24-hour duty (issue 13): rosters solved with CP-SAT, the duty log, handovers, online
check-ins and the hotline, for the land-border command and the port station alike."""
