"""The pre-check rules a station's supervisors keep: versioned data, never code."""
