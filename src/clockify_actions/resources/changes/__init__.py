"""Change tracking: what was created, changed or deleted since a moment (`/entities/*`)."""
