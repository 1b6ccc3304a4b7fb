"""Shapes and rules shared by the processes that talk to each other (one definition each)."""
