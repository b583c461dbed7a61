"""What Omie refused in earlier runs, read back from row_results (no table of its own).

Omie counts a key's errored calls per method over 30 minutes, across runs (omie-api.md §2,
§5.5); row_results keeps every refused row with Omie's fault text and when it came. Two reads:

- `recent_failures`: the failed rows of this company since a moment (the breakers start from
  them, so a cron every 5 minutes cannot walk into the block);
- `last_refusals`: per key of an endpoint, its last answered outcome when that was a failure
  (with the payload hash Omie refused), so an unchanged refused row is not sent again.

Standard SQL only (a window function and a join), so the store runs on PostgreSQL too.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class PastFailure:
    endpoint: str
    key: str | None
    fault: str | None
    faultcode: str | None
    payload_hash: str | None
    recorded_at: datetime


_FAILED = """
select r.endpoint, r.key, r.fault, r.faultcode, r.payload_hash, r.recorded_at
from row_results r join runs u on u.run_id = r.run_id
where u.company = ? and r.status = 'failed' and r.recorded_at >= ?
"""

_LAST = """
select endpoint, key, fault, faultcode, payload_hash, recorded_at from (
  select r.endpoint, r.key, r.status, r.fault, r.faultcode, r.payload_hash, r.recorded_at,
         row_number() over (partition by r.key order by r.recorded_at desc) as newest
  from row_results r join runs u on u.run_id = r.run_id
  where u.company = ? and r.endpoint = ? and r.key is not null
    and r.status in ('sent', 'failed')
) last_answer
where newest = 1 and status = 'failed'
"""


def recent_failures(con, company: str, since: datetime) -> list[PastFailure]:
    """Every failed row of the company recorded at or after `since`."""
    return [PastFailure(*row) for row in con.execute(_FAILED, [company, since]).fetchall()]


def last_refusals(con, company: str, endpoint: str) -> dict[str, PastFailure]:
    """key -> its last failure, for the keys of `endpoint` whose last answer was a failure."""
    return {row[1]: PastFailure(*row) for row in con.execute(_LAST, [company, endpoint]).fetchall()}
