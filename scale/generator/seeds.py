"""Seeded random generators: every part of the generated data has its own, from the seed."""

import random


def seeded(seed: int, part: str) -> random.Random:
    """The generator of one part (entities, entries …) for this seed: reproducible, not secret."""
    return random.Random(f"{seed}-{part}")  # noqa: S311 - test data, not secrets
