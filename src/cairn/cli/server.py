"""``cairn server`` and ``cairn ui``: the tracking server with MLflow's flags.

The store is opened (and a fresh database created) once in this process before any worker
starts, so N workers never race to create the schema; each worker then opens its own pool.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from cairn.cli._context import CliState, pass_state
from cairn.cli._output import console

if TYPE_CHECKING:
    from cairn.server.settings import ServerSettings


def _options(default_workers: int) -> list[click.Option]:
    return [
        click.Option(
            ["-h", "--host"],
            default="127.0.0.1",
            show_default=True,
            help="Interface to listen on; 0.0.0.0 exposes the server to the network.",
        ),
        click.Option(["-p", "--port"], default=5000, show_default=True, type=int),
        click.Option(
            ["-w", "--workers"],
            default=default_workers,
            show_default=True,
            type=int,
            help="Worker processes; they share nothing but the database.",
        ),
        click.Option(
            ["--backend-store-uri"],
            default=None,
            metavar="URI",
            help="Database URI or directory.  [default: the tracking URI, else ./cairn-data]",
        ),
        click.Option(
            ["--registry-store-uri"],
            default=None,
            metavar="URI",
            help="Database URI of the model registry.  [default: the backend store]",
        ),
        click.Option(
            ["--default-artifact-root"],
            default=None,
            metavar="URI",
            help="Artifact root for new experiments.  [default: mlflow-artifacts:/ "
            "with the proxy on, else the artifacts destination]",
        ),
        click.Option(
            ["--artifacts-destination"],
            default=None,
            metavar="URI",
            help="Where the proxy stores artifacts.  [default: <data dir>/artifacts]",
        ),
        click.Option(
            ["--serve-artifacts/--no-serve-artifacts"],
            default=True,
            show_default=True,
            help="Proxy artifact uploads and downloads.",
        ),
        click.Option(
            ["--artifacts-only"],
            is_flag=True,
            help="Serve only the artifact proxy; tracking routes answer 503.",
        ),
        click.Option(
            ["--static-prefix"],
            default="",
            metavar="PREFIX",
            help="URL prefix for every route, e.g. /cairn behind a proxy.",
        ),
        click.Option(
            ["--allowed-hosts"],
            default="",
            metavar="LIST",
            help="Comma-separated Host names to answer besides localhost and IP "
            "addresses (* and *.domain patterns).",
        ),
        click.Option(
            ["--cors-allowed-origins"],
            default="",
            metavar="LIST",
            help="Comma-separated origins allowed to make cross-origin requests.",
        ),
        click.Option(
            ["--webhooks-allow-private"],
            is_flag=True,
            help="Let webhooks call loopback, private and link-local addresses "
            "(refused by default so a webhook cannot probe the server's network).",
        ),
        click.Option(["--access-log/--no-access-log"], default=False, show_default=True),
    ]


def _split(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(",") if v.strip())


@dataclass(frozen=True)
class ServeOptions:
    """The command-line flags, typed once (click hands them over by option name)."""

    host: str
    port: int
    workers: int
    backend_store_uri: str | None
    registry_store_uri: str | None
    default_artifact_root: str | None
    artifacts_destination: str | None
    serve_artifacts: bool
    artifacts_only: bool
    static_prefix: str
    allowed_hosts: str
    cors_allowed_origins: str
    webhooks_allow_private: bool
    access_log: bool


def build_settings(state: CliState, opts: ServeOptions) -> ServerSettings:
    from cairn.server.settings import ServerSettings
    from cairn.store.artifacts import local_path_to_uri
    from cairn.store.tracking.registry import resolve_store_uris

    backend = opts.backend_store_uri or state.tracking_uri
    db_uri, data_artifacts = resolve_store_uris(backend, state.settings)
    destination = opts.artifacts_destination or data_artifacts
    if "://" not in destination:
        destination = local_path_to_uri(Path(destination).expanduser().resolve())
    return ServerSettings(
        backend_store_uri=db_uri,
        artifacts_destination=destination,
        default_artifact_root=opts.default_artifact_root,
        serve_artifacts=opts.serve_artifacts,
        artifacts_only=opts.artifacts_only,
        static_prefix=opts.static_prefix,
        host=opts.host,
        allowed_hosts=_split(opts.allowed_hosts),
        cors_allowed_origins=_split(opts.cors_allowed_origins),
        truncate_long_values=state.settings.truncate_long_values,
        registry_store_uri=_registry_uri(state, opts.registry_store_uri),
        webhooks_allow_private=opts.webhooks_allow_private,
    )


def _registry_uri(state: CliState, uri: str | None) -> str | None:
    if not uri:
        return None
    from cairn.store.tracking.registry import resolve_store_uris

    return resolve_store_uris(uri, state.settings)[0]


def serve(state: CliState, opts: ServeOptions) -> None:
    import uvicorn

    from cairn.server.app import create_app, open_registry_store, open_store
    from cairn.server.settings import SETTINGS_ENV

    settings = build_settings(state, opts)
    open_store(settings).close()  # create or check the schema once, before any worker
    if settings.registry_store_uri:
        open_registry_store(settings).close()
    shown_host = f"[{opts.host}]" if ":" in opts.host else opts.host
    url = f"http://{shown_host}:{opts.port}{settings.static_prefix.rstrip('/')}"
    out = console()
    out.print(f"[bold]cairn server[/] on [link={url}]{url}[/link]")
    out.print(f"  store:     {_hide_password(settings.backend_store_uri)}")
    out.print(f"  artifacts: {settings.artifacts_destination}")
    out.print(f"  use it:    MLFLOW_TRACKING_URI={url}  (or cairn.set_tracking_uri)")
    common: dict[str, Any] = {
        "host": opts.host,
        "port": opts.port,
        "access_log": opts.access_log,
        "log_level": "info",
        "timeout_keep_alive": 30,
    }
    if opts.workers <= 1:
        uvicorn.run(create_app(settings), **common)
        return
    os.environ[SETTINGS_ENV] = settings.to_env()
    uvicorn.run("cairn.server.app:app_from_env", factory=True, workers=opts.workers, **common)


def _hide_password(uri: str) -> str:
    import sqlalchemy as sa

    try:
        return sa.engine.make_url(uri).render_as_string(hide_password=True)
    except (sa.exc.ArgumentError, ValueError):
        return "<database URI>"  # unparsable: never print what may hold a password


def _make_command(name: str, help_text: str, default_workers: int) -> click.Command:
    @pass_state
    def callback(state: CliState, /, **opts: Any) -> None:
        serve(state, ServeOptions(**opts))

    return click.Command(
        name, callback=callback, params=list(_options(default_workers)), help=help_text
    )


server_command = _make_command(
    "server",
    "Run the MLflow-compatible tracking server (REST API, artifact proxy).",
    default_workers=1,
)
ui_command = _make_command(
    "ui",
    "Run the tracking server for local use (same options as `server`).",
    default_workers=1,
)
