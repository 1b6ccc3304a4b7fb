// Small DOM helpers. Text is only ever set with textContent.

/**
 * Create an element.
 * @param {string} tag
 * @param {{cls?: string, sa?: string, text?: unknown, attrs?: Record<string, string>}} [opts]
 * @returns {HTMLElement}
 */
export function el(tag, opts = {}) {
  const node = document.createElement(tag);
  if (opts.cls) node.className = opts.cls;
  if (opts.sa) node.setAttribute("data-sa", opts.sa);
  if (opts.text !== undefined && opts.text !== null) node.textContent = String(opts.text);
  if (opts.attrs) {
    for (const [name, value] of Object.entries(opts.attrs)) node.setAttribute(name, value);
  }
  return node;
}

/** Text for screen readers only. */
export function srOnly(text) {
  return el("span", { cls: "sa-sr", text });
}

/**
 * A URL that may be used in a link or an image: http(s) only, resolved against the page.
 * @param {unknown} raw
 * @returns {string | null}
 */
export function safeUrl(raw) {
  if (typeof raw !== "string" || raw.trim() === "") return null;
  try {
    const url = new URL(raw.trim(), document.baseURI);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}
