"""Custom Rasa dialogue policies of the shopping assistant (referenced by full class path)."""
