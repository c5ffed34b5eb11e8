// Tiny DOM builder: text always goes through textContent, never innerHTML.
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "class") node.className = value;
    else if (value === true) node.setAttribute(key, "");
    else node.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function clear(node) { while (node.firstChild) node.firstChild.remove(); return node; }

export function alertBox(...children) { return el("div", { class: "alert", role: "alert" }, ...children); }
export function noticeBox(...children) { return el("div", { class: "notice", role: "status" }, ...children); }

export function param(name) { return new URLSearchParams(location.search).get(name); }

/** Where to go after logging in: `next` if it stays on this site, else `fallback`. The browser's
 *  own URL parser decides, so `/\\host`, `/%09/host` and other spellings of another site, which
 *  a prefix check lets through, are refused. What is returned is the parsed, absolute URL, never
 *  the path alone: `/.//host` parses to the path `//host`, which the browser would read again as
 *  another site. */
export function sameSiteTarget(next, fallback) {
  if (!next) return fallback;
  try {
    const url = new URL(next, location.origin);
    if (url.origin !== location.origin || url.pathname.startsWith("//")) return fallback;
    return url.href;
  } catch { return fallback; }
}

/** Keeps the focused control clear of a bar stuck to the bottom of the window: the page's
 *  scroll padding follows the bar's height (so Tab scrolls far enough), and a control that still
 *  ends up under the bar (a click, a field that grew) is scrolled just above it. */
export function keepFocusAboveBar(bar) {
  const root = document.documentElement;
  const pad = () => { root.style.scrollPaddingBottom = `${bar.offsetHeight + 16}px`; };
  new ResizeObserver(pad).observe(bar);
  pad();
  document.addEventListener("focusin", (e) => {
    const target = e.target;
    // Only the bar's own form: below the form the bar no longer sticks, and covers nothing.
    if (!bar.isConnected || bar.contains(target) || !(target instanceof Element) || !bar.parentElement?.contains(target)) return;
    const b = bar.getBoundingClientRect();
    const r = target.getBoundingClientRect();
    if (r.bottom > b.top - 8 && r.top < b.bottom) window.scrollBy({ top: r.bottom - b.top + 16, behavior: "instant" });
  });
}
