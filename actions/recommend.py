"""``action_recommend``: top-rated matches, or best sellers when nothing is known.

For a logged-in customer who consented, "recommend me something" (no query, no
constraint) comes from their profile and history (content similarity to past purchases and
what other customers bought with them), and a recommendation under constraints is the
top-rated matches re-ranked with their profile; every such result carries a reason.
Everyone else gets the non-personal ranking.
"""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import SafeAction
from actions.carryover import build_query, merge_constraints, read_request
from actions.constraints import SearchConstraints
from actions.personalise import personal_ranking, personal_recommendations
from actions.privacy import ask_consent_once
from actions.rendering import describe_constraints, send_products
from actions.runtime import get_runtime
from personalisation.baseline import popularity, quality
from personalisation.baseline import round_robin as diversify

__all__ = ["ActionRecommend"]

#: Candidates considered before ranking by quality.
POOL = 40


class ActionRecommend(SafeAction):
    """Recommend products: top rated under the current wishes, else best sellers."""

    def name(self) -> str:
        """The action's name in the domain."""
        return "action_recommend"

    async def execute(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Send the recommendations and remember them as the shown list.

        Args:
            dispatcher: Where messages go.
            tracker: The conversation tracker.
            domain: The bot's domain.

        Returns:
            ``shown_products`` (and the constraints when the message added any).
        """
        runtime = get_runtime()
        page_size = runtime.settings.search_page_size
        request = read_request(tracker, runtime.catalog.vocabulary, runtime.phrases_for(tracker))
        constraints, new_search = merge_constraints(
            SearchConstraints.from_tracker(tracker), request
        )
        query = build_query(request, constraints, tracker.get_slot("search_query"), new_search)
        events: list[EventType] = []
        if request.given:
            events.extend(constraints.slot_events())
        phrases = runtime.phrases_for(tracker)
        customer_id = await runtime.identity.customer_id(tracker)
        personal = await runtime.personal.context(customer_id, runtime.catalog)
        reasons: list[str | None] = []
        if constraints.is_empty() and not query:
            response, summary = "utter_best_sellers", ""
            if personal is not None and personal.personalised:
                copurchase = await runtime.personal.copurchase()
                products, reasons = personal_recommendations(
                    personal, runtime.catalog.all_products(), copurchase, page_size, phrases
                )
                response = "utter_recommendations_for_you"
            else:
                pool = runtime.catalog.find("", constraints, limit=POOL * 5)
                ranked = sorted(pool, key=popularity, reverse=True)
                products = diversify(ranked, lambda p: p.category, page_size)
        else:
            pool = runtime.catalog.find(query, constraints, limit=POOL)
            ranked = sorted(pool, key=quality, reverse=True)
            if personal is not None and personal.personalised:
                products, reasons = personal_ranking(personal, ranked, page_size, phrases)
            else:
                products = diversify(ranked, lambda p: p.brand.lower(), page_size)
            response, summary = (
                "utter_recommendations",
                describe_constraints(constraints, phrases, query),
            )
        if not products:
            dispatcher.utter_message(response="utter_no_recommendations")
            return events
        if summary:
            dispatcher.utter_message(response=response, summary=summary)
        else:
            dispatcher.utter_message(response=response)
        send_products(dispatcher, tracker, products, runtime.settings, reasons=reasons)
        events.extend(
            ask_consent_once(dispatcher, tracker, personal.customer if personal else None)
        )
        return [*events, SlotSet("shown_products", [p.id for p in products])]
