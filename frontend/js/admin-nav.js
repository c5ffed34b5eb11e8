// The admin console's own navigation (vacancies, notice import, accounts, audit log,
// integrations), shared by every admin page. Its strings are the `acc_nav_*` keys of
// i18n/accounts.js and `int_nav_integrations` of i18n/integrations.js.
import { el } from "./dom.js";
import { addTables, t } from "./i18n.js";
import accountsTables from "./i18n/accounts.js";
import integrationsTables from "./i18n/integrations.js";
import mailTables from "./i18n/mail.js";

addTables(accountsTables, integrationsTables, mailTables);

/** The admin sub-navigation; the link of the page shown (by default this page) is current. */
export function adminNav(current = location.pathname) {
  const links = [
    ["/admin", t("acc_nav_vacancies")],
    ["/admin/import", t("acc_nav_import")],
    ["/admin/accounts", t("acc_nav_accounts")],
    ["/admin/audit", t("acc_nav_audit")],
    ["/admin/integrations", t("int_nav_integrations")],
    ["/admin/mail", t("mail_nav")],
  ];
  // A vacancy's form and its applications belong to the vacancies section.
  const section = ["/admin/vacancy", "/admin/vacancies/new", "/admin/applications"].includes(current) ? "/admin" : null;
  return el("nav", { class: "acc-subnav", "aria-label": t("acc_subnav_label") },
    el("ul", {}, links.map(([href, text]) => el("li", {},
      el("a", { href, "aria-current": href === current ? "page" : href === section ? "true" : null }, text)))));
}

/** True when the session is an admin's; otherwise sends the visitor to log in and back. */
export function requireAdmin(s) {
  if (s.account?.role === "admin") return true;
  location.href = `/login?next=${encodeURIComponent(location.pathname + location.search)}`;
  return false;
}
