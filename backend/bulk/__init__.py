"""Bulk issuance: a merchant's file of up to 100 000 rows, issued exactly once per
idempotency key, resumable after a restart (issue 18)."""
