"""Personalised ranking: consented customer signals, boosts, MMR, exploration, reasons.

A pure library (no Rasa, no actions): the action server builds ``CustomerSignals`` from
the profile service's answers and calls ``personalise`` (search results) or
``recommend`` (no query); reasons are codes the action renders in the shopper's language.
"""

from __future__ import annotations

from personalisation.baseline import popular, popularity, quality
from personalisation.ranking import Candidate, Ranked, Weights, personalise
from personalisation.reasons import Reason
from personalisation.recommend import CoPurchase, Sources, recommend
from personalisation.signals import CustomerSignals, PriceBand
from personalisation.similarity import ContentSimilarity, attribute_similarity

__all__ = [
    "Candidate",
    "ContentSimilarity",
    "CoPurchase",
    "CustomerSignals",
    "PriceBand",
    "Ranked",
    "Reason",
    "Sources",
    "Weights",
    "attribute_similarity",
    "personalise",
    "popular",
    "popularity",
    "quality",
    "recommend",
]
