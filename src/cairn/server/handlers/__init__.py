"""Request handlers: ``(state, params) -> JSON dict``, run in a worker thread.

Each module covers one resource of the REST API; ``cairn.server.routes`` maps paths to them.
Handlers parse with ``Params``, call the store, encode with ``cairn.wire`` and never touch
HTTP objects, so they stay trivially testable and framework-free.
"""
