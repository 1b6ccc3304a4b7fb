// A minimal chat box over rasa's REST channel. Everything the bot or shopper says is put on the
// page as text (textContent), never as HTML.
(function () {
  "use strict";
  const log = document.getElementById("log");
  const form = document.getElementById("form");
  const input = document.getElementById("text");
  let sender = sessionStorage.getItem("shop-assistant-sender");
  if (!sender) {
    sender = "web-" + crypto.getRandomValues(new Uint32Array(4)).join("-");
    sessionStorage.setItem("shop-assistant-sender", sender);
  }
  let rasaUrl = "http://127.0.0.1:5005";
  const ready = fetch("config.json").then((r) => r.json()).then((c) => { rasaUrl = c.rasaUrl; }).catch(() => {});

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function add(node) {
    const li = el("li");
    li.appendChild(node);
    log.appendChild(li);
    log.scrollTop = log.scrollHeight;
  }
  function price(p) {
    const value = Number(p.price);
    return isFinite(value) ? value.toFixed(2) + " " + (p.currency || "USD") : "";
  }
  function carousel(products) {
    const row = el("div", "carousel");
    row.setAttribute("role", "list");
    products.forEach((p, i) => {
      const card = el("div", "card");
      card.setAttribute("role", "listitem");
      const img = el("img");
      img.alt = p.title || "";
      img.src = p.image_url || "";
      img.onerror = () => { img.onerror = null; img.removeAttribute("src"); };
      card.appendChild(img);
      card.appendChild(el("div", "title", (i + 1) + ". " + (p.title || "")));
      card.appendChild(el("div", "meta", [p.brand, p.rating ? "★ " + Number(p.rating).toFixed(1) : ""].filter(Boolean).join(" · ")));
      card.appendChild(el("div", "price", price(p) + (p.in_stock === false ? " · out of stock" : "")));
      const details = el("button", "", "Details");
      details.type = "button";
      details.onclick = () => send("tell me more about number " + (i + 1));
      card.appendChild(details);
      row.appendChild(card);
    });
    add(row);
  }
  function render(message) {
    if (message.text) add(el("div", "msg bot", message.text));
    if (message.image) { const img = el("img"); img.src = message.image; img.alt = ""; add(img); }
    const custom = message.custom;
    if (custom && custom.type === "product_carousel" && Array.isArray(custom.products)) carousel(custom.products);
    if (Array.isArray(message.buttons) && message.buttons.length) {
      const box = el("div", "buttons");
      message.buttons.forEach((b) => {
        const btn = el("button", "", b.title);
        btn.type = "button";
        btn.onclick = () => send(b.payload || b.title, b.title);
        box.appendChild(btn);
      });
      add(box);
    }
  }
  async function send(text, shown) {
    add(el("div", "msg user", shown || text));
    await ready;
    try {
      const response = await fetch(rasaUrl + "/webhooks/rest/webhook", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ sender: sender, message: text }),
      });
      if (!response.ok) throw new Error("HTTP " + response.status);
      const messages = await response.json();
      messages.forEach(render);
    } catch (error) {
      add(el("div", "msg error", "The assistant can't be reached right now. Please try again in a moment."));
    }
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    send(text);
  });
})();
