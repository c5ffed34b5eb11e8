// /admin/accounts: invite, change roles, disable and enable, resend invitations; the outbox.
import { get, send } from "../api.js";
import { alertBox, clear, el, noticeBox } from "../dom.js";
import { addTables, lang, t } from "../i18n.js";
import { firstInvalid, frame, localTime, problemText } from "../layout.js";
import { adminNav, requireAdmin } from "../admin-nav.js";
import { confirmAction } from "../confirm.js";
import accountsTables from "../i18n/accounts.js";
import privacyTables from "../i18n/privacy.js";
import mailTables from "../i18n/mail.js";

addTables(accountsTables, privacyTables, mailTables);

const ROLES = ["assessor", "admin", "candidate"];

function roleName(role) { return t(`role_${role}`); }

function statusBadge(status) {
  const tone = status === "active" ? "ok" : status === "disabled" ? "bad" : "neutral";
  return el("span", { class: `badge ${tone}` }, t(`acc_status_${status}`));
}

function inviteForm(onInvited) {
  const out = el("div", { "aria-live": "polite" });
  const name = el("input", { type: "text", id: "invite-name", name: "full_name", required: true, autocomplete: "off" });
  const email = el("input", { type: "email", id: "invite-email", name: "email", required: true, autocomplete: "off" });
  const role = el("select", { id: "invite-role", name: "role" }, ROLES.map((r) => el("option", { value: r }, roleName(r))));
  // The invitation, and the invitee's mail after it, go in this language; the admin's page's by default.
  const language = el("select", { id: "invite-language", name: "language" },
    ["en", "fr"].map((code) => el("option", { value: code, selected: code === lang() }, t(`mail_lang_${code}`))));
  const form = el("form", { id: "invite-form", novalidate: true },
    el("label", { for: "invite-name" }, t("acc_full_name")), name,
    el("label", { for: "invite-email" }, t("acc_email")), email,
    el("label", { for: "invite-role" }, t("acc_role")), role,
    el("label", { for: "invite-language" }, t("mail_invite_language")), language,
    el("button", { type: "submit", class: "primary" }, t("acc_invite_send")), out);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clear(out);
    // Checked here first, so the reason is in the page's words, not the server's English.
    const invalid = firstInvalid(form, [name, email]);
    if (invalid) { out.append(alertBox(invalid.text)); invalid.field.focus(); return; }
    try {
      const account = await send("POST", "/api/admin/accounts", { full_name: name.value, email: email.value, role: role.value, language: language.value });
      form.reset();
      await onInvited();
      out.append(noticeBox(t("acc_invited", { email: account.email })));
    } catch (e) { out.append(alertBox(problemText(e))); }
  });
  return el("section", { class: "card", "aria-labelledby": "invite-title" },
    el("h2", { id: "invite-title" }, t("acc_invite_title")), el("p", { class: "hint" }, t("acc_invite_hint")), form);
}

/** One account's row: its data and what may be done to it. */
function accountRow(a, me, act) {
  const roleSelect = el("select", { id: `role-${a.id}`, "data-role-for": a.email },
    ROLES.map((r) => el("option", { value: r, selected: r === a.role }, roleName(r))));
  const actions = el("div", { class: "actions" },
    el("label", { for: `role-${a.id}`, class: "sr-only" }, t("acc_role_of", { name: a.full_name })),
    roleSelect,
    el("button", { type: "button", class: "secondary", "data-action": "role", "data-email": a.email,
      onclick: () => act(a, { role: roleSelect.value }, () => t("acc_role_changed", { name: a.full_name, role: roleName(roleSelect.value) })) },
    t("acc_change_role")),
    a.id === me ? null : a.disabled
      ? el("button", { type: "button", class: "secondary", "data-action": "enable", "data-email": a.email,
        onclick: () => act(a, { disabled: false }, () => t("acc_enabled_done", { name: a.full_name })) }, t("acc_enable"))
      : el("button", { type: "button", class: "danger", "data-action": "disable", "data-email": a.email,
        onclick: async () => {
          const sure = await confirmAction({ id: "confirm-disable", title: t("acc_disable_title", { name: a.full_name }),
            question: t("acc_disable_question", { name: a.full_name }), yes: t("acc_disable") });
          if (sure) await act(a, { disabled: true }, () => t("acc_disabled_done", { name: a.full_name }));
        } }, t("acc_disable")),
    a.status === "invited"
      ? el("button", { type: "button", class: "secondary", "data-action": "resend", "data-email": a.email,
        onclick: () => act(a, null, () => t("acc_resent", { email: a.email })) }, t("acc_resend"))
      : null,
    a.role === "candidate" ? personalData(a, act) : null);
  return el("tr", { "data-email": a.email },
    el("th", { scope: "row", "data-label": t("acc_name") }, a.full_name, a.id === me ? ` ${t("acc_you")}` : ""),
    el("td", { "data-label": t("acc_email") }, a.email),
    el("td", { "data-label": t("acc_role") }, roleName(a.role)),
    el("td", { "data-label": t("acc_status") }, statusBadge(a.status)),
    el("td", { "data-label": t("acc_since") }, localTime(a.created_at)),
    el("td", { "data-label": t("acc_actions") }, actions));
}

/** A candidate's data on request: the export (audited), and erasure at once with a reason. */
function personalData(a, act) {
  const reason = el("input", { type: "text", id: `erase-reason-${a.id}`, autocomplete: "off" });
  return el("details", { class: "personal-data" },
    el("summary", {}, t("pd_summary", { name: a.full_name })),
    el("p", {}, el("a", { class: "button secondary", href: `/api/admin/accounts/${encodeURIComponent(a.id)}/export`, download: "",
      "data-action": "export", "data-email": a.email }, t("pd_export"))),
    el("label", { for: reason.id }, t("pd_reason")), reason,
    el("button", { type: "button", class: "danger", "data-action": "erase", "data-email": a.email,
      onclick: async () => {
        // The reason is checked first, so that the dialog is not passed for nothing.
        if (!reason.value.trim()) { reason.setCustomValidity(t("pd_reason_required")); reason.reportValidity(); reason.setCustomValidity(""); reason.focus(); return; }
        const sure = await confirmAction({ id: "confirm-erase", title: t("pd_erase_title", { name: a.full_name }),
          question: t("pd_erase_question", { name: a.full_name }), typed: a.full_name, yes: t("pd_erase") });
        if (sure) await act(a, { erase: reason.value }, () => t("pd_erased", { name: a.full_name }));
      } }, t("pd_erase")));
}

function accountsSection(me) {
  const out = el("div", { "aria-live": "polite", id: "accounts-out" });
  const body = el("tbody", {});
  const count = el("p", { class: "muted" });
  const filter = el("input", { type: "search", id: "accounts-filter", autocomplete: "off" });
  const empty = el("p", { class: "muted", hidden: true }, t("acc_no_match"));
  let accounts = [];
  const draw = () => {
    const needle = filter.value.trim().toLowerCase();
    const shown = accounts.filter((a) => !needle || a.full_name.toLowerCase().includes(needle) || a.email.includes(needle));
    clear(body).append(...shown.map((a) => accountRow(a, me, act)));
    count.textContent = t("acc_count", { n: accounts.length });
    empty.hidden = shown.length > 0;
  };
  const load = async () => { accounts = await get("/api/admin/accounts"); draw(); };
  async function act(account, change, message) {
    clear(out);
    try {
      const id = encodeURIComponent(account.id);
      if (change && "erase" in change) await send("POST", `/api/admin/accounts/${id}/erase`, { reason: change.erase });
      else if (change) await send("PATCH", `/api/admin/accounts/${id}`, change);
      else await send("POST", `/api/admin/accounts/${id}/invitation`);
      await load();
      out.append(noticeBox(message()));
    } catch (e) { out.append(alertBox(problemText(e))); }
  }
  filter.addEventListener("input", draw);
  const table = el("table", { class: "acc-table", id: "accounts-table" },
    el("thead", {}, el("tr", {}, ["acc_name", "acc_email", "acc_role", "acc_status", "acc_since", "acc_actions"]
      .map((k) => el("th", { scope: "col" }, t(k))))),
    body);
  const section = el("section", { class: "card", "aria-labelledby": "accounts-title" },
    el("h2", { id: "accounts-title" }, t("acc_list_title")), count,
    el("label", { for: "accounts-filter" }, t("acc_filter_label")), filter,
    out,
    el("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": t("acc_list_region") }, table),
    empty);
  return { section, load };
}

function outboxSection() {
  const out = el("div", { id: "outbox" });
  const button = el("button", { type: "button", class: "secondary", id: "outbox-show" }, t("acc_outbox_show"));
  button.addEventListener("click", async () => {
    clear(out);
    try {
      const messages = await get("/api/admin/outbox");
      button.textContent = t("acc_outbox_refresh");
      if (!messages.length) { out.append(el("p", { class: "muted" }, t("acc_outbox_empty"))); return; }
      out.append(el("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": t("acc_outbox_region") },
        el("table", { class: "acc-table", id: "outbox-table" },
          el("thead", {}, el("tr", {}, ["acc_kind", "acc_recipient", "acc_status", "acc_attempts", "acc_created", "acc_sent", "acc_message"]
            .map((k) => el("th", { scope: "col" }, t(k))))),
          el("tbody", {}, messages.map((m) => el("tr", { "data-kind": m.kind },
            el("td", { "data-label": t("acc_kind") }, t(`acc_kind_${m.kind}`)),
            el("td", { "data-label": t("acc_recipient") }, m.recipient),
            el("td", { "data-label": t("acc_status") },
              el("span", { class: `badge ${m.status === "sent" ? "ok" : m.status === "failed" ? "bad" : "neutral"}` }, t(`acc_mail_${m.status}`)),
              m.last_error ? el("span", { class: "acc-error" }, t("acc_last_error", { error: m.last_error })) : null),
            el("td", { "data-label": t("acc_attempts") }, String(m.attempts)),
            el("td", { "data-label": t("acc_created") }, localTime(m.created_at)),
            el("td", { "data-label": t("acc_sent") }, m.sent_at ? localTime(m.sent_at) : t("acc_not_sent")),
            el("td", { "data-label": t("acc_message") },
              el("details", {}, el("summary", {}, m.subject), el("pre", { class: "acc-mail" }, m.body)))))))));
    } catch (e) { out.append(alertBox(problemText(e))); }
  });
  return el("section", { class: "card", "aria-labelledby": "outbox-title" },
    el("h2", { id: "outbox-title" }, t("acc_outbox_title")), el("p", { class: "hint" }, t("acc_outbox_hint")), button, out);
}

frame(async (main, s) => {
  if (!requireAdmin(s)) return;
  main.append(el("h1", {}, t("acc_title")), adminNav(), el("p", { class: "lead" }, t("acc_lead")));
  const accounts = accountsSection(s.account.id);
  main.append(inviteForm(accounts.load), accounts.section, outboxSection());
  await accounts.load();
});
