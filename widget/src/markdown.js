// Markdown-lite for bot text: **bold**, _italic_ (or *italic*), line breaks, and links
// ([text](https://...) or a bare https://... URL), built as DOM nodes. Bot text is never HTML.

import { safeUrl } from "./dom.js";

// One inline token; the earliest match wins, ties go to the order of the alternatives.
const INLINE =
  /\*\*([^*\n]+?)\*\*|(^|[\s(>])_([^_\n]+?)_(?=$|[\s.,!?;:)])|(^|[\s(>])\*([^*\n]+?)\*(?=$|[\s.,!?;:)])|\[([^\]\n]{1,300})\]\(([^)\s]{1,2000})\)|(https?:\/\/[^\s<>"')]+[^\s<>"').,!?;:])/g;

function link(href, text) {
  const url = safeUrl(href);
  if (url === null || !/^https?:\/\//i.test(href)) return document.createTextNode(text);
  const a = document.createElement("a");
  a.href = url;
  a.textContent = text;
  a.target = "_blank";
  a.rel = "noopener noreferrer nofollow";
  return a;
}

function inline(line, parent) {
  let last = 0;
  INLINE.lastIndex = 0;
  for (let m = INLINE.exec(line); m !== null; m = INLINE.exec(line)) {
    let start = m.index;
    let node;
    if (m[1] !== undefined) {
      node = document.createElement("strong");
      node.textContent = m[1];
    } else if (m[3] !== undefined || m[5] !== undefined) {
      const lead = m[2] ?? m[4] ?? "";
      start += lead.length;
      node = document.createElement("em");
      node.textContent = m[3] ?? m[5];
    } else if (m[6] !== undefined) {
      node = link(m[7], m[6]);
    } else {
      node = link(m[8], m[8]);
    }
    if (start > last) parent.appendChild(document.createTextNode(line.slice(last, start)));
    parent.appendChild(node);
    last = INLINE.lastIndex;
  }
  if (last < line.length) parent.appendChild(document.createTextNode(line.slice(last)));
}

/**
 * Render bot text into ``parent``.
 * @param {string} text
 * @param {HTMLElement} parent
 */
export function renderMarkdown(text, parent) {
  const lines = String(text).replace(/\r\n?/g, "\n").split("\n");
  lines.forEach((line, index) => {
    if (index > 0) parent.appendChild(document.createElement("br"));
    inline(line, parent);
  });
}
