"""The console's data operations: cases, queue, claims, events, tickets, audit, erasure.

Every method opens its own transaction. Claims are conditional updates, so two agents
claiming the same case at once cannot both win.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from console.models import Agent, AgentSession, AuditEntry, CannedReply, Case, CaseEvent, Ticket
from console.schemas import CaseIn, ErasureOut, TicketIn

__all__ = [
    "Clock",
    "ConsoleError",
    "Store",
    "case_ref",
    "ticket_ref",
    "parse_case_ref",
    "parse_ticket_ref",
    "utc",
]

Clock = Callable[[], dt.datetime]
OPEN = ("queued", "claimed")
ONLINE_WINDOW = dt.timedelta(minutes=15)


def _rowcount(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


def utc(value: dt.datetime) -> dt.datetime:
    """The instant as an aware UTC datetime (SQLite gives back naive ones).

    Args:
        value: A datetime.

    Returns:
        The same instant, aware.
    """
    return value.replace(tzinfo=dt.timezone.utc) if value.tzinfo is None else value


class ConsoleError(Exception):
    """A request the console refuses, with its HTTP status and a message for people."""

    def __init__(self, status: int, detail: str) -> None:
        """Create the error.

        Args:
            status: The HTTP status.
            detail: The message.
        """
        super().__init__(detail)
        self.status = status
        self.detail = detail


def case_ref(case_id: int) -> str:
    """``C-000123``.

    Args:
        case_id: The row id.

    Returns:
        The public case id.
    """
    return f"C-{case_id:06d}"


def ticket_ref(ticket_id: int) -> str:
    """``T-000045``.

    Args:
        ticket_id: The row id.

    Returns:
        The public ticket id.
    """
    return f"T-{ticket_id:06d}"


def _parse_ref(ref: str, prefix: str, what: str) -> int:
    digits = ref[len(prefix) :] if ref.upper().startswith(prefix) else ref
    if not digits.isdigit() or len(digits) > 12:
        raise ConsoleError(404, f"no such {what}")
    return int(digits)


def parse_case_ref(ref: str) -> int:
    """The row id of ``C-000123`` (or ``123``).

    Args:
        ref: The public id.

    Returns:
        The row id.

    Raises:
        ConsoleError: 404 when the text is not a case id.
    """
    return _parse_ref(ref, "C-", "case")


def parse_ticket_ref(ref: str) -> int:
    """The row id of ``T-000045`` (or ``45``).

    Args:
        ref: The public id.

    Returns:
        The row id.

    Raises:
        ConsoleError: 404 when the text is not a ticket id.
    """
    return _parse_ref(ref, "T-", "ticket")


def _iso(value: dt.datetime | None) -> str | None:
    return utc(value).isoformat() if value is not None else None


def _priority_key(case: Case) -> tuple[int, float, dt.datetime]:
    return (0 if case.priority == "vip" else 1, case.sentiment_score, utc(case.created_at))


@dataclass(frozen=True)
class Actor:
    """Who acts: an agent (id, display name, admin or not)."""

    id: int
    name: str
    admin: bool


class Store:
    """Data operations over a session factory and a clock."""

    def __init__(self, sessions: sessionmaker[Session], clock: Clock, claim_timeout: int) -> None:
        """Create the store.

        Args:
            sessions: The session factory.
            clock: Returns the current UTC instant.
            claim_timeout: Seconds an idle claimed case stays with its agent.
        """
        self._sessions = sessions
        self.clock = clock
        self._timeout = dt.timedelta(seconds=claim_timeout)

    # -- helpers -------------------------------------------------------------------------
    @staticmethod
    def _audit(
        session: Session,
        actor: Actor | None,
        action: str,
        case_id: int | None,
        at: dt.datetime,
        detail: str = "",
    ) -> None:
        session.add(
            AuditEntry(
                agent_id=actor.id if actor else None,
                actor=actor.name if actor else "service",
                action=action,
                case_id=case_id,
                detail=detail,
                at=at,
            )
        )

    def agents_online(self, session: Session) -> int:
        """Active agents with a session used in the last 15 minutes.

        Args:
            session: An open session.

        Returns:
            The count.
        """
        since = self.clock() - ONLINE_WINDOW
        query = (
            select(func.count(func.distinct(AgentSession.agent_id)))
            .join(Agent, Agent.id == AgentSession.agent_id)
            .where(Agent.active.is_(True), AgentSession.last_seen >= since)
        )
        return int(session.execute(query).scalar_one())

    def _queued(self, session: Session) -> list[Case]:
        rows = session.scalars(select(Case).where(Case.status == "queued")).all()
        return sorted(rows, key=_priority_key)

    def _position(self, session: Session, case: Case) -> int | None:
        if case.status != "queued":
            return None
        ids = [c.id for c in self._queued(session)]
        return ids.index(case.id) + 1 if case.id in ids else None

    # -- service API ---------------------------------------------------------------------
    def open_case(self, body: CaseIn) -> tuple[dict[str, Any], bool]:
        """Open the conversation's case, or return the one already open.

        Args:
            body: The request.

        Returns:
            The answer and whether a case was created.
        """
        now = self.clock()
        scores = [point.score for point in body.sentiment_trail]
        case = Case(
            conversation_id=body.conversation_id,
            open_key=body.conversation_id,
            channel=body.channel,
            language=body.language,
            reason=body.reason,
            reason_detail=body.reason_detail,
            customer_id=body.customer_id,
            profile=body.profile,
            sentiment_trail=[p.model_dump() for p in body.sentiment_trail],
            summary=body.summary.model_dump(by_alias=True),
            priority=body.priority_hint,
            sentiment_score=min(scores) if scores else 0.0,
            status="queued",
            created_at=now,
        )
        with self._sessions() as session:
            open_query = select(Case.id).where(Case.open_key == body.conversation_id)
            created = session.scalars(open_query).first() is None
            if created:
                try:
                    session.add(case)
                    session.flush()
                    self._audit(session, None, "case_opened", case.id, now)
                    session.commit()
                except IntegrityError:  # a concurrent retry opened it first
                    session.rollback()
                    created = False
            self.expire_claims(session)
            found = session.scalars(select(Case).where(Case.open_key == body.conversation_id)).one()
            answer = {
                "case_id": case_ref(found.id),
                "status": found.status,
                "queue_position": self._position(session, found),
                "agents_online": self.agents_online(session),
            }
            session.commit()
        return answer, created

    def create_ticket(self, body: TicketIn) -> str:
        """Store a callback or email ticket.

        Args:
            body: The request.

        Returns:
            The ticket id.
        """
        now = self.clock()
        with self._sessions() as session:
            ticket = Ticket(
                conversation_id=body.conversation_id,
                customer_id=body.customer_id,
                language=body.language,
                kind=body.kind,
                contact=body.contact,
                reason=body.reason,
                summary=body.summary.model_dump(by_alias=True) if body.summary else None,
                created_at=now,
            )
            session.add(ticket)
            session.flush()
            ref = ticket_ref(ticket.id)
            self._audit(session, None, f"ticket_{body.kind}", None, now, detail=ref)
            session.commit()
            return ref

    @staticmethod
    def _ticket_dict(ticket: Ticket, names: dict[int, str]) -> dict[str, Any]:
        return {
            "ticket_id": ticket_ref(ticket.id),
            "status": ticket.status,
            "kind": ticket.kind,
            "contact": ticket.contact,
            "language": ticket.language,
            "reason": ticket.reason,
            "summary": ticket.summary,
            "customer_id": ticket.customer_id,
            "conversation_id": ticket.conversation_id,
            "created_at": _iso(ticket.created_at),
            "handled_by": names.get(ticket.handled_by) if ticket.handled_by else None,
            "handled_at": _iso(ticket.handled_at),
            "note": ticket.handled_note,
        }

    def tickets(self, handled_limit: int = 200) -> list[dict[str, Any]]:
        """Tickets for the agents: every open one, then the latest handled ones.

        Contacts are personal data: for logged-in agents only, never logged.

        Args:
            handled_limit: How many handled tickets to list.

        Returns:
            Open tickets newest first, then handled tickets newest first.
        """
        newest = (Ticket.created_at.desc(), Ticket.id.desc())
        with self._sessions() as session:
            opened = session.scalars(
                select(Ticket).where(Ticket.status == "open").order_by(*newest)
            ).all()
            handled = session.scalars(
                select(Ticket).where(Ticket.status != "open").order_by(*newest).limit(handled_limit)
            ).all()
            names = dict(session.execute(select(Agent.id, Agent.display_name)).tuples().all())
            return [self._ticket_dict(t, names) for t in [*opened, *handled]]

    def handle_ticket(
        self, ticket_id: int, actor: Actor, note: str, key: str
    ) -> tuple[dict[str, Any], bool]:
        """Mark an open ticket handled, with a note (once: a conditional update).

        Args:
            ticket_id: The row id.
            actor: The agent.
            note: What was done (called back, emailed...).
            key: The request's idempotency key.

        Returns:
            The ticket, and whether this call handled it (``False``: the same key again).

        Raises:
            ConsoleError: 404 unknown; 409 already handled (by another request).
        """
        now = self.clock()
        with self._sessions() as session:
            won = _rowcount(
                session.execute(
                    update(Ticket)
                    .where(Ticket.id == ticket_id, Ticket.status == "open")
                    .values(
                        status="handled",
                        handled_by=actor.id,
                        handled_at=now,
                        handled_note=note,
                        handled_key=key,
                    )
                    .execution_options(synchronize_session=False)
                )
            )
            ticket = session.get(Ticket, ticket_id)
            if ticket is None:
                raise ConsoleError(404, "no such ticket")
            if won:
                self._audit(session, actor, "ticket_handled", None, now, ticket_ref(ticket_id))
                session.commit()
            else:
                session.rollback()
            ticket = session.get(Ticket, ticket_id)
            assert ticket is not None
            names = dict(session.execute(select(Agent.id, Agent.display_name)).tuples().all())
            answer = self._ticket_dict(ticket, names)
            if not won and not (ticket.handled_key == key and ticket.handled_by == actor.id):
                who = answer["handled_by"] or "another agent"
                raise ConsoleError(
                    409, f"ticket {ticket_ref(ticket_id)} was already handled by {who}"
                )
            return answer, bool(won)

    def count_open_tickets(self, session: Session) -> int:
        """Open tickets.

        Args:
            session: An open session.

        Returns:
            The count.
        """
        query = select(func.count()).select_from(Ticket).where(Ticket.status == "open")
        return int(session.execute(query).scalar_one())

    def handed_off_conversations(self, since: dt.datetime) -> set[str]:
        """Conversations with a case opened since an instant.

        Args:
            since: The instant (UTC).

        Returns:
            Their conversation ids.
        """
        with self._sessions() as session:
            query = select(Case.conversation_id).where(Case.created_at >= since).distinct()
            return set(session.scalars(query))

    def count_online(self) -> int:
        """Agents online now.

        Returns:
            The count.
        """
        with self._sessions() as session:
            return self.agents_online(session)

    def erase(
        self, *, customer_id: str | None = None, conversation_id: str | None = None
    ) -> ErasureOut:
        """Erase a customer's or a conversation's cases, events and tickets.

        The audit log keeps its entries (who, what, when, case id): no personal data.

        Args:
            customer_id: Erase this customer's records.
            conversation_id: Erase this conversation's records.

        Returns:
            What was erased.
        """
        now = self.clock()
        with self._sessions() as session:
            if customer_id is not None:
                case_filter = Case.customer_id == customer_id
                ticket_filter = Ticket.customer_id == customer_id
            else:
                case_filter = Case.conversation_id == conversation_id
                ticket_filter = Ticket.conversation_id == conversation_id
            case_ids = list(session.scalars(select(Case.id).where(case_filter)))
            events = 0
            if case_ids:
                events = _rowcount(
                    session.execute(delete(CaseEvent).where(CaseEvent.case_id.in_(case_ids)))
                )
                session.execute(delete(Case).where(Case.id.in_(case_ids)))
            tickets = _rowcount(session.execute(delete(Ticket).where(ticket_filter)))
            for case_id in case_ids:
                self._audit(session, None, "erased", case_id, now)
            session.commit()
        return ErasureOut(cases=len(case_ids), case_events=events, tickets=tickets)

    # -- agent side ----------------------------------------------------------------------
    def expire_claims(self, session: Session) -> int:
        """Return claimed cases idle longer than the claim timeout to the queue.

        Args:
            session: An open session (the caller commits).

        Returns:
            How many cases went back.
        """
        now = self.clock()
        idle = session.scalars(
            select(Case).where(
                Case.status == "claimed", Case.last_agent_activity < now - self._timeout
            )
        ).all()
        for case in idle:
            session.execute(
                update(Case)
                .where(Case.id == case.id, Case.status == "claimed")
                .values(status="queued", claimed_by=None, claimed_at=None)
            )
            self._audit(session, None, "claim_expired", case.id, now)
        return len(idle)

    def queue(self) -> list[dict[str, Any]]:
        """Open cases: the queued ones by priority, then the claimed ones.

        Returns:
            One row per case.
        """
        now = self.clock()
        with self._sessions() as session:
            self.expire_claims(session)
            session.commit()
            queued = self._queued(session)
            claimed = session.scalars(
                select(Case).where(Case.status == "claimed").order_by(Case.claimed_at)
            ).all()
            names = dict(session.execute(select(Agent.id, Agent.display_name)).tuples().all())
            rows = []
            for position, case in enumerate([*queued, *claimed], start=1):
                rows.append(
                    {
                        "case_id": case_ref(case.id),
                        "status": case.status,
                        "queue_position": position if case.status == "queued" else None,
                        "priority": case.priority,
                        "reason": case.reason,
                        "language": case.language,
                        "channel": case.channel,
                        "sentiment": case.sentiment_score,
                        "waiting_seconds": int((now - utc(case.created_at)).total_seconds()),
                        "claimed_by": names.get(case.claimed_by) if case.claimed_by else None,
                    }
                )
            return rows

    def get_case(self, case_id: int) -> Case:
        """One case.

        Args:
            case_id: The row id.

        Returns:
            The case.

        Raises:
            ConsoleError: 404.
        """
        with self._sessions() as session:
            self.expire_claims(session)
            session.commit()
            case = session.get(Case, case_id)
            if case is None:
                raise ConsoleError(404, "no such case")
            return case

    def agent_name(self, agent_id: int | None) -> str | None:
        """An agent's display name.

        Args:
            agent_id: The id.

        Returns:
            The name, or None.
        """
        if agent_id is None:
            return None
        with self._sessions() as session:
            agent = session.get(Agent, agent_id)
            return agent.display_name if agent else None

    def claim(self, case_id: int, actor: Actor) -> Case:
        """Claim a queued case.

        Args:
            case_id: The row id.
            actor: The agent.

        Returns:
            The claimed case.

        Raises:
            ConsoleError: 404 unknown; 409 already claimed or closed.
        """
        now = self.clock()
        with self._sessions() as session:
            self.expire_claims(session)
            session.commit()
            won = _rowcount(
                session.execute(
                    update(Case)
                    .where(Case.id == case_id, Case.status == "queued")
                    .values(
                        status="claimed",
                        claimed_by=actor.id,
                        claimed_at=now,
                        last_agent_activity=now,
                        first_claimed_at=func.coalesce(Case.first_claimed_at, now),
                    )
                )
            )
            case = session.get(Case, case_id)
            if case is None:
                raise ConsoleError(404, "no such case")
            if not won:
                session.rollback()
                case = session.get(Case, case_id)
                assert case is not None
                if case.status == "claimed":
                    if case.claimed_by == actor.id:
                        return case
                    holder = session.get(Agent, case.claimed_by) if case.claimed_by else None
                    name = holder.display_name if holder else "another agent"
                    raise ConsoleError(409, f"already claimed by {name}")
                raise ConsoleError(409, f"case is already {case.status.replace('_', ' ')}")
            self._audit(session, actor, "claim", case_id, now)
            session.commit()
            session.refresh(case)
            return case

    def heartbeat(self, case_id: int, actor: Actor) -> Case:
        """Keep a claim alive while its agent has the case page open.

        Expired claims go back to the queue first, so an abandoned page cannot revive one.

        Args:
            case_id: The row id.
            actor: The agent.

        Returns:
            The case.

        Raises:
            ConsoleError: 404, 403 or 409 (see :meth:`_held`).
        """
        now = self.clock()
        with self._sessions() as session:
            self.expire_claims(session)
            session.commit()
            case = self._held(session, case_id, actor)
            if case.status == "claimed" and case.claimed_by == actor.id:
                case.last_agent_activity = now
            session.commit()
            session.refresh(case)
            return case

    def _held(
        self, session: Session, case_id: int, actor: Actor, *, handed_back_ok: bool = False
    ) -> Case:
        case = session.get(Case, case_id)
        if case is None:
            raise ConsoleError(404, "no such case")
        allowed = (*OPEN, "handed_back") if handed_back_ok else OPEN
        if case.status not in allowed:
            raise ConsoleError(409, f"case is already {case.status.replace('_', ' ')}")
        if not actor.admin:
            if case.status == "queued":
                raise ConsoleError(409, "claim the case first")
            if case.claimed_by != actor.id:
                holder = session.get(Agent, case.claimed_by) if case.claimed_by else None
                name = holder.display_name if holder else "another agent"
                raise ConsoleError(403, f"case is claimed by {name}")
        return case

    def record(
        self,
        case_id: int,
        actor: Actor,
        kind: str,
        key: str,
        text: str = "",
        data: dict[str, Any] | None = None,
    ) -> tuple[CaseEvent, Case, bool]:
        """Store an agent's action once per idempotency key.

        A repeated key returns the stored event (``False``) even if the case has closed since.
        ``resolve`` is also accepted on a handed-back case (closing it with a note).

        Args:
            case_id: The row id.
            actor: The agent.
            kind: ``reply``, ``product_card``, ``handback`` or ``resolve``.
            key: The client's idempotency key.
            text: The message or note.
            data: Extra data (a product card).

        Returns:
            The event, the case, and whether the event is new.

        Raises:
            ConsoleError: 404, 403 or 409 (see :meth:`_held`).
        """
        now = self.clock()
        with self._sessions() as session:
            existing = session.scalars(
                select(CaseEvent).where(
                    CaseEvent.case_id == case_id, CaseEvent.idempotency_key == key
                )
            ).first()
            if existing is not None:
                if existing.kind != kind:
                    raise ConsoleError(409, "idempotency key already used for another action")
                case = session.get(Case, case_id)
                assert case is not None
                return existing, case, False
            self.expire_claims(session)
            session.commit()
            # A handed-back case can still be resolved with a note (by its agent or an admin).
            case = self._held(session, case_id, actor, handed_back_ok=kind == "resolve")
            event = CaseEvent(
                case_id=case_id,
                kind=kind,
                agent_id=actor.id,
                text=text,
                data=data,
                idempotency_key=key,
                at=now,
            )
            session.add(event)
            case.last_agent_activity = now
            try:
                session.flush()
            except IntegrityError:  # the same key, concurrently
                session.rollback()
                return self.record(case_id, actor, kind, key, text, data)
            self._audit(session, actor, kind, case_id, now)
            session.commit()
            return event, case, True

    def mark_delivered(self, event_id: int) -> None:
        """Note that Rasa accepted the event.

        Args:
            event_id: The event's id.
        """
        with self._sessions() as session:
            session.execute(
                update(CaseEvent).where(CaseEvent.id == event_id).values(delivered=True)
            )
            session.commit()

    def close(self, case_id: int, status: str, note: str | None = None) -> Case:
        """Close a case (handed back or resolved).

        Args:
            case_id: The row id.
            status: ``handed_back`` or ``resolved``.
            note: The resolution note.

        Returns:
            The case.
        """
        now = self.clock()
        with self._sessions() as session:
            case = session.get(Case, case_id)
            assert case is not None
            case.status = status
            case.open_key = None
            case.closed_at = now
            if note is not None:
                case.resolved_note = note
            session.commit()
            return case

    def events(self, case_id: int) -> list[CaseEvent]:
        """The console's events of a case, oldest first.

        Args:
            case_id: The row id.

        Returns:
            The events.
        """
        with self._sessions() as session:
            return list(
                session.scalars(
                    select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id)
                )
            )

    def canned(self, language: str | None = None) -> list[CannedReply]:
        """Canned replies.

        Args:
            language: Only this language.

        Returns:
            The replies.
        """
        with self._sessions() as session:
            query = select(CannedReply).order_by(CannedReply.key, CannedReply.language)
            if language:
                query = query.where(CannedReply.language == language)
            return list(session.scalars(query))

    def audit_log(self, limit: int = 500) -> list[AuditEntry]:
        """The latest audit entries.

        Args:
            limit: How many.

        Returns:
            The entries, newest first.
        """
        with self._sessions() as session:
            return list(
                session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit))
            )

    def dashboard(self, midnight: dt.datetime) -> dict[str, Any]:
        """Open cases, median wait (queue to first claim), handoffs, resolutions today.

        Args:
            midnight: When today began (the console's time zone), as an aware instant.

        Returns:
            The figures.
        """
        with self._sessions() as session:
            self.expire_claims(session)
            session.commit()
            open_cases = int(
                session.execute(
                    select(func.count()).select_from(Case).where(Case.status.in_(OPEN))
                ).scalar_one()
            )
            today = session.scalars(select(Case).where(Case.created_at >= midnight)).all()
            waits = [
                (utc(c.first_claimed_at) - utc(c.created_at)).total_seconds()
                for c in today
                if c.first_claimed_at is not None
            ]
            resolved = int(
                session.execute(
                    select(func.count())
                    .select_from(Case)
                    .where(Case.status == "resolved", Case.closed_at >= midnight)
                ).scalar_one()
            )
            return {
                "open_cases": open_cases,
                "median_wait_seconds": statistics.median(waits) if waits else None,
                "handoffs_today": len(today),
                "resolutions_today": resolved,
                "agents_online": self.agents_online(session),
                "open_tickets": self.count_open_tickets(session),
            }
