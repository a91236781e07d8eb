"""Admin for administrative entities."""
