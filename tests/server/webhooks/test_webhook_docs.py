"""The receiver-side verification example in docs/webhooks.md works on real deliveries."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from cairn.server.webhooks.signing import delivery_headers, event_body, utc_now

DOC = Path(__file__).resolve().parents[3] / "docs" / "webhooks.md"


def _doc_verifier() -> Any:
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(), flags=re.DOTALL)
    (source,) = [b for b in blocks if "def verify_mlflow_webhook" in b]
    namespace: dict[str, Any] = {}
    exec(compile(source, str(DOC), "exec"), namespace)
    return namespace["verify_mlflow_webhook"]


def test_documented_verifier_accepts_cairn_signatures_and_rejects_forgeries() -> None:
    verify = _doc_verifier()
    body = event_body("registered_model", "created", {"name": "m"}, utc_now())
    headers = delivery_headers("d-1", body, "k")
    assert verify("k", headers, body.encode())
    assert not verify("other", headers, body.encode())
    assert not verify("k", headers, body.replace('"m"', '"n"').encode())
    stale = delivery_headers("d-1", body, "k", timestamp=1)
    assert not verify("k", stale, body.encode())
