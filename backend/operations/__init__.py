"""A merchant's operators (named people with roles, each with its own API keys) and the
append-only, hash-chained operation log of every merchant and consortium action (issue 18.4)."""
