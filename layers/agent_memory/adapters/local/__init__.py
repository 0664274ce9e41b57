"""The embedded default backend: SQLite, numpy and in-process workers."""
