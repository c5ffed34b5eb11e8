import { send, ProblemError } from "../api.js";
import { alertBox, clear, el, noticeBox, param } from "../dom.js";
import { t } from "../i18n.js";
import { frame } from "../layout.js";

frame(async (main) => {
  const token = param("token");
  const out = el("div", { "aria-live": "assertive" });
  if (token) {
    const form = el("form", {},
      el("label", { for: "password" }, t("new_password")), el("input", { type: "password", id: "password", autocomplete: "new-password", required: true, minlength: "12" }),
      el("p", { class: "muted" }, t("password_rule")), el("button", { type: "submit", class: "primary" }, t("set_password")), out);
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      clear(out);
      try { await send("POST", "/api/password-reset/confirm", { token, password: form.querySelector("#password").value }); out.append(noticeBox(t("password_set"))); }
      catch (e) { out.append(alertBox(e instanceof ProblemError ? e.message : t("error"))); }
    });
    main.append(el("h1", {}, param("invite") ? t("choose_password") : t("reset_title")), el("div", { class: "card" }, form));
    return;
  }
  const form = el("form", {}, el("label", { for: "email" }, t("email")), el("input", { type: "email", id: "email", required: true }),
    el("button", { type: "submit", class: "primary" }, t("reset_send")), out);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clear(out);
    try { await send("POST", "/api/password-reset", { email: form.querySelector("#email").value }); out.append(noticeBox(t("reset_sent"))); }
    catch (e) { out.append(alertBox(e instanceof ProblemError ? e.message : t("error"))); }
  });
  main.append(el("h1", {}, t("reset_title")), el("div", { class: "card" }, form));
});
