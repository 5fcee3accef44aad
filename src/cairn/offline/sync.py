"""The engine behind ``cairn sync``: replay the spool's runs on the target store.

Per run: read it as a ``RunBundle``, ``import_run`` it on the target (idempotent: same ids,
each metric key replaced, so a repeated or interrupted sync never duplicates anything), then
copy its artifact files into the target run's artifact location (a file uploaded again simply
overwrites itself). A failure is reported for that run and the others go on.

The spool's state file remembers a fingerprint of each uploaded run per target; a run whose
fingerprint is unchanged, and which the target still has, is reported "up to date" and not
uploaded again. That only saves time: with the state file gone, everything is re-imported
and the result is the same.

>>> import tempfile
>>> from pathlib import Path
>>> from cairn.config import Settings
>>> from cairn.offline.spool import Spool
>>> spool = Spool(Path(tempfile.mkdtemp()))
>>> spool.open_store().close()  # a training process with CAIRN_MODE=offline does this
>>> target = tempfile.mkdtemp()
>>> with SpoolSync(spool, target, Settings()) as sync:
...     [sync.sync(item) for item in sync.plan()]
[]
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import TracebackType

from cairn.config import ONLINE_MODE, Settings
from cairn.entities import RunBundle, RunStatus
from cairn.errors import (
    CairnError,
    InvalidParameterValue,
    NotImplementedByStore,
    ResourceAlreadyExists,
    ResourceDoesNotExist,
    ServiceUnavailable,
)
from cairn.offline.export import (
    SpoolRun,
    artifact_dir,
    artifact_files,
    fingerprint,
    read_bundle,
    spool_runs,
)
from cairn.offline.mode import server_problem
from cairn.offline.spool import Spool, absolute_target
from cairn.store.artifacts import get_artifact_repository
from cairn.store.tracking.base import TrackingStore
from cairn.store.tracking.registry import is_server_uri, open_tracking_store
from cairn.store.tracking.rest import RestTrackingStore


class Result(str, enum.Enum):
    SYNCED = "synced"
    UP_TO_DATE = "up to date"
    WOULD_SYNC = "would sync"
    FAILED = "failed"


@dataclass(frozen=True)
class RunOutcome:
    run_id: str
    result: Result
    run_name: str = ""
    experiment_name: str = ""
    status: RunStatus | None = None
    points: int = 0
    #: The run's artifact files (all uploaded when the run is synced).
    files: int = 0
    error: str | None = None

    @property
    def running(self) -> bool:
        """Synced while still RUNNING: sync again once it has finished."""
        return self.status is RunStatus.RUNNING


def resolve_target(spool: Spool, to: str | None, settings: Settings) -> str:
    """``--to``, else the target the spool recorded, else the configured tracking URI."""
    target = to or spool.read_target() or settings.tracking_uri
    if not target:
        raise InvalidParameterValue(
            f"Nowhere to sync to: the spool at {spool.path} records no target. Pass "
            "--to URI (e.g. http://server:5000) or set CAIRN_TRACKING_URI."
        )
    target = absolute_target(target)
    if target in (str(spool.path), spool.db_uri, spool.path.as_uri()):
        raise InvalidParameterValue(
            f"The sync target {target} is the spool itself; pass --to with the real store."
        )
    return target


class SpoolSync:
    """One sync of one spool to one target; use as a context manager (it closes both
    stores). ``force`` re-uploads runs that look up to date."""

    def __init__(
        self, spool: Spool, target: str, settings: Settings, *, force: bool = False
    ) -> None:
        self.spool = spool
        self.target = target
        self.settings = replace(
            settings, tracking_uri=target, mode=ONLINE_MODE, offline_fallback=False
        )
        self.force = force
        self._source: TrackingStore | None = None
        self._target: TrackingStore | None = None

    def __enter__(self) -> SpoolSync:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        for store in (self._source, self._target):
            if store is not None:
                store.close()
        self._source = self._target = None

    @property
    def source(self) -> TrackingStore:
        if self._source is None:
            if not self.spool.exists():
                raise InvalidParameterValue(
                    f"No offline spool at {self.spool.path}: nothing was tracked offline "
                    "there. Pass --spool DIR or set CAIRN_OFFLINE_DIR to the spool in use."
                )
            self._source = self.spool.open_store()
        return self._source

    def connect(self) -> None:
        """Open the target now, so an unreachable server fails the sync once, up front."""
        _ = self.target_store

    @property
    def target_store(self) -> TrackingStore:
        if self._target is None:
            if is_server_uri(self.target):
                problem = server_problem(self.target, self.settings)
                if problem is not None:
                    raise ServiceUnavailable(
                        f"Cannot reach the tracking server ({problem}). The runs stay in the "
                        "spool; run cairn sync again when the server is up."
                    )
            self._target = open_tracking_store(self.target, self.settings)
        return self._target

    def plan(self, run_ids: Sequence[str] = ()) -> list[SpoolRun]:
        return spool_runs(self.source, run_ids)

    def check(self, item: SpoolRun) -> RunOutcome:
        """What ``sync`` would do, judged by the state file alone (the target is not asked)."""
        if item.run is None:
            return self._missing(item)
        bundle = read_bundle(self.source, item.run, item.experiment_name)
        digest = fingerprint(bundle, artifact_dir(item.run))
        seen = self.spool.synced_runs(self.target).get(item.run_id, {})
        unchanged = seen.get("fingerprint") == digest and not self.force
        result = Result.UP_TO_DATE if unchanged else Result.WOULD_SYNC
        return _outcome(bundle, result, files=len(artifact_files(artifact_dir(item.run))))

    def sync(self, item: SpoolRun) -> RunOutcome:
        """Upload one run (unless already up to date); a failure comes back as an outcome."""
        if item.run is None:
            return self._missing(item)
        bundle = read_bundle(self.source, item.run, item.experiment_name)
        directory = artifact_dir(item.run)
        digest = fingerprint(bundle, directory)
        files = len(artifact_files(directory))
        try:
            if self._up_to_date(item.run_id, digest):
                return _outcome(bundle, Result.UP_TO_DATE, files=files)
            self.target_store.import_run(bundle)
            self._upload_artifacts(item.run_id, directory)
        except (CairnError, OSError) as exc:
            return _outcome(bundle, Result.FAILED, files=files, error=_explain(exc))
        self.spool.record_synced(
            self.target,
            item.run_id,
            {"fingerprint": digest, "status": bundle.status.name, "end_time": bundle.end_time},
        )
        return _outcome(bundle, Result.SYNCED, files=files)

    def _up_to_date(self, run_id: str, digest: str) -> bool:
        seen = self.spool.synced_runs(self.target).get(run_id, {})
        if self.force or seen.get("fingerprint") != digest:
            return False
        try:  # the target may have been reset since: then it is not up to date at all
            self.target_store.get_run(run_id)
        except ResourceDoesNotExist:
            return False
        return True

    def _upload_artifacts(self, run_id: str, directory: Path | None) -> None:
        if directory is None:
            return
        store = self.target_store
        transport = store.transport if isinstance(store, RestTrackingStore) else None
        tracking_uri = self.target if is_server_uri(self.target) else None
        location = store.get_run(run_id).info.artifact_uri
        repo = get_artifact_repository(location, tracking_uri, transport=transport)
        repo.log_artifacts(directory)

    def _missing(self, item: SpoolRun) -> RunOutcome:
        return RunOutcome(
            item.run_id,
            Result.FAILED,
            error=f"No run {item.run_id} in the spool at {self.spool.path}. List the "
            f"spooled runs with: cairn --tracking-uri {self.spool.path} runs list -e 0",
        )


def _outcome(
    bundle: RunBundle, result: Result, *, files: int = 0, error: str | None = None
) -> RunOutcome:
    return RunOutcome(
        bundle.run_id,
        result,
        bundle.run_name,
        bundle.experiment_name,
        bundle.status,
        bundle.point_count,
        files,
        error,
    )


def _explain(exc: BaseException) -> str:
    """The error and what to do about it."""
    message = exc.message if isinstance(exc, CairnError) else str(exc)
    if isinstance(exc, ResourceAlreadyExists):
        hint = "Sync it to another store with --to, or delete the clashing run on the target."
    elif isinstance(exc, NotImplementedByStore):
        hint = ""
    elif isinstance(exc, ServiceUnavailable):
        hint = "The target stopped answering; run cairn sync again (it resumes safely)."
    elif isinstance(exc, InvalidParameterValue):
        hint = "Fix it on the target (or pass another --to), then run cairn sync again."
    else:
        hint = "Fix the cause and run cairn sync again; nothing is duplicated by retrying."
    return f"{message} {hint}".strip()
