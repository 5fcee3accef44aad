"""The SQL registry store, on the same database (and Alembic tree) as the tracking store."""
