"""Clients: the companies a workspace's projects are for."""
