"""The document layer: the one door for every write to an open map (no Qt, no concrete store)."""
