"""The redacting log filter: what goes, what must stay, and the filter on real loggers."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from redact import RedactingFilter, install, install_record_factory, redact

ROOT = Path(__file__).resolve().parents[2]
JWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJDVVMtMTAwMSJ9.SflKxwRJSMeKKF2QT4fwpMe"

REDACTED: list[tuple[str, str]] = [
    # English
    (
        "customer lucia.fernandez@example.com asked about ORD-100234",
        "customer [email] asked about ORD-100234",
    ),
    ("call me on +1 (415) 555-0132 tomorrow", "call me on [phone] tomorrow"),
    ("my number is 07700 900123.", "my number is [phone]."),
    ("office (415) 555-0132", "office [phone]"),
    ("text 415-555-0132 please", "text [phone] please"),
    ("ship to 14 Alder Street, Portland 97205", "ship to [address], Portland [postcode]"),
    ("I live at 14 Alder Street in Leeds", "I live at [address] in Leeds"),
    ("Address: 221B Baker Street, London NW1 6XE", "Address: [address], London [postcode]"),
    ("deliver to 5 Mill Rd. please", "deliver to [address] please"),
    ("Portland, OR 97205-1234, US", "Portland, OR [postcode], US"),
    ("card 4111 1111 1111 1111 was declined", "card [card] was declined"),
    ("card=4111-1111-1111-1111", "card=[card]"),
    ("pan 4111111111111111 amex 3782 822463 10005", "pan [card] amex [card]"),
    # Spanish
    ("Mi correo es lucía.fernández@ejemplo.es", "Mi correo es [email]"),
    ("Llámame al 600 123 456", "Llámame al [phone]"),
    ("mi teléfono: +34 600-123-456", "mi teléfono: [phone]"),
    ("teléfono +34600123456", "teléfono [phone]"),
    ("twilio sender whatsapp:+34600123456", "twilio sender whatsapp:[phone]"),
    ("<a href='tel:+34 600 123 456'>", "<a href='tel:[phone]'>"),
    ("Calle de Alcalá 42, 2º izq, Madrid", "[address], Madrid"),
    ("Envíalo a Calle Mayor 5, 28013 Madrid", "Envíalo a [address], [postcode] Madrid"),
    ("vivo en Avenida de la Constitución 12, 3º B", "vivo en [address]"),
    ("C/ Gran Vía 28, Madrid", "[address], Madrid"),
    ("en la Plaza de España 1", "en la [address]"),
    ("mándalo a calle mayor 5", "mándalo a [address]"),
    ("código postal 08001", "código postal [postcode]"),
    # German
    ("Meine E-Mail: max.mustermann@beispiel.de", "Meine E-Mail: [email]"),
    ("Ruf mich an: 030 12345678", "Ruf mich an: [phone]"),
    ("Handy +49 (0)30 1234567", "Handy [phone]"),
    ("Handy 0171 1234567", "Handy [phone]"),
    ("Lieferadresse: Hauptstraße 12, 10115 Berlin", "Lieferadresse: [address], [postcode] Berlin"),
    ("Berliner Straße 5a, Hamburg", "[address], Hamburg"),
    ("wohne im Lindenweg 3", "wohne im [address]"),
    ("PLZ 80331", "PLZ [postcode]"),
    # French
    ("mon email : jean.dupont@exemple.fr", "mon email : [email]"),
    ("appelez-moi au 06 12 34 56 78", "appelez-moi au [phone]"),
    ("portable 06.12.34.56.78", "portable [phone]"),
    ("tél +33 6 12 34 56 78", "tél [phone]"),
    ("livrer au 12 rue de la Paix, 75002 Paris", "livrer au [address], [postcode] Paris"),
    ("3 bis avenue des Champs-Élysées", "[address]"),
    ("12 Rue de la Paix", "[address]"),
    ("18 rue Lepic", "[address]"),
    # secrets, whatever the language
    (f"Authorization: Bearer {JWT}", "Authorization: Bearer [secret]"),
    (
        "headers={'authorization': 'Bearer abc.def-ghi'}",
        "headers={'authorization': 'Bearer [secret]'}",
    ),
    (f"socket connected with token {JWT}", "socket connected with token [jwt]"),
    ("sent Bearer s3cr3t-token-value", "sent Bearer [token]"),
    ("GET /webhook?token=abc123&limit=5", "GET /webhook?token=[secret]&limit=5"),
    ("{'password': 'hunter2', 'user': 'maya'}", "{'password': '[secret]', 'user': 'maya'}"),
    ('{"client_secret": "x y z", "n": 1}', '{"client_secret": "[secret]", "n": 1}'),
    ("PROFILES_TOKEN=s3cr3t-value started", "PROFILES_TOKEN=[secret] started"),
    ("secret: swordfish", "secret: [secret]"),
    ("api_key=AKIA1234", "api_key=[secret]"),
    # address fields of a logged order
    (
        "{'name': 'Maya Chen', 'line1': '14 Alder Street', 'postcode': '97205'}",
        "{'name': 'Maya Chen', 'line1': '[redacted]', 'postcode': '[redacted]'}",
    ),
]


@pytest.mark.parametrize(("line", "expected"), REDACTED)
def test_personal_data_and_secrets_are_redacted(line: str, expected: str) -> None:
    assert redact(line) == expected


SURVIVES: list[str] = [
    "order ORD-100234 total 42.98 USD placed 2025-06-01",
    "orders ORD-100234, ORD-100238 and ORD-999999",
    "SKU CA-TS-0163-BLU-XXL size XXL; TF-RS-0001-GRY-5.5",
    "product TF-RS-0001 and KE-SK-0406",
    "refund REF-100234-1 of 59.90 € expected by 2025-06-09",
    "return RET-100238-2 for CUS-2001 (segment vip)",
    "at 2026-11-24T09:15:00Z, 20/11/2026, 20.11.2026 and 11/20/2026",
    "2026-11-20 14:30:00,123 INFO rasa.core: done",
    "delivered 2026-11-20 12 items",
    "prices 1.299,00 € and $1,299.00 and 1 299,00 € and USD 120.00",
    "Urban Stride Avenue 26 Canvas Commuter Backpack",
    "Urban Stride Boulevard 26 Canvas Rucksack",
    "Trailforge Women's Tempo 2 Cushioned Road Running Shoe",
    "2 Trail Road Running Shoes in size 10",
    "Urban Stride Women's Plaza Slim Jeans 30x32",
    "Size 10 Boulevard Hoodie",
    "Alder & Oak Men's Ashby Leather Sneaker",
    "sizes 36 37 38 39 40 41 42",
    "available in 5, 5.5, 6, 6.5 and 7",
    "listening on 127.0.0.1:5055 and 192.168.100.200",
    "rasa 3.6.21 on Python 3.10.14",
    "took 1234 ms, p95 15.3 ms, 12345 Items",
    "sender 3f2b9c1e-8d4a-4c21-9b7e-1a2b3c4d5e6f",
    "sender 12345678-1234-1234-1234-123456789012",
    "the token expired; password reset requested; secret santa gift",
    "Summer 2026 Collection, page 2 of 10",
    "GET /v1/customers?limit=100&offset=200",
    '{"limit": 20, "offset": 40, "total": 53}',
    'HTTP Request: GET http://127.0.0.1:8300/v1/customers/CUS-1001/orders?limit=20 "HTTP/1.1 200"',
    "Order 12345 and Total 54321",
    "pack of 3 for 49.99, 2 for 35.00",
    "rating 4.9 from 102 reviews, 269 g, 8 mm drop",
    "EAN 4006381333931, created 1732450000000 ms",
    "at 10:30 +01:00 and 2025-06-01 +0200",
    "Tracking 1Z999AA10123456784",
    "",
]


@pytest.mark.parametrize("line", SURVIVES)
def test_ids_prices_dates_and_titles_survive(line: str) -> None:
    assert redact(line) == line


def test_the_whole_demo_catalog_survives() -> None:
    changed = []
    for raw in (ROOT / "catalog" / "demo_catalog.jsonl").read_text(encoding="utf-8").splitlines():
        product = json.loads(raw)
        texts = [product["id"], product["title"], product["description"], product["brand"]]
        texts += [variant["sku"] for variant in product.get("variants", [])]
        changed += [text for text in texts if redact(text) != text]
    assert changed == []


def test_a_logged_order_keeps_its_facts_and_loses_the_address() -> None:
    data = json.loads((ROOT / "profiles" / "seed" / "scenarios.json").read_text("utf-8"))
    for order in data["orders"]:
        dumped = json.dumps(order, ensure_ascii=False)
        out = redact(dumped)
        assert order["shipping_address"]["line1"] not in out
        assert f'"{order["shipping_address"]["postcode"]}"' not in out
        for fact in [order["order_id"], order["placed_at"], f"{order['total']}"]:
            assert fact in out
        for item in order["items"]:
            for key in ("product_id", "sku", "title"):
                if key in item:
                    assert item[key] in out
        for change in order["status_history"]:
            assert change["at"] in out


def test_redact_is_idempotent() -> None:
    for line, expected in REDACTED:
        assert redact(expected) == expected, line


# --- the filter on real loggers --------------------------------------------------------------


@pytest.fixture(autouse=True)
def plain_record_factory() -> Iterator[None]:
    """Each test starts from logging's own record factory (another test, or a server
    factory built in this process, may have installed the redacting one)."""
    previous = logging.getLogRecordFactory()
    logging.setLogRecordFactory(logging.LogRecord)
    yield
    logging.setLogRecordFactory(previous)


@pytest.fixture
def logger() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    log = logging.getLogger("test_redact.app")
    log.setLevel(logging.DEBUG)
    log.propagate = False
    log.addHandler(handler)
    yield log, stream
    log.removeHandler(handler)
    log.propagate = True


def test_filter_redacts_percent_args(logger: tuple[logging.Logger, io.StringIO]) -> None:
    log, stream = logger
    assert install(log) == 1
    log.info("customer %s (%s) at %s", "maya@example.com", "+1 415 555 0132", "14 Alder Street")
    log.info("order %s: %d items for %.2f", "ORD-100234", 2, 42.98)
    assert stream.getvalue().splitlines() == [
        "INFO test_redact.app customer [email] ([phone]) at [address]",
        "INFO test_redact.app order ORD-100234: 2 items for 42.98",
    ]


def test_filter_redacts_exceptions_and_stack_info(
    logger: tuple[logging.Logger, io.StringIO],
) -> None:
    log, stream = logger
    install(log)
    try:
        raise ValueError("no customer with email maya@example.com, token=abc123")
    except ValueError:
        log.exception("lookup failed for %s", "ORD-100234")
    log.warning("where", stack_info=True, extra={})
    text = stream.getvalue()
    assert "maya@example.com" not in text
    assert "abc123" not in text
    assert "ValueError: no customer with email [email], token=[secret]" in text
    assert "lookup failed for ORD-100234" in text
    assert "Traceback" in text


def test_filter_keeps_a_line_with_broken_args(logger: tuple[logging.Logger, io.StringIO]) -> None:
    log, stream = logger
    install(log)
    log.info("two %s %s", "maya@example.com")
    assert "[email]" in stream.getvalue()
    assert "maya@example.com" not in stream.getvalue()


def test_filter_catches_records_from_child_loggers(
    logger: tuple[logging.Logger, io.StringIO],
) -> None:
    log, stream = logger
    install(log)
    logging.getLogger("test_redact.app.child").warning("mail %s", "a@b.example")
    assert stream.getvalue().strip().endswith("mail [email]")


def test_install_is_idempotent_and_defaults_to_root() -> None:
    root = logging.getLogger()
    handler = logging.StreamHandler(io.StringIO())
    root.addHandler(handler)
    try:
        assert install() >= 1
        assert install() == 0
        assert install(handler, "") == 0
        assert sum(isinstance(f, RedactingFilter) for f in handler.filters) == 1
    finally:
        root.removeHandler(handler)


def test_record_factory_covers_handlers_added_later() -> None:
    previous = logging.getLogRecordFactory()
    try:
        assert install_record_factory() is True
        assert install_record_factory() is False
        stream = io.StringIO()
        handler = logging.StreamHandler(stream)
        log = logging.getLogger("test_redact.factory")
        log.propagate = False
        log.addHandler(handler)
        log.error("phone %s", "06 12 34 56 78")
        log.removeHandler(handler)
        assert stream.getvalue() == "phone [phone]\n"
    finally:
        logging.setLogRecordFactory(previous)


def test_without_the_filter_the_data_would_leak(logger: tuple[logging.Logger, io.StringIO]) -> None:
    log, stream = logger  # the control: proves the other tests test the filter
    log.info("customer %s", "maya@example.com")
    assert "maya@example.com" in stream.getvalue()
