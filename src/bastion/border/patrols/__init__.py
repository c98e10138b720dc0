"""Joint patrols: plans and targets, patrols as they happen (tracks, check-ins, observations,
SOS), and the measures the command reports (coverage, completion, effort and results)."""
