"""A merchant's CRM member ids linked to wallet addresses: off chain, salted-hashed, erasable
(issue 18)."""
