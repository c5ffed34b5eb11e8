// /admin/import: paste a notice (or pick its .txt file), read what the importer proposes, each
// field with the sentence it came from, edit it in the vacancy form, then save it as a draft or
// publish it.
import { send } from "../api.js";
import { alertBox, clear, el, keepFocusAboveBar, noticeBox } from "../dom.js";
import { addTables, t } from "../i18n.js";
import { frame } from "../layout.js";
import { adminNav, requireAdmin } from "../admin-nav.js";
import { errorMessage, saveVacancy, savedMessage, vacancyForm } from "../vacancy-form.js";
import adminTables from "../i18n/admin.js";

addTables(adminTables);

/** The vacancy the import proposes, in the form's shape. */
function proposal(result) {
  const d = result.draft;
  return {
    reference: d.reference || "", title_en: d.title || "", title_fr: "",
    notice_text: result.notice_text, key_challenges: d.key_challenges, posts: d.posts,
    status: "draft", opens_at: null, assessors_see_before_deadline: false,
    rules: result.proposed_rules,
  };
}

/** What was found, field by field, with its sentence; and what was not found. */
function foundList(result) {
  const d = result.draft;
  const items = [
    ["reference", d.reference], ["title", d.title], ["deadline", d.deadline],
    ["key_challenges", d.key_challenges.length ? d.key_challenges.length : null],
  ];
  // The importer lists every field of the notice schema it did not find (`not_found`).
  const missingKeys = d.not_found ?? items.filter(([, v]) => v === null || v === undefined).map(([k]) => k);
  const missing = missingKeys.map((k) => t(`av_field_${k}`));
  const docs = d.documents.map((doc) => el("li", {}, `${doc.title_en}`,
    doc.max_pages ? ` — ${t("av_pages_n", { n: doc.max_pages })}` : "",
    doc.evidence.document ? el("q", { lang: "en", class: "evidence-inline" }, doc.evidence.document) : null));
  return el("section", { class: "card", "aria-labelledby": "found-h" },
    el("h2", { id: "found-h" }, t("av_found_title")),
    el("p", {}, t("av_found_documents", { n: d.documents.length })),
    docs.length ? el("ul", { class: "found-docs" }, docs) : null,
    missing.length ? el("p", { class: "warn-text" }, t("av_not_found", { fields: missing.join(", ") })) : el("p", {}, t("av_all_found")),
    el("p", { class: "hint" }, t("av_found_hint")));
}

frame(async (main, s) => {
  if (!requireAdmin(s)) return;
  main.append(el("h1", {}, t("av_import_title")), adminNav("/admin/import"), el("p", { class: "lead" }, t("av_import_lead")));
  const text = el("textarea", { id: "notice-text", rows: "12", class: "plain", lang: "en" });
  const file = el("input", { type: "file", id: "notice-file", accept: ".txt,text/plain" });
  const out = el("div", { "aria-live": "polite" });
  const proposalArea = el("div", { id: "proposal" });
  file.addEventListener("change", async () => {
    clear(out);
    const f = file.files?.[0];
    if (!f) return;
    if (f.size > 512 * 1024) { out.append(alertBox(t("av_file_too_big"))); return; }
    text.value = await f.text();
    out.append(noticeBox(t("av_file_read", { name: f.name })));
  });
  const form = el("form", { id: "import-form", class: "card" },
    el("h2", {}, t("av_paste_title")),
    el("div", { class: "field" }, el("label", { for: text.id }, t("av_paste_label")), text,
      el("p", { class: "hint", id: "notice-text-hint" }, t("av_paste_hint"))),
    el("div", { class: "field" }, el("label", { for: file.id }, t("av_file_label")), file),
    el("button", { type: "submit", class: "primary", id: "read-notice" }, t("av_read_notice")), out);
  text.setAttribute("aria-describedby", "notice-text-hint");
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clear(out);
    clear(proposalArea);
    if (!text.value.trim()) { out.append(alertBox(t("av_paste_empty"))); text.focus(); return; }
    let result;
    try { result = await send("POST", "/api/admin/notices/import", { text: text.value }); } catch (e) { out.append(errorMessage(e)); return; }
    const vacancy = proposal(result);
    const d = result.draft;
    const editor = vacancyForm(vacancy, {
      isNew: true,
      evidence: { reference: d.evidence.reference, title: d.evidence.title, posts: d.evidence.posts,
        deadline: d.evidence.deadline, key_challenges: d.evidence.key_challenges },
      documentEvidence: d.documents.map((doc) => doc.evidence),
    });
    const saveOut = el("div", { id: "save-result", "aria-live": "polite" });
    let savedReference = null;
    const save = async (status) => {
      clear(saveOut);
      const r = editor.read();
      if (r.error) { saveOut.append(alertBox(r.error)); return; }
      r.value.status = status;
      try {
        const saved = await saveVacancy(r.value, savedReference === null, savedReference);
        savedReference = r.value.reference;
        editor.lockReference();
        editor.showSelfTest(saved.self_test, saveOut);
        saveOut.append(savedMessage(saved), el("p", {},
          el("a", { href: `/admin/vacancy?ref=${encodeURIComponent(savedReference)}`, id: "open-saved" }, t("av_open_saved")), " · ",
          el("a", { href: "/admin" }, t("av_back_list"))));
      } catch (e) { saveOut.append(errorMessage(e)); }
    };
    const bar = el("div", { class: "card save-bar" },
      el("p", { class: "hint" }, t("av_save_hint")),
      el("div", { class: "actions" },
        el("button", { type: "button", class: "secondary", id: "save-draft", onclick: () => save("draft") }, t("av_save_draft")),
        el("button", { type: "button", class: "primary", id: "publish", onclick: () => save("open") }, t("av_publish"))),
      saveOut);
    proposalArea.append(foundList(result),
      el("h2", { class: "form-title" }, t("av_review_title")), editor.node, bar);
    keepFocusAboveBar(bar);
    proposalArea.querySelector("h2")?.setAttribute("tabindex", "-1");
    proposalArea.querySelector("h2")?.focus();
  });
  main.append(form, proposalArea);
});
