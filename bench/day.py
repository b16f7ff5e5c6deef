"""The benchmarks' pinned day, apart from the data generator: a measured start imports this
module, and must not pay for the generator's imports (SQLAlchemy and the tables)."""

from __future__ import annotations

from datetime import UTC, date, datetime

TODAY = date(2026, 11, 24)
NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)  # 09:00 in Chicago
