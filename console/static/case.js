// The case page: live transcript (polled every second), reply box, canned replies, catalog
// cards, claim / hand back / resolve, the customer panel and the claim heartbeat.
// Texts from shoppers, agents and the catalog are inserted with textContent only.
(function () {
  "use strict";
  const C = window.ConsoleUI;
  const root = document.getElementById("case");
  if (!root) return;
  const $ = (id) => document.getElementById(id);
  const ref = root.dataset.case;
  const base = "/cases/" + encodeURIComponent(ref);
  const meNode = $("me");
  const me = meNode ? Number(meNode.dataset.agentId) : null;
  const myName = meNode ? meNode.textContent : "";
  const heartbeatSeconds = Math.max(2, Number(root.dataset.heartbeat) || 30);

  const state = {
    status: root.dataset.status,
    holder: root.dataset.claimedById ? Number(root.dataset.claimedById) : null,
  };

  // -- status --------------------------------------------------------------------------
  function setStatus(status, holderId, holderName) {
    state.status = status;
    if (holderId !== undefined) state.holder = holderId;
    root.dataset.status = status;
    $("case-status").textContent = status.replace(/_/g, " ");
    if (holderName !== undefined) $("case-holder").textContent = holderName ? ", " + holderName : "";
  }

  function notice(text) {
    C.show($("case-notice"), text);
  }

  async function refreshCase() {
    const answer = await C.call("GET", base + "/data");
    if (!answer.ok) return;
    const d = answer.data;
    const was = state;
    const mine = was.status === "claimed" && was.holder === me;
    setStatus(d.status, d.claimed_by_id, d.claimed_by);
    if (mine && d.status === "queued") notice("Your claim expired: the case is back in the queue. Claim it again to answer.");
    else if (mine && d.status === "claimed" && d.claimed_by_id !== me) notice("The case is now claimed by " + d.claimed_by + ".");
    if (d.resolved_note) {
      $("resolution-note").textContent = d.resolved_note;
      $("resolution").hidden = false;
    }
  }

  // -- transcript ----------------------------------------------------------------------
  const transcript = $("transcript");
  const transcriptStatus = $("transcript-status");
  let lastSignature = "";
  const WHO = { shopper: "Shopper", bot: "Bot", agent: "Agent", console: "Console" };
  const CONSOLE_TEXT = {
    handback: "Handed back to the bot",
    resolve: "Resolved",
    claim: "Claimed",
  };

  function timeOf(at) {
    if (!at) return "";
    try {
      return new Date(at * 1000).toLocaleTimeString();
    } catch (err) {
      return "";
    }
  }

  function cardsOf(custom) {
    if (!custom || custom.type !== "product_carousel" || !Array.isArray(custom.products)) return null;
    const list = C.el("ul", "cards");
    custom.products.forEach(function (p) {
      const bits = [p.title || p.id || "product"];
      if (p.price_text) bits.push(p.price_text);
      list.appendChild(C.el("li", "", "Product card: " + bits.join(" · ")));
    });
    return list;
  }

  function itemNode(item) {
    const li = C.el("li", "msg from-" + (WHO[item.from] ? item.from : "console"));
    li.dataset.kind = item.kind || "message";
    li.dataset.from = item.from;
    const head = C.el("div");
    const who = item.from === "agent" && item.agent ? item.agent : WHO[item.from] || item.from;
    head.appendChild(C.el("span", "who", who));
    head.appendChild(C.el("span", "at", timeOf(item.at)));
    if (String(item.kind || "").startsWith("pending_")) {
      head.appendChild(C.el("span", "pending", "not delivered yet: send again"));
    }
    li.appendChild(head);
    let text = item.text || "";
    if (item.from === "console") {
      const label = CONSOLE_TEXT[item.kind] || item.kind;
      text = text ? label + ": " + text : label;
      if (item.agent) text += " (" + item.agent + ")";
    }
    if (text) li.appendChild(C.el("p", "text", text));
    const cards = cardsOf(item.custom);
    if (cards) li.appendChild(cards);
    return li;
  }

  function renderTranscript(items) {
    const signature = JSON.stringify(items);
    if (signature === lastSignature) return;
    lastSignature = signature;
    const atBottom = transcript.scrollHeight - transcript.scrollTop - transcript.clientHeight < 40;
    transcript.replaceChildren(...items.map(itemNode));
    if (atBottom || transcript.dataset.scrolled !== "1") {
      transcript.scrollTop = transcript.scrollHeight;
    }
  }
  transcript.addEventListener("scroll", function () {
    const atBottom = transcript.scrollHeight - transcript.scrollTop - transcript.clientHeight < 40;
    transcript.dataset.scrolled = atBottom ? "0" : "1";
  });

  async function pollTranscript() {
    const answer = await C.call("GET", base + "/transcript");
    if (!answer.ok) {
      transcriptStatus.textContent = answer.error;
      return answer.status !== 401 && answer.status !== 404;
    }
    const data = answer.data;
    transcriptStatus.textContent = data.rasa
      ? "Live: " + data.items.length + " messages"
      : "Rasa cannot be reached: showing the console's own messages only.";
    renderTranscript(data.items || []);
    if (data.status !== state.status) await refreshCase();
    return true;
  }

  // -- reply box -----------------------------------------------------------------------
  const replyForm = $("reply-form");
  const replyText = $("reply-text");
  const replySend = $("reply-send");
  const replyError = $("reply-error");
  // A submission keeps its key until it is delivered, so a double click or a retry after an
  // error sends the message once. Editing the text after an error starts a new message.
  let pending = null; // {key, text}
  let sending = false;

  async function sendReply() {
    const text = replyText.value.trim();
    if (!text || sending) return;
    if (text.length > 4000) {
      C.show(replyError, "The message is longer than 4000 characters.");
      return;
    }
    if (!pending || pending.text !== text) pending = { key: C.newKey(), text: text };
    sending = true;
    replySend.disabled = true;
    C.show(replyError, "");
    const answer = await C.call("POST", base + "/reply", { text: text, idempotency_key: pending.key });
    sending = false;
    replySend.disabled = false;
    if (answer.ok) {
      pending = null;
      if (replyText.value.trim() === text) replyText.value = "";
      replyText.focus();
      pollTranscript();
    } else {
      C.show(replyError, answer.error);
      if (answer.status === 409 || answer.status === 403) refreshCase();
    }
  }

  replyForm.addEventListener("submit", function (event) {
    event.preventDefault();
    sendReply();
  });
  replyText.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      sendReply();
    }
  });

  // -- canned replies (in the case's language) ------------------------------------------
  const canned = $("canned");
  function useCanned(text) {
    replyText.value = text;
    replyText.focus();
  }
  canned.addEventListener("click", function (event) {
    const button = event.target.closest("button.canned-reply");
    if (button) useCanned(button.dataset.text || button.textContent);
  });
  (async function loadCanned() {
    const language = encodeURIComponent(root.dataset.language || "");
    const answer = await C.call("GET", "/canned.json?language=" + language);
    if (!answer.ok) return;
    const items = (answer.data.replies || []).map(function (r) {
      const li = C.el("li");
      const button = C.el("button", "canned-reply", r.text);
      button.type = "button";
      button.dataset.key = r.key;
      button.dataset.text = r.text;
      li.appendChild(button);
      return li;
    });
    if (items.length) canned.replaceChildren(...items);
  })();

  // -- catalog search and product cards -------------------------------------------------
  const catalogForm = $("catalog-form");
  const catalogQ = $("catalog-q");
  const catalogError = $("catalog-error");
  const results = $("catalog-results");

  function productNode(product) {
    const li = C.el("li");
    li.dataset.product = product.id;
    if (product.image_url) {
      const img = C.el("img");
      img.alt = "";
      img.src = product.image_url;
      li.appendChild(img);
    }
    const info = C.el("div", "info");
    info.appendChild(C.el("strong", "", product.title));
    const facts = [product.brand, product.price_text, product.in_stock === false ? "out of stock" : "in stock", product.id];
    info.appendChild(C.el("div", "muted", facts.filter(Boolean).join(" · ")));
    li.appendChild(info);
    const button = C.el("button", "send-card", "Send card");
    button.type = "button";
    let key = null;
    button.addEventListener("click", async function () {
      if (button.disabled) return;
      key = key || C.newKey();
      button.disabled = true;
      C.show(catalogError, "");
      const answer = await C.call("POST", base + "/card", { product: product, idempotency_key: key });
      button.disabled = false;
      if (answer.ok) {
        key = null;
        button.textContent = "Sent";
        pollTranscript();
      } else {
        C.show(catalogError, answer.error);
        if (answer.status !== 502) key = null;
      }
    });
    li.appendChild(button);
    return li;
  }

  catalogForm.addEventListener("submit", async function (event) {
    event.preventDefault();
    const q = catalogQ.value.trim();
    if (!q) return;
    C.show(catalogError, "");
    const answer = await C.call("GET", "/catalog/search.json?q=" + encodeURIComponent(q) + "&language=" + encodeURIComponent(root.dataset.language || "en"));
    if (!answer.ok) {
      results.replaceChildren();
      C.show(catalogError, answer.status === 503 ? "Catalog search is unavailable: " + answer.error : answer.error);
      return;
    }
    const products = answer.data.products || [];
    results.replaceChildren(...products.map(productNode));
    if (!products.length) C.show(catalogError, "No products match.");
  });

  // -- claim, hand back, resolve ------------------------------------------------------
  const actionError = $("action-error");
  const keys = { handback: null, resolve: null };

  $("claim-form").addEventListener("submit", async function (event) {
    event.preventDefault();
    const button = $("claim");
    button.disabled = true;
    C.show(actionError, "");
    const answer = await C.call("POST", base + "/claim", {});
    button.disabled = false;
    if (answer.ok) {
      setStatus("claimed", me, myName);
      notice(answer.data.warning || "");
      replyText.focus();
    } else {
      C.show(actionError, answer.error);
      refreshCase();
    }
  });

  $("handback-form").addEventListener("submit", async function (event) {
    event.preventDefault();
    const button = $("handback");
    if (button.disabled) return;
    keys.handback = keys.handback || C.newKey();
    button.disabled = true;
    C.show(actionError, "");
    const answer = await C.call("POST", base + "/handback", { idempotency_key: keys.handback });
    button.disabled = false;
    if (answer.ok) {
      setStatus(answer.data.status);
      notice("Handed back to the bot. You can still resolve the case with a note.");
      pollTranscript();
    } else {
      C.show(actionError, answer.error);
      if (answer.status !== 502) keys.handback = null;
      refreshCase();
    }
  });

  $("resolve-form").addEventListener("submit", async function (event) {
    event.preventDefault();
    const button = $("resolve");
    if (button.disabled) return;
    const note = $("resolve-note").value;
    keys.resolve = keys.resolve || C.newKey();
    button.disabled = true;
    C.show(actionError, "");
    const answer = await C.call("POST", base + "/resolve", { note: note, idempotency_key: keys.resolve });
    button.disabled = false;
    if (answer.ok) {
      setStatus(answer.data.status);
      $("resolution-note").textContent = note;
      $("resolution").hidden = false;
      notice("Resolved.");
    } else {
      C.show(actionError, answer.error);
      if (answer.status !== 502) keys.resolve = null;
      refreshCase();
    }
  });

  // -- heartbeat: keeps this agent's claim alive while the page is open -------------------
  C.every(heartbeatSeconds, async function () {
    if (state.status !== "claimed" || state.holder !== me) return true;
    const answer = await C.call("POST", base + "/heartbeat", {});
    if (!answer.ok) {
      if (answer.status === 401) return false;
      await refreshCase();
    }
    return true;
  });

  // -- customer panel ------------------------------------------------------------------
  function consentText(kind, value) {
    const granted = value && value.granted;
    const word = granted === true ? "granted" : granted === false ? "refused" : "never asked";
    const date = value && value.updated_at ? " (" + String(value.updated_at).slice(0, 10) + ")" : "";
    return kind + ": " + word + date;
  }

  function pair(list, term, value) {
    list.appendChild(C.el("dt", "", term));
    list.appendChild(C.el("dd", "", value === null || value === undefined || value === "" ? "–" : value));
  }

  async function loadCustomer() {
    const status = $("customer-status");
    const answer = await C.call("GET", base + "/customer.json");
    if (!answer.ok) {
      status.textContent = answer.error;
      return true;
    }
    const d = answer.data;
    if (d.source === "none") {
      status.textContent = "";
      return false;
    }
    if (d.source !== "live") {
      status.textContent = (d.message || "profile service unavailable") + " — showing the profile stored with the case.";
      return true; // try again later
    }
    status.textContent = d.message ? "Live profile (" + d.message + ")" : "Live profile";
    const profile = $("customer-profile");
    const p = d.profile || {};
    const rows = C.el("dl");
    pair(rows, "Customer id", d.customer_id);
    pair(rows, "Name", p.name);
    pair(rows, "Segment", p.segment);
    pair(rows, "Preferred language", p.preferred_language);
    const consent = p.consent || {};
    const kinds = Object.keys(consent);
    pair(rows, "Consent", kinds.length ? kinds.map((k) => consentText(k, consent[k])).join("; ") : "–");
    profile.replaceChildren(...Array.from(rows.childNodes));
    const body = $("customer-orders").querySelector("tbody");
    const orders = d.orders || [];
    body.replaceChildren(...orders.map(function (o) {
      const tr = C.el("tr");
      tr.appendChild(C.el("td", "", o.order_id));
      tr.appendChild(C.el("td", "", o.status));
      tr.appendChild(C.el("td", "", String(o.placed_at || "").slice(0, 10)));
      const total = typeof o.total === "number" ? o.total.toFixed(2) + " " + (o.currency || "") : "–";
      tr.appendChild(C.el("td", "", total));
      return tr;
    }));
    if (!orders.length) {
      const tr = C.el("tr");
      const td = C.el("td", "", d.orders === null ? "Recent orders unavailable." : "No orders.");
      td.colSpan = 4;
      tr.appendChild(td);
      body.replaceChildren(tr);
    }
    $("customer-snapshot").hidden = true;
    $("customer-live").hidden = false;
    return false;
  }

  // -- start ---------------------------------------------------------------------------
  setStatus(state.status);
  C.every(1, pollTranscript);
  if (root.dataset.hasCustomer === "1") C.every(30, loadCustomer);
})();
