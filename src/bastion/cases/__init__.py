"""Cases across sea and land, and tips from the public (issue 17)."""
