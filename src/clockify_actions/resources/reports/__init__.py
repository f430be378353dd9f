"""Reports on the reports host: summary, detailed, weekly and attendance."""
