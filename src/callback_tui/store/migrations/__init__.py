"""The schema's history, as Alembic migrations (run by store/migrate.py, never at import)."""
