"""Omie's published limits (docs/reference/omie-api.md §2), named once.

The sandbox enforces them (omie_push.sandbox.traffic) and the sender paces itself under them
(omie_push.client.types.Budgets); both read these numbers so the two can never disagree.
"""

CALLS_PER_MINUTE_PER_IP = 960
CALLS_PER_MINUTE_PER_METHOD = 240        # per app key and method
READS_IN_FLIGHT_PER_METHOD = 4
WRITES_IN_FLIGHT_PER_METHOD = 1          # "no concurrency for inclusions/alterations"
REDUNDANT_WINDOW_SECONDS = 60.0          # the same request again within it: REDUNDANT
MISUSE_ERRORS = 10                       # the 10th errored call on a method blocks it...
MISUSE_WINDOW_SECONDS = 1800.0           # ... counted over this window ...
MISUSE_BLOCK_SECONDS = 1800.0            # ... for about 30 minutes (HTTP 425)
