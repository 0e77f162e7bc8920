"""A per-process limit of events per key and minute, for sign-in attempts.

It is bounded (the least recently seen keys are forgotten beyond ``max_keys``) and thread-safe.
Each replica counts its own attempts: with sticky sessions a client meets one replica, and the
account lockout, counted in the database, bounds what any number of replicas can check.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from datetime import datetime, timedelta
from threading import Lock

WINDOW = timedelta(minutes=1)


class Throttle:
    """At most a given number of events per key in any minute."""

    def __init__(self, max_keys: int = 10_000) -> None:
        self._max_keys = max_keys
        self._seen: OrderedDict[str, deque[datetime]] = OrderedDict()
        self._lock = Lock()

    def allow(self, key: str, moment: datetime, per_minute: int) -> bool:
        """Count an event for ``key`` at ``moment``; False when ``key`` already had
        ``per_minute`` events in the minute before."""
        with self._lock:
            events = self._seen.setdefault(key, deque())
            self._seen.move_to_end(key)
            while events and moment - events[0] >= WINDOW:
                events.popleft()
            if len(events) >= per_minute:
                return False
            events.append(moment)
            while len(self._seen) > self._max_keys:
                self._seen.popitem(last=False)
            return True

    def clear(self) -> None:
        """Forget every count (tests start from a clean slate)."""
        with self._lock:
            self._seen.clear()
