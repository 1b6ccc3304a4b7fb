"""Redact personal data and secrets from log text; a logging filter that applies it.

:func:`redact` replaces, in this order: bearer tokens and JWTs, ``Authorization``
header values, values of secret-looking keys (``token=``, ``"password": "..."``,
``PROFILES_TOKEN=...``), values of address keys (``line1``, ``postcode``, ...), email
addresses, card-like digit runs (13-19 digits, grouped in fours, or a bare run that
passes the Luhn check), street addresses in English, Spanish,
German and French forms, postcodes next to a city name (and UK postcodes), and phone
numbers in international and local formats. Each becomes a bracketed tag such as
``[email]``, so a log line still says *what* was there.

What must survive is as important as what goes: order ids (``ORD-100234``), SKUs and
product ids (``TF-RS-0001-GRY-5.5``), prices, dates and timestamps, sizes, product
titles and descriptions, IP addresses and version numbers. The rules are therefore
anchored (no match inside an id, next to a dash, or across a date) and the phone rule
counts digits.

Known limits: bare digit runs that do not start with ``+`` or ``0`` (``612345678``,
Telegram user ids) are not treated as phone numbers; English street addresses written
all in lower case, and French ones with a capitalised street type but no article
(``3 Avenue Foch``), are not recognised.

The module is standard library only and runs on Python 3.10 (Rasa's process) as well
as 3.11.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

__all__ = ["redact", "RedactingFilter", "install", "install_record_factory"]

# --- secrets --------------------------------------------------------------------------------

_JWT = re.compile(r"\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*")
_AUTH_HEADER = re.compile(
    r"(?i)(\b(?:proxy-)?authorization\b['\"]?\s*[:=]\s*['\"]?)"
    r"(?:(bearer|basic|token|digest|hmac|negotiate)\s+)?"
    r"[^\s'\",;}]+"
)
_BEARER = re.compile(r"(?i)\b(bearer)\s+(?!\[)[A-Za-z0-9._~+/=-]{6,}")
_SECRET_KEY = re.compile(
    r"(?i)(\b[\w-]*?(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|private[_-]?key"
    r"|credentials?|signature|sig)\b['\"]?\s*[:=]\s*)"
    r"(?:(['\"])(?!\[)[^'\"]*\2|(?![\['\"])[^\s'\"&,;)}]+)"
)

# --- personal data ----------------------------------------------------------------------------

_ADDRESS_KEY = re.compile(
    r"(?i)(['\"]?\b(?:line1|line2|address_line\d?|street(?:_address)?|address|postcode|"
    r"postal_code|zip(?:_?code)?|plz|phone(?:_number)?|email)\b['\"]?\s*[:=]\s*)"
    r"(['\"])(?!\[)[^'\"]+\2"
)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}\b")
_CARD = re.compile(
    r"(?<![\w.,/-])(?:\d{13,19}|\d{4}[ -]\d{4}[ -]\d{4}[ -]\d{1,4}(?:[ -]\d{1,3})?"
    r"|\d{4}[ -]\d{6}[ -]\d{4,5})(?![\w-]|[.,]\d)"
)

_CAP = r"[A-ZÄÖÜÁÉÍÓÚÑÀÂÈÊÎÔÛÇ][\w'’.-]*"
_STREET_EN = re.compile(
    r"\b\d{1,5}[A-Za-z]?,?\s+(?:" + _CAP + r"\s+){1,3}"
    r"(?:Street|St\.?|Road|Rd\.?|Avenue|Ave\.?|Lane|Ln\.?|Drive|Dr\.?|Boulevard|Blvd\.?"
    r"|Way|Court|Ct\.?|Place|Pl\.?|Square|Sq\.?|Terrace|Close|Crescent|Gardens|Grove"
    r"|Parkway|Row|Mews|Hill|Walk)(?![\w'’])(?!\s+[A-Z][a-z])"
)
_ES_LINK = r"(?:(?:de|del|la|las|los|el|y)\s+)*"
_STREET_ES = re.compile(
    r"(?<![\w-])(?i:calle|c/|avda\.|avenida|plaza|pza\.|paseo|camino|carrera|ronda|travesía"
    r"|carretera|glorieta|pasaje|rambla)\s*" + _ES_LINK + r"[\wÁÉÍÓÚÑáéíóúñü'.-]+"
    r"(?:\s+" + _ES_LINK + _CAP + r"){0,4},?\s+(?:n[º°o]\.?\s*)?\d{1,4}[A-Za-z]?\b"
    r"(?:,?\s*\d{1,2}\s?[º°ª](?:\s*(?:izq(?:uierda)?|izda|dcha|der(?:echa)?|[A-Za-z])\.?"
    r"(?![\w]))?)?"
)
_STREET_DE = re.compile(
    r"(?<![\w-])(?:"
    r"[A-Za-zÄÖÜäöü][\wäöüß-]*(?i:straße|strasse|str\.|weg|gasse|allee|platz)"
    r"|[A-ZÄÖÜ][\wäöüß-]*\s+(?:Straße|Strasse|Str\.|Weg|Gasse|Allee|Platz|Ring|Damm|Ufer)"
    r")\s*\d{1,4}\s?[a-z]?\b"
)
_FR_ARTICLE = r"(?:de\s+la\s+|de\s+l['’]|du\s+|des\s+|de\s+|d['’]|la\s+|le\s+|les\s+|l['’])"
_FR_TYPES = (
    r"rue|avenue|av\.|boulevard|bd|place|allée|allee|chemin|impasse|quai|route|cours"
    r"|square|passage|faubourg"
)
_STREET_FR = re.compile(
    r"(?<![\w-])\d{1,4}(?:\s?(?:bis|ter|[A-Z]))?,?\s+"
    r"(?:(?:" + _FR_TYPES + r")\s+" + _FR_ARTICLE + r"?"  # lower-case type: any name
    r"|(?i:" + _FR_TYPES + r")\s+" + _FR_ARTICLE + r")"  # capitalised type: an article
    r"[\wÀ-ÿ'’-]+(?:\s+" + _FR_ARTICLE + r"?" + _CAP + r"){0,3}"
)
_POSTCODE_CITY = re.compile(
    r"(?<![\w.,/:+-])\d{5}(?=\s+[A-ZÄÖÜÉ][a-zäöüßéèêàçíóú]+(?:\b|$))(?!\s+(?:Items?|Units?"
    r"|Points?|Steps?|Orders?|Products?|Customers?|Pairs?|Pieces?)\b)"
)
_CITY_POSTCODE = re.compile(
    r"(\b(?!(?:Order|Orders|Total|Item|Items|Size|Page|Offset|Limit|Line|Port|Year|Step|Ref"
    r"|Refund|Return|Customer|Product|Number|No|Nr|Version|Model|Code|Id|ID)\b)"
    r"[A-Z][a-zäöüßéèêàçíóú]+,?\s|\b[A-Z]{2}\s)(\d{5}(?:-\d{4})?)(?![\w-]|[.,]\d)"
)
_POSTCODE_UK = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[ABD-HJLNP-UW-Z]{2}\b")
_POSTCODE_WORD = re.compile(
    r"(?i)((?<![\w-])(?:postcode|post code|postal code|zip(?: code)?|plz|c\.p\.|code postal"
    r"|código postal|codigo postal)\s*[:#]?\s*)"
    r"(?:\d{4,5}(?:-\d{3,4})?|[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2})\b"
)

_PHONE = re.compile(
    r"(?<![\w.,/+-])(?<!\d:)"
    r"(?:(?:\+|00)\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?"
    r"(?:\d{1,8}(?:[ .-]\d{1,8}){1,6}|\+\d{7,15}|0\d{8,11})"
    r"(?![\w/:-]|[.,]\d)"
)
_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{4}")
_IPV4 = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")


def _phone(match: re.Match[str]) -> str:
    text = match.group(0)
    digits = sum(ch.isdigit() for ch in text)
    international = text.startswith(("+", "00"))
    if not 8 <= digits <= 15 or (not international and digits < 9):
        return text
    if _DATE.search(text) or _IPV4.fullmatch(text):
        return text
    if not international and not text.startswith(("0", "(")):
        first = re.match(r"\d+", text)
        if first is None or len(first.group(0)) < 3:
            return text  # "36 37 38 39 40": a list of sizes, not a number to call
    return "[phone]"


def _luhn(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _card(match: re.Match[str]) -> str:
    text = match.group(0)
    digits = "".join(ch for ch in text if ch.isdigit())
    if not 13 <= len(digits) <= 19:
        return text
    if text.isdigit() and not _luhn(digits):
        return text  # a bare run that is no card number: an EAN, a timestamp in ms
    return "[card]"


def redact(text: str) -> str:
    """Replace personal data and secrets in ``text`` by bracketed tags.

    Args:
        text: Any text (a log message, an exception, a JSON dump).

    Returns:
        The text with emails, phone numbers, tokens, card numbers, street addresses
        and postcodes replaced; everything else untouched.
    """
    if not text:
        return text
    text = _JWT.sub("[jwt]", text)
    text = _AUTH_HEADER.sub(
        lambda m: f"{m.group(1)}{m.group(2) + ' ' if m.group(2) else ''}[secret]", text
    )
    text = _BEARER.sub(r"\1 [token]", text)
    text = _SECRET_KEY.sub(
        lambda m: f"{m.group(1)}{m.group(2) or ''}[secret]{m.group(2) or ''}", text
    )
    text = _ADDRESS_KEY.sub(r"\1\2[redacted]\2", text)
    text = _EMAIL.sub("[email]", text)
    text = _CARD.sub(_card, text)
    text = _STREET_ES.sub("[address]", text)
    text = _STREET_DE.sub("[address]", text)
    text = _STREET_FR.sub("[address]", text)
    text = _STREET_EN.sub("[address]", text)
    text = _POSTCODE_WORD.sub(r"\1[postcode]", text)
    text = _POSTCODE_UK.sub("[postcode]", text)
    text = _POSTCODE_CITY.sub("[postcode]", text)
    text = _CITY_POSTCODE.sub(r"\1[postcode]", text)
    return _PHONE.sub(_phone, text)


# --- logging -----------------------------------------------------------------------------------

_EXCEPTION_FORMATTER = logging.Formatter()


class RedactingFilter(logging.Filter):
    """Rewrites each record so no handler sees personal data or secrets.

    The message is formatted first (``msg % args``), then redacted, so personal data
    passed as %-arguments is caught too; ``record.args`` is emptied. The exception's
    traceback text is rendered and redacted into ``record.exc_text``, which
    :class:`logging.Formatter` prints instead of rendering the exception again; the
    stack info is redacted as well. Records are never dropped.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact the record in place.

        Args:
            record: The log record.

        Returns:
            Always True.
        """
        redact_record(record)
        return True


def redact_record(record: logging.LogRecord) -> None:
    """Redact one record in place (once: a record that went through is marked).

    Args:
        record: The log record.
    """
    if getattr(record, "_redacted", False):
        return
    try:
        message = record.getMessage()
    except Exception:  # bad %-args: keep what there is rather than lose the line
        message = f"{record.msg} {record.args!r}"
    record.msg = redact(message)
    record.args = ()
    if record.exc_info and not record.exc_text:
        record.exc_text = _EXCEPTION_FORMATTER.formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = redact(record.exc_text)
    if record.stack_info:
        record.stack_info = redact(record.stack_info)
    record.__dict__["_redacted"] = True


def _handlers(target: logging.Logger | logging.Handler | str | None) -> Iterable[logging.Handler]:
    if isinstance(target, logging.Handler):
        return [target]
    logger = logging.getLogger(target) if target is None or isinstance(target, str) else target
    return list(logger.handlers)


def install(*targets: logging.Logger | logging.Handler | str) -> int:
    """Add a :class:`RedactingFilter` to every handler of the given loggers.

    A filter on a *handler* sees every record that reaches it, including records
    propagated from child loggers (a filter on a logger would not). Installing twice
    adds nothing. Handlers added later need their own filter: call ``install()`` again
    after logging is configured (Rasa, Sanic and uvicorn configure theirs at start-up),
    name ``redact.filter.RedactingFilter`` in a ``dictConfig`` (``"filters": {"redact":
    {"()": "redact.filter.RedactingFilter"}}`` and ``"filters": ["redact"]`` on each
    handler), or use :func:`install_record_factory`, which covers every handler.

    Args:
        *targets: Loggers, logger names or handlers; the root logger when none.

    Returns:
        How many handlers received a filter now.
    """
    added = 0
    for target in targets or (None,):
        for handler in _handlers(target):
            if not any(isinstance(f, RedactingFilter) for f in handler.filters):
                handler.addFilter(RedactingFilter())
                added += 1
    return added


def install_record_factory() -> bool:
    """Redact every log record when it is created, whatever handler will print it.

    Wraps :func:`logging.getLogRecordFactory`; records are only created for enabled
    levels, so disabled debug logging costs nothing. Installing twice changes nothing.

    Returns:
        True when the factory was installed now, False when it already was.
    """
    current = logging.getLogRecordFactory()
    if getattr(current, "_redacting", False):
        return False

    def factory(*args: object, **kwargs: object) -> logging.LogRecord:
        record = current(*args, **kwargs)
        redact_record(record)
        return record

    factory._redacting = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)
    return True
