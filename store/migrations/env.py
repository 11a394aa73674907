"""How Alembic reaches the database: always through the connection `store.migrate` hands it in
`config.attributes["connection"]`, so the command line, the tests and `open_store` share one way
in (and one lock). There is no alembic.ini: `store.migrate.alembic_config` builds the config."""

from __future__ import annotations

from alembic import context

from store import schema

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=schema.metadata,
    render_as_batch=True,  # SQLite alters a table by rebuilding it
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
