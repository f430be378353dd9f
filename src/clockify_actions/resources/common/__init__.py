"""What several resources share: finding by name, the outcome of a write, the polling machinery and event basics."""
