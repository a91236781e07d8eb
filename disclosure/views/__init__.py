"""Public pages of the disclosure app, one module per part of the domain."""
