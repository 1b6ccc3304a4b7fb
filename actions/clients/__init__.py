"""Clients of other services (orders; profiles later), with their wire types."""
