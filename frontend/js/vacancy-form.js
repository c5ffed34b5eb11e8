// The vacancy form, field by field, shared by the vacancy page (/admin/vacancy, /admin/vacancies/new)
// and the notice import page (/admin/import): reference, titles, posts, status, deadline in the
// vacancy's time zone (with UTC beside it), grace, eligibility, key challenges, notice text,
// and each document with its rules, the candidate's rule text previewed live in both languages,
// and the self-test shown beside the document it concerns. "Advanced: JSON" reads and writes the
// same value. Every value read from a notice can show the sentence it came from.
import { send, ProblemError } from "./api.js";
import { alertBox, clear, el, noticeBox } from "./dom.js";
import { addTables, t } from "./i18n.js";
import { confirmAction } from "./confirm.js";
import { localTime, problemText } from "./layout.js";
import adminTables from "./i18n/admin.js";
import mailTables from "./i18n/mail.js";

addTables(adminTables, mailTables);

export const FORMATS = ["docx", "pdf", "doc", "odt", "rtf"];
export const SEVERITY_RULES = ["format", "pages", "paper", "filename", "size", "macros"];
export const ELIGIBILITY = ["member-state-national", "security-clearance", "no-generative-ai"];
const ZONES = ["Europe/Brussels", "UTC", "Europe/Paris", "Europe/London", "Europe/Rome", "Europe/Madrid",
  "Europe/Warsaw", "America/New_York", "America/Norfolk", "America/Toronto"];

// ---- Time zones, without a library: the zone's offset at an instant, from Intl. ----

function zoneParts(ms, timeZone) {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", second: "2-digit",
  }).formatToParts(new Date(ms));
  return Object.fromEntries(parts.map((p) => [p.type, p.value]));
}

function zoneOffset(ms, timeZone) {
  const p = zoneParts(ms, timeZone);
  const wall = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour % 24, +p.minute, +p.second);
  return wall - Math.floor(ms / 1000) * 1000;
}

export function validZone(timeZone) {
  try { new Intl.DateTimeFormat("en-US", { timeZone }); return true; } catch { return false; }
}

/** "2026-03-02T23:59:00" read in `timeZone` → the instant (Date), or null. */
export function zonedToUtc(local, timeZone) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(local || "");
  if (!m || !validZone(timeZone)) return null;
  const wall = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +(m[6] || 0));
  let ms = wall - zoneOffset(wall, timeZone);
  ms = wall - zoneOffset(ms, timeZone);
  return new Date(ms);
}

/** An instant as the `datetime-local` value of its wall time in `timeZone`. */
export function utcToZoned(iso, timeZone) {
  if (!iso || !validZone(timeZone)) return "";
  const p = zoneParts(Date.parse(iso), timeZone);
  return `${p.year}-${p.month}-${p.day}T${String(+p.hour % 24).padStart(2, "0")}:${p.minute}:${p.second}`;
}

// ---- What candidates read about a document's rules, in both languages (as the server says it). ----

const FORMAT_LABELS = {
  en: { docx: "Word (.docx)", pdf: "PDF", doc: "Word 97–2003 (.doc)", odt: "OpenDocument (.odt)", rtf: "RTF (.rtf)" },
  fr: { docx: "Word (.docx)", pdf: "PDF", doc: "Word 97-2003 (.doc)", odt: "OpenDocument (.odt)", rtf: "RTF (.rtf)" },
};
const NAMING = {
  en: {
    both: "Name your file so that it contains the vacancy reference {reference} and the words “{phrase}”, for example “{example}”. Capital letters do not matter, and spaces, underscores (_), hyphens (-) and full stops (.) all count as separators. The reference must stand on its own, not run into other digits, and the words must appear together, in that order.",
    reference: "Name your file so that it contains the vacancy reference {reference}, for example “{example}”. Spaces, underscores (_), hyphens (-) and full stops (.) all count as separators, and the reference must stand on its own, not run into other digits.",
    phrase: "Name your file so that it contains the words “{phrase}”, for example “{example}”. Capital letters do not matter, and spaces, underscores (_), hyphens (-) and full stops (.) all count as separators; the words must appear together, in that order.",
  },
  fr: {
    both: "Nommez votre fichier de sorte qu’il contienne la référence du poste, {reference}, et les mots « {phrase} », par exemple « {example} ». Les majuscules n’ont pas d’importance, et les espaces, traits de soulignement (_), traits d’union (-) et points (.) comptent tous comme séparateurs. La référence doit être isolée, sans autre chiffre accolé, et les mots doivent se suivre, dans cet ordre.",
    reference: "Nommez votre fichier de sorte qu’il contienne la référence du poste, {reference}, par exemple « {example} ». Les espaces, traits de soulignement (_), traits d’union (-) et points (.) comptent tous comme séparateurs, et la référence doit être isolée, sans autre chiffre accolé.",
    phrase: "Nommez votre fichier de sorte qu’il contienne les mots « {phrase} », par exemple « {example} ». Les majuscules n’ont pas d’importance, et les espaces, traits de soulignement (_), traits d’union (-) et points (.) comptent tous comme séparateurs ; les mots doivent se suivre, dans cet ordre.",
  },
};

function fill(template, params) {
  return Object.entries(params).reduce((s, [k, v]) => s.split(`{${k}}`).join(v), template);
}

/** The rule text candidates will read for `doc` of vacancy `reference`, in `lang`. */
export function ruleText(doc, reference, lang) {
  const formats = doc.formats?.length ? doc.formats : FORMATS;
  const labels = formats.map((f) => FORMAT_LABELS[lang][f] || f);
  const or = lang === "fr" ? " ou " : " or ";
  const list = labels.length > 1 ? `${labels.slice(0, -1).join(", ")}${or}${labels[labels.length - 1]}` : labels[0];
  let text = lang === "fr" ? `Format : ${list}.` : `Format: ${list}.`;
  const paper = doc.paper ? ` ${doc.paper}` : "";
  if (doc.max_pages) {
    const n = doc.max_pages;
    if (lang === "fr") text += n === 1 ? ` Une page${paper} au maximum.` : ` ${n} pages${paper} au maximum.`;
    else text += n === 1 ? ` At most 1${paper} page.` : ` At most ${n}${paper} pages.`;
  } else if (doc.paper) {
    text += lang === "fr" ? ` Format de papier ${doc.paper}.` : ` ${doc.paper} paper.`;
  }
  const bytes = doc.max_bytes || 0;
  const mb = bytes >= 1024 * 1024;
  const amount = (bytes / (mb ? 1024 * 1024 : 1024)).toFixed(1).replace(/\.0$/, "");
  text += lang === "fr" ? ` ${amount} ${mb ? "Mo" : "ko"} au maximum.` : ` At most ${amount} ${mb ? "MB" : "kB"}.`;
  const ref = doc.filename_must_include_reference ? (reference || "").trim() : "";
  const phrase = (doc.filename_phrase || "").trim();
  if (ref || phrase) {
    const example = `${[ref, phrase].filter(Boolean).join(" ") || "essay"}.${formats[0]}`;
    const which = ref && phrase ? "both" : ref ? "reference" : "phrase";
    text += ` ${fill(NAMING[lang][which], { reference: ref, phrase, example })}`;
  }
  return text;
}

// ---- Small builders ----

let uid = 0;
const nextId = (stem) => `${stem}-${++uid}`;

function field(labelText, input, hint) {
  const id = input.id || (input.id = nextId("f"));
  const hintNode = hint ? el("p", { class: "hint", id: `${id}-hint` }, hint) : null;
  if (hintNode) input.setAttribute("aria-describedby", hintNode.id);
  return el("div", { class: "field" }, el("label", { for: id }, labelText), input, hintNode);
}

function evidenceNote(sentence) {
  if (!sentence) return null;
  return el("p", { class: "evidence" }, el("span", { class: "evidence-label" }, t("av_from_notice")), " ",
    el("q", { lang: "en" }, sentence));
}

function lines(text) { return (text || "").split("\n").map((l) => l.trim()).filter(Boolean); }

function blankDocument(kind) {
  const presets = {
    "key-challenges": { title_en: "Key challenges essay", title_fr: "Texte sur les principaux défis", filename_phrase: "Key challenges", filename_must_include_reference: true },
    "cover-letter": { title_en: "Cover letter", title_fr: "Lettre de motivation", filename_phrase: null, filename_must_include_reference: false },
    cv: { title_en: "Curriculum vitae (CV)", title_fr: "Curriculum vitae (CV)", filename_phrase: null, filename_must_include_reference: false },
  };
  return {
    kind, title_en: "", title_fr: "", formats: ["docx", "pdf"], max_pages: null, paper: null,
    filename_phrase: null, filename_must_include_reference: false, max_bytes: 10 * 1024 * 1024,
    severities: Object.fromEntries(SEVERITY_RULES.map((r) => [r, "blocking"])),
    ...(presets[kind] || {}),
  };
}

/** A vacancy as the form edits it (the API's input shape), with defaults filled in. */
export function normalise(v = {}) {
  const rules = v.rules || {};
  return {
    reference: v.reference || rules.reference || "",
    title_en: v.title_en || "", title_fr: v.title_fr || "",
    notice_text: v.notice_text || "", key_challenges: v.key_challenges || [], posts: v.posts || [],
    status: v.status || "draft", opens_at: v.opens_at ?? null,
    assessors_see_before_deadline: Boolean(v.assessors_see_before_deadline),
    reminder_hours: Array.isArray(v.reminder_hours) ? v.reminder_hours : [72, 24],
    rules: {
      ...rules,
      reference: v.reference || rules.reference || "",
      deadline: rules.deadline ?? null,
      time_zone: rules.time_zone || "Europe/Brussels",
      grace_seconds: rules.grace_seconds ?? 120,
      documents: (rules.documents || []).map((d) => ({ ...blankDocument(d.kind), ...d,
        severities: { ...blankDocument(d.kind).severities, ...(d.severities || {}) } })),
      eligibility: rules.eligibility || [],
      post_codes: rules.post_codes || [],
    },
  };
}

/** The form. `evidence` maps fields (reference, title, posts, deadline, key_challenges) to the
 *  sentence they came from; `documentEvidence[i]` does the same for document i. */
export function vacancyForm(initial, { evidence = {}, documentEvidence = [], isNew = true } = {}) {
  const root = el("div", { class: "vacancy-form" });
  let value = normalise(initial);
  let referenceLocked = !isNew;
  let docEvidence = documentEvidence;
  let readers = [];
  const docSlots = new Map();

  function render() {
    clear(root);
    readers = [];
    docSlots.clear();
    root.append(general(), deadlineSection(), candidatesSection(), documentsSection(), noticeSection(), jsonSection());
  }

  function general() {
    const reference = el("input", { type: "text", id: "vf-reference", value: value.reference, required: true,
      autocomplete: "off", pattern: "[A-Za-z0-9_-]{1,64}", readonly: referenceLocked });
    const titleEn = el("input", { type: "text", id: "vf-title-en", value: value.title_en, required: true, lang: "en" });
    const titleFr = el("input", { type: "text", id: "vf-title-fr", value: value.title_fr, required: true, lang: "fr" });
    const posts = el("textarea", { id: "vf-posts", rows: "3", class: "plain" });
    posts.value = value.posts.join("\n");
    const status = el("select", { id: "vf-status" }, ["draft", "open", "closed"].map((s) =>
      el("option", { value: s, selected: value.status === s }, t(`status_${s}`))));
    reference.addEventListener("input", () => { value.reference = reference.value.trim(); refreshPreviews(); });
    readers.push(() => {
      value.reference = reference.value.trim();
      value.title_en = titleEn.value.trim();
      value.title_fr = titleFr.value.trim();
      value.posts = lines(posts.value);
      value.status = status.value;
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(value.reference)) return [reference, t("av_err_reference")];
      if (!value.title_en) return [titleEn, t("av_err_required")];
      if (!value.title_fr) return [titleFr, t("av_err_required")];
      return null;
    });
    return el("section", { class: "card", "aria-labelledby": "vf-h-general" },
      el("h2", { id: "vf-h-general" }, t("av_sec_general")),
      field(t("reference"), reference, referenceLocked ? t("av_reference_locked") : t("av_reference_hint")),
      evidenceNote(evidence.reference),
      field(t("av_title_en"), titleEn), evidenceNote(evidence.title),
      field(t("av_title_fr"), titleFr, t("av_title_fr_hint")),
      field(t("av_posts"), posts, t("av_posts_hint")), evidenceNote(evidence.posts),
      field(t("av_status"), status, t("av_status_hint")));
  }

  function deadlineSection() {
    const zone = el("input", { type: "text", id: "vf-zone", value: value.rules.time_zone, list: "vf-zones", autocomplete: "off" });
    const zones = el("datalist", { id: "vf-zones" }, ZONES.map((z) => el("option", { value: z })));
    const local = el("input", { type: "datetime-local", id: "vf-deadline", step: "1",
      value: utcToZoned(value.rules.deadline, value.rules.time_zone) });
    const utc = el("output", { id: "vf-deadline-utc", for: "vf-deadline vf-zone", class: "utc", "aria-live": "polite" });
    const grace = el("input", { type: "number", id: "vf-grace", min: "0", max: "3600", step: "1", value: String(value.rules.grace_seconds) });
    const showUtc = () => {
      if (!validZone(zone.value.trim())) { utc.textContent = t("av_zone_unknown"); return; }
      const at = zonedToUtc(local.value, zone.value.trim());
      utc.textContent = at ? t("av_deadline_utc", { utc: at.toISOString().replace(".000Z", "Z").replace("T", " ").replace("Z", " UTC") }) : t("av_no_deadline");
    };
    zone.addEventListener("input", showUtc);
    local.addEventListener("input", showUtc);
    showUtc();
    readers.push(() => {
      const tz = zone.value.trim();
      if (!validZone(tz)) return [zone, t("av_zone_unknown")];
      value.rules.time_zone = tz;
      value.rules.deadline = local.value ? zonedToUtc(local.value, tz)?.toISOString() ?? null : null;
      if (local.value && !value.rules.deadline) return [local, t("av_err_deadline")];
      const g = Number(grace.value);
      if (!Number.isInteger(g) || g < 0 || g > 3600) return [grace, t("av_err_grace")];
      value.rules.grace_seconds = g;
      return null;
    });
    return el("section", { class: "card", "aria-labelledby": "vf-h-deadline" },
      el("h2", { id: "vf-h-deadline" }, t("av_sec_deadline")),
      field(t("av_zone"), zone, t("av_zone_hint")), zones,
      field(t("av_deadline_local"), local, t("av_deadline_hint")), utc, evidenceNote(evidence.deadline),
      field(t("av_grace"), grace, t("av_grace_hint")));
  }

  function candidatesSection() {
    const boxes = ELIGIBILITY.map((id) => {
      const input = el("input", { type: "checkbox", id: `vf-elig-${id}`, value: id, checked: value.rules.eligibility.includes(id) });
      return [input, el("div", { class: "check" }, input, el("label", { for: input.id }, t(`av_elig_${id}`)))];
    });
    const challenges = el("textarea", { id: "vf-challenges", rows: "5", class: "plain", lang: "en" });
    challenges.value = value.key_challenges.join("\n");
    const early = el("input", { type: "checkbox", id: "vf-early", checked: value.assessors_see_before_deadline });
    const reminders = el("input", { type: "text", id: "vf-reminders", inputmode: "numeric", value: value.reminder_hours.join(", ") });
    readers.push(() => {
      value.rules.eligibility = boxes.filter(([i]) => i.checked).map(([i]) => i.value);
      value.key_challenges = lines(challenges.value);
      value.assessors_see_before_deadline = early.checked;
      const hours = reminders.value.split(",").map((h) => h.trim()).filter((h) => h !== "");
      if (hours.some((h) => !/^[0-9]+$/.test(h) || Number(h) < 1 || Number(h) > 720)) return [reminders, t("mail_reminder_hours_invalid")];
      value.reminder_hours = hours.map(Number);
      return null;
    });
    return el("section", { class: "card", "aria-labelledby": "vf-h-candidates" },
      el("h2", { id: "vf-h-candidates" }, t("av_sec_candidates")),
      el("fieldset", {}, el("legend", {}, t("av_eligibility")), boxes.map(([, row]) => row)),
      field(t("key_challenges"), challenges, t("av_challenges_hint")), evidenceNote(evidence.key_challenges),
      el("div", { class: "check" }, early, el("label", { for: early.id }, t("av_early"))),
      field(t("mail_reminder_hours_label"), reminders, t("mail_reminder_hours_hint")));
  }

  function documentsSection() {
    const list = el("div", { class: "documents" });
    value.rules.documents.forEach((doc, i) => list.append(documentCard(doc, i)));
    const kind = el("select", { id: "vf-add-kind" },
      ["key-challenges", "cover-letter", "cv", "other"].map((k) => el("option", { value: k }, t(`av_kind_${k}`))));
    const add = el("button", { type: "button", class: "secondary", id: "vf-add-document", onclick: () => {
      readAll();
      let k = kind.value;
      if (k === "other") { let n = 1; while (value.rules.documents.some((d) => d.kind === `document-${n}`)) n += 1; k = `document-${n}`; }
      if (value.rules.documents.some((d) => d.kind === k)) return;
      value.rules.documents.push(blankDocument(k));
      docEvidence = [...docEvidence];
      render();
      document.getElementById(`vf-doc-${value.rules.documents.length - 1}-title-en`)?.focus();
    } }, t("av_add_document"));
    return el("section", { class: "card", "aria-labelledby": "vf-h-documents" },
      el("h2", { id: "vf-h-documents" }, t("av_sec_documents")),
      el("p", { class: "hint" }, t("av_documents_hint")),
      value.rules.documents.length ? null : el("p", {}, t("av_no_documents")),
      list,
      el("div", { class: "add-document" }, field(t("av_add_kind"), kind), add));
  }

  function documentCard(doc, i) {
    const id = (name) => `vf-doc-${i}-${name}`;
    const ev = docEvidence[i] || {};
    const kind = el("input", { type: "text", id: id("kind"), value: doc.kind, pattern: "[a-z0-9-]{1,40}", autocomplete: "off" });
    const titleEn = el("input", { type: "text", id: id("title-en"), value: doc.title_en, lang: "en" });
    const titleFr = el("input", { type: "text", id: id("title-fr"), value: doc.title_fr, lang: "fr" });
    const formatBoxes = FORMATS.map((f) => {
      const input = el("input", { type: "checkbox", id: id(`format-${f}`), value: f, checked: (doc.formats || []).includes(f) });
      return [input, el("div", { class: "check" }, input, el("label", { for: input.id }, FORMAT_LABELS.en[f]))];
    });
    const pages = el("input", { type: "number", id: id("pages"), min: "1", max: "99", step: "1", value: doc.max_pages ?? "" });
    const paper = el("select", { id: id("paper") },
      [["", t("av_paper_any")], ["A4", "A4"], ["Letter", t("av_paper_letter")]].map(([v, label]) =>
        el("option", { value: v, selected: (doc.paper || "") === v }, label)));
    const phrase = el("input", { type: "text", id: id("phrase"), value: doc.filename_phrase || "", lang: "en" });
    const withRef = el("input", { type: "checkbox", id: id("with-ref"), checked: doc.filename_must_include_reference });
    const size = el("input", { type: "number", id: id("size"), min: "0.1", max: "100", step: "0.1",
      value: String(Math.round((doc.max_bytes / (1024 * 1024)) * 10) / 10) });
    const severities = SEVERITY_RULES.map((rule) => {
      const select = el("select", { id: id(`sev-${rule}`) },
        ["blocking", "advisory"].map((s) => el("option", { value: s, selected: (doc.severities?.[rule] || "blocking") === s }, t(`av_sev_${s}`))));
      return [rule, select, field(t(`rule_${rule}`), select)];
    });
    const previewEn = el("p", { lang: "en", id: id("preview-en") });
    const previewFr = el("p", { lang: "fr", id: id("preview-fr") });
    const selfTest = el("div", { class: "self-test", id: id("self-test"), "aria-live": "polite" });
    const read = () => {
      const d = value.rules.documents[i];
      d.kind = kind.value.trim();
      d.title_en = titleEn.value.trim();
      d.title_fr = titleFr.value.trim();
      d.formats = formatBoxes.filter(([b]) => b.checked).map(([b]) => b.value);
      d.max_pages = pages.value === "" ? null : Number(pages.value);
      d.paper = paper.value || null;
      d.filename_phrase = phrase.value.trim() || null;
      d.filename_must_include_reference = withRef.checked;
      d.max_bytes = Math.round(Number(size.value) * 1024 * 1024);
      d.severities = Object.fromEntries(severities.map(([rule, select]) => [rule, select.value]));
      if (!/^[a-z0-9-]{1,40}$/.test(d.kind)) return [kind, t("av_err_kind")];
      if (value.rules.documents.some((o, j) => j !== i && o.kind === d.kind)) return [kind, t("av_err_kind_twice")];
      if (!d.title_en) return [titleEn, t("av_err_required")];
      if (!d.title_fr) return [titleFr, t("av_err_required")];
      if (d.max_pages !== null && (!Number.isInteger(d.max_pages) || d.max_pages < 1)) return [pages, t("av_err_pages")];
      if (!(d.max_bytes > 0)) return [size, t("av_err_size")];
      return null;
    };
    const preview = () => {
      read();
      const d = value.rules.documents[i];
      previewEn.textContent = ruleText(d, value.reference, "en");
      previewFr.textContent = ruleText(d, value.reference, "fr");
    };
    readers.push(read);
    docSlots.set(i, { selfTest, preview, kind: () => value.rules.documents[i].kind });
    const card = el("section", { class: "doc-card", "aria-labelledby": id("h") },
      el("h3", { id: id("h") }, doc.title_en || doc.kind),
      evidenceNote(ev.document),
      el("div", { class: "grid-2" }, field(t("av_doc_title_en"), titleEn), field(t("av_doc_title_fr"), titleFr)),
      field(t("av_doc_kind"), kind, t("av_doc_kind_hint")),
      el("fieldset", {}, el("legend", {}, t("av_formats")), el("div", { class: "checks-row" }, formatBoxes.map(([, row]) => row)),
        el("p", { class: "hint" }, t("av_formats_hint"))),
      evidenceNote(ev.formats),
      el("div", { class: "grid-2" }, field(t("av_max_pages"), pages, t("av_max_pages_hint")), field(t("av_paper"), paper)),
      evidenceNote(ev.max_pages), ev.paper !== ev.max_pages ? evidenceNote(ev.paper) : null,
      el("div", { class: "grid-2" }, field(t("av_phrase"), phrase, t("av_phrase_hint")), field(t("av_size"), size)),
      el("div", { class: "check" }, withRef, el("label", { for: withRef.id }, t("av_with_ref"))),
      evidenceNote(ev.filename_phrase),
      el("fieldset", {}, el("legend", {}, t("av_severities")), el("p", { class: "hint" }, t("av_severities_hint")),
        el("div", { class: "grid-3" }, severities.map(([, , f]) => f))),
      el("div", { class: "preview", role: "group", "aria-labelledby": id("preview-h") },
        el("h4", { id: id("preview-h") }, t("av_preview")),
        el("p", { class: "preview-lang" }, t("av_preview_en")), previewEn,
        el("p", { class: "preview-lang" }, t("av_preview_fr")), previewFr),
      selfTest,
      el("button", { type: "button", class: "danger", onclick: () => {
        readAll();
        value.rules.documents.splice(i, 1);
        docEvidence = docEvidence.filter((_, j) => j !== i);
        render();
        document.getElementById("vf-add-document")?.focus();
      } }, t("av_remove_document", { name: doc.title_en || doc.kind })));
    card.addEventListener("input", preview);
    card.addEventListener("change", preview);
    preview();
    return card;
  }

  function noticeSection() {
    const notice = el("textarea", { id: "vf-notice", rows: "10", class: "plain", lang: "en" });
    notice.value = value.notice_text;
    readers.push(() => { value.notice_text = notice.value; return null; });
    return el("section", { class: "card", "aria-labelledby": "vf-h-notice" },
      el("h2", { id: "vf-h-notice" }, t("av_sec_notice")),
      field(t("av_notice_text"), notice, t("av_notice_hint")));
  }

  function jsonSection() {
    const area = el("textarea", { id: "vf-json", rows: "14", spellcheck: "false" });
    const out = el("div", { "aria-live": "polite" });
    const refresh = () => { const r = readAll(); if (!r.error) area.value = JSON.stringify(value, null, 2); };
    const details = el("details", { class: "card advanced" },
      el("summary", {}, t("av_json_title")),
      el("p", { class: "hint" }, t("av_json_hint")),
      field(t("av_json_label"), area),
      el("div", { class: "actions" },
        el("button", { type: "button", class: "secondary", onclick: () => { clear(out); refresh(); } }, t("av_json_refresh")),
        el("button", { type: "button", class: "secondary", id: "vf-json-download", onclick: () => {
          refresh();
          const blob = new Blob([area.value], { type: "application/json" });
          const a = el("a", { href: URL.createObjectURL(blob), download: `${value.reference || "vacancy"}.json` });
          document.body.append(a); a.click(); a.remove();
        } }, t("av_json_download")),
        el("button", { type: "button", class: "secondary", id: "vf-json-load", onclick: () => {
          clear(out);
          let parsed;
          try { parsed = JSON.parse(area.value); } catch (e) { out.append(alertBox(jsonError(area.value, e))); return; }
          const problem = checkShape(parsed);
          if (problem) { out.append(alertBox(problem)); return; }
          value = normalise(parsed);
          if (referenceLocked) value.reference = initial.reference;
          docEvidence = [];
          render();
          const note = noticeBox(t("av_json_loaded"));
          root.querySelector(".advanced")?.setAttribute("open", "");
          root.querySelector(".advanced")?.append(note);
        } }, t("av_json_load"))),
      out);
    details.addEventListener("toggle", () => { if (details.open && !area.value) refresh(); });
    return details;
  }

  function readAll() {
    for (const node of root.querySelectorAll("[aria-invalid]")) node.removeAttribute("aria-invalid");
    for (const read of readers) {
      const problem = read();
      if (problem) {
        const [input, message] = problem;
        input.setAttribute("aria-invalid", "true");
        const label = root.querySelector(`label[for="${input.id}"]`)?.textContent || input.id;
        return { error: t("av_err_field", { field: label, message }), input };
      }
    }
    return { value };
  }

  function refreshPreviews() { for (const slot of docSlots.values()) slot.preview(); }

  render();
  return {
    node: root,
    /** The form's value, or the first field in error (named) with focus moved to it. */
    read() {
      const r = readAll();
      if (r.error) r.input.focus();
      return r;
    },
    lockReference() { referenceLocked = true; readAll(); render(); },
    /** Shows the self-test beside each document it concerns (or, with no document, at `fallback`). */
    showSelfTest(selfTest, fallback) {
      for (const slot of docSlots.values()) {
        clear(slot.selfTest);
        const findings = selfTest.findings.filter((f) => f.document === slot.kind());
        if (!findings.length) slot.selfTest.append(noticeBox(t("av_self_test_doc_ok")));
        else slot.selfTest.append(alertBox(el("p", {}, t("self_test_bad")), el("ul", {}, findings.map(findingItem))));
      }
      const orphans = selfTest.findings.filter((f) => ![...docSlots.values()].some((s) => s.kind() === f.document));
      if (orphans.length && fallback) fallback.append(alertBox(el("ul", {}, orphans.map(findingItem))));
    },
  };
}

function findingItem(f) {
  return el("li", {}, t("av_finding", { sample: f.sample, expected: f.expected, got: f.got }),
    f.failing_rules.length ? el("span", { lang: "en" }, ` ${f.failing_rules.join("; ")}`) : null);
}

/** "Unexpected token } in JSON at position 30198" → which line and column, and the line itself. */
function jsonError(text, e) {
  const m = /position (\d+)/.exec(e.message) || /column (\d+)/.exec(e.message);
  let where = "";
  if (m && /position/.test(m[0])) {
    const before = text.slice(0, Number(m[1]));
    const line = before.split("\n").length;
    const column = before.length - before.lastIndexOf("\n");
    where = t("av_json_where", { line, column, text: text.split("\n")[line - 1]?.trim().slice(0, 80) ?? "" });
  }
  return `${t("av_json_bad")} ${where}`.trim();
}

/** The first field of a pasted vacancy whose type is wrong, named by its path. */
function checkShape(v) {
  const bad = (path, want) => t("av_json_field", { path, want });
  if (typeof v !== "object" || v === null || Array.isArray(v)) return bad("(top)", "{…}");
  for (const k of ["reference", "title_en", "title_fr", "notice_text", "status"]) {
    if (v[k] !== undefined && typeof v[k] !== "string") return bad(k, "text");
  }
  for (const k of ["key_challenges", "posts"]) {
    if (v[k] !== undefined && !(Array.isArray(v[k]) && v[k].every((x) => typeof x === "string"))) return bad(k, "[text]");
  }
  if (v.status !== undefined && !["draft", "open", "closed"].includes(v.status)) return bad("status", "draft | open | closed");
  const r = v.rules;
  if (r === undefined) return null;
  if (typeof r !== "object" || r === null) return bad("rules", "{…}");
  if (r.deadline != null && Number.isNaN(Date.parse(r.deadline))) return bad("rules.deadline", "2026-03-02T22:59:00Z");
  if (r.time_zone !== undefined && !validZone(r.time_zone)) return bad("rules.time_zone", "Europe/Brussels");
  if (r.grace_seconds !== undefined && !Number.isInteger(r.grace_seconds)) return bad("rules.grace_seconds", "0–3600");
  if (r.documents !== undefined && !Array.isArray(r.documents)) return bad("rules.documents", "[…]");
  for (const [i, d] of (r.documents || []).entries()) {
    const p = `rules.documents[${i}]`;
    if (typeof d !== "object" || d === null) return bad(p, "{…}");
    if (typeof d.kind !== "string") return bad(`${p}.kind`, "text");
    if (d.formats !== undefined && !(Array.isArray(d.formats) && d.formats.every((f) => FORMATS.includes(f)))) return bad(`${p}.formats`, FORMATS.join(", "));
    if (d.max_pages != null && !(Number.isInteger(d.max_pages) && d.max_pages > 0)) return bad(`${p}.max_pages`, "1, 2, …");
    if (d.max_bytes !== undefined && !(Number.isInteger(d.max_bytes) && d.max_bytes > 0)) return bad(`${p}.max_bytes`, "bytes");
    if (d.paper != null && !["A4", "Letter"].includes(d.paper)) return bad(`${p}.paper`, "A4 | Letter");
  }
  return null;
}

/** Creates (POST) or replaces (PUT) the vacancy; resolves to the server's answer. */
/** The admin said no to publishing with a past deadline: nothing was saved. */
class NotPublished extends Error {}

const problemIs = (e, slug) => e instanceof ProblemError && (e.problem?.type || "").endsWith(`/${slug}`);

export async function saveVacancy(value, isNew, originalReference) {
  const body = { ...value, rules: { ...value.rules, reference: value.reference } };
  const put = () => (isNew ? send("POST", "/api/admin/vacancies", body)
    : send("PUT", `/api/admin/vacancies/${encodeURIComponent(originalReference)}`, body));
  try {
    return await put();
  } catch (e) {
    // The server refuses to publish a past deadline without a word: ask, then say it.
    if (!problemIs(e, "deadline-in-past")) throw e;
    const sure = await confirmAction({ id: "confirm-past-deadline", title: t("av_past_deadline_title"),
      question: t("av_past_deadline_question", { when: localTime(e.problem.deadline) }), yes: t("av_publish_anyway") });
    if (!sure) throw new NotPublished();
    body.publish_past_deadline = true;
    return put();
  }
}

/** The outcome of a save: saved, and whether the self-test passed. */
export function savedMessage(saved) {
  return saved.self_test.passed ? noticeBox(t("av_saved"), " ", t("self_test_ok")) : alertBox(t("av_saved"), " ", t("self_test_bad"));
}

export function errorMessage(e) {
  if (e instanceof NotPublished) return noticeBox(t("av_not_published"));
  if (problemIs(e, "vacancy-exists") && e.problem.reference) {
    return alertBox(problemText(e), " ", el("a", { href: `/admin/vacancy?ref=${encodeURIComponent(e.problem.reference)}`, id: "existing-vacancy" },
      t("av_open_existing", { reference: e.problem.reference })));
  }
  return alertBox(e instanceof ProblemError ? problemText(e) : String(e?.message || e));
}
