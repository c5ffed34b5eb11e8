import { send, setCsrf, ProblemError } from "../api.js";
import { alertBox, clear, el } from "../dom.js";
import { t } from "../i18n.js";
import { frame } from "../layout.js";

frame(async (main) => {
  const error = el("div", { "aria-live": "assertive" });
  const form = el("form", {},
    el("label", { for: "email" }, t("email")), el("input", { type: "email", id: "email", autocomplete: "username", required: true }),
    el("label", { for: "password" }, t("password")), el("input", { type: "password", id: "password", autocomplete: "current-password", required: true }),
    el("button", { type: "submit", class: "primary", id: "login" }, t("login_title")), error,
    el("p", {}, el("a", { href: "/reset" }, t("forgot"))));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clear(error);
    try {
      const s = await send("POST", "/api/session", { email: form.querySelector("#email").value, password: form.querySelector("#password").value });
      setCsrf(s.csrf_token);
      location.href = s.account.role === "assessor" ? "/assess" : s.account.role === "admin" ? "/admin" : "/";
    } catch (e) {
      error.append(alertBox(e instanceof ProblemError ? e.message : t("error")));
    }
  });
  main.append(el("h1", {}, t("login_title")), el("div", { class: "card" }, form));
});
