"""Expenses: money spent on a workspace's work (a category, an amount, a date, a receipt), and their categories."""
