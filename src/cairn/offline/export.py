"""Reading spool runs out as ``RunBundle``s, and fingerprinting what a sync would upload.

Works on any ``TrackingStore`` (the spool is a SQL store, but nothing here needs to know).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from cairn.entities import Experiment, Run, RunBundle, ViewType
from cairn.errors import CairnError, InvalidParameterValue, ResourceDoesNotExist
from cairn.store.artifacts import uri_to_local_path
from cairn.store.tracking.base import TrackingStore
from cairn.store.tracking.series import pack

_PAGE = 1000


@dataclass(frozen=True)
class SpoolRun:
    """A run to sync: found in the spool (``run``), or only named by the user (``run`` None)."""

    run_id: str
    experiment_name: str
    run: Run | None = None


def spool_runs(store: TrackingStore, run_ids: Sequence[str] = ()) -> list[SpoolRun]:
    """The runs to sync, oldest first: the ones named (deleted ones included, since the user
    asked), else every active run of every experiment."""
    names = {e.experiment_id: e.name for e in _experiments(store)}
    if run_ids:
        return [_named(store, run_id, names) for run_id in dict.fromkeys(run_ids)]
    found = list(_active_runs(store, list(names)))
    found.sort(key=lambda r: (r.info.start_time, r.info.run_id))
    return [SpoolRun(r.info.run_id, names[r.info.experiment_id], r) for r in found]


def _experiments(store: TrackingStore) -> Iterator[Experiment]:
    token = None
    while True:
        page = store.search_experiments(ViewType.ALL, _PAGE, page_token=token)
        yield from page
        token = page.next_page_token
        if not token:
            return


def _active_runs(store: TrackingStore, experiment_ids: list[str]) -> Iterator[Run]:
    token = None
    while experiment_ids:
        page = store.search_runs(experiment_ids, None, ViewType.ACTIVE_ONLY, _PAGE, (), token)
        yield from page
        token = page.next_page_token
        if not token:
            return


def _named(store: TrackingStore, run_id: str, names: dict[str, str]) -> SpoolRun:
    try:
        run = store.get_run(run_id)
    except (ResourceDoesNotExist, InvalidParameterValue):
        return SpoolRun(run_id, "")
    return SpoolRun(run_id, names.get(run.info.experiment_id, ""), run)


def read_bundle(store: TrackingStore, run: Run, experiment_name: str) -> RunBundle:
    """Everything about ``run`` that a target store needs to recreate it, every metric point
    included (the run's latest metrics name every key it logged)."""
    info = run.info
    keys = sorted({m.key for m in run.data.metrics})
    return RunBundle(
        experiment_name=experiment_name,
        run_id=info.run_id,
        run_name=info.run_name,
        user_id=info.user_id,
        status=info.status,
        start_time=info.start_time,
        end_time=info.end_time,
        lifecycle_stage=info.lifecycle_stage,
        params=run.data.params,
        tags=run.data.tags,
        series=tuple(store.get_metric_series(info.run_id, key) for key in keys),
        dataset_inputs=run.inputs.dataset_inputs,
    )


def artifact_dir(run: Run) -> Path | None:
    """The spool run's local artifact directory, None when it has no file yet."""
    try:
        path = uri_to_local_path(run.info.artifact_uri)
    except CairnError:
        return None
    return path if path.is_dir() and any(path.iterdir()) else None


def artifact_files(directory: Path | None) -> list[Path]:
    if directory is None:
        return []
    return sorted(p for p in directory.rglob("*") if p.is_file())


def fingerprint(bundle: RunBundle, directory: Path | None) -> str:
    """A digest of everything a sync of this run uploads: the bundle (every point's bits) and
    the artifact files' paths, sizes and modification times. Equal digests mean an earlier
    upload of the run is still complete (if the target still has it)."""
    digest = hashlib.sha256()
    head = {
        "experiment": bundle.experiment_name,
        "info": [bundle.run_id, bundle.run_name, bundle.user_id, bundle.status.name],
        "times": [bundle.start_time, bundle.end_time, bundle.lifecycle_stage.value],
        "params": sorted((p.key, p.value) for p in bundle.params),
        "tags": sorted((t.key, t.value) for t in bundle.tags),
        "inputs": [repr(d) for d in bundle.dataset_inputs],
    }
    digest.update(json.dumps(head, sort_keys=True).encode())
    for series in sorted(bundle.series, key=lambda s: s.key):
        digest.update(series.key.encode() + b"\0")
        for column in pack(series):
            digest.update(len(column).to_bytes(8, "little") + column)
    for path in artifact_files(directory):
        stat = path.stat()
        assert directory is not None
        entry = f"{path.relative_to(directory).as_posix()}\0{stat.st_size}\0{stat.st_mtime_ns}"
        digest.update(entry.encode() + b"\0")
    return digest.hexdigest()
