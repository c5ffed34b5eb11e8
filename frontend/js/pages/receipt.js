import { get } from "../api.js";
import { el, param } from "../dom.js";
import { bytes, locale, pickField, t } from "../i18n.js";
import { frame } from "../layout.js";
import { ruleName, sortedRules, valueText, pagesText } from "../checklist.js";
import { exactTime } from "../when.js";

const ICONS = { pass: "✓", fail: "✗", warn: "!" };

/** The version, its document and its application, from the candidate's own applications: the
 *  document's title in both languages and the checklist's values, which the signed receipt
 *  (English, for as long as it is kept) does not carry. */
async function context(id) {
  try {
    for (const a of await get("/api/applications")) {
      for (const d of a.documents) {
        const version = d.versions.find((v) => v.id === id);
        if (version) return { document: d, version };
      }
    }
  } catch { /* the receipt alone still reads */ }
  return {};
}

frame(async (main) => {
  const id = param("version");
  const [signed, { document, version }] = await Promise.all([get(`/api/versions/${encodeURIComponent(id || "")}/receipt`), context(id)]);
  const r = signed.receipt;
  const exact = new Intl.NumberFormat(locale()).format(r.size_bytes);
  const when = (iso) => {
    const here = exactTime(iso);
    const there = r.time_zone ? exactTime(iso, r.time_zone) : here;
    return el("span", {}, here, there !== here ? [el("br"), t("in_vacancy_zone", { time: there })] : null);
  };
  const docTitle = document ? pickField(document) : (r.document_title || r.document);
  const values = new Map((version?.verdict?.rules || []).map((x) => [x.rule, x]));
  const rows = [
    ["submission", r.submission_id], ["vacancy", r.vacancy_reference], ["document", t("document_version", { doc: docTitle, n: r.version })],
    ["file_name", r.original_filename], ["size", `${bytes(r.size_bytes)} (${t("bytes", { n: exact })})`],
    ["sha256", el("code", { class: "hash" }, r.sha256)],
    ["began", when(r.upload_began_at)],
    ["completed", when(r.upload_completed_at)],
    ["page_count", r.pages ? pagesText(r.pages) : "—"],
    ["verdict", r.verdict === "accept" ? `✓ ${t("verdict_accept")}` : `✗ ${t("verdict_reject")}`],
  ];
  const blob = new Blob([JSON.stringify(signed, null, 2)], { type: "application/json" });
  main.append(
    el("p", { class: "print-only eyebrow" }, `${t("brand")} — ${location.host}`),
    el("h1", {}, t("receipt_title")),
    el("p", { class: "lead" }, t("receipt_intro")),
    el("section", { class: "card receipt" },
      el("dl", { class: "facts" }, rows.map(([k, v]) => el("div", {}, el("dt", {}, t(k)), el("dd", {}, v)))),
      el("h2", {}, t("checklist")),
      el("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": t("checklist") },
        el("table", { class: "checklist" },
          el("thead", {}, el("tr", {}, ["rule", "result", "found"].map((k) => el("th", { scope: "col" }, t(k))))),
          el("tbody", {}, sortedRules(r.rules).map((x) => el("tr", {},
            el("th", { scope: "row" }, ruleName(x.rule)),
            el("td", { class: `status status-${x.status}` }, el("span", { class: "icon", "aria-hidden": "true" }, ICONS[x.status] || "?"), " ", t(`status_${x.status}`)),
            el("td", { class: "value" }, valueText(values.get(x.rule)?.found_value, x.found))))))),
      el("h2", {}, t("signature")),
      el("p", { class: "sig" }, el("code", {}, signed.signature)),
      signed.public_key ? el("p", { class: "sig" }, el("span", { class: "muted small" }, t("public_key")), el("code", {}, signed.public_key)) : null),
    el("p", { class: "no-print actions" },
      el("a", { class: "button secondary", id: "download-json", href: URL.createObjectURL(blob), download: `receipt-${r.submission_id}.json` }, t("download_json")),
      version ? el("a", { class: "button secondary", id: "download-file", href: `/api/versions/${encodeURIComponent(version.id)}/file`, download: "" }, t("download_file")) : null,
      el("button", { type: "button", class: "secondary", id: "print", onclick: () => window.print() }, t("print"))));
});
