"""Plumbing shared by the project's own web services (the profile service, the console).

The database engine, Alembic migrations, the bearer-token check, the request guard and the
JSON answer to invalid requests. Each service keeps its own models, routes and settings.
"""
