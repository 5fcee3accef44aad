"""``python -m cairn.server.openapi``: print the server's OpenAPI document.

The web UI's TypeScript types and client are generated from it at build time (``npm run
gen:api`` in ``ui/``), so the UI compiles against the API this very version serves.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from cairn.store.artifacts import local_path_to_uri


def openapi_document() -> dict[str, Any]:
    from cairn.server.app import create_app
    from cairn.server.settings import ServerSettings

    with tempfile.TemporaryDirectory(prefix="cairn-openapi-") as scratch:
        root = Path(scratch)
        settings = ServerSettings(
            backend_store_uri=f"sqlite:///{root / 'openapi.db'}",
            artifacts_destination=local_path_to_uri(root / "artifacts"),
        )
        app = create_app(settings)
        try:
            return app.openapi()
        finally:
            app.state.cairn.store.close()


def main() -> None:
    json.dump(openapi_document(), sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
