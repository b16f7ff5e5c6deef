"""The Textual front end. It reads through store.queries and writes through store.services."""
