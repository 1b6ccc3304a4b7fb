"""Agent hours: ``Mon-Fri 09:00-17:00`` in a time zone."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["AgentHours", "parse_hours"]

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_SPEC = re.compile(
    r"^\s*(?P<d1>[A-Za-z]{3})(?:\s*-\s*(?P<d2>[A-Za-z]{3}))?\s+"
    r"(?P<h1>\d{2}):(?P<m1>\d{2})\s*-\s*(?P<h2>\d{2}):(?P<m2>\d{2})\s*$"
)


@dataclass(frozen=True)
class AgentHours:
    """Opening hours: the same time window on a set of weekdays.

    Attributes:
        days: Weekdays open (0 = Monday).
        start: Opening time (local).
        end: Closing time (local, exclusive).
        tz: The time zone's name.
    """

    days: frozenset[int]
    start: dt.time
    end: dt.time
    tz: str

    def is_open(self, now: dt.datetime) -> bool:
        """Whether agents answer at ``now``.

        Args:
            now: An aware instant.

        Returns:
            True inside the hours.
        """
        local = now.astimezone(ZoneInfo(self.tz))
        return local.weekday() in self.days and self.start <= local.time() < self.end

    def next_opening(self, now: dt.datetime) -> dt.datetime:
        """The next instant the hours open (``now`` itself when open).

        Args:
            now: An aware instant.

        Returns:
            The opening instant, in UTC.
        """
        if self.is_open(now):
            return now.astimezone(dt.timezone.utc)
        zone = ZoneInfo(self.tz)
        local = now.astimezone(zone)
        for offset in range(8):
            day = local.date() + dt.timedelta(days=offset)
            if day.weekday() not in self.days:
                continue
            opening = dt.datetime.combine(day, self.start, tzinfo=zone)
            if opening > local:
                return opening.astimezone(dt.timezone.utc)
        raise ValueError("the hours never open")  # pragma: no cover - parse_hours forbids it


def parse_hours(spec: str, tz: str) -> AgentHours:
    """Parse ``Mon-Fri 09:00-17:00`` (or ``Sat 10:00-14:00``).

    Args:
        spec: The hours.
        tz: An IANA time zone name.

    Returns:
        The hours.

    Raises:
        ValueError: The text cannot be read.
    """
    match = _SPEC.match(spec)
    if not match:
        raise ValueError(f"hours must look like 'Mon-Fri 09:00-17:00', got {spec!r}")
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {tz!r}") from None
    first = match["d1"].lower()
    last = (match["d2"] or match["d1"]).lower()
    if first not in DAYS or last not in DAYS:
        raise ValueError(f"unknown weekday in {spec!r}")
    a, b = DAYS.index(first), DAYS.index(last)
    days = frozenset(range(a, b + 1)) if a <= b else frozenset([*range(a, 7), *range(0, b + 1)])
    start = dt.time(int(match["h1"]), int(match["m1"]))
    end_hour, end_minute = int(match["h2"]), int(match["m2"])
    if end_hour == 24 and end_minute == 0:
        end = dt.time.max
    else:
        end = dt.time(end_hour, end_minute)
    if end <= start:
        raise ValueError(f"closing time must be after opening time in {spec!r}")
    return AgentHours(days=days, start=start, end=end, tz=tz)
