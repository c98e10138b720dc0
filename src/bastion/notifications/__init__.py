"""In-app notifications to named people, read and acknowledged one by one."""
