// The widget's own words in the four languages the assistant speaks. The bot's messages come
// localised from the server; these are only the widget's labels.

export const LANGUAGES = ["en", "es", "de", "fr"];

export const LABELS = {
  en: {
    title: "Shop assistant",
    open: "Open chat",
    close: "Close chat",
    unread: (n) => (n === 1 ? "1 new message" : `${n} new messages`),
    placeholder: "Ask about products or orders",
    input: "Your message",
    send: "Send",
    you: "You:",
    bot: "Assistant:",
    agent: "Support agent",
    agentSays: "Support agent {name}:",
    typing: "The assistant is typing…",
    connecting: "Connecting…",
    reconnecting: "Reconnecting…",
    error: "Can't reach the assistant right now. Retrying…",
    expired: "Your session has expired. Please reload the page to continue.",
    queued: "Not sent yet: it goes out when the connection is back.",
    tooLong: "Your message is too long: at most {max} characters.",
    counter: "{count} of {max} characters",
    inStock: "In stock",
    outOfStock: "Out of stock",
    rating: "Rated {rating} out of 5",
    reviews: (n) => (n === 1 ? "1 review" : `${n} reviews`),
    products: "Products",
    details: "Details",
    similar: "More like this",
    compare: "Compare",
    imageMissing: "No image",
  },
  es: {
    title: "Asistente de la tienda",
    open: "Abrir el chat",
    close: "Cerrar el chat",
    unread: (n) => (n === 1 ? "1 mensaje nuevo" : `${n} mensajes nuevos`),
    placeholder: "Pregunta por productos o pedidos",
    input: "Tu mensaje",
    send: "Enviar",
    you: "Tú:",
    bot: "Asistente:",
    agent: "Agente de atención",
    agentSays: "Agente de atención {name}:",
    typing: "El asistente está escribiendo…",
    connecting: "Conectando…",
    reconnecting: "Reconectando…",
    error: "No se puede contactar con el asistente. Reintentando…",
    expired: "Tu sesión ha caducado. Recarga la página para continuar.",
    queued: "Aún no enviado: se enviará cuando vuelva la conexión.",
    tooLong: "Tu mensaje es demasiado largo: como máximo {max} caracteres.",
    counter: "{count} de {max} caracteres",
    inStock: "En stock",
    outOfStock: "Agotado",
    rating: "Valoración de {rating} sobre 5",
    reviews: (n) => (n === 1 ? "1 reseña" : `${n} reseñas`),
    products: "Productos",
    details: "Detalles",
    similar: "Más como este",
    compare: "Comparar",
    imageMissing: "Sin imagen",
  },
  de: {
    title: "Shop-Assistent",
    open: "Chat öffnen",
    close: "Chat schließen",
    unread: (n) => (n === 1 ? "1 neue Nachricht" : `${n} neue Nachrichten`),
    placeholder: "Frage zu Produkt oder Bestellung",
    input: "Ihre Nachricht",
    send: "Senden",
    you: "Sie:",
    bot: "Assistent:",
    agent: "Kundenservice",
    agentSays: "Kundenservice {name}:",
    typing: "Der Assistent schreibt…",
    connecting: "Verbinde…",
    reconnecting: "Verbindung wird wiederhergestellt…",
    error: "Der Assistent ist gerade nicht erreichbar. Neuer Versuch läuft…",
    expired: "Ihre Sitzung ist abgelaufen. Bitte laden Sie die Seite neu.",
    queued: "Noch nicht gesendet: geht raus, sobald die Verbindung zurück ist.",
    tooLong: "Ihre Nachricht ist zu lang: höchstens {max} Zeichen.",
    counter: "{count} von {max} Zeichen",
    inStock: "Auf Lager",
    outOfStock: "Nicht auf Lager",
    rating: "Bewertet mit {rating} von 5",
    reviews: (n) => (n === 1 ? "1 Bewertung" : `${n} Bewertungen`),
    products: "Produkte",
    details: "Details",
    similar: "Ähnliche",
    compare: "Vergleichen",
    imageMissing: "Kein Bild",
  },
  fr: {
    title: "Assistant de la boutique",
    open: "Ouvrir le chat",
    close: "Fermer le chat",
    unread: (n) => (n === 1 ? "1 nouveau message" : `${n} nouveaux messages`),
    placeholder: "Une question ? Produit, commande…",
    input: "Votre message",
    send: "Envoyer",
    you: "Vous :",
    bot: "Assistant :",
    agent: "Conseiller",
    agentSays: "Conseiller {name} :",
    typing: "L'assistant écrit…",
    connecting: "Connexion…",
    reconnecting: "Reconnexion…",
    error: "Impossible de joindre l'assistant pour le moment. Nouvelle tentative…",
    expired: "Votre session a expiré. Rechargez la page pour continuer.",
    queued: "Pas encore envoyé : il partira dès le retour de la connexion.",
    tooLong: "Votre message est trop long : {max} caractères au maximum.",
    counter: "{count} sur {max} caractères",
    inStock: "En stock",
    outOfStock: "En rupture de stock",
    rating: "Noté {rating} sur 5",
    reviews: (n) => (n === 1 ? "1 avis" : `${n} avis`),
    products: "Produits",
    details: "Détails",
    similar: "Articles similaires",
    compare: "Comparer",
    imageMissing: "Pas d'image",
  },
};

/**
 * The widget's language: the configured one, else the page's <html lang>, else English.
 * @param {unknown} configured
 * @param {string} pageLang
 * @returns {string}
 */
export function pickLanguage(configured, pageLang) {
  for (const candidate of [configured, pageLang]) {
    if (typeof candidate === "string") {
      const code = candidate.trim().slice(0, 2).toLowerCase();
      if (LANGUAGES.includes(code)) return code;
    }
  }
  return "en";
}

/**
 * A label with its {placeholders} filled in.
 * @param {Record<string, any>} labels
 * @param {string} key
 * @param {Record<string, string | number>} [values]
 * @returns {string}
 */
export function label(labels, key, values) {
  let text = String(labels[key] ?? LABELS.en[key] ?? key);
  if (values) {
    for (const [name, value] of Object.entries(values)) text = text.split(`{${name}}`).join(String(value));
  }
  return text;
}
