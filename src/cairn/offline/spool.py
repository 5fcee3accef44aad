"""The offline spool: an embedded cairn store in a directory, plus two small JSON files.

Layout of ``$CAIRN_OFFLINE_DIR`` (default ``./cairn-offline``)::

    cairn.db           the SQLite tracking store runs are logged to while offline
    artifacts/         their artifacts (the store's default artifact root)
    target.json        the tracking URI the runs were meant for: where ``cairn sync`` sends them
    sync-state.json    what ``cairn sync`` uploaded, per target: only for its summary

The spool is an ordinary cairn store, so ``cairn --tracking-uri ./cairn-offline runs list``
shows what is waiting. Nothing here depends on the state file being right: importing a run
again is idempotent, the file only lets a sync say which runs were already up to date.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cairn.config import (
    DEFAULT_ARTIFACT_DIR,
    DEFAULT_DB_NAME,
    DEFAULT_OFFLINE_DIR,
    Settings,
    default_data_dir,
)
from cairn.errors import InvalidParameterValue
from cairn.store.artifacts import local_path_to_uri

if TYPE_CHECKING:
    from cairn.store.tracking.sql.store import SqlTrackingStore

TARGET_FILE = "target.json"
STATE_FILE = "sync-state.json"

#: One run's entry in the state file: its fingerprint and what was uploaded when.
RunState = dict[str, Any]


def absolute_target(tracking_uri: str | None) -> str:
    """The tracking URI made independent of the working directory, so ``cairn sync`` run from
    elsewhere still finds a local target: None (the embedded default) becomes the absolute
    ``./cairn-data`` and a plain directory path its absolute form; URIs stay as they are."""
    if not tracking_uri:
        return str(default_data_dir().resolve())
    if "://" in tracking_uri or tracking_uri.startswith("file:"):
        return tracking_uri
    return str(Path(tracking_uri).expanduser().resolve())


@dataclass(frozen=True)
class Spool:
    path: Path

    @classmethod
    def from_settings(cls, settings: Settings, directory: str | Path | None = None) -> Spool:
        """The spool in ``directory``, else ``CAIRN_OFFLINE_DIR``, else ``./cairn-offline``."""
        chosen = directory or settings.offline_dir or Path.cwd() / DEFAULT_OFFLINE_DIR
        return cls(Path(chosen).expanduser().resolve())

    @property
    def db_uri(self) -> str:
        return f"sqlite:///{self.path / DEFAULT_DB_NAME}"

    @property
    def artifact_root(self) -> str:
        return local_path_to_uri(self.path / DEFAULT_ARTIFACT_DIR)

    def exists(self) -> bool:
        return (self.path / DEFAULT_DB_NAME).is_file()

    def open_store(self, *, truncate_long_values: bool = True) -> SqlTrackingStore:
        """Open (creating on first use) the spool's store; artifacts always stay in the
        spool, whatever artifact root the settings name, so a sync can find them."""
        from cairn.store.tracking.sql.store import SqlTrackingStore

        self.path.mkdir(parents=True, exist_ok=True)
        return SqlTrackingStore.open(
            self.db_uri, self.artifact_root, truncate_long_values=truncate_long_values
        )

    # --- target --------------------------------------------------------------------------------
    def read_target(self) -> str | None:
        data = self._read_json(TARGET_FILE)
        target = data.get("tracking_uri")
        return target if isinstance(target, str) and target else None

    def record_target(self, tracking_uri: str | None) -> str:
        """Remember where the spooled runs belong (the latest intended target wins)."""
        target = absolute_target(tracking_uri)
        if self.read_target() != target:
            self.path.mkdir(parents=True, exist_ok=True)
            self._write_json(TARGET_FILE, {"tracking_uri": target, "recorded_at": _now_ms()})
        return target

    # --- sync state ----------------------------------------------------------------------------
    def synced_runs(self, target: str) -> dict[str, RunState]:
        """What earlier syncs uploaded to ``target``: run id -> state entry."""
        targets = self._read_json(STATE_FILE).get("targets")
        runs = targets.get(target) if isinstance(targets, dict) else None
        return dict(runs) if isinstance(runs, dict) else {}

    def record_synced(self, target: str, run_id: str, entry: RunState) -> None:
        data = self._read_json(STATE_FILE)
        targets = data.setdefault("targets", {})
        if not isinstance(targets, dict):
            targets = data["targets"] = {}
        targets.setdefault(target, {})[run_id] = {**entry, "synced_at": _now_ms()}
        self._write_json(STATE_FILE, data)

    # --- files ---------------------------------------------------------------------------------
    def _read_json(self, name: str) -> dict[str, Any]:
        """A JSON object from the spool; a missing file is empty, a damaged one an error that
        says which file to delete (both files can be recreated)."""
        path = self.path / name
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except ValueError:
            raise InvalidParameterValue(
                f"The spool file {path} is damaged. Delete it: cairn recreates it (a missing "
                f"{TARGET_FILE} means passing --to to cairn sync)."
            ) from None
        return data if isinstance(data, dict) else {}

    def _write_json(self, name: str, data: dict[str, Any]) -> None:
        """Write beside, then rename: a crash never leaves half a file."""
        path = self.path / name
        partial = path.with_name(f".{name}.{os.getpid()}.tmp")
        partial.write_text(json.dumps(data, indent=2, sort_keys=True), encoding="utf-8")
        os.replace(partial, path)


def _now_ms() -> int:
    return int(time.time() * 1000)
