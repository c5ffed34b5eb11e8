import { get, send, ProblemError } from "../api.js";
import { alertBox, clear, el, noticeBox, param } from "../dom.js";
import { t } from "../i18n.js";
import { frame } from "../layout.js";

// The server sends the essay as HTML built from the same document its page rule counted, with
// its own escaping; this copies only the expected tags again, so nothing but headings, text,
// emphasis, list markers, tables and the essay's own images (by URL, from this site) can appear.
const ALLOWED = new Set(["H2", "H3", "H4", "H5", "P", "SPAN", "STRONG", "EM", "U", "UL", "LI", "TABLE", "TR", "TD", "BR", "IMG"]);
const CLASSES = new Set(["essay-marker", "essay-list", "essay-truncated", "essay-image-missing"]);
function copySafe(node, imageUrls) {
  if (node.nodeType === Node.TEXT_NODE) return document.createTextNode(node.textContent);
  if (node.nodeType !== Node.ELEMENT_NODE || !ALLOWED.has(node.tagName)) return document.createTextNode(node.textContent || "");
  if (node.tagName === "IMG") {
    const src = imageUrls[Number(node.getAttribute("data-essay-image"))];
    if (!src) return document.createTextNode("");
    const attrs = { src, alt: "" };
    for (const size of ["width", "height"]) if (/^\d{1,4}$/.test(node.getAttribute(size) || "")) attrs[size] = node.getAttribute(size);
    return el("img", attrs);
  }
  const copy = document.createElement(node.tagName);
  const cls = node.getAttribute("class");
  if (cls && CLASSES.has(cls)) copy.className = cls;
  const span = node.getAttribute("colspan");
  if (node.tagName === "TD" && /^\d{1,2}$/.test(span || "")) copy.setAttribute("colspan", span);
  for (const child of node.childNodes) copy.append(copySafe(child, imageUrls));
  return copy;
}

frame(async (main, s) => {
  if (s.account?.role !== "assessor") { location.href = "/login"; return; }
  const id = param("version");
  const reading = await get(`/api/assessor/essays/${encodeURIComponent(id)}`);
  main.append(el("h1", {}, `${reading.candidate_code} — ${reading.document_kind}`));
  const facts = reading.facts;
  main.append(el("p", { class: "muted" }, `${facts.format} · ${t("page_count")}: ${facts.pages ?? "—"} · ${facts.paper ?? ""}`),
    reading.flags.length ? el("ul", { class: "flag" }, reading.flags.map((f) => el("li", {}, f.message))) : null);
  const body = el("article", { class: "essay", id: "essay-text" });
  if (reading.html !== null) {
    const parsed = new DOMParser().parseFromString(`<div>${reading.html}</div>`, "text/html").body.firstChild;
    for (const child of parsed.childNodes) body.append(copySafe(child, reading.image_urls || []));
  }
  main.append(body, el("p", {}, el("a", { href: reading.file_url, target: "_blank", rel: "noopener" }, t("download_original"))));

  const out = el("div", { "aria-live": "polite" });
  const form = el("form", { id: "score-form" }, el("h2", {}, t("score")),
    reading.rubric.map((c) => el("div", {}, el("label", { for: `mark-${c.id}` }, `${c.title} (×${c.weight})`), el("p", { class: "muted" }, c.descriptor),
      el("select", { id: `mark-${c.id}`, name: c.id }, [1, 2, 3, 4, 5].map((n) => el("option", { value: String(n) }, String(n)))))),
    el("label", { for: "comment" }, t("comment")), el("textarea", { id: "comment" }),
    el("button", { type: "submit", class: "primary", id: "submit-score" }, t("submit_score")), out);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clear(out);
    const marks = Object.fromEntries(reading.rubric.map((c) => [c.id, Number(form.querySelector(`#mark-${c.id}`).value)]));
    try {
      await send("POST", `/api/assessor/applications/${reading.application_id}/score`, { marks, comment: form.querySelector("#comment").value });
      out.append(noticeBox(t("scored")));
      const scores = await get(`/api/assessor/applications/${reading.application_id}/scores`);
      out.append(el("h3", {}, t("others_scores")), el("ul", {}, scores.map((x) => el("li", {}, `${x.assessor}: ${x.weighted_mean.toFixed(2)}`))));
    } catch (e) { out.append(alertBox(e instanceof ProblemError ? e.message : t("error"))); }
  });
  const conflict = el("form", {}, el("label", { for: "reason" }, t("conflict_reason")), el("input", { type: "text", id: "reason" }),
    el("button", { type: "submit", class: "secondary" }, t("conflict")));
  conflict.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    await send("POST", `/api/assessor/applications/${reading.application_id}/conflict`, { reason: conflict.querySelector("#reason").value });
    location.href = "/assess";
  });
  main.append(el("div", { class: "card" }, form), el("div", { class: "card" }, el("h2", {}, t("conflict")), conflict));
});
