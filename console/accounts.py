"""Agent accounts: argon2 password hashes, server-side sessions, CSRF tokens, login limits.

The session id travels in a signed, http-only, SameSite=Lax cookie; the CSRF token is an
HMAC of the session's own secret, so a token from another (or an ended) session is refused.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from console.models import Agent, AgentSession, AuditEntry, LoginFailure
from console.store import Actor, Clock, ConsoleError

__all__ = [
    "Accounts",
    "Login",
    "COOKIE",
    "LOGIN_COOKIE",
    "MAX_FAILURES",
    "FAILURE_WINDOW",
    "SESSION_IDLE",
]

COOKIE = "console_session"
LOGIN_COOKIE = "console_login"
MAX_FAILURES = 5
FAILURE_WINDOW = dt.timedelta(minutes=15)
SESSION_IDLE = dt.timedelta(hours=12)


@dataclass(frozen=True)
class Login:
    """A live session: the agent and the session's CSRF token."""

    actor: Actor
    email: str
    role: str
    session_id: str
    csrf: str


class Accounts:
    """Agents and their sessions."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        clock: Clock,
        secret_key: str,
        hasher: PasswordHasher | None = None,
    ) -> None:
        """Create the service.

        Args:
            sessions: The session factory.
            clock: Returns the current UTC instant.
            secret_key: Signs cookies and CSRF tokens.
            hasher: The argon2 hasher (default parameters when omitted).
        """
        self._sessions = sessions
        self._clock = clock
        self._key = secret_key.encode("utf-8")
        self._hasher = hasher or PasswordHasher()
        # Verified against when the email is unknown, so both cases cost the same.
        self._dummy_hash = self._hasher.hash(secrets.token_hex(16))
        self._signer = URLSafeSerializer(secret_key, salt="console-session")

    # -- cookies and CSRF ----------------------------------------------------------------
    def sign(self, session_id: str) -> str:
        """The cookie value for a session id.

        Args:
            session_id: The id.

        Returns:
            The signed value.
        """
        return self._signer.dumps(session_id)

    def csrf_for(self, csrf_secret: str) -> str:
        """The CSRF token of a session.

        Args:
            csrf_secret: The session's secret.

        Returns:
            The token.
        """
        return hmac.new(self._key, csrf_secret.encode(), hashlib.sha256).hexdigest()

    def login_csrf(self, nonce: str) -> str:
        """The CSRF token of the login form, tied to the browser's login-nonce cookie.

        Args:
            nonce: The nonce in the browser's login cookie.

        Returns:
            The token.
        """
        return hmac.new(self._key, b"login:" + nonce.encode(), hashlib.sha256).hexdigest()

    def _hash(self, password: str) -> str:
        return self._hasher.hash(password)

    # -- agents --------------------------------------------------------------------------
    def ensure_admin(self, email: str, password: str) -> bool:
        """Create the first admin when there is no agent at all.

        Args:
            email: The admin's email.
            password: The admin's password.

        Returns:
            Whether an admin was created.
        """
        with self._sessions() as session:
            if session.execute(select(func.count()).select_from(Agent)).scalar_one():
                return False
            session.add(
                Agent(
                    email=email.lower(),
                    display_name="Admin",
                    role="admin",
                    password_hash=self._hash(password),
                    active=True,
                    created_at=self._clock(),
                )
            )
            session.commit()
            return True

    def create_agent(
        self, actor: Actor, email: str, display_name: str, role: str, password: str
    ) -> Agent:
        """An admin creates an agent.

        Args:
            actor: The admin.
            email: The new agent's email.
            display_name: Shown to colleagues and, with replies, to shoppers.
            role: ``agent`` or ``admin``.
            password: The initial password.

        Returns:
            The agent.

        Raises:
            ConsoleError: 409 when the email is taken.
        """
        now = self._clock()
        with self._sessions() as session:
            taken = session.scalars(select(Agent).where(Agent.email == email.lower())).first()
            if taken is not None:
                raise ConsoleError(409, "an agent with that email already exists")
            agent = Agent(
                email=email.lower(),
                display_name=display_name,
                role=role,
                password_hash=self._hash(password),
                active=True,
                created_at=now,
            )
            session.add(agent)
            session.flush()
            session.add(
                AuditEntry(
                    agent_id=actor.id,
                    actor=actor.name,
                    action="agent_created",
                    at=now,
                    detail=f"agent #{agent.id} ({role})",
                )
            )
            session.commit()
            return agent

    def set_active(self, actor: Actor, agent_id: int, active: bool) -> None:
        """Activate or deactivate an agent (deactivation ends their sessions).

        Args:
            actor: The admin.
            agent_id: The agent.
            active: The new state.

        Raises:
            ConsoleError: 404 unknown agent; 409 an admin deactivating themselves.
        """
        now = self._clock()
        with self._sessions() as session:
            agent = session.get(Agent, agent_id)
            if agent is None:
                raise ConsoleError(404, "no such agent")
            if agent.id == actor.id and not active:
                raise ConsoleError(409, "you cannot deactivate yourself")
            agent.active = active
            if not active:
                session.execute(delete(AgentSession).where(AgentSession.agent_id == agent_id))
            action = "agent_activated" if active else "agent_deactivated"
            session.add(
                AuditEntry(
                    agent_id=actor.id,
                    actor=actor.name,
                    action=action,
                    at=now,
                    detail=f"agent #{agent_id}",
                )
            )
            session.commit()

    def reset_password(self, actor: Actor, agent_id: int, password: str) -> None:
        """Set a new password and end the agent's sessions.

        Args:
            actor: The admin.
            agent_id: The agent.
            password: The new password.

        Raises:
            ConsoleError: 404 unknown agent.
        """
        now = self._clock()
        with self._sessions() as session:
            agent = session.get(Agent, agent_id)
            if agent is None:
                raise ConsoleError(404, "no such agent")
            agent.password_hash = self._hash(password)
            session.execute(delete(AgentSession).where(AgentSession.agent_id == agent_id))
            session.add(
                AuditEntry(
                    agent_id=actor.id,
                    actor=actor.name,
                    action="password_reset",
                    at=now,
                    detail=f"agent #{agent_id}",
                )
            )
            session.commit()

    def list_agents(self) -> list[Agent]:
        """All agents.

        Returns:
            The agents by id.
        """
        with self._sessions() as session:
            return list(session.scalars(select(Agent).order_by(Agent.id)))

    # -- login ---------------------------------------------------------------------------
    def _failure_key(self, email: str, client: str) -> str:
        raw = f"{email.lower()}|{client}".encode()
        return hmac.new(self._key, raw, hashlib.sha256).hexdigest()

    def login(self, email: str, password: str, client: str) -> str:
        """Check a password and open a session.

        Args:
            email: The email typed.
            password: The password typed.
            client: The client's address (rate limiting).

        Returns:
            The signed cookie value.

        Raises:
            ConsoleError: 429 after too many failures; 401 wrong email or password.
        """
        now = self._clock()
        key = self._failure_key(email, client)
        with self._sessions() as session:
            session.execute(delete(LoginFailure).where(LoginFailure.at < now - FAILURE_WINDOW))
            failures = session.execute(
                select(func.count()).select_from(LoginFailure).where(LoginFailure.key == key)
            ).scalar_one()
            if failures >= MAX_FAILURES:
                session.commit()
                raise ConsoleError(429, "too many failed logins, try again in 15 minutes")
            agent = session.scalars(select(Agent).where(Agent.email == email.lower())).first()
            try:
                self._hasher.verify(agent.password_hash if agent else self._dummy_hash, password)
                ok = agent is not None and agent.active
            except (VerificationError, InvalidHashError):
                ok = False
            if not ok or agent is None:
                session.add(LoginFailure(key=key, at=now))
                session.commit()
                raise ConsoleError(401, "wrong email or password")
            session.execute(delete(LoginFailure).where(LoginFailure.key == key))
            if self._hasher.check_needs_rehash(agent.password_hash):
                agent.password_hash = self._hash(password)
            session_id = secrets.token_urlsafe(32)
            session.add(
                AgentSession(
                    id=session_id,
                    agent_id=agent.id,
                    csrf_secret=secrets.token_hex(16),
                    created_at=now,
                    last_seen=now,
                )
            )
            session.add(
                AuditEntry(agent_id=agent.id, actor=agent.display_name, action="login", at=now)
            )
            session.commit()
        return self.sign(session_id)

    def resolve(self, cookie: str | None) -> Login | None:
        """The live session behind a cookie.

        Args:
            cookie: The cookie's value.

        Returns:
            The login, or None (no cookie, bad signature, ended or idle session, inactive
            agent).
        """
        if not cookie:
            return None
        try:
            session_id = self._signer.loads(cookie)
        except BadSignature:
            return None
        if not isinstance(session_id, str):
            return None
        now = self._clock()
        with self._sessions() as session:
            row = session.get(AgentSession, session_id)
            if row is None:
                return None
            last = (
                row.last_seen
                if row.last_seen.tzinfo
                else row.last_seen.replace(tzinfo=dt.timezone.utc)
            )
            if now - last > SESSION_IDLE:
                session.delete(row)
                session.commit()
                return None
            agent = session.get(Agent, row.agent_id)
            if agent is None or not agent.active:
                return None
            if now - last > dt.timedelta(seconds=30):
                row.last_seen = now
                session.commit()
            return Login(
                actor=Actor(id=agent.id, name=agent.display_name, admin=agent.role == "admin"),
                email=agent.email,
                role=agent.role,
                session_id=row.id,
                csrf=self.csrf_for(row.csrf_secret),
            )

    def logout(self, login: Login) -> None:
        """End a session.

        Args:
            login: The session.
        """
        with self._sessions() as session:
            session.execute(delete(AgentSession).where(AgentSession.id == login.session_id))
            session.add(
                AuditEntry(
                    agent_id=login.actor.id,
                    actor=login.actor.name,
                    action="logout",
                    at=self._clock(),
                )
            )
            session.commit()
