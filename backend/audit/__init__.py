"""Audit: replays the chain alone, checks invariants, compares, attests."""
