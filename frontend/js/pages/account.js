import { send, setCsrf } from "../api.js";
import { clear, el, noticeBox } from "../dom.js";
import { MEMBER_STATES, pick, t } from "../i18n.js";
import { frame, localTime, showError } from "../layout.js";

frame(async (main, s) => {
  if (!s.account) { location.href = "/login?next=/account"; return; }
  const a = s.account;
  const row = (label, value) => el("div", {}, el("dt", {}, label), el("dd", {}, value));
  const logoutOut = el("div");
  main.append(el("h1", {}, t("account_title")), el("section", { class: "card" },
    el("dl", { class: "facts" },
      row(t("full_name"), a.full_name), row(t("email"), a.email),
      a.nationality ? row(t("nationality"), MEMBER_STATES[a.nationality] ? pick(MEMBER_STATES[a.nationality]) : a.nationality === "OTHER" ? t("other") : a.nationality) : null,
      row(t("role"), t(`role_${a.role}`)), a.created_at ? row(t("member_since"), localTime(a.created_at)) : null),
    el("button", { type: "button", class: "secondary", id: "logout", onclick: async () => {
      clear(logoutOut);
      try { await send("DELETE", "/api/session"); location.href = "/"; } catch (e) { showError(logoutOut, e); }
    } }, t("logout")), logoutOut));
  const out = el("div", { class: "form-error" });
  const form = el("form", {},
    el("label", { for: "current" }, t("current_password")), el("input", { type: "password", id: "current", autocomplete: "current-password", required: true }),
    el("label", { for: "next" }, t("new_password")),
    el("input", { type: "password", id: "next", autocomplete: "new-password", required: true, minlength: "12", "aria-describedby": "next-rule" }),
    el("p", { class: "hint", id: "next-rule" }, t("password_rule")),
    el("button", { type: "submit", class: "primary", id: "change-password" }, t("change_password")), out);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clear(out);
    try {
      const r = await send("POST", "/api/account/password", { current_password: form.querySelector("#current").value, new_password: form.querySelector("#next").value });
      setCsrf(r.csrf_token);
      form.reset();
      out.append(noticeBox(t("password_changed")));
    } catch (e) { showError(out, e); }
  });
  main.append(el("section", { class: "card" }, el("h2", {}, t("change_password")), form));
});
