"""The customer profile service: customers, orders, consent, channel identities, erasure."""
