"""Writes of the services app: one keyword-only function per use case."""
