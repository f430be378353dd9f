"""Clockify's workspaces: the ones a key can reach, and their settings."""
