import { send, ProblemError } from "../api.js";
import { alertBox, clear, el } from "../dom.js";
import { lang, t } from "../i18n.js";
import { frame } from "../layout.js";

const STATES = ["AL", "BE", "BG", "CA", "HR", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IS", "IT", "LV", "LT", "LU", "ME", "NL", "MK", "NO", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "TR", "GB", "US"];

frame(async (main) => {
  const names = new Intl.DisplayNames([lang()], { type: "region" });
  const options = STATES.map((code) => ({ code, name: names.of(code) })).sort((a, b) => a.name.localeCompare(b.name, lang()));
  const error = el("div", { "aria-live": "assertive" });
  const form = el("form", {},
    el("label", { for: "email" }, t("email")), el("input", { type: "email", id: "email", autocomplete: "email", required: true }),
    el("label", { for: "full_name" }, t("full_name")), el("input", { type: "text", id: "full_name", autocomplete: "name", required: true }),
    el("label", { for: "nationality" }, t("nationality")), el("select", { id: "nationality" }, options.map((o) => el("option", { value: o.code }, o.name)), el("option", { value: "OTHER" }, t("other"))),
    el("label", { for: "password" }, t("password")), el("input", { type: "password", id: "password", autocomplete: "new-password", required: true, minlength: "12", "aria-describedby": "password-rule" }),
    el("p", { id: "password-rule", class: "muted" }, t("password_rule")),
    el("button", { type: "submit", class: "primary", id: "register" }, t("nav_register")), error);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clear(error);
    const email = form.querySelector("#email").value;
    const password = form.querySelector("#password").value;
    try {
      await send("POST", "/api/accounts", { email, password, full_name: form.querySelector("#full_name").value, nationality: form.querySelector("#nationality").value });
      await send("POST", "/api/session", { email, password });
      location.href = "/";
    } catch (e) {
      error.append(alertBox(e instanceof ProblemError ? e.message : t("error")));
    }
  });
  main.append(el("h1", {}, t("register_title")), el("div", { class: "card" }, form));
});
