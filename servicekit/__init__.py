"""Plumbing shared by the project's web services (profile service, console, demo shop).

The database engine, Alembic migrations, the bearer-token check, the request guard, the
JSON answer to invalid requests and which static file a request names. Each service keeps its
own models, routes and settings.
"""
