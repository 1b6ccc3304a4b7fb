"""The Rasa project of the shopping assistant (config, domain and custom components)."""
