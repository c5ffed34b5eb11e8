// /admin/audit: the audit log with readable labels, local times, filters and pages. The filters
// live in the address (?event=&actor=&subject=&from=&to=), so a filtered view can be bookmarked.
import { get } from "../api.js";
import { alertBox, clear, el } from "../dom.js";
import { addTables, t } from "../i18n.js";
import { frame, localTime, problemText } from "../layout.js";
import { adminNav, requireAdmin } from "../admin-nav.js";
import accountsTables from "../i18n/accounts.js";

addTables(accountsTables);

const PAGE = 25;

/** Every event code the service records, grouped by family for the filter. */
const FAMILIES = {
  account: ["account.created", "account.invited", "account.invitation_resent", "account.registered",
    "account.role_changed", "account.disabled", "account.enabled", "invitation.accepted",
    "account.exported", "account.erasure_requested", "account.erased"],
  login: ["login.success", "login.failure", "login.lockout", "session.revoked"],
  password: ["password.changed", "password.reset_requested", "password.reset"],
  application: ["application.created", "application.withdrawn", "document.uploaded", "extension.granted", "identity.revealed"],
  vacancy: ["vacancy.created", "vacancy.updated", "panel.set", "rubric.updated", "decision.recorded", "decision.extension_overridden", "results.exported", "essays.exported",
    "vacancy.retention_set"],
  essay: ["essay.viewed", "essay.downloaded", "essay.scored", "conflict.declared"],
};
const OTHER_CODES = ["outbox.read", "retention.purged"];

function eventKey(code) { return `acc_ev_${code.replace(/\./g, "_")}`; }

/** The event's label in the page's language, or its code when it has none yet. */
function eventLabel(code) {
  const key = eventKey(code);
  const label = t(key);
  return label === key ? code : label;
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

function detailValue(key, value) {
  if (value === null || value === undefined) return t("acc_none");
  if (typeof value === "string" && ISO.test(value)) return localTime(value);
  if ((key === "role" || key === "from" || key === "to") && ["candidate", "assessor", "admin"].includes(value)) return t(`role_${value}`);
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

function details(detail, accountEmail) {
  if (!detail || typeof detail !== "object" || !Object.keys(detail).length) return t("acc_none");
  return el("dl", { class: "acc-detail" }, Object.entries(detail).map(([key, raw]) => {
    const value = key === "account_id" && accountEmail ? accountEmail : raw;
    const labelKey = `acc_dk_${key}`;
    const label = t(labelKey);
    return el("div", {}, el("dt", {}, label === labelKey ? key : label), el("dd", {}, detailValue(key, value)));
  }));
}

function filterForm(current, onApply) {
  const event = el("select", { id: "f-event", name: "event" },
    el("option", { value: "" }, t("acc_f_any_event")),
    Object.entries(FAMILIES).map(([family, codes]) => el("optgroup", { label: t(`acc_family_${family}`) },
      el("option", { value: `${family}.` }, t(`acc_family_${family}`)),
      codes.map((code) => el("option", { value: code }, eventLabel(code))))),
    OTHER_CODES.map((code) => el("option", { value: code }, eventLabel(code))));
  event.value = current.event || "";
  const input = (id, type, value) => { const i = el("input", { id, type, name: id.slice(2), autocomplete: "off" }); i.value = value || ""; return i; };
  const actor = input("f-actor", "email", current.actor);
  const subject = input("f-subject", "text", current.subject);
  const from = input("f-from", "date", current.from);
  const to = input("f-to", "date", current.to);
  const form = el("form", { id: "audit-filters", class: "acc-filters" },
    el("div", {}, el("label", { for: "f-event" }, t("acc_f_event")), event),
    el("div", {}, el("label", { for: "f-actor" }, t("acc_f_actor")), actor),
    el("div", {}, el("label", { for: "f-subject" }, t("acc_f_subject")), subject),
    el("div", {}, el("label", { for: "f-from" }, t("acc_f_from")), from),
    el("div", {}, el("label", { for: "f-to" }, t("acc_f_to")), to),
    el("div", { class: "actions acc-filter-actions" },
      el("button", { type: "submit", class: "primary" }, t("acc_f_apply")),
      el("button", { type: "button", class: "secondary", id: "f-clear", onclick: () => { form.reset(); event.value = ""; for (const i of [actor, subject, from, to]) i.value = ""; onApply({}); } }, t("acc_f_clear"))));
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    onApply({ event: event.value, actor: actor.value.trim(), subject: subject.value.trim(), from: from.value, to: to.value });
  });
  return el("section", { class: "card", "aria-labelledby": "filters-title" }, el("h2", { id: "filters-title" }, t("acc_filters")), form);
}

/** The API's query for the filters: dates are whole days in the reader's own time zone. */
function apiQuery(filters, before) {
  const q = new URLSearchParams({ limit: String(PAGE + 1) });
  if (filters.event) q.set("event", filters.event);
  if (filters.actor) q.set("actor", filters.actor);
  if (filters.subject) q.set("subject", filters.subject);
  if (filters.from) q.set("from", new Date(`${filters.from}T00:00`).toISOString());
  if (filters.to) { const end = new Date(`${filters.to}T00:00`); end.setDate(end.getDate() + 1); q.set("to", end.toISOString()); }
  if (before) q.set("before", String(before));
  return `/api/admin/audit?${q}`;
}

function entryRow(e) {
  const actor = e.actor_id ? (e.actor_name ? `${e.actor_name} (${e.actor_email})` : e.actor_id) : t("acc_system");
  return el("tr", { "data-event": e.event },
    el("td", { "data-label": t("acc_when") }, el("time", { datetime: e.at }, localTime(e.at))),
    el("th", { scope: "row", "data-label": t("acc_event") }, eventLabel(e.event), el("span", { class: "acc-code-small" }, e.event)),
    el("td", { "data-label": t("acc_actor") }, actor),
    el("td", { "data-label": t("acc_subject") }, e.subject || t("acc_none")),
    el("td", { "data-label": t("acc_details") }, details(e.detail, e.detail_account_email)),
    el("td", { "data-label": t("acc_address") }, e.client_ip || t("acc_none")));
}

frame(async (main, s) => {
  if (!requireAdmin(s)) return;
  const params = new URLSearchParams(location.search);
  let filters = Object.fromEntries(["event", "actor", "subject", "from", "to"].map((k) => [k, params.get(k) || ""]));
  // Cursors of the pages seen so far: cursors[i] is the `before` of page i (null for the first).
  let cursors = [null];
  const results = el("section", { class: "card", "aria-labelledby": "entries-title", id: "audit-results" });
  const apply = async (next) => {
    filters = next;
    const q = new URLSearchParams(Object.entries(filters).filter(([, v]) => v));
    history.replaceState(null, "", `${location.pathname}${q.size ? `?${q}` : ""}`);
    cursors = [null];
    await show(0);
  };
  const show = async (page) => {
    clear(results);
    let entries;
    try { entries = await get(apiQuery(filters, cursors[page])); } catch (e) {
      results.append(el("h2", { id: "entries-title" }, t("acc_audit_title")), alertBox(problemText(e)));
      return;
    }
    const more = entries.length > PAGE;
    entries = entries.slice(0, PAGE);
    if (more) cursors[page + 1] = entries[entries.length - 1].id;
    const first = page * PAGE + 1;
    const title = entries.length ? t("acc_audit_page", { from: first, to: first + entries.length - 1 }) : t("acc_audit_title");
    results.append(el("h2", { id: "entries-title", tabindex: "-1" }, title));
    if (!entries.length) { results.append(el("p", { class: "muted", id: "audit-empty" }, t("acc_audit_empty"))); }
    else {
      results.append(el("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": t("acc_audit_region") },
        el("table", { class: "acc-table acc-audit", id: "audit-table" },
          el("thead", {}, el("tr", {}, ["acc_when", "acc_event", "acc_actor", "acc_subject", "acc_details", "acc_address"]
            .map((k) => el("th", { scope: "col" }, t(k))))),
          el("tbody", {}, entries.map(entryRow)))));
    }
    const pager = el("div", { class: "actions acc-pager" },
      page > 0 ? el("button", { type: "button", class: "secondary", id: "audit-newer", onclick: async () => { await show(page - 1); results.querySelector("h2")?.focus(); } }, t("acc_newer")) : null,
      more ? el("button", { type: "button", class: "secondary", id: "audit-older", onclick: async () => { await show(page + 1); results.querySelector("h2")?.focus(); } }, t("acc_older")) : null);
    if (pager.children.length) results.append(pager);
  };
  main.append(el("h1", {}, t("acc_audit_title")), adminNav(), el("p", { class: "lead" }, t("acc_audit_lead")),
    filterForm(filters, apply), results);
  await show(0);
});
