// The shop assistant's chat widget: one <script defer> on the shop's page, configured by
// window.ShopAssistantConfig, talking to rasa's verified socket.io channel. See docs/widget.md.

import { io } from "socket.io-client";

import css from "./widget.css";
import { el } from "./dom.js";
import { LABELS, label, pickLanguage } from "./labels.js";
import {
  agentName,
  bubble,
  carousel,
  messageItem,
  quickReplies,
  replyButtons,
  signature,
} from "./render.js";
import { identityOf, loadSession, randomId, saveSession, storageKey } from "./session.js";

const VERSION = "1.0.0";
// The <script> tag that loaded us (only known while the script first runs).
const SCRIPT = document.currentScript;
const DEFAULT_MAX_CHARS = 2000;
const SERVER_MAX_CHARS = 5000;
const TYPING_TIMEOUT_MS = 20000;
const HISTORY_WAIT_MS = 4000;
const FAILURES_BEFORE_ERROR = 2;
const COLOUR_VARS = {
  primary: "--sa-primary",
  primaryText: "--sa-primary-text",
  background: "--sa-background",
  text: "--sa-text",
  botBubble: "--sa-bot-bubble",
  userBubble: "--sa-user-bubble",
  userText: "--sa-user-text",
  agentBubble: "--sa-agent-bubble",
  focus: "--sa-focus",
};
const CHAT_ICON =
  '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2Zm3 6a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3Zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3Zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3Z"/></svg>';

/** The page's config, checked and completed with defaults. */
function readConfig(raw) {
  const config = raw && typeof raw === "object" ? raw : {};
  let server = location.origin;
  if (typeof config.server === "string" && config.server.trim()) {
    try {
      const url = new URL(config.server.trim(), location.href);
      if (url.protocol === "http:" || url.protocol === "https:") server = url.origin + url.pathname.replace(/\/+$/, "");
    } catch {
      // keep the page's origin
    }
  }
  const language = pickLanguage(config.language, document.documentElement.lang);
  const colours = {};
  if (config.colours && typeof config.colours === "object") {
    for (const [key, value] of Object.entries(config.colours)) {
      if (COLOUR_VARS[key] && typeof value === "string" && window.CSS?.supports?.("color", value)) {
        colours[COLOUR_VARS[key]] = value;
      }
    }
  }
  const max = Number(config.maxLength);
  return {
    server,
    socketPath: typeof config.socketPath === "string" && config.socketPath.startsWith("/") ? config.socketPath : "/socket.io",
    token: typeof config.token === "string" && config.token ? config.token : null,
    language,
    labels: LABELS[language],
    colours,
    position: config.position === "left" ? "left" : "right",
    title: typeof config.title === "string" && config.title.trim() ? config.title.trim().slice(0, 80) : LABELS[language].title,
    maxLength: Number.isInteger(max) && max > 0 ? Math.min(max, SERVER_MAX_CHARS) : DEFAULT_MAX_CHARS,
    nonce: typeof config.nonce === "string" ? config.nonce : SCRIPT?.nonce || "",
    open: config.open === true,
  };
}

class Widget {
  constructor(config) {
    this.config = config;
    this.labels = config.labels;
    this.socket = null;
    this.ready = false; // connected and the session confirmed
    this.everConnected = false;
    this.failures = 0;
    this.state = "idle";
    this.unread = 0;
    this.pending = []; // user messages not acknowledged by the server yet, oldest first
    this.rendered = []; // {sig, entry} of every message in the log, for lining up history
    this.historyDone = false;
    this.historyTimer = null;
    this.typingTimer = null;
    this.sessionKey = storageKey(config.server, identityOf(config.token));
    this.sessionId = loadSession(this.sessionKey);
  }

  // -- building ------------------------------------------------------------------------------

  mount() {
    const { labels, config } = this;
    const host = el("div", { sa: "root", attrs: { id: "shop-assistant", lang: config.language } });
    // Page rules that match the host (div, *, [id]) must not style it: an inline !important
    // reset wins over them (set through the CSSOM, which a CSP without 'unsafe-inline' allows).
    host.style.setProperty("all", "initial", "important");
    const root = host.attachShadow({ mode: "open" });
    this.addStyles(root);
    const box = el("div", { cls: "sa-root" });
    for (const [name, value] of Object.entries(config.colours)) box.style.setProperty(name, value);
    this.host = host;
    this.box = box;
    this.setFlag("data-position", config.position);
    this.setFlag("data-open", "false");
    this.setState("idle");

    const panel = el("div", {
      cls: "sa-panel",
      sa: "panel",
      attrs: { id: "sa-panel", role: "dialog", "aria-label": config.title },
    });
    panel.hidden = true;
    const header = el("div", { cls: "sa-header" });
    header.appendChild(el("h2", { cls: "sa-title", sa: "title", text: config.title }));
    const close = el("button", {
      cls: "sa-close",
      sa: "close",
      text: "×",
      attrs: { type: "button", "aria-label": labels.close },
    });
    close.addEventListener("click", () => this.close());
    header.appendChild(close);
    panel.appendChild(header);

    this.status = el("p", { cls: "sa-status", sa: "status", attrs: { role: "status" } });
    this.status.hidden = true;
    panel.appendChild(this.status);

    this.log = el("div", { cls: "sa-log", sa: "log", attrs: { role: "log", "aria-live": "polite", "aria-label": config.title, tabindex: "0" } });
    panel.appendChild(this.log);

    this.typing = el("div", { cls: "sa-typing", sa: "typing" });
    for (let i = 0; i < 3; i += 1) this.typing.appendChild(el("span", { cls: "sa-dot", attrs: { "aria-hidden": "true" } }));
    this.typing.appendChild(el("span", { cls: "sa-sr", text: labels.typing }));
    this.typing.hidden = true;
    panel.appendChild(this.typing);

    panel.appendChild(this.buildForm());

    const launcher = el("button", {
      cls: "sa-launcher",
      sa: "launcher",
      attrs: { type: "button", "aria-expanded": "false", "aria-controls": "sa-panel", "aria-label": labels.open },
    });
    const icon = el("span");
    icon.innerHTML = CHAT_ICON; // a constant of ours
    launcher.appendChild(icon.firstChild);
    this.badge = el("span", { cls: "sa-badge", sa: "badge", attrs: { "aria-hidden": "true" } });
    this.badge.hidden = true;
    launcher.appendChild(this.badge);
    launcher.addEventListener("click", () => this.toggle());

    box.appendChild(panel);
    box.appendChild(launcher);
    root.appendChild(box);
    root.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && this.isOpen()) {
        event.stopPropagation();
        this.close();
      }
    });
    this.panel = panel;
    this.launcher = launcher;
    document.body.appendChild(host);
    if (this.sessionId) this.connect(); // an earlier conversation: restore it, count unread
    if (config.open) this.open();
  }

  addStyles(root) {
    if ("adoptedStyleSheets" in Document.prototype && "replaceSync" in CSSStyleSheet.prototype) {
      // Constructed style sheets are not inline styles: a strict CSP (no 'unsafe-inline') is fine.
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      root.adoptedStyleSheets = [sheet];
    } else {
      const style = el("style", { text: css });
      if (this.config.nonce) style.setAttribute("nonce", this.config.nonce);
      root.appendChild(style);
    }
  }

  buildForm() {
    const { labels, config } = this;
    const form = el("form", { cls: "sa-form", sa: "form", attrs: { novalidate: "" } });
    form.appendChild(el("label", { cls: "sa-sr", text: labels.input, attrs: { for: "sa-input" } }));
    const row = el("div", { cls: "sa-composer" });
    this.input = el("textarea", {
      cls: "sa-input",
      sa: "input",
      attrs: { id: "sa-input", rows: "1", placeholder: labels.placeholder, "aria-describedby": "sa-note", autocomplete: "off" },
    });
    this.sendButton = el("button", { cls: "sa-send", sa: "send", text: labels.send, attrs: { type: "submit" } });
    this.sendButton.disabled = true;
    row.appendChild(this.input);
    row.appendChild(this.sendButton);
    form.appendChild(row);
    const meta = el("div", { cls: "sa-meta" });
    this.note = el("p", { cls: "sa-note", sa: "note", attrs: { id: "sa-note", "aria-live": "polite" } });
    this.note.hidden = true;
    this.counter = el("span", { cls: "sa-counter", sa: "counter", attrs: { "aria-hidden": "true" } });
    this.counter.hidden = true;
    meta.appendChild(this.note);
    meta.appendChild(this.counter);
    form.appendChild(meta);

    this.input.addEventListener("input", () => this.onInput());
    this.input.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.submit();
      }
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.submit();
    });
    this.maxLength = config.maxLength;
    return form;
  }

  // -- panel ---------------------------------------------------------------------------------

  isOpen() {
    return !this.panel.hidden;
  }

  open() {
    if (this.isOpen()) return;
    this.panel.hidden = false;
    this.setFlag("data-open", "true");
    this.launcher.setAttribute("aria-expanded", "true");
    this.launcher.setAttribute("aria-label", this.labels.close);
    this.unread = 0;
    this.updateBadge();
    this.connect();
    this.scrollToEnd(true);
    this.input.focus();
  }

  close() {
    if (!this.isOpen()) return;
    this.panel.hidden = true;
    this.setFlag("data-open", "false");
    this.launcher.setAttribute("aria-expanded", "false");
    this.updateBadge();
    this.launcher.focus();
  }

  toggle() {
    if (this.isOpen()) this.close();
    else this.open();
  }

  updateBadge() {
    const { labels } = this;
    if (this.unread > 0 && !this.isOpen()) {
      this.badge.hidden = false;
      this.badge.textContent = this.unread > 9 ? "9+" : String(this.unread);
      this.launcher.setAttribute("aria-label", `${labels.open} (${labels.unread(this.unread)})`);
    } else {
      this.badge.hidden = true;
      this.badge.textContent = "";
      this.launcher.setAttribute("aria-label", this.isOpen() ? labels.close : labels.open);
    }
  }

  // -- connection ----------------------------------------------------------------------------

  /** An attribute on the host (for tests and the page) and on the styled box. */
  setFlag(name, value) {
    this.host.setAttribute(name, value);
    this.box.setAttribute(name, value);
  }

  setState(state) {
    this.state = state;
    this.setFlag("data-state", state);
    if (!this.status) return;
    const texts = {
      connecting: this.labels.connecting,
      reconnecting: this.labels.reconnecting,
      error: this.labels.error,
      expired: this.labels.expired,
    };
    const text = texts[state];
    this.status.hidden = !text;
    this.status.textContent = text || "";
    this.status.setAttribute("data-state", state === "expired" ? "error" : state);
  }

  connect() {
    if (this.socket) return;
    this.setState("connecting");
    const options = { path: this.config.socketPath, reconnectionDelayMax: 10000, timeout: 10000 };
    if (this.config.token) options.auth = { token: this.config.token };
    const socket = io(this.config.server, options);
    this.socket = socket;
    socket.on("connect", () => {
      this.ready = false;
      this.failures = 0;
      if (!this.sessionId) this.sessionId = randomId(18);
      socket.emit("session_request", { session_id: this.sessionId });
    });
    socket.on("session_confirm", (id) => this.onSessionConfirm(id));
    socket.on("history", (data) => this.onHistory(data));
    socket.on("bot_uttered", (message) => this.onBotMessage(message));
    socket.on("auth_error", () => {
      this.setState("expired");
    });
    socket.on("disconnect", (reason) => {
      this.ready = false;
      this.hideTyping();
      if (reason === "io client disconnect") return;
      this.setState("reconnecting");
      // The client reconnects by itself after a lost transport, not after a server's disconnect.
      if (reason === "io server disconnect") setTimeout(() => socket.connect(), 1000 + Math.random() * 2000);
    });
    socket.on("connect_error", (error) => {
      this.ready = false;
      if (!socket.active) {
        // Refused by the server (a bad or expired token): no automatic retry.
        this.setState("expired");
        return;
      }
      this.failures += 1;
      const giveUpNote = !this.everConnected || this.failures >= FAILURES_BEFORE_ERROR;
      this.setState(giveUpNote ? "error" : "reconnecting");
      void error;
    });
  }

  onSessionConfirm(id) {
    if (typeof id === "string" && /^[A-Za-z0-9_-]{16,128}$/.test(id)) {
      this.sessionId = id;
      saveSession(this.sessionKey, id);
    }
    this.everConnected = true;
    this.setState("connected");
    window.dispatchEvent(new CustomEvent("shop-assistant:connected"));
    // The server sends the conversation's history right after; queued messages wait for it so
    // they come after it in the log (or for a short while, with an older server).
    clearTimeout(this.historyTimer);
    this.historyTimer = setTimeout(() => this.becomeReady(), HISTORY_WAIT_MS);
  }

  becomeReady() {
    clearTimeout(this.historyTimer);
    if (!this.socket || !this.socket.connected) return;
    this.ready = true;
    for (const entry of this.pending) this.emit(entry);
  }

  onHistory(data) {
    const messages = data && Array.isArray(data.messages) ? data.messages : [];
    this.renderHistory(messages);
    this.historyDone = true;
    this.becomeReady();
  }

  // -- incoming ------------------------------------------------------------------------------

  /**
   * Render a message from the server (live or from the history).
   * @returns {HTMLElement | null} the log item, or null when there was nothing to show
   */
  buildServerMessage(message, history) {
    if (!message || typeof message !== "object") return null;
    if (message.sender === "user") {
      if (typeof message.text !== "string" || !message.text) return null;
      const item = messageItem("user", { labels: this.labels, history });
      item.appendChild(bubble(message.text, false));
      return item;
    }
    const name = agentName(message);
    const item = messageItem(name ? "agent" : "bot", { labels: this.labels, history, agent: name });
    let content = false;
    if (typeof message.text === "string" && message.text.trim()) {
      item.appendChild(bubble(message.text, true));
      content = true;
    }
    const custom = message.custom;
    if (custom && typeof custom === "object" && custom.type === "product_carousel" && Array.isArray(custom.products)) {
      item.appendChild(carousel(custom, { labels: this.labels, language: this.config.language }, (p, t) => this.send(p, t)));
      content = true;
    }
    const src = message.attachment?.payload?.src ?? message.image;
    if (message.attachment?.type === "image" || typeof message.image === "string") {
      const img = el("img", { cls: "sa-attachment", attrs: { alt: "", loading: "lazy" } });
      try {
        const url = new URL(String(src), document.baseURI);
        if (url.protocol === "http:" || url.protocol === "https:") {
          img.src = url.href;
          item.appendChild(img);
          content = true;
        }
      } catch {
        // not a URL: nothing to show
      }
    }
    const replies = quickReplies(message);
    if (replies.length) {
      item.appendChild(replyButtons(replies, (p, t) => this.send(p, t)));
      content = true;
    }
    return content ? item : null;
  }

  onBotMessage(message) {
    const item = this.buildServerMessage(message, false);
    this.hideTyping();
    if (item === null) return;
    this.append(item, signature(item.getAttribute("data-from"), message), null);
    if (!this.isOpen()) {
      this.unread += 1;
      this.updateBadge();
    }
  }

  renderHistory(messages) {
    let start = 0;
    if (this.historyDone || this.rendered.some((r) => !r.entry)) {
      // A reconnect: show only what came after the last message we have (missed while down).
      const anchor = [...this.rendered].reverse().find((r) => !r.entry || r.entry.acked);
      if (!anchor) return;
      const sigs = messages.map((m) => signature(m.sender === "user" ? "user" : agentName(m) ? "agent" : "bot", m));
      const at = sigs.lastIndexOf(anchor.sig);
      if (at < 0) return;
      start = at + 1;
    }
    // After a reconnect, a message still waiting for its acknowledgement may already be in the
    // history: it stays as it is (its re-send is dropped by the server as a repeat).
    const waiting = new Set(start > 0 ? this.pending.map((e) => e.shown) : []);
    const before = this.pending.length ? this.pending[0].item : null;
    for (const message of messages.slice(start)) {
      if (message && message.sender === "user" && waiting.has(message.text)) continue;
      const item = this.buildServerMessage(message, !this.historyDone);
      if (item === null) continue;
      this.append(item, signature(item.getAttribute("data-from"), message), null, before);
    }
    this.scrollToEnd(true);
  }

  // -- outgoing ------------------------------------------------------------------------------

  onInput() {
    const length = this.input.value.length;
    const over = length > this.maxLength;
    this.sendButton.disabled = over || this.input.value.trim() === "";
    const showCounter = length >= Math.floor(this.maxLength * 0.8);
    this.counter.hidden = !showCounter;
    this.counter.textContent = showCounter ? `${length} / ${this.maxLength}` : "";
    this.counter.setAttribute("data-over", String(over));
    if (over) this.showNote(label(this.labels, "tooLong", { max: this.maxLength }));
    else this.showNote("");
    this.input.style.height = "auto";
    this.input.style.height = `${Math.min(this.input.scrollHeight, 140)}px`;
  }

  showNote(text) {
    if (this.note.textContent !== text) this.note.textContent = text;
    this.note.hidden = !text;
  }

  submit() {
    const text = this.input.value.trim();
    if (!text) return;
    if (this.input.value.length > this.maxLength) {
      this.showNote(label(this.labels, "tooLong", { max: this.maxLength }));
      return;
    }
    this.input.value = "";
    this.onInput();
    this.send(text, text);
  }

  /**
   * Send a message: now when connected, else once the connection is back (exactly once: the
   * server drops a repeated client_id).
   * @param {string} text what goes to the assistant (a payload for buttons)
   * @param {string} shown what the log shows
   */
  send(text, shown) {
    if (typeof text !== "string" || !text.trim()) return;
    const item = messageItem("user", { labels: this.labels });
    item.appendChild(bubble(shown || text, false));
    const entry = { clientId: randomId(12), text, shown: shown || text, item, acked: false };
    item.setAttribute("data-client-id", entry.clientId);
    this.pending.push(entry);
    this.append(item, signature("user", { text: entry.shown }), entry);
    this.scrollToEnd(true);
    if (this.ready && this.socket && this.socket.connected) {
      this.emit(entry);
    } else {
      this.markQueued(entry, true);
      this.connect();
    }
  }

  markQueued(entry, queued) {
    if (queued && !entry.note) {
      entry.item.setAttribute("data-pending", "true");
      entry.note = el("span", { cls: "sa-pending-note", text: this.labels.queued });
      entry.item.appendChild(entry.note);
    } else if (!queued && entry.note) {
      entry.item.removeAttribute("data-pending");
      entry.note.remove();
      entry.note = null;
    }
  }

  emit(entry) {
    const payload = {
      message: entry.text,
      session_id: this.sessionId,
      client_id: entry.clientId,
      metadata: { language: this.config.language, page: location.pathname, widget_version: VERSION },
    };
    this.showTyping();
    this.socket.emit("user_uttered", payload, () => {
      entry.acked = true;
      this.markQueued(entry, false);
      this.pending = this.pending.filter((e) => e !== entry);
      this.hideTyping();
    });
  }

  // -- log -----------------------------------------------------------------------------------

  append(item, sig, entry, before = null) {
    const stick = this.nearEnd();
    if (before && before.parentNode === this.log) {
      this.log.insertBefore(item, before);
      const index = this.rendered.findIndex((r) => r.entry && r.entry.item === before);
      this.rendered.splice(index < 0 ? this.rendered.length : index, 0, { sig, entry });
    } else {
      this.log.appendChild(item);
      this.rendered.push({ sig, entry });
    }
    this.scrollToEnd(stick);
  }

  nearEnd() {
    return this.log.scrollHeight - this.log.scrollTop - this.log.clientHeight < 80;
  }

  scrollToEnd(force) {
    if (force) this.log.scrollTop = this.log.scrollHeight;
  }

  showTyping() {
    this.typing.hidden = false;
    clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(() => this.hideTyping(), TYPING_TIMEOUT_MS);
  }

  hideTyping() {
    clearTimeout(this.typingTimer);
    this.typing.hidden = true;
  }
}

function start() {
  if (window.ShopAssistant && window.ShopAssistant.version) return; // included twice
  const widget = new Widget(readConfig(window.ShopAssistantConfig));
  widget.mount();
  window.ShopAssistant = Object.freeze({
    version: VERSION,
    open: () => widget.open(),
    close: () => widget.close(),
    toggle: () => widget.toggle(),
    isOpen: () => widget.isOpen(),
  });
  window.dispatchEvent(new CustomEvent("shop-assistant:ready"));
}

if (document.body) start();
else document.addEventListener("DOMContentLoaded", start, { once: true });
