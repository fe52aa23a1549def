"""Webhooks (issue 18 point 1): a merchant's endpoints, the outbox of final chain events,
signed deliveries in order per endpoint with retries, and the check a receiver runs."""
