"""What every command needs from the top-level group: where to track, and a client for it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import click

from cairn.config import Settings

if TYPE_CHECKING:
    from cairn.tracking.client import CairnClient


@dataclass(frozen=True)
class CliState:
    """Built once by the ``cli`` group from ``--tracking-uri`` and the environment."""

    tracking_uri: str | None
    settings: Settings

    def client(self) -> CairnClient:
        from cairn.tracking.client import CairnClient

        return CairnClient(self.tracking_uri, settings=self.settings)


pass_state = click.make_pass_decorator(CliState)
