"""Webhooks: subscriptions, their deliveries and their logs."""
