"""Relayer: takes signed orders, validates, persists, batches and settles them on chain."""
