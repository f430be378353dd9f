"""Hourly and cost rates of a workspace, its members, projects and tasks."""
