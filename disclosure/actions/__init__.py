"""Writes of the disclosure app: one keyword-only, typed, audited function per use case.

One module per part of the domain: `entities` (entity workflow and guides), `normative`
(normative-document filing), `catalogue` (the catalogue).
"""
