"""Alembic migrations of the profile service (``python -m profiles migrate``)."""
