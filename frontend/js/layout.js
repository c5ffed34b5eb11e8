// The frame every page shares: header with navigation and the EN/FR switch, main, footer;
// the server-clock countdown; dates in the reader's time zone.
import { session, ProblemError } from "./api.js";
import { alertBox, el, clear } from "./dom.js";
import { lang, setLang, t, locale } from "./i18n.js";

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

/** Builds the page: calls `render(main, session)` and shows any failure as an alert. */
export async function frame(render) {
  let s;
  try { s = await session(); } catch { s = { account: null, csrf_token: null }; }
  const draw = async (focusSwitch) => {
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
      main.append(alertBox(problemText(e)), el("p", {}, el("a", { href: "/" }, t("back_home"))));
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
  return new Date(iso).toLocaleString(locale(), { year: "numeric", month: "long", day: "numeric", hour: "2-digit", minute: "2-digit", timeZoneName: "short" });
}

/** A date in a given IANA time zone (e.g. the vacancy's). */
export function zonedTime(iso, timeZone) {
  if (!iso) return "—";
  try {
    return new Date(iso).toLocaleString(locale(), { year: "numeric", month: "long", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit", timeZone, timeZoneName: "short" });
  } catch { return iso; }
}

/** Shows a problem (or any error) as an announced alert inside `container`. */
export function showError(container, e) {
  container.append(alertBox(problemText(e)));
}

/** The server's `detail` (English); in French, led by a French sentence for the problem's type. */
export function problemText(e) {
  if (!(e instanceof ProblemError)) return e?.message === "network" ? t("network_error") : t("error");
  const slug = (e.problem.type || "").split("/").pop();
  if (lang() === "fr") {
    if (slug === "too-many-attempts" && e.problem.retry_after_seconds) return t("problem_too_many", { s: e.problem.retry_after_seconds });
    const key = `problem_${slug.replace(/-/g, "_")}`;
    const lead = t(key);
    if (lead !== key && e.status !== 401) return `${lead} (${e.message})`;
  }
  return e.message;
}
