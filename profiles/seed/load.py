"""Loading the demo data into the database (``python -m profiles seed``)."""

from __future__ import annotations

import copy
import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from profiles import models
from profiles.convert import customer_from_wire, order_from_wire, parse_timestamp, timestamp
from profiles.seed.generate import generate_demo

__all__ = ["SCENARIOS", "SeedReport", "load_scenarios", "seed_database", "is_empty"]

SCENARIOS = Path(__file__).resolve().parent / "scenarios.json"
DATE_KEYS = frozenset(
    {
        "placed_at",
        "at",
        "estimated_ship_date",
        "return_window_ends",
        "shipped_at",
        "estimated_delivery",
        "delivered_at",
        "created_at",
        "requested_at",
        "expected_by",
        "completed_at",
        "updated_at",
    }
)


@dataclass(frozen=True)
class SeedReport:
    """What a seed run wrote."""

    customers: int
    orders: int
    channel_links: int


def _shift(value: Any, days: int) -> Any:
    if isinstance(value, list):
        return [_shift(v, days) for v in value]
    if not isinstance(value, dict):
        return value
    shifted: dict[str, Any] = {}
    for key, item in value.items():
        if key in DATE_KEYS and isinstance(item, str):
            if "T" in item:
                shifted[key] = timestamp(parse_timestamp(item) + dt.timedelta(days=days))
            else:
                shifted[key] = (dt.date.fromisoformat(item) + dt.timedelta(days=days)).isoformat()
        else:
            shifted[key] = _shift(item, days)
    return shifted


def load_scenarios(today: dt.date, path: Path = SCENARIOS) -> dict[str, Any]:
    """The scenario customers and orders, with dates moved to the business date.

    Every date moves by ``today - reference_date``: with ``today`` equal to the file's
    reference date (2025-06-02) the orders are exactly the old fixture's.

    Args:
        today: The business date.
        path: The scenarios file.

    Returns:
        ``{"customers": [...], "orders": [...]}``.
    """
    data = json.loads(path.read_text(encoding="utf-8"))
    days = (today - dt.date.fromisoformat(data["reference_date"])).days
    return {
        "customers": _shift(copy.deepcopy(data["customers"]), days),
        "orders": _shift(copy.deepcopy(data["orders"]), days),
    }


def is_empty(sessions: sessionmaker[Session]) -> bool:
    """Whether the database holds no customers and no orders.

    Args:
        sessions: The session factory.

    Returns:
        True when both tables are empty.
    """
    with sessions.begin() as session:
        customers = session.scalar(select(func.count()).select_from(models.Customer)) or 0
        orders = session.scalar(select(func.count()).select_from(models.Order)) or 0
        return customers == 0 and orders == 0


def seed_database(
    sessions: sessionmaker[Session],
    catalog_path: Path,
    today: dt.date,
    seed: int = 7,
    reset: bool = False,
) -> SeedReport:
    """Write the demo customers, their orders, channel links and the scenarios.

    Args:
        sessions: The session factory.
        catalog_path: The catalog the demo data is generated from.
        today: The business date.
        seed: The generator's seed.
        reset: Delete every row first (otherwise rows with existing ids are skipped).

    Returns:
        How many rows were written.
    """
    demo = generate_demo(catalog_path, today, seed)
    scenarios = load_scenarios(today)
    customers = demo.customers + scenarios["customers"]
    orders = demo.orders + scenarios["orders"]
    written = SeedReport(0, 0, 0)
    with sessions.begin() as session:
        if reset:
            for model in (
                models.ChannelIdentity,
                models.Conversation,
                models.Order,
                models.Customer,
            ):
                session.execute(delete(model))
        known = set(session.scalars(select(models.Customer.customer_id)))
        known_orders = set(session.scalars(select(models.Order.order_id)))
        new_customers = [c for c in customers if c["customer_id"] not in known]
        session.add_all(customer_from_wire(c) for c in new_customers)
        session.flush()
        new_orders = [o for o in orders if o["order_id"] not in known_orders]
        session.add_all(order_from_wire(o) for o in new_orders)
        links = 0
        present = known | {c["customer_id"] for c in new_customers}
        for link in demo.channel_links:
            key = (link["channel"], link["external_id"])
            if link["customer_id"] in present and session.get(models.ChannelIdentity, key) is None:
                session.add(
                    models.ChannelIdentity(
                        channel=link["channel"],
                        external_id=link["external_id"],
                        customer_id=link["customer_id"],
                        created_at=parse_timestamp(f"{today.isoformat()}T00:00:00Z"),
                    )
                )
                links += 1
        written = SeedReport(len(new_customers), len(new_orders), links)
    return written
