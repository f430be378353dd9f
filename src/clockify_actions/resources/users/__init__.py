"""A workspace's members: users, their profiles, roles, managers and status."""
