"""Tasks: the parts of a project that time is tracked against."""
