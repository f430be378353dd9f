"""Tags: labels on time entries."""
