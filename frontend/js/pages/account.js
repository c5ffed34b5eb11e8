import { get, send, setCsrf } from "../api.js";
import { alertBox, clear, el, noticeBox } from "../dom.js";
import { addTables, MEMBER_STATES, pick, t } from "../i18n.js";
import { frame, localTime, refreshSession, showError } from "../layout.js";
import privacyTables from "../i18n/privacy.js";
import mailTables from "../i18n/mail.js";

addTables(privacyTables, mailTables);

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
  main.append(languageSection(a));
  main.append(await dataSection(a));
});

/** Export and erasure: the person's own copy of their data, and the way to be forgotten. */
async function dataSection(account) {
  const section = el("section", { class: "card", id: "your-data" }, el("h2", {}, t("data_title")),
    el("p", {}, t("data_intro")),
    el("p", {}, el("a", { class: "button secondary", id: "export-data", href: "/api/account/export", download: "" }, t("data_download"))),
    el("p", { class: "hint" }, t("data_kept")),
    el("h3", {}, t("erase_title")));
  if (account.role !== "candidate") { section.append(el("p", {}, t("erase_staff"))); return section; }
  const status = await get("/api/account/erasure");
  const refs = (list) => list.join(", ");
  if (status.requested_at) {
    section.append(noticeBox(t("erase_pending", { date: localTime(status.requested_at), refs: refs(status.waiting_for) })));
    return section;
  }
  const out = el("div", { "aria-live": "polite" });
  const form = el("form", { id: "erase-form" },
    el("p", {}, t("erase_intro")),
    el("label", { for: "erase-password" }, t("erase_password")),
    el("input", { type: "password", id: "erase-password", autocomplete: "current-password", required: true }),
    el("div", { class: "check" }, el("input", { type: "checkbox", id: "erase-confirm" }), el("label", { for: "erase-confirm" }, t("erase_confirm"))),
    el("button", { type: "submit", class: "danger", id: "erase-account" }, t("erase_button")), out);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clear(out);
    if (!form.querySelector("#erase-confirm").checked) { out.append(alertBox(t("erase_confirm_required"))); return; }
    try {
      const r = await send("DELETE", "/api/account", { password: form.querySelector("#erase-password").value });
      form.reset();
      if (r.outcome === "erased") {
        // Nothing of the person stays on screen: not the details above, not the name in the header.
        const main = form.closest("main");
        clear(main).append(el("h1", {}, t("erase_title")), noticeBox(t("erase_done")), el("p", {}, el("a", { href: "/" }, t("back_home"))));
        await refreshSession().catch(() => null);
        main.focus();
      } else {
        clear(form).append(noticeBox(t("erase_scheduled", { refs: refs(r.waiting_for) })));
      }
    } catch (e) { showError(out, e); }
  });
  section.append(form);
  return section;
}

/** The language of the account's mail, chosen at registration and changeable here. */
function languageSection(account) {
  const out = el("div", { "aria-live": "polite" });
  const select = el("select", { id: "mail-language" },
    ["en", "fr"].map((code) => el("option", { value: code, selected: account.language === code }, t(`mail_lang_${code}`))));
  const form = el("form", { id: "language-form" },
    el("p", { class: "hint", id: "mail-language-hint" }, t("mail_language_hint")),
    el("label", { for: "mail-language" }, t("mail_language_label")), select,
    el("button", { type: "submit", class: "secondary", id: "save-language" }, t("mail_language_save")), out);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clear(out);
    try {
      const saved = await send("PUT", "/api/account/language", { language: select.value });
      out.append(noticeBox(t("mail_language_saved", { language: t(`mail_lang_${saved.language}`) })));
    } catch (e) { showError(out, e); }
  });
  return el("section", { class: "card", id: "mail-language-section" }, el("h2", {}, t("mail_language_title")), form);
}
