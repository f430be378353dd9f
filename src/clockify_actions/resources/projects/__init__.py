"""Projects: create, read, change, archive, memberships, estimates and templates."""
