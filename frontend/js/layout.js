// The header every page shares, the language switch, and the page frame.
import { session } from "./api.js";
import { el, clear } from "./dom.js";
import { lang, setLang, t } from "./i18n.js";

export async function frame(render) {
  document.documentElement.lang = lang();
  const s = await session();
  const account = s.account;
  const nav = [el("a", { class: "brand", href: "/" }, t("brand")), el("a", { href: "/" }, t("nav_vacancies"))];
  if (account?.role === "candidate") nav.push(el("a", { href: "/applications" }, t("nav_applications")));
  if (account?.role === "assessor") nav.push(el("a", { href: "/assess" }, t("nav_assess")));
  if (account?.role === "admin") nav.push(el("a", { href: "/admin" }, t("nav_admin")));
  if (account) nav.push(el("a", { href: "/account", id: "account-link" }, account.full_name));
  else nav.push(el("a", { href: "/login" }, t("nav_login")), el("a", { href: "/register" }, t("nav_register")));
  nav.push(el("button", {
    type: "button", id: "lang-switch", "aria-label": t("lang_switch_label"),
    onclick: () => { setLang(lang() === "fr" ? "en" : "fr"); location.reload(); },
  }, t("lang_switch")));
  const header = el("header", { class: "site" }, el("a", { class: "skip", href: "#main" }, t("skip")), el("nav", { class: "bar", "aria-label": "main" }, nav));
  const main = el("main", { id: "main", tabindex: "-1" });
  clear(document.body).append(header, main);
  await render(main, s);
}

/** Counts down to `deadline` by the server's clock, not the device's. */
export async function countdown(node, deadline) {
  const server = await fetch("/api/time").then((r) => r.json()).catch(() => null);
  const offset = server ? Date.parse(server.now) - Date.now() : 0;
  const end = Date.parse(deadline);
  const tick = () => {
    const left = end - (Date.now() + offset);
    if (left <= 0) { node.textContent = t("closed"); return; }
    const s = Math.floor(left / 1000);
    const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
    node.textContent = `${t("closes_in")} ${d ? d + t("days") + " " : ""}${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}:${String(sec).padStart(2, "0")}`;
    setTimeout(tick, 1000);
  };
  tick();
}

export function localTime(iso) {
  return new Date(iso).toLocaleString(lang() === "fr" ? "fr-BE" : "en-GB", { dateStyle: "long", timeStyle: "short" });
}
