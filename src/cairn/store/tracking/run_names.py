"""Friendly generated run names (``<adjective>-<noun>-<n>``), as MLflow users are used to."""

from __future__ import annotations

import random

_ADJECTIVES = (
    "amber", "bold", "brave", "bright", "calm", "clever", "crisp", "dapper", "eager", "fancy",
    "gentle", "glad", "golden", "handsome", "honest", "jolly", "keen", "lively", "lucky",
    "merry", "mighty", "nimble", "polite", "proud", "quiet", "rare", "silent", "smooth",
    "steady", "swift", "tidy", "upbeat", "vivid", "wise", "witty", "zesty",
)
_NOUNS = (
    "ant", "bass", "bat", "bear", "bird", "carp", "cat", "colt", "crab", "crow", "deer",
    "doe", "dove", "duck", "eel", "elk", "fawn", "finch", "fox", "frog", "goat", "hare",
    "hawk", "hen", "ibis", "jay", "koi", "lark", "lynx", "mole", "moth", "newt", "owl",
    "ox", "ram", "seal", "slug", "snail", "swan", "toad", "vole", "wasp", "wolf", "wren",
)


def generate_run_name(rng: random.Random | None = None) -> str:
    """At most 20 characters, like MLflow's generated names."""
    pick = rng or random
    return f"{pick.choice(_ADJECTIVES)}-{pick.choice(_NOUNS)}-{pick.randint(0, 999)}"
