"""HTTP API (FastAPI): routes stay thin; errors are JSON {code, message, details}."""
