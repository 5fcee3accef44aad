"""``GET /api/2.0/cairn/experiments/keys``: the keys a run table can filter and show.

The UI's filter box completes ``metrics.``/``params.``/``tags.`` names and its column chooser
lists them; both need every key of the experiments, not only those of the runs on screen.
"""

from __future__ import annotations

from typing import Any

from cairn.server.params import Params
from cairn.server.state import ServerState


def keys(state: ServerState, params: Params) -> dict[str, Any]:
    """Distinct metric, param and tag keys over the runs of the given experiments."""
    found = state.store.run_keys([str(e) for e in params.values("experiment_ids")])
    return {
        "metric_keys": list(found.metric_keys),
        "param_keys": list(found.param_keys),
        "tag_keys": list(found.tag_keys),
    }
