"""The action server package: product search and recommendation, orders.

Modules (each registers its actions with rasa-sdk when the package is loaded):
``search``, ``details``, ``compare``, ``similar``, ``recommend``, ``orders``, ``pending``. Shared
pieces: ``settings`` (environment), ``runtime`` (per-process catalog and clients),
``rendering`` (carousel or text list), ``entities``/``carryover`` (normalisation and
constraint carry-over), ``clients`` (orders API). Start with ``python -m actions``.
"""
