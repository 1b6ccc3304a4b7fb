"""The canned replies seeded in every language (``key -> language -> text``)."""

from __future__ import annotations

__all__ = ["CANNED_REPLIES", "LANGUAGES"]

LANGUAGES = ("en", "es", "de", "fr")

CANNED_REPLIES: dict[str, dict[str, str]] = {
    "greeting": {
        "en": "Hi, I'm a member of the support team. I've read your conversation so far.",
        "es": "Hola, soy del equipo de atención. Ya he leído tu conversación.",
        "de": "Hallo, ich bin vom Support-Team. Ich habe Ihr Gespräch bereits gelesen.",
        "fr": "Bonjour, je fais partie du service client. J'ai lu votre conversation.",
    },
    "one_moment": {
        "en": "One moment please, I'm checking that for you.",
        "es": "Un momento, por favor, lo estoy comprobando.",
        "de": "Einen Moment bitte, ich prüfe das für Sie.",
        "fr": "Un instant s'il vous plaît, je vérifie cela pour vous.",
    },
    "anything_else": {
        "en": "Is there anything else I can help you with?",
        "es": "¿Hay algo más en lo que pueda ayudarte?",
        "de": "Kann ich Ihnen sonst noch helfen?",
        "fr": "Puis-je vous aider pour autre chose ?",
    },
    "goodbye": {
        "en": "Thank you for contacting us. Have a nice day!",
        "es": "Gracias por contactarnos. ¡Que tengas un buen día!",
        "de": "Vielen Dank für Ihre Nachricht. Einen schönen Tag noch!",
        "fr": "Merci de nous avoir contactés. Bonne journée !",
    },
    "order_looked_up": {
        "en": "I've looked up your order and can see its current status.",
        "es": "He consultado tu pedido y puedo ver su estado actual.",
        "de": "Ich habe Ihre Bestellung nachgeschlagen und sehe den aktuellen Status.",
        "fr": "J'ai consulté votre commande et je vois son statut actuel.",
    },
    "refund_explained": {
        "en": "Refunds go back to the original payment method within 5 to 10 business days.",
        "es": "Los reembolsos vuelven al método de pago original en 5 a 10 días hábiles.",
        "de": "Erstattungen gehen innerhalb von 5 bis 10 Werktagen an die ursprüngliche "
        "Zahlungsart zurück.",
        "fr": "Les remboursements sont versés sur le moyen de paiement d'origine sous 5 à 10 "
        "jours ouvrés.",
    },
}
