"""Terminal profiles (24-hour or office hours, tide windows) and the inspection scheduler."""
