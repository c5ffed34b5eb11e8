// The frame every page shares: header with navigation and the EN/FR switch, main, footer;
// the server-clock countdown; dates in the reader's time zone.
import { session, ProblemError } from "./api.js";
import { alertBox, el, clear } from "./dom.js";
import { bytes, has, lang, setLang, t } from "./i18n.js";
import { format } from "./when.js";

function navLink(href, text, attrs = {}) {
  const here = location.pathname === href || (href === "/" && location.pathname === "/index.html");
  return el("li", {}, el("a", { href, "aria-current": here ? "page" : null, ...attrs }, text));
}

function header(account, rerender) {
  const links = [navLink("/", t("nav_vacancies"))];
  if (account?.role === "candidate") links.push(navLink("/applications", t("nav_applications")));
  if (account?.role === "assessor") links.push(navLink("/assess", t("nav_assess")));
  if (account?.role === "admin") links.push(navLink("/admin", t("nav_admin")));
  if (account) links.push(navLink("/account", account.full_name, { id: "account-link", title: t("nav_account") }));
  else links.push(navLink("/login", t("nav_login"), { id: "login-link" }), navLink("/register", t("nav_register")));
  const switcher = el("div", { class: "lang", role: "group", "aria-label": t("lang_group") },
    ["en", "fr"].map((code) => el("button", {
      type: "button", id: `lang-${code}`, lang: code, "aria-pressed": String(lang() === code),
      onclick: () => { if (lang() !== code) { setLang(code); rerender(); } },
    // The accessible name starts with the visible "EN"/"FR" (WCAG 2.5.3: what you see is what
    // you say to voice control), and goes on to say what the button does.
    }, code.toUpperCase(), el("span", { class: "sr-only" }, ` — ${t(`lang_${code}_label`)}`))));
  return el("header", { class: "site" },
    el("a", { class: "skip", href: "#main" }, t("skip")),
    el("div", { class: "bar" },
      el("a", { class: "brand", href: "/" }, el("span", { class: "brand-mark", "aria-hidden": "true" }), el("span", {}, t("brand"))),
      el("nav", { "aria-label": t("nav_label") }, el("ul", {}, links)),
      switcher));
}

// The page's session and how to redraw it, for `refreshSession`.
let shown = null;

/** Asks the server for the session again and redraws the header from it: after the account was
 *  erased the header must not go on naming the person. */
export async function refreshSession() {
  const fresh = await session(true);
  if (shown) {
    Object.assign(shown.s, fresh);
    document.querySelector("header.site")?.replaceWith(header(fresh.account, shown.rerender));
  }
  return fresh;
}

/** Builds the page: calls `render(main, session)` and shows any failure as an alert. */
export async function frame(render) {
  installValidation();
  let s;
  try { s = await session(); } catch { s = { account: null, csrf_token: null }; }
  const draw = async (focusSwitch) => {
    shown = { s, rerender: () => draw(true) };
    document.documentElement.lang = lang();
    const main = el("main", { id: "main", tabindex: "-1" });
    const footer = el("footer", { class: "site" }, el("p", {}, t("footer")));
    clear(document.body).append(header(s.account, () => draw(true)), main, footer);
    if (focusSwitch) document.getElementById(`lang-${lang()}`)?.focus();
    try {
      await render(main, s);
    } catch (e) {
      console.error(e);
      if (!main.querySelector("h1")) main.prepend(el("h1", {}, t("load_failed")));
      main.append(alertBox(problemText(e)));
      // A protected page opened while logged out: to the login page, and back here after.
      if (e instanceof ProblemError && e.status === 401) {
        const next = encodeURIComponent(location.pathname + location.search);
        main.append(el("p", {}, el("a", { href: `/login?next=${next}`, class: "button primary", id: "login-to-continue" }, t("problem_login_link"))));
      }
      main.append(el("p", {}, el("a", { href: "/" }, t("back_home"))));
    }
    const h1 = main.querySelector("h1");
    document.title = h1 ? `${h1.textContent} — ${t("brand")}` : t("brand");
  };
  await draw(false);
}

// The server's clock: offset = server now − device now, measured once per page.
let offsetPromise = null;
export function serverOffset() {
  if (!offsetPromise) {
    offsetPromise = fetch("/api/time", { credentials: "same-origin" })
      .then((r) => (r.ok ? r.json() : null))
      .then((body) => (body?.now ? Date.parse(body.now) - Date.now() : 0))
      .catch(() => 0);
  }
  return offsetPromise;
}

const clocks = new Set();
let ticker = null;
function formatLeft(ms) {
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
  const hms = [h, m, sec].map((x) => String(x).padStart(2, "0")).join(":");
  return `${t("closes_in")} ${d ? (d === 1 ? t("day_one") : t("day_many", { n: d })) + " " : ""}${hms}`;
}
function tickAll(offset) {
  const now = Date.now() + offset;
  for (const c of clocks) {
    if (!c.node.isConnected) { clocks.delete(c); continue; }
    const left = c.end - now;
    if (left <= 0) {
      c.node.textContent = t("closed");
      c.node.classList.add("is-closed");
      clocks.delete(c);
      c.onExpire?.();
    } else {
      c.node.textContent = formatLeft(left);
      c.node.classList.toggle("is-soon", left < 86400000);
    }
  }
  if (!clocks.size && ticker) { clearInterval(ticker); ticker = null; }
}

/** Counts down to `deadline` by the server's clock, not the device's; ticks every second. */
export async function countdown(node, deadline, onExpire) {
  node.setAttribute("role", "timer");
  const offset = await serverOffset();
  clocks.add({ node, end: Date.parse(deadline), onExpire });
  tickAll(offset);
  if (!ticker && clocks.size) ticker = setInterval(() => tickAll(offset), 1000);
}

/** A date in the reader's own time zone, with the zone's name. */
export function localTime(iso) {
  if (!iso) return "—";
  return format(iso, false);
}

/** A date in a given IANA time zone (e.g. the vacancy's). */
export function zonedTime(iso, timeZone) {
  if (!iso) return "—";
  try { return format(iso, true, timeZone); } catch { return iso; }
}

/** Shows a problem (or any error) as an announced alert inside `container`. */
export function showError(container, e) {
  container.append(alertBox(problemText(e)));
}

/**
 * What a problem says, in the page's language, from its stable type (`/problems/<slug>`) and
 * the members that go with it (`resource`, `limit_bytes`, `retry_after_seconds`, ...). In English
 * the server's `detail` is shown where it says more than the type; in French never: the API's
 * `detail` is English, for clients, and no English reaches a French page.
 */
export function problemText(e) {
  if (!(e instanceof ProblemError)) return e?.message === "network" ? t("network_error") : t("error");
  const p = e.problem || {};
  const slug = (p.type || "").split("/").pop() || (e.status >= 500 ? "internal" : "");
  const key = `problem_${slug.replace(/-/g, "_")}`;
  const specific = (() => {
    if (slug === "not-found" && typeof p.resource === "string") {
      const k = `${key}_${p.resource.replace(/[^a-z]+/g, "_")}`;
      return has(k) ? t(k) : null;
    }
    if (slug === "too-many-attempts" && p.retry_after_seconds) return t("problem_too_many", { s: p.retry_after_seconds });
    if (slug === "payload-too-large" && p.limit_bytes) return t("problem_payload_too_large_limit", { max: bytes(p.limit_bytes) });
    if (slug === "upload-stalled" && p.waited_seconds) return t("problem_upload_stalled_after", { s: p.waited_seconds });
    return null;
  })();
  if (specific) return specific;
  if (lang() !== "fr" && p.detail && !["unauthenticated", "internal"].includes(slug)) return p.detail;
  return has(key) ? t(key) : t("error");
}

/** The first field of `fields` the browser refuses, with "Label: reason" in the page's language
 *  (never the browser's, never the server's English), or null when all are valid. `reasons`
 *  gives a field's own reason by its id (a password's rule says more than "too short"). */
export function firstInvalid(form, fields, reasons = {}) {
  const field = fields.find((f) => !f.checkValidity());
  if (!field) return null;
  const label = form.querySelector(`label[for="${field.id}"]`)?.textContent || field.name;
  const reason = reasons[field.id] || invalidText(field) || field.validationMessage;
  return { field, text: t("field_problem", { label, reason }) };
}

/** The reason the browser gives for refusing `field`, in the page's language ("" when valid). */
function invalidText(field) {
  const v = field.validity;
  if (v.valueMissing) {
    if (field.type === "checkbox") return t("invalid_check");
    if (field.type === "file") return t("invalid_file");
    if (field.type === "radio" || field.tagName === "SELECT") return t("invalid_choose");
    return t("invalid_required");
  }
  if (v.typeMismatch) return t(field.type === "email" ? "invalid_email" : field.type === "url" ? "invalid_url" : "invalid_bad_input");
  if (v.tooShort) return t("invalid_too_short", { n: field.minLength, now: field.value.length });
  if (v.tooLong) return t("invalid_too_long", { n: field.maxLength, now: field.value.length });
  if (v.rangeUnderflow) return t("invalid_min", { n: field.min });
  if (v.rangeOverflow) return t("invalid_max", { n: field.max });
  if (v.stepMismatch) return t("invalid_step");
  if (v.patternMismatch) return field.title || t("invalid_pattern");
  if (v.badInput) return t("invalid_bad_input");
  return "";
}

// The browser words its validation bubbles (and `validationMessage`) in its own language; each
// time it refuses a field, the reason is replaced by the page's own words, and forgotten as soon
// as the field changes so that the browser checks it again. Fields that set their own message
// (`data-own-validity` absent and a custom error present) are left alone.
let validationInstalled = false;
function installValidation() {
  if (validationInstalled) return;
  validationInstalled = true;
  document.addEventListener("invalid", (ev) => {
    const field = ev.target;
    if (!field?.validity || (field.validity.customError && !field.dataset.pageValidity)) return;
    field.setCustomValidity("");
    const text = invalidText(field);
    if (text) { field.setCustomValidity(text); field.dataset.pageValidity = "1"; }
  }, true);
  const forget = (ev) => {
    const field = ev.target;
    if (field?.dataset?.pageValidity) { field.setCustomValidity(""); delete field.dataset.pageValidity; }
  };
  document.addEventListener("input", forget, true);
  document.addEventListener("change", forget, true);
}
