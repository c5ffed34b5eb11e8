import { send, setCsrf, ProblemError } from "../api.js";
import { alertBox, clear, el, noticeBox } from "../dom.js";
import { t } from "../i18n.js";
import { frame } from "../layout.js";

frame(async (main, s) => {
  if (!s.account) { location.href = "/login"; return; }
  const a = s.account;
  main.append(el("h1", {}, t("account_title")), el("div", { class: "card" },
    el("p", {}, `${a.full_name} — ${a.email}`), el("p", {}, `${t("role")}: ${a.role}`),
    el("button", { type: "button", class: "secondary", id: "logout", onclick: async () => { await send("DELETE", "/api/session"); location.href = "/"; } }, t("logout"))));
  const out = el("div", { "aria-live": "assertive" });
  const form = el("form", {},
    el("label", { for: "current" }, t("current_password")), el("input", { type: "password", id: "current", autocomplete: "current-password", required: true }),
    el("label", { for: "next" }, t("new_password")), el("input", { type: "password", id: "next", autocomplete: "new-password", required: true, minlength: "12" }),
    el("button", { type: "submit", class: "primary" }, t("change_password")), out);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clear(out);
    try {
      const r = await send("POST", "/api/account/password", { current_password: form.querySelector("#current").value, new_password: form.querySelector("#next").value });
      setCsrf(r.csrf_token);
      out.append(noticeBox(t("saved")));
    } catch (e) { out.append(alertBox(e instanceof ProblemError ? e.message : t("error"))); }
  });
  main.append(el("div", { class: "card" }, el("h2", {}, t("change_password")), form));
});
