"""Rasa-side stores of the project (loaded by rasa from ``assistant/endpoints.yml``)."""
