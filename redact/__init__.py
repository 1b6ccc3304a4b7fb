"""Redaction of personal data and secrets in logs (standard library only, Python 3.10+).

Used by every process: Rasa's, the action server and the profile service. Call
``redact.install()`` once logging is configured, or :func:`install_record_factory`.
"""

from __future__ import annotations

from redact.filter import RedactingFilter, install, install_record_factory, redact

__all__ = ["redact", "RedactingFilter", "install", "install_record_factory"]
