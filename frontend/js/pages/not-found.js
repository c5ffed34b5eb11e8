// The page for an address that is not one of the site's pages (served with status 404).
import { el } from "../dom.js";
import { t } from "../i18n.js";
import { frame } from "../layout.js";

frame(async (main) => {
  main.append(
    el("h1", {}, t("not_found_title")),
    el("section", { class: "card narrow" },
      el("p", {}, t("not_found_text")),
      el("p", { class: "muted small" }, t("not_found_address"), " ", el("code", { class: "address" }, location.pathname)),
      el("p", {}, el("a", { class: "button primary", href: "/", id: "home" }, t("not_found_home")))));
});
