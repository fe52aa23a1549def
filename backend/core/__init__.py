"""Cross-cutting pieces: settings, database engine and sessions, the exception tree."""
