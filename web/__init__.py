"""The demo shop served by ``make run``: a product grid with the chat widget embedded.

Modules: ``settings`` (environment, read once), ``catalog`` (the products shown),
``customers`` (the demo customers of the visitor switch, from the profile service's seed data),
``tokens`` (the signed customer token), ``embed`` (the widget's config and the page's CSP) and
``app`` (the Starlette pages). Run it with ``python -m web --help``.
"""
