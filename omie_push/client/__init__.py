"""Talking to Omie: transport, fault classes, pacing, retries, breaker, batches.

The pusher (omie_push.push) hands each endpoint's items to a `Sender` (see `types`); how the
calls are paced, retried and deduplicated is this package's business alone.
"""
