"""Reads of the disclosure app: selectors that preload relations and apply visibility.

One module per part of the domain: `entities` (entities, guides, normative counts), `catalogue`.
"""
