// /admin/applications?ref=X: who applied, each application's documents and deadline; grant a
// candidate an extension (with a reason; the candidate is emailed) and reveal an identity.
import { get, send } from "../api.js";
import { alertBox, clear, el, noticeBox, param } from "../dom.js";
import { addTables, pickField, t } from "../i18n.js";
import { frame, localTime, problemText, zonedTime } from "../layout.js";
import { adminNav, requireAdmin } from "../admin-nav.js";
import accountsTables from "../i18n/accounts.js";

addTables(accountsTables);

const STATUSES = ["active", "incomplete", "withdrawn"];

function plural(n, one, many) { return n === 1 ? t(one) : t(many, { n }); }

function statusBadge(status) {
  const tone = status === "active" ? "ok" : status === "incomplete" ? "bad" : "neutral";
  return el("span", { class: `badge ${tone}` }, t(`acc_app_${status}`));
}

function documentLine(doc, title) {
  const tone = doc.verdict === "accepted" ? "ok" : doc.verdict === "warnings" ? "warn" : "bad";
  const facts = [plural(doc.versions, "acc_doc_version_one", "acc_doc_versions")];
  if (doc.current_version) facts.push(t("acc_doc_current", { n: doc.current_version }));
  if (doc.pages) facts.push(plural(doc.pages, "acc_doc_page_one", "acc_doc_pages"));
  facts.push(doc.rejected_attempts ? plural(doc.rejected_attempts, "acc_doc_rejected_one", "acc_doc_rejected") : t("acc_doc_rejected_none"));
  return el("li", { "data-kind": doc.kind },
    el("span", { class: "acc-doc-title" }, title), " ",
    el("span", { class: `badge ${tone}` }, t(`acc_doc_${doc.verdict}`)), " ",
    el("span", { class: "muted" }, facts.join(" · ")));
}

/** `YYYY-MM-DDTHH:MM` in the reader's own zone, for a datetime-local input. */
function localInputValue(iso) {
  const d = new Date(iso);
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function extensionForm(vacancy, a, reload) {
  const id = a.application_id;
  const out = el("div", { "aria-live": "polite" });
  const when = el("input", { type: "datetime-local", id: `ext-when-${id}`, required: true, "aria-describedby": `ext-when-hint-${id}` });
  if (a.deadline) when.value = localInputValue(new Date(Date.parse(a.deadline) + 7 * 86400000).toISOString());
  const zoned = el("p", { class: "hint", id: `ext-when-hint-${id}` });
  const showZoned = () => {
    const at = when.value ? new Date(when.value) : null;
    zoned.textContent = at && !Number.isNaN(at.getTime()) ? t("acc_new_deadline_hint", { zoned: zonedTime(at.toISOString(), vacancy.time_zone) }) : "";
  };
  when.addEventListener("input", showZoned);
  showZoned();
  const reason = el("textarea", { id: `ext-reason-${id}`, rows: "2", required: true, class: "acc-reason", "aria-describedby": `ext-reason-hint-${id}` });
  const form = el("form", { class: "acc-extension", "data-code": a.candidate_code, novalidate: true },
    el("label", { for: `ext-when-${id}` }, t("acc_new_deadline")), when, zoned,
    el("label", { for: `ext-reason-${id}` }, t("acc_reason")), reason,
    el("p", { class: "hint", id: `ext-reason-hint-${id}` }, t("acc_reason_hint")),
    el("button", { type: "submit", class: "primary" }, t("acc_grant")), out);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clear(out);
    const at = when.value ? new Date(when.value) : null;
    if (!at || Number.isNaN(at.getTime())) { out.append(alertBox(t("acc_deadline_missing"))); when.focus(); return; }
    if (!reason.value.trim()) { out.append(alertBox(t("acc_reason_missing"))); reason.focus(); return; }
    try {
      await send("POST", `/api/admin/vacancies/${encodeURIComponent(vacancy.reference)}/extensions`,
        { account_id: a.account_id, deadline: at.toISOString(), reason: reason.value.trim() });
      await reload(noticeBox(t("acc_granted", { name: a.full_name, deadline: localTime(at.toISOString()) })), a.application_id);
    } catch (e) { out.append(alertBox(problemText(e))); }
  });
  return el("details", { class: "acc-action" }, el("summary", {}, t("acc_grant_title")), form);
}

function revealForm(vacancy, a) {
  const id = a.application_id;
  const out = el("div", { "aria-live": "polite" });
  const reason = el("textarea", { id: `reveal-reason-${id}`, rows: "2", required: true, class: "acc-reason", "aria-describedby": `reveal-hint-${id}` });
  const form = el("form", { class: "acc-reveal", "data-code": a.candidate_code, novalidate: true },
    el("p", { class: "hint", id: `reveal-hint-${id}` }, t("acc_reveal_hint")),
    el("label", { for: `reveal-reason-${id}` }, t("acc_reason")), reason,
    el("button", { type: "submit", class: "secondary" }, t("acc_reveal")), out);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clear(out);
    if (!reason.value.trim()) { out.append(alertBox(t("acc_reason_missing"))); reason.focus(); return; }
    try {
      const who = await send("POST", `/api/admin/vacancies/${encodeURIComponent(vacancy.reference)}/reveal/${encodeURIComponent(a.candidate_code)}`,
        { reason: reason.value.trim() });
      out.append(noticeBox(t("acc_revealed")),
        el("dl", { class: "facts acc-identity" },
          el("div", {}, el("dt", {}, t("acc_full_name")), el("dd", {}, who.full_name)),
          el("div", {}, el("dt", {}, t("acc_email")), el("dd", {}, who.email)),
          el("div", {}, el("dt", {}, t("acc_nationality")), el("dd", {}, who.nationality || t("acc_none")))));
    } catch (e) { out.append(alertBox(problemText(e))); }
  });
  return el("details", { class: "acc-action" }, el("summary", {}, t("acc_reveal_title")), form);
}

function applicationCard(vacancy, a, titles, reload) {
  const id = a.application_id;
  return el("li", { class: "card acc-application", "data-code": a.candidate_code, "data-status": a.status, id: `app-${id}` },
    el("h2", {}, a.full_name, " ", el("span", { class: "acc-code" }, a.candidate_code)),
    el("p", {}, statusBadge(a.status),
      a.status === "incomplete" ? el("span", { class: "hint acc-inline" }, ` ${t("acc_incomplete_hint")}`) : null),
    el("dl", { class: "facts" },
      el("div", {}, el("dt", {}, t("acc_code")), el("dd", {}, a.candidate_code)),
      el("div", {}, el("dt", {}, t("acc_applied")), el("dd", {}, localTime(a.applied_at))),
      el("div", {}, el("dt", {}, t("acc_own_deadline")), el("dd", { class: "acc-deadline" },
        a.deadline ? zonedTime(a.deadline, vacancy.time_zone) : t("acc_none"),
        a.extension ? el("span", { class: "acc-extension-line" },
          el("span", { class: "badge warn" }, t("acc_extended")), " ",
          t("acc_extension_line", { deadline: localTime(a.extension.deadline), reason: a.extension.reason })) : null))),
    el("h3", {}, t("acc_documents")),
    el("ul", { class: "acc-docs" }, a.documents.map((d) => documentLine(d, titles[d.kind] || d.kind))),
    a.status === "withdrawn" ? null : extensionForm(vacancy, a, reload),
    revealForm(vacancy, a));
}

frame(async (main, s) => {
  if (!requireAdmin(s)) return;
  const reference = param("ref");
  if (!reference) {
    main.append(el("h1", {}, t("acc_apps_title")), adminNav(),
      alertBox(t("acc_apps_no_ref")), el("p", {}, el("a", { href: "/admin" }, t("acc_apps_back"))));
    return;
  }
  const heading = el("h1", {}, t("acc_apps_title"));
  const intro = el("div", {});
  const messages = el("div", { "aria-live": "polite", id: "apps-out" });
  const list = el("ul", { class: "acc-applications" });
  const none = el("p", { class: "muted", hidden: true }, t("acc_apps_no_match"));
  const show = el("select", { id: "apps-status" },
    el("option", { value: "" }, t("acc_apps_all")), STATUSES.map((st) => el("option", { value: st }, t(`acc_app_${st}`))));
  main.append(heading, adminNav(), intro, messages);

  const load = async (message, focusId) => {
    const data = await get(`/api/admin/vacancies/${encodeURIComponent(reference)}/applications`);
    const title = pickField(data);
    heading.textContent = t("acc_apps_for", { title: `${title} (${data.reference})` });
    document.title = `${heading.textContent} — ${t("brand")}`;
    const titles = Object.fromEntries(data.documents.map((d) => [d.kind, pickField(d)]));
    const count = (st) => data.applications.filter((a) => a.status === st).length;
    clear(intro).append(
      el("dl", { class: "facts" }, el("div", {}, el("dt", {}, t("acc_apps_deadline")),
        el("dd", {}, data.deadline ? `${zonedTime(data.deadline, data.time_zone)} (${localTime(data.deadline)})` : t("acc_none")))),
      el("p", { id: "apps-summary" }, t("acc_apps_summary", {
        total: data.applications.length, active: count("active"), incomplete: count("incomplete"), withdrawn: count("withdrawn") })),
      data.applications.length
        ? el("div", {}, el("label", { for: "apps-status" }, t("acc_apps_show")), show)
        : el("p", { class: "muted" }, t("acc_apps_none")));
    const reload = async (notice, id) => { await load(notice, id); };
    clear(list).append(...data.applications.map((a) => applicationCard(data, a, titles, reload)));
    filter();
    clear(messages);
    if (message) {
      // The form that was used is gone with the redraw: the notice goes to its candidate's card.
      const card = document.getElementById(`app-${focusId}`);
      if (card) { card.querySelector("h2").after(message); card.scrollIntoView({ block: "nearest" }); } else messages.append(message);
    }
  };
  const filter = () => {
    let shown = 0;
    for (const item of list.children) {
      item.hidden = !!show.value && item.dataset.status !== show.value;
      if (!item.hidden) shown += 1;
    }
    none.hidden = shown > 0 || !list.children.length;
  };
  show.addEventListener("change", filter);
  main.append(list, none);
  await load();
});
