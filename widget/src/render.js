// Building the log's messages: text, quick replies, product carousels, agent marks.

import { el, safeUrl, srOnly } from "./dom.js";
import { label } from "./labels.js";
import { renderMarkdown } from "./markdown.js";

const PERSON_ICON =
  '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M12 12a5 5 0 1 0 0-10 5 5 0 0 0 0 10Zm0 2c-4.4 0-8 2.2-8 5v3h16v-3c0-2.8-3.6-5-8-5Z"/></svg>';
const PAYLOADS = {
  details: "/product_details",
  similar: "/similar_products",
  compare: "/compare_products",
};

/**
 * The agent's name of a message, or null for the bot.
 * @param {any} message
 * @returns {string | null}
 */
export function agentName(message) {
  const agent = message && message.agent;
  if (typeof agent === "string" && agent.trim()) return agent.trim();
  if (agent && typeof agent.name === "string" && agent.name.trim()) return agent.name.trim();
  return null;
}

/**
 * The quick replies of a bot message (``quick_replies`` or ``buttons``), cleaned.
 * @param {any} message
 * @returns {{title: string, payload: string}[]}
 */
export function quickReplies(message) {
  const raw = Array.isArray(message.quick_replies)
    ? message.quick_replies
    : Array.isArray(message.buttons)
      ? message.buttons
      : [];
  return raw
    .filter((b) => b && (typeof b.title === "string" || typeof b.payload === "string"))
    .map((b) => ({
      title: String(b.title ?? b.payload),
      payload: String(b.payload ?? b.title),
    }));
}

/**
 * A short signature of a message, used to line up the server's history with the log.
 * @param {"user" | "bot" | "agent"} from
 * @param {any} message
 * @returns {string}
 */
export function signature(from, message) {
  const custom = message.custom && typeof message.custom === "object" ? message.custom : null;
  const products = custom && Array.isArray(custom.products) ? custom.products.map((p) => p && p.id).join(",") : "";
  return [from === "agent" ? "bot" : from, message.text ?? "", custom ? custom.type : "", products].join("\u0000");
}

/**
 * One message of the log.
 * @param {"user" | "bot" | "agent"} from
 * @param {{labels: any, history?: boolean, agent?: string | null}} ctx
 * @returns {HTMLElement}
 */
export function messageItem(from, ctx) {
  const item = el("div", { cls: "sa-msg", sa: "message", attrs: { "data-from": from } });
  if (ctx.history) item.setAttribute("data-history", "true");
  if (from === "agent") {
    const mark = el("div", { cls: "sa-agent-label" });
    const icon = el("span");
    icon.innerHTML = PERSON_ICON; // a constant of ours, never message text
    mark.appendChild(icon.firstChild);
    mark.appendChild(srOnly(label(ctx.labels, "agentSays", { name: ctx.agent })));
    const name = el("span", { sa: "agent", text: ctx.agent, attrs: { "aria-hidden": "true" } });
    mark.appendChild(name);
    mark.appendChild(el("span", { cls: "sa-agent-role", text: `· ${ctx.labels.agent}`, attrs: { "aria-hidden": "true" } }));
    item.appendChild(mark);
  } else {
    item.appendChild(srOnly(from === "user" ? ctx.labels.you : ctx.labels.bot));
  }
  return item;
}

/**
 * A text bubble.
 * @param {string} text
 * @param {boolean} markdown
 * @returns {HTMLElement}
 */
export function bubble(text, markdown) {
  const node = el("div", { cls: "sa-bubble", sa: "text" });
  if (markdown) renderMarkdown(text, node);
  else node.textContent = text;
  return node;
}

/**
 * The row of quick reply buttons.
 * @param {{title: string, payload: string}[]} replies
 * @param {(payload: string, title: string) => void} onPick
 * @returns {HTMLElement}
 */
export function replyButtons(replies, onPick) {
  const row = el("div", { cls: "sa-replies", sa: "quick-replies" });
  for (const reply of replies) {
    const button = el("button", {
      cls: "sa-reply",
      sa: "quick-reply",
      text: reply.title,
      attrs: { type: "button", "data-payload": reply.payload },
    });
    button.addEventListener("click", () => onPick(reply.payload, reply.title));
    row.appendChild(button);
  }
  return row;
}

// Languages that write a decimal comma. Formatted by hand: a page's first toLocaleString call
// loads the locale data (25-90 ms measured), which made the first carousel slow (bench/widget).
const DECIMAL_COMMA = new Set(["es", "de", "fr"]);

function decimal(value, language) {
  const text = String(value);
  return DECIMAL_COMMA.has(String(language || "").slice(0, 2)) ? text.replace(".", ",") : text;
}

function stars(rating) {
  const full = Math.max(0, Math.min(5, Math.round(rating)));
  return "★".repeat(full) + "☆".repeat(5 - full);
}

function priceText(card, language) {
  if (typeof card.price_text === "string" && card.price_text) return card.price_text;
  const value = Number(card.price);
  if (!Number.isFinite(value)) return "";
  try {
    return new Intl.NumberFormat(language, { style: "currency", currency: card.currency || "USD" }).format(value);
  } catch {
    return `${value.toFixed(2)} ${card.currency || ""}`.trim();
  }
}

function cardButtons(card, labels) {
  if (Array.isArray(card.buttons) && card.buttons.length) {
    return card.buttons
      .filter((b) => b && typeof b.payload === "string")
      .map((b) => ({
        kind: typeof b.kind === "string" ? b.kind : "",
        title: typeof b.title === "string" && b.title ? b.title : labels[b.kind] || b.payload,
        payload: b.payload,
      }));
  }
  if (typeof card.id !== "string" || !card.id) return [];
  const args = JSON.stringify({ product_id: card.id });
  return Object.keys(PAYLOADS).map((kind) => ({ kind, title: labels[kind], payload: PAYLOADS[kind] + args }));
}

function image(card, labels) {
  const media = el("div", { cls: "sa-card-media" });
  const placeholder = el("span", { cls: "sa-card-placeholder", sa: "card-placeholder", text: labels.imageMissing });
  const src = safeUrl(card.image_url);
  if (src === null) {
    media.appendChild(placeholder);
    return media;
  }
  const img = el("img", { sa: "card-image", attrs: { alt: "", loading: "lazy", decoding: "async" } });
  img.addEventListener(
    "error",
    () => {
      img.setAttribute("data-broken", "true");
      img.hidden = true;
      media.appendChild(placeholder);
    },
    { once: true },
  );
  img.src = src;
  media.appendChild(img);
  return media;
}

/**
 * One product card.
 * @param {any} card
 * @param {{labels: any, language: string}} ctx
 * @param {(payload: string, title: string) => void} onPick
 * @returns {HTMLElement}
 */
export function productCard(card, ctx, onPick) {
  const { labels } = ctx;
  const item = el("li", { cls: "sa-card", sa: "card" });
  if (typeof card.id === "string") item.setAttribute("data-product-id", card.id);
  item.appendChild(image(card, labels));
  const title = typeof card.title === "string" ? card.title : "";
  item.appendChild(el("h3", { cls: "sa-card-title", sa: "card-title", text: title }));
  const price = priceText(card, ctx.language);
  if (price) item.appendChild(el("div", { cls: "sa-card-price", sa: "card-price", text: price }));
  const rating = Number(card.rating);
  if (card.rating !== null && card.rating !== undefined && Number.isFinite(rating)) {
    const count = Number.isFinite(Number(card.review_count)) ? Math.max(0, Math.trunc(Number(card.review_count))) : null;
    const shown = decimal(Math.round(rating * 10) / 10, ctx.language);
    let spoken = label(labels, "rating", { rating: shown });
    if (count !== null) spoken += `, ${labels.reviews(count)}`;
    const node = el("div", { cls: "sa-card-rating", sa: "card-rating", attrs: { role: "img", "aria-label": spoken } });
    node.appendChild(el("span", { cls: "sa-stars", text: stars(rating) }));
    node.appendChild(document.createTextNode(count !== null ? ` ${shown} (${count})` : ` ${shown}`));
    item.appendChild(node);
  }
  if (typeof card.in_stock === "boolean") {
    item.appendChild(
      el("div", {
        cls: "sa-card-stock",
        sa: "card-stock",
        text: card.in_stock ? labels.inStock : labels.outOfStock,
        attrs: { "data-in-stock": String(card.in_stock) },
      }),
    );
  }
  if (typeof card.reason === "string" && card.reason) {
    item.appendChild(el("p", { cls: "sa-card-reason", sa: "card-reason", text: card.reason }));
  }
  const buttons = el("div", { cls: "sa-card-buttons" });
  for (const b of cardButtons(card, labels)) {
    const button = el("button", {
      cls: "sa-card-button",
      sa: "card-button",
      text: b.title,
      attrs: { type: "button", "data-kind": b.kind, "data-payload": b.payload },
    });
    if (title) button.setAttribute("aria-label", `${b.title}: ${title}`);
    button.addEventListener("click", () => onPick(b.payload, b.title));
    buttons.appendChild(button);
  }
  item.appendChild(buttons);
  return item;
}

/**
 * A product carousel: a horizontally scrolling, keyboard-focusable list of cards.
 * @param {any} custom
 * @param {{labels: any, language: string}} ctx
 * @param {(payload: string, title: string) => void} onPick
 * @returns {HTMLElement}
 */
export function carousel(custom, ctx, onPick) {
  const products = custom.products.filter((p) => p && typeof p === "object");
  const region = el("div", {
    cls: "sa-carousel",
    sa: "carousel",
    attrs: { role: "region", tabindex: "0", "aria-label": `${ctx.labels.products} (${products.length})` },
  });
  const list = el("ul", { cls: "sa-cards" });
  for (const product of products) list.appendChild(productCard(product, ctx, onPick));
  region.appendChild(list);
  region.addEventListener("keydown", (event) => {
    if (event.target !== region) return;
    const step = { ArrowRight: 230, ArrowLeft: -230 }[event.key];
    if (step) {
      region.scrollBy({ left: step });
      event.preventDefault();
    }
  });
  return region;
}
