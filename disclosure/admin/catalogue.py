"""Admin for the catalogue."""
