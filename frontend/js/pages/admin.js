// /admin: every vacancy, drafts included, with its status, deadline and counts (applications,
// accepted documents, refused uploads and the rules that refused them first), and the links
// to edit it, see its applications and export its results and essays.
import { get } from "../api.js";
import { el } from "../dom.js";
import { addTables, lang, locale, pickField, t } from "../i18n.js";
import { frame, zonedTime } from "../layout.js";
import { adminNav, requireAdmin } from "../admin-nav.js";
import adminTables from "../i18n/admin.js";

addTables(adminTables);

const STATUS_CLASS = { open: "ok", closed: "neutral", draft: "warn" };

function number(n) { return new Intl.NumberFormat(locale()).format(n); }

function deadlineCell(v) {
  if (!v.deadline) return el("td", { "data-label": t("av_col_deadline") }, t("av_no_deadline_short"));
  return el("td", { "data-label": t("av_col_deadline") },
    el("span", { class: "zoned" }, zonedTime(v.deadline, v.time_zone)),
    el("span", { class: "utc-line" }, zonedTime(v.deadline, "UTC")));
}

function rulesCell(counts) {
  const top = counts.rejected_by_rule.slice(0, 3);
  if (!top.length) return el("td", { "data-label": t("av_col_rules") }, "—");
  return el("td", { "data-label": t("av_col_rules") }, el("ul", { class: "rule-counts" },
    top.map((r) => el("li", {}, t("av_rule_count", { rule: t(`av_rule_${r.rule}`) === `av_rule_${r.rule}` ? r.rule : t(`av_rule_${r.rule}`), n: number(r.attempts) })))));
}

function row(v) {
  const ref = encodeURIComponent(v.reference);
  const title = pickField(v);
  const c = v.counts;
  const exportLinks = el("ul", { class: "row-links" },
    el("li", {}, el("a", { href: `/admin/vacancy?ref=${ref}`, "aria-label": t("av_edit_of", { title }) }, t("av_edit"))),
    el("li", {}, el("a", { href: `/admin/applications?ref=${ref}`, "aria-label": t("av_applications_of", { title }) }, t("av_applications"))),
    el("li", {}, el("a", { href: `/api/admin/vacancies/${ref}/results.csv?lang=${lang()}`, "aria-label": t("av_csv_of", { title }) }, t("av_csv"))),
    el("li", {}, el("a", { href: `/api/admin/vacancies/${ref}/results.xlsx?lang=${lang()}`, "aria-label": t("av_xlsx_of", { title }) }, t("av_xlsx"))),
    el("li", {}, el("a", { href: `/api/admin/vacancies/${ref}/essays.zip`, "aria-label": t("av_zip_of", { title }) }, t("av_zip"))));
  return el("tr", { "data-ref": v.reference },
    el("td", { "data-label": t("reference") }, el("code", {}, v.reference)),
    el("th", { scope: "row", "data-label": t("av_col_title") }, el("a", { href: `/admin/vacancy?ref=${ref}` }, title)),
    el("td", { "data-label": t("av_col_status") }, el("span", { class: `badge ${STATUS_CLASS[v.status] || "neutral"}` }, t(`status_${v.status}`))),
    deadlineCell(v),
    el("td", { "data-label": t("av_col_applications"), class: "num" }, number(c.applications)),
    el("td", { "data-label": t("av_col_accepted"), class: "num" }, number(c.documents_accepted)),
    el("td", { "data-label": t("av_col_rejected"), class: "num" }, number(c.attempts_rejected)),
    rulesCell(c),
    el("td", { "data-label": t("av_col_links") }, exportLinks));
}

frame(async (main, s) => {
  if (!requireAdmin(s)) return;
  main.append(el("h1", {}, t("admin_title")), adminNav("/admin"),
    el("p", { class: "lead" }, t("av_list_lead")),
    el("p", { class: "actions" },
      el("a", { class: "button primary-link", href: "/admin/vacancies/new", id: "new-vacancy" }, t("av_new_vacancy")),
      el("a", { class: "button secondary", href: "/admin/import", id: "import-notice" }, t("av_import_notice"))));
  const vacancies = await get("/api/admin/vacancies");
  const section = el("section", { "aria-labelledby": "list-h" }, el("h2", { id: "list-h" }, t("av_list_title")));
  if (!vacancies.length) {
    section.append(el("p", {}, t("av_list_empty")));
  } else {
    section.append(el("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": t("av_list_region") },
      el("table", { class: "admin-vacancies stack-on-phone" },
        el("caption", { class: "sr-only" }, t("av_list_caption")),
        el("thead", {}, el("tr", {},
          [t("reference"), t("av_col_title"), t("av_col_status"), t("av_col_deadline"), t("av_col_applications"),
            t("av_col_accepted"), t("av_col_rejected"), t("av_col_rules"), t("av_col_links")]
            .map((h) => el("th", { scope: "col" }, h)))),
        el("tbody", {}, vacancies.map(row)))),
    el("p", { class: "hint" }, t("av_counts_hint")));
  }
  main.append(section);
});
