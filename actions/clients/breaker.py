"""A circuit breaker: stop calling a service that keeps failing, probe it now and then.

States: *closed* (calls go through; consecutive failures are counted), *open* (calls are
rejected at once with :class:`CircuitOpen` until ``reset_after`` seconds have passed),
*half-open* (one probe call goes through; its success closes the circuit, its failure
opens it again for another ``reset_after``). Meant for one event loop: every state
change happens between awaits, so no lock is needed.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Literal, TypeVar

__all__ = ["CircuitBreaker", "CircuitOpen", "BreakerState"]

T = TypeVar("T")
BreakerState = Literal["closed", "open", "half_open"]


class CircuitOpen(Exception):
    """The circuit is open: the call was rejected without reaching the service."""


class CircuitBreaker:
    """Counts consecutive failures of one dependency and fails fast while it is down."""

    def __init__(
        self,
        failure_threshold: int = 5,
        reset_after: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Create a closed breaker.

        Args:
            failure_threshold: Consecutive failures that open the circuit (at least 1).
            reset_after: Seconds the circuit stays open before one probe is let through.
            clock: Monotonic seconds (injectable for tests).

        Raises:
            ValueError: A threshold below 1 or a negative ``reset_after``.
        """
        if failure_threshold < 1:
            raise ValueError("failure_threshold must be at least 1")
        if reset_after < 0:
            raise ValueError("reset_after must not be negative")
        self.failure_threshold = failure_threshold
        self.reset_after = reset_after
        self._clock = clock
        self._failures = 0
        self._opened_at: float | None = None
        self._probe_in_flight = False

    @property
    def state(self) -> BreakerState:
        """The current state (an open circuit whose wait is over reads as half-open)."""
        if self._opened_at is None:
            return "closed"
        if self._probe_in_flight or self._clock() - self._opened_at >= self.reset_after:
            return "half_open"
        return "open"

    @property
    def failures(self) -> int:
        """Consecutive failures counted so far."""
        return self._failures

    def before_call(self) -> None:
        """Admit a call or reject it.

        In the half-open state the first caller becomes the probe; everyone else is
        rejected until the probe has reported.

        Raises:
            CircuitOpen: The circuit is open, or a half-open probe is already running.
        """
        if self._opened_at is None:
            return
        if self._probe_in_flight or self._clock() - self._opened_at < self.reset_after:
            raise CircuitOpen("circuit open")
        self._probe_in_flight = True

    def record_success(self) -> None:
        """The admitted call succeeded: close the circuit and reset the count."""
        self._failures = 0
        self._opened_at = None
        self._probe_in_flight = False

    def record_failure(self) -> None:
        """The admitted call failed: count it; open (or re-open) the circuit when due."""
        self._failures += 1
        if self._probe_in_flight or self._failures >= self.failure_threshold:
            self._opened_at = self._clock()
        self._probe_in_flight = False

    def release(self) -> None:
        """The admitted call ended without a verdict (e.g. cancelled): free the probe slot."""
        self._probe_in_flight = False

    async def call(
        self,
        func: Callable[[], Awaitable[T]],
        *,
        failures: tuple[type[BaseException], ...] = (Exception,),
    ) -> T:
        """Run ``func`` through the breaker.

        Args:
            func: The call to make.
            failures: Exception types that count as a failure of the service; any other
                exception (cancellation, a caller's bug) passes through without a verdict.

        Returns:
            What ``func`` returned.

        Raises:
            CircuitOpen: The call was rejected.
        """
        self.before_call()
        try:
            result = await func()
        except failures:
            self.record_failure()
            raise
        except BaseException:
            self.release()
            raise
        self.record_success()
        return result
