"""Time off: a workspace's leave policies, its members' requests against them, and their balances (a paid module, TIME_OFF)."""
