"""Cases and tickets the console could not take yet: kept on disk, retried until it can.

When the console is down as a handoff fires, the shopper is told and the case goes into a
small JSON-lines file (:class:`PendingHandoffs`), one entry per conversation and kind, so
a restart of the action server loses nothing. :class:`HandoffRetrier` sends the waiting
entries again: at once when a later action asks it to (``kick``) and every
``interval`` seconds from a timer task started on first use inside the server's event loop.
Cases are idempotent on the console's side (``conversation_id``), so sending one twice is
harmless; a ticket is sent again only from this file.

The file holds personal data (ticket contacts, conversation summaries): it lives under
``var/`` (never committed) and its entries are deleted as soon as the console has them.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import json
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Literal, TypedDict

from actions.clients.console import CaseRequest, ConsoleClient, ConsoleUnavailable, TicketRequest

__all__ = ["HandoffRetrier", "PendingEntry", "PendingHandoffs"]

logger = logging.getLogger(__name__)


Kind = Literal["case", "ticket", "erase_customer", "erase_conversation"]
#: Erasures are kept even when their conversation is forgotten: they are what forgets it.
ERASURES = frozenset({"erase_customer", "erase_conversation"})


class PendingEntry(TypedDict):
    """One waiting request."""

    kind: Kind
    #: The conversation (``case``, ``ticket``, ``erase_conversation``) or the customer id
    #: (``erase_customer``).
    conversation_id: str
    body: dict[str, Any]
    queued_at: float
    attempts: int


class PendingHandoffs:
    """A JSON-lines file of waiting cases, tickets and erasures (rewritten atomically)."""

    def __init__(self, path: Path, clock: Callable[[], float] = time.time) -> None:
        """Create the store; the file is created on the first ``add``.

        Args:
            path: The JSON-lines file.
            clock: Wall-clock seconds (injectable for tests).
        """
        self.path = path
        self._clock = clock
        self._threads = threading.Lock()

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold the queue against other threads and other processes.

        Action-server workers and replicas may share the file on a volume: ``flock`` on a
        ``.lock`` file beside it.
        """
        with self._threads:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            lock_path = self.path.with_suffix(self.path.suffix + ".lock")
            with open(lock_path, "a", encoding="utf-8") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX)
                try:
                    yield
                finally:
                    fcntl.flock(handle, fcntl.LOCK_UN)

    def _read(self) -> list[PendingEntry]:
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return []
        entries: list[PendingEntry] = []
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                entries.append(json.loads(line))
            except ValueError:
                logger.error("handoff queue: line %d is not JSON, skipped", number)
        return entries

    def _write(self, entries: list[PendingEntry]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(self.path.suffix + ".tmp")
        text = "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entries)
        temporary.write_text(text, encoding="utf-8")
        os.chmod(temporary, 0o600)
        os.replace(temporary, self.path)

    def entries(self) -> list[PendingEntry]:
        """The waiting entries, oldest first."""
        with self._locked():
            return self._read()

    def __len__(self) -> int:
        """How many entries wait."""
        return len(self.entries())

    def add_case(self, case: CaseRequest) -> None:
        """Keep a case (replacing a waiting case of the same conversation).

        Args:
            case: The case the console did not take.
        """
        self._add("case", case["conversation_id"], dict(case))

    def add_ticket(self, ticket: TicketRequest) -> None:
        """Keep a ticket (replacing a waiting ticket of the same conversation).

        Args:
            ticket: The ticket the console did not take.
        """
        self._add("ticket", ticket["conversation_id"], dict(ticket))

    def add_erasure(
        self, kind: Literal["erase_customer", "erase_conversation"], target: str
    ) -> None:
        """Keep an erasure the console could not do yet (it holds personal data until then).

        Args:
            kind: ``erase_customer`` or ``erase_conversation``.
            target: The customer id or the conversation id.
        """
        self._add(kind, target, {})

    def _add(self, kind: Kind, conversation_id: str, body: dict[str, Any]) -> None:
        with self._locked():
            entries = [
                e
                for e in self._read()
                if not (e["kind"] == kind and e["conversation_id"] == conversation_id)
            ]
            entries.append(
                {
                    "kind": kind,
                    "conversation_id": conversation_id,
                    "body": body,
                    "queued_at": self._clock(),
                    "attempts": 1,
                }
            )
            self._write(entries)

    def remove(self, kind: str, conversation_id: str) -> None:
        """Forget an entry (sent, or its conversation was erased).

        Args:
            kind: ``case`` or ``ticket``.
            conversation_id: The conversation.
        """
        with self._locked():
            entries = self._read()
            kept = [
                e
                for e in entries
                if not (e["kind"] == kind and e["conversation_id"] == conversation_id)
            ]
            if len(kept) != len(entries):
                self._write(kept)

    def forget_conversation(self, conversation_id: str) -> None:
        """Forget every entry of a conversation (erasure).

        Args:
            conversation_id: The conversation.
        """
        with self._locked():
            entries = self._read()
            kept = [
                e
                for e in entries
                if e["kind"] in ERASURES or e["conversation_id"] != conversation_id
            ]
            if len(kept) != len(entries):
                self._write(kept)

    def count_attempt(self, kind: str, conversation_id: str) -> None:
        """Add one failed attempt to an entry.

        Args:
            kind: ``case`` or ``ticket``.
            conversation_id: The conversation.
        """
        with self._locked():
            entries = self._read()
            for entry in entries:
                if entry["kind"] == kind and entry["conversation_id"] == conversation_id:
                    entry["attempts"] += 1
            self._write(entries)


class HandoffRetrier:
    """Sends waiting entries to the console: on request and on a timer."""

    def __init__(self, pending: PendingHandoffs, console: ConsoleClient, interval: float) -> None:
        """Create the retrier (no task is started here).

        Args:
            pending: The waiting entries.
            console: The console's client.
            interval: Seconds between timer rounds.
        """
        self.pending = pending
        self.console = console
        self.interval = interval
        self._round: asyncio.Task[int] | None = None
        self._timer: asyncio.Task[None] | None = None

    async def retry_now(self) -> int:
        """Send every waiting entry, oldest first; stop at the first failure.

        Returns:
            How many entries the console took.
        """
        sent = 0
        for entry in self.pending.entries():
            kind, conversation_id = entry["kind"], entry["conversation_id"]
            try:
                if kind == "case":
                    await self.console.open_case(entry["body"])  # type: ignore[arg-type]
                elif kind == "ticket":
                    await self.console.open_ticket(entry["body"])  # type: ignore[arg-type]
                elif kind == "erase_customer":
                    await self.console.erase_customer(conversation_id)
                else:
                    await self.console.erase_conversation(conversation_id)
            except ConsoleUnavailable as exc:
                if exc.status is not None and not exc.service_failure:
                    # The console refused it (4xx): sending it again will not help.
                    logger.error("handoff queue: console refused a waiting %s (%s)", kind, exc)
                    self.pending.remove(kind, conversation_id)
                    continue
                self.pending.count_attempt(kind, conversation_id)
                break
            self.pending.remove(kind, conversation_id)
            sent += 1
        if sent:
            logger.info("handoff queue: the console took %d waiting entries", sent)
        return sent

    def kick(self) -> None:
        """Start a retry round in the background when entries wait and none is running."""
        if self._round is not None and not self._round.done():
            return
        if not self.pending.path.exists() or not self.pending.entries():
            return
        self._round = asyncio.get_running_loop().create_task(self.retry_now())

    def ensure_timer(self) -> None:
        """Start the timer task in the running loop (once per loop)."""
        loop = asyncio.get_running_loop()
        if self._timer is not None and not self._timer.done() and self._timer.get_loop() is loop:
            return
        self._timer = loop.create_task(self._run_timer())

    async def _run_timer(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            try:
                await self.retry_now()
            except Exception as exc:  # noqa: BLE001 - the timer must survive
                logger.error("handoff queue: retry round failed (%s)", type(exc).__name__)

    async def settle(self) -> None:
        """Wait for a running retry round (tests, shutdown)."""
        if self._round is not None:
            await asyncio.gather(self._round, return_exceptions=True)

    async def stop(self) -> None:
        """Stop the timer and wait for a running round."""
        if self._timer is not None:
            self._timer.cancel()
            await asyncio.gather(self._timer, return_exceptions=True)
            self._timer = None
        await self.settle()
