"""The ``cairn`` command line: one module per command group, each a thin layer over the client.

Entry point: :func:`cairn.cli.main.cli`. Heavy libraries (SQLAlchemy, Alembic, rich, pandas) are
imported inside commands so that ``cairn --help`` and ``cairn --version`` stay instant.
"""
