import { get, ProblemError, send } from "../api.js";
import { alertBox, clear, el, noticeBox, param } from "../dom.js";
import { addTables, lang, locale, t } from "../i18n.js";
import { frame, localTime, problemText } from "../layout.js";
import { flagText } from "../flags.js";
import assessTables from "../i18n/assess.js";

addTables(assessTables);

// The server sends a .docx as HTML built from the same document its page rule counted, with its
// own escaping; this copies only the expected tags again, so nothing but headings, text,
// emphasis, lists, tables and the essay's own images (by URL, from this site) can appear.
const ALLOWED = new Set(["H2", "H3", "H4", "H5", "H6", "P", "SPAN", "STRONG", "EM", "U", "SUP", "UL", "OL", "LI",
  "TABLE", "THEAD", "TBODY", "TR", "TH", "TD", "BR", "HR", "IMG"]);
const CLASSES = new Set(["essay-marker", "essay-list", "essay-truncated", "essay-image-missing", "essay-notes"]);

/** Copies the essay's markup. Its headings are renumbered to follow the page's own (h2 "The
 *  essay", then h3…): never a level skipped, whatever levels the document used. */
function copier(imageUrls, sourceLevels) {
  const ranks = [...new Set(sourceLevels)].sort();
  const state = { previous: 2, tables: 0 };
  const copy = (node) => {
    if (node.nodeType === Node.TEXT_NODE) return document.createTextNode(node.textContent);
    if (node.nodeType !== Node.ELEMENT_NODE || !ALLOWED.has(node.tagName)) return document.createTextNode(node.textContent || "");
    if (node.tagName === "IMG") {
      const src = imageUrls[Number(node.getAttribute("data-essay-image"))];
      if (!src) return document.createTextNode("");
      const attrs = { src, alt: "" };
      for (const size of ["width", "height"]) if (/^\d{1,4}$/.test(node.getAttribute(size) || "")) attrs[size] = node.getAttribute(size);
      return el("img", attrs);
    }
    let tag = node.tagName;
    if (/^H[2-6]$/.test(tag)) {
      const level = Math.min(6, 3 + ranks.indexOf(Number(tag[1])), state.previous + 1);
      state.previous = level;
      tag = `H${level}`;
    }
    const out = document.createElement(tag);
    const cls = node.getAttribute("class");
    if (cls && CLASSES.has(cls)) out.className = cls;
    const span = node.getAttribute("colspan");
    if ((tag === "TD" || tag === "TH") && /^\d{1,2}$/.test(span || "")) out.setAttribute("colspan", span);
    if (tag === "TH") out.setAttribute("scope", "col");
    for (const child of node.childNodes) out.append(copy(child));
    if (tag === "TABLE") {
      // Wide tables scroll inside their own focusable region on a phone.
      state.tables += 1;
      return el("div", { class: "table-wrap essay-table", tabindex: "0", role: "region", "aria-label": t("as_essay_table", { n: state.tables }) }, out);
    }
    return out;
  };
  return copy;
}

function essayHtml(html, imageUrls) {
  const parsed = new DOMParser().parseFromString(`<div>${html}</div>`, "text/html").body.firstChild;
  const levels = [...parsed.querySelectorAll("h2, h3, h4, h5, h6")].map((h) => Number(h.tagName[1]));
  const copy = copier(imageUrls, levels);
  return [...parsed.childNodes].map(copy);
}

/** Each page of the PDF drawn on a canvas by pdf.js (vendored, same origin, no eval, no scripts). */
async function showPdf(container, url) {
  const status = el("p", { class: "muted", role: "status" }, t("as_pdf_loading"));
  container.append(status);
  try {
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok) {
      const problem = (response.headers.get("content-type") || "").includes("json") ? await response.json() : {};
      throw new ProblemError(problem, response.status);
    }
    const data = new Uint8Array(await response.arrayBuffer());
    const pdfjs = await import("/vendor/pdfjs/pdf.min.mjs");
    pdfjs.GlobalWorkerOptions.workerSrc = "/vendor/pdfjs/pdf.worker.min.mjs";
    const pdf = await pdfjs.getDocument({ data, isEvalSupported: false, enableXfa: false, disableAutoFetch: true }).promise;
    const width = Math.max(280, Math.min(container.clientWidth || 800, 900));
    const ratio = window.devicePixelRatio || 1;
    const pages = el("div", { class: "pdf-pages" });
    for (let n = 1; n <= pdf.numPages; n += 1) {
      const page = await pdf.getPage(n);
      const base = page.getViewport({ scale: 1 });
      const viewport = page.getViewport({ scale: (width / base.width) * ratio });
      const canvas = el("canvas", { class: "pdf-page", role: "img", "aria-label": t("as_pdf_page", { n, m: pdf.numPages }),
        width: String(Math.floor(viewport.width)), height: String(Math.floor(viewport.height)), "data-page": String(n) });
      pages.append(canvas);
      await page.render({ canvasContext: canvas.getContext("2d"), viewport }).promise;
    }
    status.replaceWith(el("p", { class: "muted" }, t("as_pdf_note")), pages);
  } catch (e) {
    console.error(e);
    status.replaceWith(alertBox(t("as_pdf_failed"), " ", e instanceof ProblemError ? problemText(e) : ""));
  }
}

function criterionText(c, field) {
  const fr = lang() === "fr" ? c[`${field}_fr`] : null;
  return fr ? { text: fr, lang: null } : { text: c[field] || "", lang: lang() === "fr" ? "en" : null };
}

function levelsOf(c) {
  if (lang() === "fr" && c.levels_fr?.length === 5) return { levels: c.levels_fr, lang: null };
  return { levels: c.levels?.length === 5 ? c.levels : [], lang: lang() === "fr" ? "en" : null };
}

const number2 = (x) => new Intl.NumberFormat(locale(), { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(x);

function pagesText(pages) {
  if (pages === null || pages === undefined) return t("as_pages_unknown");
  return pages === 1 ? t("as_pages_1") : t("as_pages_n", { n: pages });
}

function kindText(kind) {
  const key = `as_kind_${kind.replace(/-/g, "_")}`;
  const text = t(key);
  return text === key ? el("span", { lang: "en" }, kind) : text;
}

frame(async (main, s) => {
  if (s.account?.role !== "assessor") { location.href = "/login"; return; }
  const id = param("version");
  const reading = await get(`/api/assessor/essays/${encodeURIComponent(id)}`);
  main.append(el("h1", {}, `${reading.candidate_code} — `, kindText(reading.document_kind)));
  const facts = reading.facts;
  main.append(el("p", { class: "muted" }, t("as_facts", { format: (facts.format || "").toUpperCase(), pages: pagesText(facts.pages), paper: facts.paper ?? "" })));
  if (reading.flags.length) {
    main.append(el("ul", { class: "flag", id: "essay-flags" }, reading.flags.map((f) => el("li", {}, flagText(f)))));
  }

  // The essay and the score side by side on a wide screen (the essay scrolls with the page, the
  // rubric stays in view beside it); one above the other on a narrow one.
  const body = el("article", { class: "essay", id: "essay-text", tabindex: "0", "aria-labelledby": "essay-heading" });
  const download = el("p", {}, el("a", { href: reading.file_url, id: "download-essay" }, t("as_download")));
  const side = el("div", { class: "score-side" });
  main.append(el("div", { class: "reading" }, el("section", { class: "essay-section" }, el("h2", { id: "essay-heading" }, t("as_essay")), body, download), side));
  if (reading.html !== null && reading.html !== undefined) {
    if (reading.html.trim()) body.append(...essayHtml(reading.html, reading.image_urls || []));
    else body.append(el("p", {}, t("as_cannot_show")));
  } else if (reading.format === "pdf") {
    body.classList.add("essay-pdf");
    await showPdf(body, reading.file_url);
  } else {
    body.append(el("p", {}, t("as_format_not_shown")));
  }

  // The score: every criterion starts "not scored"; a saved score is shown and kept.
  const queue = await essayQueue(reading);
  side.append(scoreCard(reading, queue), conflictCard(reading));
});

/** The panel's essays of this vacancy, for "scored n of m" and the next essay to read: the next
 *  one in the list not yet scored by this assessor (after this one, then from the top), else none. */
async function essayQueue(reading) {
  let essays = [];
  try { essays = await get(`/api/assessor/vacancies/${encodeURIComponent(reading.reference)}/essays`); } catch { return null; }
  const here = essays.findIndex((e) => e.version_id === reading.version_id);
  const after = [...essays.slice(here + 1), ...essays.slice(0, Math.max(0, here))];
  return {
    total: essays.length,
    scored: (justScored) => essays.filter((e) => e.scored_by_me || (justScored && e.version_id === reading.version_id)).length,
    next: after.find((e) => !e.scored_by_me) || null,
  };
}

function scoreCard(reading, queue) {
  const status = el("div", { id: "score-status" });
  const errors = el("div", { id: "score-errors" });
  const history = el("div", { id: "score-history" });
  const others = el("div", { id: "panel-scores" });
  const mine = reading.my_score;
  // Each criterion is a row of five levels to click, each saying what it means: the grid of a
  // marking rubric, read at a glance, and a radio group for the keyboard (arrows move the mark).
  const fields = reading.rubric.map((c) => {
    const title = criterionText(c, "title");
    const descriptor = criterionText(c, "descriptor");
    const { levels, lang: levelLang } = levelsOf(c);
    const name = `mark-${c.id}`;
    const radios = [1, 2, 3, 4, 5].map((n) => el("input", { type: "radio", name, value: String(n), id: `${name}-${n}`,
      checked: mine?.marks?.[c.id] === n }));
    const group = el("fieldset", { class: "criterion levels", id: name, "aria-describedby": `desc-${c.id}` },
      el("legend", {}, el("span", { lang: title.lang }, title.text), " ", el("span", { class: "muted" }, `(${t("as_weight", { w: c.weight })})`)),
      el("p", { class: "muted", id: `desc-${c.id}`, lang: descriptor.lang }, descriptor.text),
      el("div", { class: "level-grid" }, radios.map((radio, i) => el("label", { class: "level", for: radio.id },
        radio, el("span", { class: "level-n" }, String(i + 1)),
        levels.length ? el("span", { class: "level-text", lang: levelLang }, levels[i]) : null))));
    const value = () => radios.find((r) => r.checked)?.value || "";
    const mark = (invalid) => { for (const r of radios) if (invalid) r.setAttribute("aria-invalid", "true"); else r.removeAttribute("aria-invalid"); };
    group.addEventListener("change", () => { mark(false); group.dataset.value = value(); });
    group.dataset.value = value();
    return { c, title, group, radios, value, mark };
  });
  const comment = el("textarea", { id: "comment", rows: "4" });
  comment.value = mine?.comment ?? "";
  const submit = el("button", { type: "submit", class: "primary", id: "submit-score" }, mine ? t("as_save_again") : t("as_save"));
  const nextEssay = queue?.next;
  const submitNext = nextEssay ? el("button", { type: "submit", class: "secondary", id: "submit-score-next", "data-next": nextEssay.version_id },
    t("as_save_next"), el("span", { class: "sr-only" }, ` — ${nextEssay.candidate_code}`)) : null;
  const progress = el("p", { class: "progress-line", id: "essay-progress" });
  const showProgress = (justScored) => {
    if (!queue) return;
    clear(progress).append(t("as_progress", { n: queue.scored(justScored), m: queue.total }), " · ",
      nextEssay ? el("a", { href: `/essay?version=${encodeURIComponent(nextEssay.version_id)}`, id: "next-essay" }, t("as_next_essay", { code: nextEssay.candidate_code }))
        : el("a", { href: "/assess", id: "back-to-list" }, t("as_back_to_list")));
  };
  showProgress(Boolean(mine));
  const form = el("form", { id: "score-form", novalidate: true },
    fields.map((f) => f.group), el("label", { for: "comment" }, t("as_comment")), comment, errors,
    el("div", { class: "actions" }, submit, submitNext));

  const showSaved = (score, justSaved) => {
    clear(status);
    if (!score) return;
    const time = localTime(score.submitted_at);
    status.append(justSaved ? noticeBox(t("as_saved", { n: score.revision, time }), " ", t("as_weighted", { mean: number2(score.weighted_mean) }))
      : el("p", { class: "notice", id: "saved-score" }, t("as_saved_before", { n: score.revision, time })));
  };
  const showHistory = (list) => {
    clear(history);
    const earlier = (list || []).slice(1);
    if (!earlier.length) return;
    history.append(el("details", {}, el("summary", {}, t("as_history", { n: earlier.length })),
      el("ul", {}, earlier.map((r) => el("li", {}, t("as_history_item", { n: r.revision, time: localTime(r.submitted_at), mean: number2(r.weighted_mean) }),
        r.comment ? el("q", {}, r.comment) : null)))));
  };
  const showOthers = async () => {
    clear(others);
    try {
      const scores = await get(`/api/assessor/applications/${reading.application_id}/scores`);
      let n = 0;
      others.append(el("h3", {}, t("as_panel_scores")), el("ul", {}, scores.map((x) => {
        const who = x.assessor === "you" ? t("as_you") : t("as_assessor_n", { n: (n += 1) });
        return el("li", {}, t("as_score_line", { who, mean: number2(x.weighted_mean) }), x.comment ? el("q", {}, x.comment) : null);
      })));
    } catch { /* others' scores appear once one's own is in */ }
  };
  showSaved(mine, false);
  showHistory(mine?.history);
  if (mine) showOthers();

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clear(errors);
    const thenNext = ev.submitter?.id === "submit-score-next";
    const missing = fields.filter((f) => !f.value());
    for (const f of fields) f.mark(false);
    if (missing.length) {
      for (const f of missing) f.mark(true);
      errors.append(alertBox(t("as_unscored", { list: missing.map((f) => f.title.text).join(", ") })));
      missing[0].radios[0].focus();
      return;
    }
    const marks = Object.fromEntries(fields.map((f) => [f.c.id, Number(f.value())]));
    submit.disabled = true;
    if (submitNext) submitNext.disabled = true;
    try {
      const saved = await send("POST", `/api/assessor/applications/${reading.application_id}/score`, { marks, comment: comment.value });
      // Saved: only now move on, so that a refused save is never left behind unseen.
      if (thenNext && nextEssay) { location.href = `/essay?version=${encodeURIComponent(nextEssay.version_id)}`; return; }
      showSaved(saved, true);
      showProgress(true);
      submit.textContent = t("as_save_again");
      const again = await get(`/api/assessor/essays/${encodeURIComponent(reading.version_id)}`);
      showHistory(again.my_score?.history);
      await showOthers();
    } catch (e) {
      errors.append(alertBox(problemText(e)));
    } finally {
      submit.disabled = false;
      if (submitNext) submitNext.disabled = false;
    }
  });
  return el("section", { class: "card", "aria-labelledby": "score-heading" }, el("h2", { id: "score-heading" }, t("as_your_score")), progress, status, form, history, others);
}

function conflictCard(reading) {
  const out = el("div");
  const reason = el("input", { type: "text", id: "reason" });
  const form = el("form", {}, el("p", { class: "muted" }, t("as_conflict_help")),
    el("label", { for: "reason" }, t("as_conflict_reason")), reason,
    el("button", { type: "submit", class: "secondary" }, t("as_conflict_send")), out);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clear(out);
    try {
      await send("POST", `/api/assessor/applications/${reading.application_id}/conflict`, { reason: reason.value });
      location.href = "/assess";
    } catch (e) { out.append(alertBox(problemText(e))); }
  });
  return el("section", { class: "card", "aria-labelledby": "conflict-heading" }, el("h2", { id: "conflict-heading" }, t("as_conflict")), form);
}
