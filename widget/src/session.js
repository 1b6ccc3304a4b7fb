// The conversation's client session id, kept in localStorage per server and identity: a
// different customer (or the anonymous visitor) on the same browser gets another conversation.

const PREFIX = "shop-assistant:v1:";

function base64url(bytes) {
  let text = "";
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** A random id of ``bytes`` random bytes, base64url (the channel accepts [A-Za-z0-9_-]{16,128}). */
export function randomId(bytes = 18) {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** FNV-1a of a string, hex: keeps customer ids out of the storage keys. */
function hash(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, "0");
}

/**
 * Who the token says the shopper is (its ``sub``), unverified: only to pick the storage key.
 * The server verifies the token; a wrong guess here only means another conversation.
 * @param {unknown} token
 * @returns {string}
 */
export function identityOf(token) {
  if (typeof token !== "string" || token.split(".").length !== 3) return "anonymous";
  try {
    const part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const claims = JSON.parse(atob(part + "=".repeat((4 - (part.length % 4)) % 4)));
    return typeof claims.sub === "string" && claims.sub ? `customer:${claims.sub}` : "anonymous";
  } catch {
    return "anonymous";
  }
}

/** The storage key of a server and identity. */
export function storageKey(server, identity) {
  return `${PREFIX}${hash(`${server}|${identity}`)}`;
}

function storage() {
  try {
    return window.localStorage;
  } catch {
    return null; // blocked (privacy settings, sandboxed frame)
  }
}

/** The stored session id, or null. */
export function loadSession(key) {
  try {
    const value = storage()?.getItem(key);
    return value && /^[A-Za-z0-9_-]{16,128}$/.test(value) ? value : null;
  } catch {
    return null;
  }
}

/** Remember the session id. */
export function saveSession(key, value) {
  try {
    storage()?.setItem(key, value);
  } catch {
    // full or blocked: the conversation just won't survive a reload
  }
}
