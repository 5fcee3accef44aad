"""Walk a paged search until the user's limit (or the end), one store call per page."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from cairn.entities import Page

T = TypeVar("T")

#: Items fetched per store call; searches accept up to 50000 but 1000 keeps memory flat.
PAGE_SIZE = 1000


def collect(
    fetch: Callable[[int, str | None], Page[T]],
    max_results: int | None,
    page_token: str | None = None,
) -> tuple[list[T], str | None]:
    """Return up to ``max_results`` items (all when None) and the token to continue after them.

    ``fetch(page_size, token)`` runs one search call.
    """
    items: list[T] = []
    token = page_token
    while True:
        wanted = PAGE_SIZE if max_results is None else min(PAGE_SIZE, max_results - len(items))
        page = fetch(wanted, token)
        items.extend(page.items)
        token = page.next_page_token
        if token is None or (max_results is not None and len(items) >= max_results):
            return items, token
