"""The grammars of `--limits`, `--latency-ms` and `--faults`, parsed into small frozen objects.

    --limits      real | off | scale=N            (N > 0; multiplies the per-minute rates)
    --latency-ms  RANGE | ENTRY[,ENTRY...]        ENTRY = CALL=RANGE | default=RANGE | RANGE
                  RANGE = MS | MS-MS              (milliseconds; MS-MS is uniform between the two)
    --faults      none | ITEM[,ITEM...]           ITEM = KIND=P[@SECONDS], 0 <= P <= 1
                  KIND = broken | html502 | html503 | html504 | slow | drop | burst429
                         | redundant_after_commit | drop_after_commit | slow_after_commit
                  @SECONDS only for slow (how late the answer comes, default 95),
                  slow_after_commit (how long a committed write's answer is held, default 30)
                  and burst429 (how long the burst of 429s lasts, default 10)

A bad spec raises `TrafficSpecError` (a UsageError: exit code 2) naming the option, the bad part
and what would be accepted.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from omie_push.errors import UsageError

_CALL_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")

# Faults drawn before the call reaches the simulator (nothing is committed).
BEFORE_APP_FAULTS = ("broken", "html502", "html503", "html504", "slow", "drop", "burst429")
# Faults drawn after a write committed (the answer is lost or lies: a blind retry duplicates).
AFTER_COMMIT_FAULTS = ("redundant_after_commit", "drop_after_commit", "slow_after_commit")
FAULT_SECONDS_DEFAULT = {"slow": 95.0, "burst429": 10.0, "slow_after_commit": 30.0}


class TrafficSpecError(UsageError):
    """A `--limits`, `--latency-ms` or `--faults` value that does not follow its grammar."""


def _number(text: str, option: str, what: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise TrafficSpecError(f"{option}: {what} {text!r} is not a number") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise TrafficSpecError(f"{option}: {what} {text!r} is not a finite number")
    return value


@dataclass(frozen=True)
class LimitsSpec:
    """`real` (Omie's numbers), `off` (no limits at all) or `scale=N` (every rate times N)."""

    enabled: bool = True
    scale: float = 1.0

    @classmethod
    def parse(cls, text: str | None) -> "LimitsSpec":
        spec = (text or "real").strip().lower()
        if spec == "real":
            return cls()
        if spec == "off":
            return cls(enabled=False)
        if spec.startswith("scale="):
            scale = _number(spec[6:], "--limits", "scale")
            if scale <= 0:
                raise TrafficSpecError(f"--limits: scale must be above 0, got {spec[6:]!r}")
            return cls(scale=scale)
        raise TrafficSpecError(
            f"--limits: {text!r} is not one of real, off, scale=N (e.g. scale=10)")


@dataclass(frozen=True)
class LatencySpec:
    """Milliseconds of delay per call: a (low, high) range per call name and a default range."""

    default: tuple[float, float] = (0.0, 0.0)
    per_call: dict[str, tuple[float, float]] = field(default_factory=dict)

    @classmethod
    def parse(cls, text: str | int | float | None) -> "LatencySpec":
        if text is None or str(text).strip() in ("", "0", "none"):
            return cls()
        default, per_call = None, {}
        for part in str(text).split(","):
            name, sep, range_text = part.strip().rpartition("=")
            name = name.strip() if sep else "default"
            if not _CALL_NAME.match(name):
                raise TrafficSpecError(
                    f"--latency-ms: {part.strip()!r}: expected CALL=MS, CALL=MS-MS, default=MS or MS")
            ms_range = cls._range(range_text.strip())
            if name == "default":
                if default is not None:
                    raise TrafficSpecError(f"--latency-ms: the default is given twice in {text!r}")
                default = ms_range
            elif name in per_call:
                raise TrafficSpecError(f"--latency-ms: {name} is given twice in {text!r}")
            else:
                per_call[name] = ms_range
        return cls(default=default or (0.0, 0.0), per_call=per_call)

    @staticmethod
    def _range(text: str) -> tuple[float, float]:
        low_text, dash, high_text = text.partition("-")
        low = _number(low_text, "--latency-ms", "milliseconds")
        high = _number(high_text, "--latency-ms", "milliseconds") if dash else low
        if low < 0 or high < low:
            raise TrafficSpecError(
                f"--latency-ms: {text!r} must be MS or LOW-HIGH with 0 <= LOW <= HIGH")
        return (low, high)

    def seconds(self, call: str, draw: float) -> float:
        """The delay for `call`, given a uniform draw in [0, 1)."""
        low, high = self.per_call.get(call, self.default)
        return (low + (high - low) * draw) / 1000.0


@dataclass(frozen=True)
class FaultSpec:
    """Probability of each injected fault, plus the seconds of `slow` and `burst429`."""

    rates: dict[str, float] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=lambda: dict(FAULT_SECONDS_DEFAULT))

    @classmethod
    def parse(cls, text: str | None) -> "FaultSpec":
        if text is None or text.strip().lower() in ("", "none", "off"):
            return cls()
        rates, seconds = {}, dict(FAULT_SECONDS_DEFAULT)
        for part in text.split(","):
            kind, sep, value = (p.strip() for p in part.partition("="))
            if kind not in BEFORE_APP_FAULTS + AFTER_COMMIT_FAULTS or not sep:
                raise TrafficSpecError(
                    f"--faults: {part.strip()!r}: expected KIND=P with KIND one of "
                    f"{', '.join(BEFORE_APP_FAULTS + AFTER_COMMIT_FAULTS)}")
            if kind in rates:
                raise TrafficSpecError(f"--faults: {kind} is given twice in {text!r}")
            p_text, at, s_text = value.partition("@")
            rate = _number(p_text, "--faults", f"the probability of {kind}")
            if not 0 <= rate <= 1:
                raise TrafficSpecError(f"--faults: the probability of {kind} must be within 0..1")
            if at:
                if kind not in FAULT_SECONDS_DEFAULT:
                    raise TrafficSpecError(f"--faults: {kind} takes no @SECONDS "
                                           f"(only {', '.join(FAULT_SECONDS_DEFAULT)})")
                seconds[kind] = _number(s_text, "--faults", f"the seconds of {kind}")
                if seconds[kind] <= 0:
                    raise TrafficSpecError(f"--faults: the seconds of {kind} must be above 0")
            rates[kind] = rate
        for group in (BEFORE_APP_FAULTS, AFTER_COMMIT_FAULTS):
            if sum(rates.get(k, 0.0) for k in group) > 1 + 1e-9:
                raise TrafficSpecError(
                    f"--faults: the probabilities of {', '.join(group)} add up to more than 1")
        return cls(rates=rates, seconds=seconds)

    def pick(self, group: tuple[str, ...], draw: float) -> str | None:
        """The fault of `group` a uniform draw in [0, 1) falls on, or None for a clean answer."""
        edge = 0.0
        for kind in group:
            edge += self.rates.get(kind, 0.0)
            if draw < edge:
                return kind
        return None
