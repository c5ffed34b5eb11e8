import { ProblemError, send, setCsrf } from "../api.js";
import { alertBox, clear, el, sameSiteTarget } from "../dom.js";
import { t } from "../i18n.js";
import { frame, problemText } from "../layout.js";

// Why the organisation's sign-in came back refused (`/login?oidc_error=<slug>`, set by the server).
const OIDC_ERRORS = ["unavailable", "provider", "state", "token", "no-email", "no-staff-role", "candidate-account",
  "account-disabled", "bound-to-another", "internal"];

frame(async (main, s) => {
  const params = new URLSearchParams(location.search);
  const next = params.get("next");
  const error = el("div", { class: "form-error" });
  const form = el("form", {},
    el("label", { for: "email" }, t("email")), el("input", { type: "email", id: "email", autocomplete: "username", required: true }),
    el("label", { for: "password" }, t("password")), el("input", { type: "password", id: "password", autocomplete: "current-password", required: true }),
    el("button", { type: "submit", class: "primary", id: "login" }, t("login_title")), error);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clear(error);
    try {
      const s = await send("POST", "/api/session", { email: form.querySelector("#email").value.trim(), password: form.querySelector("#password").value });
      setCsrf(s.csrf_token);
      const home = s.account.role === "assessor" ? "/assess" : s.account.role === "admin" ? "/admin" : "/";
      location.href = sameSiteTarget(next, home);
    } catch (e) {
      // A wrong email address or password is said plainly, in the page's language.
      error.append(alertBox(e instanceof ProblemError && e.status === 401 ? t("login_failed") : problemText(e)));
      form.querySelector("#password").select();
    }
  });
  // Said first, above the ways to sign in it points to.
  const oidcError = params.get("oidc_error");
  const slug = OIDC_ERRORS.includes(oidcError) ? oidcError : "internal";
  const refusal = oidcError ? alertBox(t(`oidc_error_${slug.replaceAll("-", "_")}`)) : null;
  // Staff with an organisation account: one button, to the provider and back to where they were going.
  const organisation = s?.organisation_sign_in
    ? el("p", {}, el("a", { class: "button secondary", id: "organisation-sign-in",
        href: next ? `/auth/oidc/login?next=${encodeURIComponent(next)}` : "/auth/oidc/login" }, t("organisation_sign_in")))
    : null;
  main.append(el("h1", {}, t("login_title")), el("div", { class: "card narrow" }, refusal, el("p", { class: "muted" }, t("login_intro")),
    organisation, form,
    el("p", {}, el("a", { href: "/reset" }, t("forgot"))),
    el("p", {}, `${t("no_account")} `, el("a", { href: next ? `/register?next=${encodeURIComponent(next)}` : "/register" }, t("register_title")))));
});
