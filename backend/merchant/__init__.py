"""Merchants' access to Tongdui: API keys (hashed, scoped, revocable) and the operator keys the
backend signs their transactions with."""
