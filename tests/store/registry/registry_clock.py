"""A clock the registry tests drive, injected into the store."""

from __future__ import annotations


class FakeClock:
    """Milliseconds that move only when the test says so (each reading advances by one)."""

    def __init__(self, start: int = 1_000_000) -> None:
        self.now = start

    def __call__(self) -> int:
        self.now += 1
        return self.now

    def advance(self, ms: int) -> int:
        self.now += ms
        return self.now
