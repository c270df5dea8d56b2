"""The map, its channels and flows, validation and the coherence engine.

Pure Python on purpose: the CLI, the store and the tests use it without Qt,
and an import-linter contract keeps it that way.
"""
