"""The Textual front end. It reads through store.queries and writes through store.services."""

import os

# Textual reads it once, when first imported, which is from here on: see tui/driver.py.
os.environ.setdefault("ESCDELAY", "25")
