"""What a server process needs to know, passed to every worker as one JSON blob.

``cairn server --workers N`` starts N processes; each rebuilds these settings from the
environment variable below instead of sharing objects, so nothing in-process can go stale.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field

SETTINGS_ENV = "CAIRN_SERVER_SETTINGS"
PROXY_ROOT = "mlflow-artifacts:/"


@dataclass(frozen=True)
class ServerSettings:
    backend_store_uri: str
    artifacts_destination: str
    default_artifact_root: str | None = None
    serve_artifacts: bool = True
    artifacts_only: bool = False
    static_prefix: str = ""
    host: str = "127.0.0.1"
    allowed_hosts: tuple[str, ...] = ()
    cors_allowed_origins: tuple[str, ...] = field(default=())
    truncate_long_values: bool = True
    max_body_bytes: int = 64 * 1024 * 1024
    #: The registry's database; None keeps it in the tracking database (MLflow's default).
    registry_store_uri: str | None = None
    #: Webhook URLs may resolve to loopback/private/link-local addresses (off: SSRF guard).
    webhooks_allow_private: bool = False

    @property
    def artifact_root(self) -> str:
        """Where new experiments put artifacts: the proxy when it is on (MLflow's default)."""
        if self.default_artifact_root:
            return self.default_artifact_root
        return PROXY_ROOT if self.serve_artifacts else self.artifacts_destination

    def to_env(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_env(cls) -> ServerSettings:
        raw = os.environ.get(SETTINGS_ENV)
        if not raw:
            raise RuntimeError(f"{SETTINGS_ENV} is not set; start workers with `cairn server`.")
        data = json.loads(raw)
        for name in ("allowed_hosts", "cors_allowed_origins"):
            data[name] = tuple(data.get(name) or ())
        return cls(**data)
