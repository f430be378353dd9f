"""Everything Clockify-specific about each of Clockify's resources, one folder per resource.

A resource's folder holds what the pack knows about it: its wire models (`models.py`, and the
light twin `wire.py` generated from them), the helpers its actions and triggers share
(`helpers.py`: the output shape, list, find and create), and its emulation in the sandbox
(`sandbox.py`: its tables, routes, seed rows and events). The runtime, the Clockify client and
the sandbox's core know no resource by name: they find the folders here.
"""
