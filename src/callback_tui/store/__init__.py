"""Storage: SQLModel tables, the engine, services (every write) and queries (every read)."""
