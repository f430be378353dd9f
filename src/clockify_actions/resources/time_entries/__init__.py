"""Time entries: tracked time, running timers, and their bulk operations."""
