// Shared helpers of the console's pages: the CSRF token, JSON calls with clear error messages,
// idempotency keys and safe DOM building. Every text from shoppers, agents or the catalog is put
// on the page with textContent, never as HTML.
(function () {
  "use strict";

  function csrf() {
    const meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function newKey() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  const STATUS_MESSAGES = {
    401: "Your session has ended: log in again.",
    413: "That is too large to send.",
    429: "Too many attempts: wait a moment and try again.",
    500: "The console failed; try again.",
    503: "The service is unavailable right now.",
  };

  function describe(status, data) {
    const detail = data && typeof data.detail === "string" ? data.detail : "";
    if (status === 401) return STATUS_MESSAGES[401];
    if (detail) return detail;
    return STATUS_MESSAGES[status] || "Request failed (HTTP " + status + ").";
  }

  // One JSON call: resolves to {ok, status, data, error} and never throws.
  async function call(method, path, body) {
    const headers = { Accept: "application/json" };
    const init = { method: method, headers: headers, credentials: "same-origin", cache: "no-store" };
    if (method !== "GET") {
      headers["X-CSRF-Token"] = csrf();
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body || {});
    }
    let response;
    try {
      response = await fetch(path, init);
    } catch (err) {
      return { ok: false, status: 0, data: null, error: "The console cannot be reached; check the connection and try again." };
    }
    let data = null;
    try {
      data = await response.json();
    } catch (err) {
      data = null;
    }
    const result = { ok: response.ok, status: response.status, data: data, error: null };
    if (!response.ok) result.error = describe(response.status, data);
    return result;
  }

  function show(node, text) {
    if (!node) return;
    node.textContent = text || "";
    node.hidden = !text;
  }

  // Repeats fn every `seconds` (waiting for each run to finish) until it returns false.
  function every(seconds, fn) {
    let stopped = false;
    async function tick() {
      if (stopped) return;
      let again = true;
      try {
        again = (await fn()) !== false;
      } catch (err) {
        again = true;
      }
      if (again && !stopped) setTimeout(tick, seconds * 1000);
    }
    tick();
    return function stop() { stopped = true; };
  }

  window.ConsoleUI = { csrf: csrf, newKey: newKey, el: el, call: call, show: show, every: every };
})();
