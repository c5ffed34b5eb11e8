// /admin/integrations: API tokens (created and shown once, listed, revoked after a second
// click) and webhooks (added with their secret shown once, their deliveries listed with the
// last answer, each one sendable again).
import { get, send } from "../api.js";
import { alertBox, clear, el, noticeBox } from "../dom.js";
import { addTables, t } from "../i18n.js";
import { frame, localTime, problemText } from "../layout.js";
import { adminNav, requireAdmin } from "../admin-nav.js";
import integrationsTables from "../i18n/integrations.js";

addTables(integrationsTables);

const SCOPES = ["vacancies:read", "vacancies:write", "results:read", "essays:read"];
const EVENTS = ["vacancy.published", "vacancy.closed", "application.completed", "version.accepted", "decision.recorded"];
const key = (s) => s.replace(/[^a-z]+/g, "_");

/** Checkboxes for `values`, labelled with `prefix` + value; returns the fieldset and a reader. */
function choices(id, legend, values, prefix) {
  const boxes = values.map((v) => el("input", { type: "checkbox", id: `${id}-${key(v)}`, name: id, value: v }));
  const fieldset = el("fieldset", { id },
    el("legend", {}, legend),
    boxes.map((box) => el("div", { class: "check" }, box,
      el("label", { for: box.id }, t(`${prefix}${key(box.value)}`), " ", el("code", {}, box.value)))));
  return { fieldset, chosen: () => boxes.filter((b) => b.checked).map((b) => b.value) };
}

/** A secret shown once: read-only, selected on focus, with a copy button. */
function shownOnce(id, label, message, value) {
  const field = el("input", { type: "text", id, readonly: true, value, spellcheck: "false", autocomplete: "off", class: "secret" });
  field.addEventListener("focus", () => field.select());
  const said = el("span", { "aria-live": "polite" });
  const copy = el("button", { type: "button", class: "secondary", "data-copy": id }, t("int_copy"));
  copy.addEventListener("click", async () => {
    try { await navigator.clipboard.writeText(value); said.textContent = t("int_copied"); }
    catch { field.focus(); said.textContent = t("int_copy_failed"); }
  });
  return noticeBox(el("p", {}, message), el("label", { for: id }, label), el("div", { class: "actions" }, field, copy, said));
}

/** A button that asks once more before `act`: the question and a yes/cancel pair replace it. */
function confirmed(text, question, yes, act, data = {}) {
  const box = el("span", { class: "confirm" });
  const ask = el("button", { type: "button", class: "danger", ...data }, text);
  ask.addEventListener("click", () => {
    const cancel = el("button", { type: "button", class: "secondary" }, t("int_cancel"));
    const sure = el("button", { type: "button", class: "danger", "data-confirm": "yes" }, yes);
    cancel.addEventListener("click", () => clear(box).append(ask));
    sure.addEventListener("click", act);
    clear(box).append(el("span", { role: "alert" }, question), " ", sure, " ", cancel);
    sure.focus();
  });
  box.append(ask);
  return box;
}

function tokensSection() {
  const out = el("div", { "aria-live": "polite", id: "tokens-out" });
  const name = el("input", { type: "text", id: "token-name", required: true, autocomplete: "off", maxlength: 200 });
  const scopes = choices("token-scopes", t("int_scopes"), SCOPES, "int_scope_");
  const expires = el("input", { type: "date", id: "token-expires" });
  const body = el("tbody", {});
  const empty = el("p", { class: "muted", hidden: true }, t("int_tokens_empty"));
  const badge = (s) => el("span", { class: `badge ${s === "active" ? "ok" : "bad"}` }, t(`int_status_${s}`));
  const load = async () => {
    const tokens = await get("/api/admin/integrations/tokens");
    empty.hidden = tokens.length > 0;
    clear(body).append(...tokens.map((k) => el("tr", { "data-token": k.name },
      el("th", { scope: "row", "data-label": t("int_token_name") }, k.name),
      el("td", { "data-label": t("int_scopes") }, k.scopes.map((s) => el("code", {}, s)).flatMap((c, i) => i ? [", ", c] : [c])),
      el("td", { "data-label": t("int_created") }, localTime(k.created_at)),
      el("td", { "data-label": t("int_expires_col") }, k.expires_at ? localTime(k.expires_at) : t("int_never")),
      el("td", { "data-label": t("int_last_used") }, k.last_used_at ? localTime(k.last_used_at) : t("int_not_used")),
      el("td", { "data-label": t("int_status") }, badge(k.status)),
      el("td", { "data-label": t("int_actions") }, k.status === "revoked" ? null
        : confirmed(t("int_revoke"), t("int_revoke_confirm", { name: k.name }), t("int_revoke_yes"), async () => {
          clear(out);
          try {
            await send("DELETE", `/api/admin/integrations/tokens/${encodeURIComponent(k.id)}`);
            await load();
            out.append(noticeBox(t("int_revoked", { name: k.name })));
          } catch (e) { out.append(alertBox(problemText(e))); }
        }, { "data-action": "revoke" })))));
  };
  const form = el("form", { id: "token-form", novalidate: true },
    el("label", { for: name.id }, t("int_token_name")), name,
    scopes.fieldset,
    el("label", { for: expires.id }, t("int_expires")), expires,
    el("button", { type: "submit", class: "primary" }, t("int_token_create")));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clear(out);
    const chosen = scopes.chosen();
    if (!name.value.trim()) { out.append(alertBox(t("int_name_needed"))); name.focus(); return; }
    if (!chosen.length) { out.append(alertBox(t("int_scope_needed"))); return; }
    // The end of the chosen day where the admin is.
    const expiresAt = expires.value ? new Date(`${expires.value}T23:59:59`).toISOString() : null;
    try {
      const created = await send("POST", "/api/admin/integrations/tokens", { name: name.value.trim(), scopes: chosen, expires_at: expiresAt });
      const shown = name.value.trim();
      form.reset();
      await load();
      out.append(shownOnce("token-value", t("int_token_value"), t("int_token_created", { name: shown }), created.token));
    } catch (e) { out.append(alertBox(problemText(e))); }
  });
  const table = el("table", { class: "acc-table", id: "tokens-table" },
    el("thead", {}, el("tr", {}, ["int_token_name", "int_scopes", "int_created", "int_expires_col", "int_last_used", "int_status", "int_actions"]
      .map((k) => el("th", { scope: "col" }, t(k))))), body);
  const section = el("section", { class: "card", "aria-labelledby": "tokens-title" },
    el("h2", { id: "tokens-title" }, t("int_tokens_title")), el("p", { class: "hint" }, t("int_tokens_hint")),
    form, out,
    el("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": t("int_tokens_region") }, table), empty);
  return { section, load };
}

function deliveryRow(d, out, load) {
  const tone = d.status === "delivered" ? "ok" : d.status === "failed" ? "bad" : "neutral";
  const resend = el("button", { type: "button", class: "secondary", "data-action": "resend" }, t("int_resend"));
  resend.addEventListener("click", async () => {
    clear(out);
    try {
      await send("POST", `/api/admin/integrations/deliveries/${d.id}/resend`);
      await load();
      out.append(noticeBox(t("int_resent")));
    } catch (e) { out.append(alertBox(problemText(e))); }
  });
  const next = d.status === "pending" && d.next_attempt_at
    ? el("span", { class: "muted" }, " ", t("int_next_attempt", { when: localTime(d.next_attempt_at) }))
    : null;
  const answer = d.last_error ? el("span", { class: "acc-error" }, d.last_error) : d.last_status ? `HTTP ${d.last_status}` : "—";
  return el("tr", { "data-delivery": d.id, "data-event": d.event_type },
    el("td", { "data-label": t("int_event") }, el("code", {}, d.event_type)),
    el("td", { "data-label": t("int_created") }, localTime(d.created_at)),
    el("td", { "data-label": t("int_status") }, el("span", { class: `badge ${tone}` }, t(`int_delivery_${d.status}`)), next),
    el("td", { "data-label": t("int_attempts") }, String(d.attempts)),
    el("td", { "data-label": t("int_answer") }, answer),
    el("td", { "data-label": t("int_message_id") }, el("code", {}, d.message_id)),
    el("td", { "data-label": t("int_actions") }, resend));
}

function deliveriesTable(hook, out, load) {
  if (!hook.deliveries.length) return el("p", { class: "muted" }, t("int_deliveries_empty"));
  const head = ["int_event", "int_created", "int_status", "int_attempts", "int_answer", "int_message_id", "int_actions"]
    .map((k) => el("th", { scope: "col" }, t(k)));
  const table = el("table", { class: "acc-table deliveries" },
    el("thead", {}, el("tr", {}, head)),
    el("tbody", {}, hook.deliveries.map((d) => deliveryRow(d, out, load))));
  return el("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": t("int_deliveries_region") }, table);
}

function webhooksSection() {
  const out = el("div", { "aria-live": "polite", id: "webhooks-out" });
  const url = el("input", { type: "url", id: "webhook-url", required: true, autocomplete: "off", inputmode: "url", placeholder: "https://" });
  const events = choices("webhook-events", t("int_events"), EVENTS, "int_event_");
  const list = el("div", { id: "webhooks-list" });
  const load = async () => {
    const hooks = await get("/api/admin/integrations/webhooks");
    clear(list);
    if (!hooks.length) { list.append(el("p", { class: "muted" }, t("int_webhooks_empty"))); return; }
    list.append(...hooks.map((h) => el("article", { class: "card webhook", "data-webhook": h.url },
      el("h3", {}, el("code", { class: "webhook-url" }, h.url)),
      el("p", {}, h.events.map((e) => el("code", {}, e)).flatMap((c, i) => i ? [", ", c] : [c])),
      el("p", { class: "muted" }, t("int_created"), " ", localTime(h.created_at)),
      confirmed(t("int_webhook_delete"), t("int_webhook_delete_confirm"), t("int_webhook_delete_yes"), async () => {
        clear(out);
        try {
          await send("DELETE", `/api/admin/integrations/webhooks/${encodeURIComponent(h.id)}`);
          await load();
          out.append(noticeBox(t("int_webhook_deleted")));
        } catch (e) { out.append(alertBox(problemText(e))); }
      }, { "data-action": "delete" }),
      el("h4", {}, t("int_deliveries", { n: h.deliveries.length })),
      deliveriesTable(h, out, load))));
  };
  const form = el("form", { id: "webhook-form", novalidate: true },
    el("label", { for: url.id }, t("int_url")), url,
    events.fieldset,
    el("button", { type: "submit", class: "primary" }, t("int_webhook_create")));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clear(out);
    const chosen = events.chosen();
    if (!/^https?:\/\/./i.test(url.value.trim())) { out.append(alertBox(t("int_url_needed"))); url.focus(); return; }
    if (!chosen.length) { out.append(alertBox(t("int_event_needed"))); return; }
    try {
      const created = await send("POST", "/api/admin/integrations/webhooks", { url: url.value.trim(), events: chosen });
      form.reset();
      await load();
      out.append(shownOnce("webhook-secret", t("int_secret_value"), t("int_webhook_created"), created.secret));
    } catch (e) { out.append(alertBox(problemText(e))); }
  });
  const refresh = el("button", { type: "button", class: "secondary", id: "webhooks-refresh" }, t("int_refresh"));
  refresh.addEventListener("click", () => load().catch((e) => out.append(alertBox(problemText(e)))));
  const section = el("section", { class: "card", "aria-labelledby": "webhooks-title" },
    el("h2", { id: "webhooks-title" }, t("int_webhooks_title")), el("p", { class: "hint" }, t("int_webhooks_hint")),
    form, out, refresh, list);
  return { section, load };
}

frame(async (main, s) => {
  if (!requireAdmin(s)) return;
  main.append(el("h1", {}, t("int_title")), adminNav(), el("p", { class: "lead" }, t("int_lead")));
  const tokens = tokensSection();
  const hooks = webhooksSection();
  main.append(tokens.section, hooks.section);
  await Promise.all([tokens.load(), hooks.load()]);
});
