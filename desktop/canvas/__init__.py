"""The map's scene: lanes, channel items and flow items, following the session's changes."""
