"""Synthetic data at district, city and province scale, for benchmarks (`generate_scale_data`).

It sits above every domain app and writes only into their tables; nothing imports it.
"""
