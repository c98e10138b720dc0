"""Foreign residents of border villages (issue 14): who lives here, who crossed where, and what
needs a visit."""
