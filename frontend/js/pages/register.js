import { send, setCsrf } from "../api.js";
import { alertBox, clear, el, param, sameSiteTarget } from "../dom.js";
import { lang, MEMBER_STATES, t } from "../i18n.js";
import { firstInvalid, frame, showError } from "../layout.js";

frame(async (main, s) => {
  // Registering from a vacancy returns there, as logging in does.
  const next = sameSiteTarget(param("next"), "/");
  if (s.account) { location.href = next; return; }
  const options = Object.entries(MEMBER_STATES)
    .map(([code, names]) => ({ code, name: names[lang()] }))
    .sort((a, b) => a.name.localeCompare(b.name, lang()));
  const error = el("div", { class: "form-error" });
  const form = el("form", { novalidate: true },
    el("label", { for: "email" }, t("email")), el("input", { type: "email", id: "email", autocomplete: "email", required: true }),
    el("label", { for: "full_name" }, t("full_name")), el("input", { type: "text", id: "full_name", autocomplete: "name", required: true }),
    el("label", { for: "nationality" }, t("nationality")),
    el("select", { id: "nationality", required: true, autocomplete: "country" },
      el("option", { value: "" }, t("choose_nationality")),
      options.map((o) => el("option", { value: o.code }, o.name)), el("option", { value: "OTHER" }, t("other"))),
    el("label", { for: "password" }, t("password")),
    el("input", { type: "password", id: "password", autocomplete: "new-password", required: true, minlength: "12", "aria-describedby": "password-rule" }),
    el("p", { id: "password-rule", class: "hint" }, t("password_rule")),
    el("button", { type: "submit", class: "primary", id: "register" }, t("nav_register")), error);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clear(error);
    const field = (id) => form.querySelector(`#${id}`);
    const invalid = firstInvalid(form, ["email", "full_name", "nationality", "password"].map(field), { password: t("password_rule") });
    if (invalid) {
      error.append(alertBox(invalid.text));
      invalid.field.focus();
      return;
    }
    const email = field("email").value.trim();
    const password = field("password").value;
    try {
      await send("POST", "/api/accounts", { email, password, full_name: field("full_name").value.trim(), nationality: field("nationality").value, language: lang() });
      const session = await send("POST", "/api/session", { email, password });
      setCsrf(session.csrf_token);
      location.href = next;
    } catch (e) { showError(error, e); }
  });
  main.append(el("h1", {}, t("register_title")), el("div", { class: "card narrow" }, form,
    el("p", {}, el("a", { href: param("next") ? `/login?next=${encodeURIComponent(next)}` : "/login" }, t("nav_login")))));
});
