"""The edges: each module puts the pack before one kind of caller (the command line, the
JSON-lines worker, HTTP, MCP, Celery, webhook deliveries, exported flows) through the
public runtime alone, and imports its own library itself, so that neither the core
install nor a cold start pays for an adapter it does not use."""
