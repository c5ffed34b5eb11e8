import { send } from "../api.js";
import { clear, el, noticeBox, param } from "../dom.js";
import { t } from "../i18n.js";
import { frame, showError } from "../layout.js";

frame(async (main) => {
  const token = param("token");
  const invite = param("invite") === "1";
  const out = el("div", { class: "form-error" });
  if (token) {
    const form = el("form", {},
      el("label", { for: "password" }, t(invite ? "choose_password" : "new_password")),
      el("input", { type: "password", id: "password", autocomplete: "new-password", required: true, minlength: "12", "aria-describedby": "password-rule" }),
      el("p", { class: "hint", id: "password-rule" }, t("password_rule")),
      el("button", { type: "submit", class: "primary", id: "set-password" }, t("set_password")), out);
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      clear(out);
      try {
        await send("POST", "/api/password-reset/confirm", { token, password: form.querySelector("#password").value });
        form.querySelector("button").disabled = true;
        out.append(noticeBox(t("password_set"), " ", el("a", { href: "/login" }, t("nav_login"))));
      } catch (e) { showError(out, e); }
    });
    main.append(el("h1", {}, t(invite ? "choose_password" : "reset_title")),
      el("div", { class: "card narrow" }, invite ? el("p", { class: "muted" }, t("choose_password_intro")) : null, form));
    return;
  }
  const form = el("form", {}, el("label", { for: "email" }, t("email")), el("input", { type: "email", id: "email", autocomplete: "email", required: true }),
    el("button", { type: "submit", class: "primary", id: "send-reset" }, t("reset_send")), out);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clear(out);
    try { await send("POST", "/api/password-reset", { email: form.querySelector("#email").value.trim() }); out.append(noticeBox(t("reset_sent"))); }
    catch (e) { showError(out, e); }
  });
  main.append(el("h1", {}, t("reset_title")), el("div", { class: "card narrow" }, el("p", { class: "muted" }, t("reset_intro")), form));
});
