"""The store's schema migrations (Alembic): `guildboard db upgrade` applies them; see `store.migrate`."""
