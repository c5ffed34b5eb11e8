// /admin/vacancies/new and /admin/vacancy?ref=X: the vacancy form, then (for a saved vacancy)
// its panel and its rubric.
import { get, send } from "../api.js";
import { alertBox, clear, el, keepFocusAboveBar, noticeBox, param } from "../dom.js";
import { addTables, t } from "../i18n.js";
import { frame, localTime, problemText } from "../layout.js";
import { adminNav, requireAdmin } from "../admin-nav.js";
import { errorMessage, normalise, saveVacancy, savedMessage, vacancyForm } from "../vacancy-form.js";
import adminTables from "../i18n/admin.js";
import privacyTables from "../i18n/privacy.js";
import mailTables from "../i18n/mail.js";

addTables(adminTables, privacyTables, mailTables);

function vacancyLinks(reference) {
  const ref = encodeURIComponent(reference);
  return el("p", { class: "vacancy-links" },
    el("a", { href: `/admin/applications?ref=${ref}` }, t("av_applications")), " · ",
    el("a", { href: `/vacancy?ref=${ref}` }, t("av_public_page")));
}

/** The panel: who sits on it now (and who chairs), assessors as checkboxes, one chair. */
async function panelSection(reference) {
  const section = el("section", { class: "card", id: "panel", "aria-labelledby": "panel-h" },
    el("h2", { id: "panel-h" }, t("av_panel")));
  const ref = encodeURIComponent(reference);
  const [accounts, panel] = await Promise.all([get("/api/admin/accounts"), get(`/api/admin/vacancies/${ref}/panel`)]);
  const assessors = accounts.filter((a) => a.role === "assessor" && !a.disabled);
  const current = el("div", { id: "panel-current" });
  const showCurrent = (seats) => {
    clear(current).append(seats.length
      ? el("ul", { class: "panel-list" }, seats.map((s) => el("li", {}, `${s.full_name} (${s.email})`,
        s.chair ? [" ", el("span", { class: "badge ok" }, t("av_chair_badge"))] : null)))
      : el("p", {}, t("av_panel_empty")));
  };
  showCurrent(panel);
  section.append(el("h3", {}, t("av_panel_current")), current);
  if (!assessors.length) {
    section.append(el("p", {}, t("av_no_assessors"), " ", el("a", { href: "/admin/accounts" }, t("av_invite_assessors"))));
    return section;
  }
  const seated = new Map(panel.map((s) => [s.account_id, s.chair]));
  const out = el("div", { "aria-live": "polite" });
  const rows = assessors.map((a) => {
    const member = el("input", { type: "checkbox", id: `panel-member-${a.id}`, name: "member", value: a.id, checked: seated.has(a.id) });
    const chair = el("input", { type: "radio", id: `panel-chair-${a.id}`, name: "chair", value: a.id, checked: seated.get(a.id) === true });
    return el("tr", {},
      el("td", {}, el("div", { class: "check" }, member, el("label", { for: member.id }, `${a.full_name} (${a.email})`))),
      el("td", {}, el("div", { class: "check" }, chair, el("label", { for: chair.id }, t("av_chair_of", { name: a.full_name })))));
  });
  const form = el("form", { id: "panel-form" },
    el("h3", {}, t("av_panel_change")),
    el("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": t("av_panel_table") },
      el("table", { class: "panel-table" },
        el("thead", {}, el("tr", {}, el("th", { scope: "col" }, t("av_member")), el("th", { scope: "col" }, t("av_chair")))),
        el("tbody", {}, rows))),
    el("button", { type: "submit", class: "primary", id: "panel-save" }, t("av_panel_save")), out);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clear(out);
    const chair = form.querySelector("input[name=chair]:checked")?.value;
    const ids = [...form.querySelectorAll("input[name=member]:checked")].map((i) => i.value);
    if (!ids.length) { out.append(alertBox(t("av_panel_need_member"))); return; }
    if (!chair || !ids.includes(chair)) { out.append(alertBox(t("av_panel_need_chair"))); return; }
    try {
      await send("PUT", `/api/admin/vacancies/${ref}/panel`, { members: ids.map((id) => ({ account_id: id, chair: id === chair })) });
      showCurrent(await get(`/api/admin/vacancies/${ref}/panel`));
      out.append(noticeBox(t("av_panel_saved")));
    } catch (e) { out.append(alertBox(problemText(e))); }
  });
  section.append(form);
  return section;
}

/** The rubric: criteria with titles, descriptors and level descriptors in both languages, and weights. */
async function rubricSection(reference) {
  const ref = encodeURIComponent(reference);
  const section = el("section", { class: "card", id: "rubric", "aria-labelledby": "rubric-h" },
    el("h2", { id: "rubric-h" }, t("av_rubric")), el("p", { class: "hint" }, t("av_rubric_hint")));
  let criteria = await get(`/api/admin/vacancies/${ref}/rubric`);
  const list = el("div", {});
  const out = el("div", { "aria-live": "polite" });
  const readers = [];
  const draw = () => {
    clear(list);
    readers.length = 0;
    criteria.forEach((c, i) => {
      const id = (n) => `rub-${i}-${n}`;
      const input = (name, val, attrs = {}) => el("input", { type: "text", id: id(name), value: val ?? "", ...attrs });
      const titleEn = input("title", c.title, { lang: "en" });
      const titleFr = input("title-fr", c.title_fr, { lang: "fr" });
      const descEn = el("textarea", { id: id("desc"), rows: "2", class: "plain", lang: "en" }); descEn.value = c.descriptor ?? "";
      const descFr = el("textarea", { id: id("desc-fr"), rows: "2", class: "plain", lang: "fr" }); descFr.value = c.descriptor_fr ?? "";
      const weight = el("input", { type: "number", id: id("weight"), min: "0.1", max: "100", step: "0.1", value: String(c.weight ?? 1) });
      const levels = [1, 2, 3, 4, 5].map((n) => [
        input(`level-${n}`, (c.levels || [])[n - 1], { lang: "en" }),
        input(`level-fr-${n}`, (c.levels_fr || [])[n - 1], { lang: "fr" }),
      ]);
      const lab = (node, text) => el("div", { class: "field" }, el("label", { for: node.id }, text), node);
      readers.push(() => {
        const levelsEn = levels.map(([e]) => e.value.trim());
        const levelsFr = levels.map(([, f]) => f.value.trim());
        Object.assign(c, {
          title: titleEn.value.trim(), descriptor: descEn.value.trim(), weight: Number(weight.value),
          levels: levelsEn.some(Boolean) ? levelsEn : [], levels_fr: levelsFr.some(Boolean) ? levelsFr : [],
        });
        if ("title_fr" in c || titleFr.value.trim()) c.title_fr = titleFr.value.trim() || null;
        if ("descriptor_fr" in c || descFr.value.trim()) c.descriptor_fr = descFr.value.trim() || null;
        if (!c.title) return [titleEn, t("av_err_required")];
        if (!(c.weight > 0 && c.weight <= 100)) return [weight, t("av_err_weight")];
        return null;
      });
      list.append(el("section", { class: "criterion", "aria-labelledby": id("h") },
        el("h3", { id: id("h") }, t("av_criterion_n", { n: i + 1, title: c.title || "" })),
        el("div", { class: "grid-2" }, lab(titleEn, t("av_crit_title_en")), lab(titleFr, t("av_crit_title_fr"))),
        el("div", { class: "grid-2" }, lab(descEn, t("av_crit_desc_en")), lab(descFr, t("av_crit_desc_fr"))),
        lab(weight, t("av_weight")),
        el("fieldset", {}, el("legend", {}, t("av_levels")),
          levels.map(([e, f], n) => el("div", { class: "grid-2" }, lab(e, t("av_level_en", { n: n + 1 })), lab(f, t("av_level_fr", { n: n + 1 }))))),
        el("button", { type: "button", class: "danger", onclick: () => { readAll(); criteria.splice(i, 1); draw(); } },
          t("av_remove_criterion", { n: i + 1 }))));
    });
  };
  const readAll = () => {
    for (const r of readers) { const p = r(); if (p) return p; }
    return null;
  };
  draw();
  section.append(list, el("div", { class: "actions" },
    el("button", { type: "button", class: "secondary", onclick: () => {
      readAll();
      let n = criteria.length + 1;
      while (criteria.some((c) => c.id === `criterion-${n}`)) n += 1;
      criteria.push({ id: `criterion-${n}`, title: "", descriptor: "", weight: 1, levels: [], levels_fr: [] });
      draw();
      document.getElementById(`rub-${criteria.length - 1}-title`)?.focus();
    } }, t("av_add_criterion")),
    el("button", { type: "button", class: "primary", id: "rubric-save", onclick: async () => {
      clear(out);
      const problem = readAll();
      if (problem) {
        const [input, message] = problem;
        input.focus();
        out.append(alertBox(t("av_err_field", { field: document.querySelector(`label[for="${input.id}"]`)?.textContent || input.id, message })));
        return;
      }
      try {
        criteria = await send("PUT", `/api/admin/vacancies/${ref}/rubric`, criteria);
        draw();
        out.append(noticeBox(t("av_rubric_saved")));
      } catch (e) { out.append(alertBox(problemText(e))); }
    } }, t("av_rubric_save"))), out);
  return section;
}

/** Personal data: how long this vacancy's applications are kept after it closes, and the purge. */
async function retentionSection(reference) {
  const path = `/api/admin/vacancies/${encodeURIComponent(reference)}/retention`;
  const section = el("section", { class: "card", id: "retention", "aria-labelledby": "retention-h" },
    el("h2", { id: "retention-h" }, t("rt_title")), el("p", { class: "hint" }, t("rt_hint")));
  const status = el("div", { id: "retention-status" });
  const show = (view) => {
    clear(status);
    if (view.purged_at) {
      const c = view.purged || {};
      status.append(noticeBox(t("rt_purged", { date: localTime(view.purged_at), applications: c.applications ?? 0, files: c.files ?? 0 })));
    } else {
      status.append(el("p", {}, view.purge_due_at ? t("rt_due", { date: localTime(view.purge_due_at) }) : t("rt_no_deadline")));
    }
  };
  const view = await get(path);
  show(view);
  const months = el("input", { type: "number", id: "retention-months", min: "1", max: "120", step: "1",
    value: view.retention_months ?? "", placeholder: String(view.default_months), "aria-describedby": "retention-default" });
  const out = el("div", { "aria-live": "polite" });
  const form = el("form", { id: "retention-form" },
    el("label", { for: "retention-months" }, t("rt_months")), months,
    el("p", { class: "hint", id: "retention-default" }, t("rt_default", { n: view.default_months })),
    el("button", { type: "submit", class: "secondary", id: "retention-save" }, t("rt_save")), out);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clear(out);
    const value = months.value.trim();
    try {
      const saved = await send("PUT", path, { retention_months: value === "" ? null : Number(value) });
      show(saved);
      out.append(noticeBox(t("rt_saved")));
    } catch (e) { out.append(alertBox(problemText(e))); }
  });
  section.append(status, form);
  return section;
}

frame(async (main, s) => {
  if (!requireAdmin(s)) return;
  const reference = param("ref");
  const isNew = !reference;
  const vacancy = isNew ? normalise({ rules: { documents: [] } }) : await get(`/api/admin/vacancies/${encodeURIComponent(reference)}`);
  const heading = el("h1", {}, isNew ? t("av_new_title") : t("av_edit_title", { ref: vacancy.reference }));
  main.append(heading, adminNav());
  if (!isNew) main.append(vacancyLinks(vacancy.reference));
  if (!isNew && vacancy.reminders) main.append(reminderPlan(vacancy.reminders));
  const form = vacancyForm(vacancy, { isNew });
  const out = el("div", { id: "save-result", "aria-live": "polite" });
  let created = !isNew;
  let savedReference = vacancy.reference;
  const save = el("button", { type: "submit", class: "primary", id: "vacancy-save" }, t("av_save"));
  const bar = el("div", { class: "card save-bar" }, save, out);
  const shell = el("form", { id: "vacancy-form", novalidate: true }, form.node, bar);
  shell.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clear(out);
    const r = form.read();
    if (r.error) { out.append(alertBox(r.error)); return; }
    save.disabled = true;
    try {
      const saved = await saveVacancy(r.value, !created, savedReference);
      out.append(savedMessage(saved));
      form.showSelfTest(saved.self_test, out);
      if (!created) {
        created = true;
        savedReference = r.value.reference;
        history.replaceState(null, "", `/admin/vacancy?ref=${encodeURIComponent(savedReference)}`);
        heading.textContent = t("av_edit_title", { ref: savedReference });
        document.title = `${heading.textContent} — ${t("brand")}`;
        form.lockReference();
        form.showSelfTest(saved.self_test, out);
        main.append(await panelSection(savedReference), await rubricSection(savedReference), await retentionSection(savedReference));
      }
    } catch (e) { out.append(errorMessage(e)); }
    save.disabled = false;
  });
  main.append(shell);
  keepFocusAboveBar(bar);
  if (!isNew) {
    main.append(await panelSection(vacancy.reference), await rubricSection(vacancy.reference), await retentionSection(vacancy.reference));
  }
});

/** How many reminders will go to candidates with incomplete applications, and when. */
function reminderPlan(plan) {
  return el("section", { class: "card", id: "reminder-plan", "aria-labelledby": "rp-title" },
    el("h2", { id: "rp-title" }, t("mail_plan_title")),
    el("p", {}, t("mail_plan_incomplete", { n: plan.incomplete, stopped: plan.stopped })),
    plan.planned.length
      ? el("ul", {}, plan.planned.map((p) => el("li", {}, t("mail_plan_line", { hours: p.offset_hours, when: localTime(p.at), n: p.candidates }))))
      : el("p", { class: "muted" }, t("mail_plan_none")),
    el("p", { class: "hint" }, t("mail_plan_sent", { n: plan.sent })));
}
