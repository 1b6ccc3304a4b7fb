"""Custom Rasa NLU graph components of the shopping assistant.

Each component lives in its own module and is referenced from the pipeline by its full
class path, e.g. ``assistant.components.price_extractor.PriceExtractor``. Nothing is
imported here so that importing one component does not import the others.
"""
