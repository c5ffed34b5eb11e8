import { get } from "../api.js";
import { el, param } from "../dom.js";
import { bytes, t } from "../i18n.js";
import { frame } from "../layout.js";

function ruleName(id) { const k = `rule_${id}`; const s = t(k); return s === k ? id : s; }
const ICONS = { pass: "✓", fail: "✗", warn: "!" };

frame(async (main) => {
  const id = param("version");
  const signed = await get(`/api/versions/${encodeURIComponent(id || "")}/receipt`);
  const r = signed.receipt;
  const zone = r.time_zone ? ` (${r.time_zone})` : "";
  const rows = [
    ["submission", r.submission_id], ["vacancy", r.vacancy_reference], ["document", r.document_title || r.document],
    ["file_name", r.original_filename], ["size", `${bytes(r.size_bytes)} (${t("bytes", { n: r.size_bytes })})`],
    ["sha256", el("code", { class: "hash" }, r.sha256)],
    ["began", el("span", {}, `${r.upload_began_at} ${t("utc")}`, el("br"), `${r.upload_began_local ?? ""}${zone}`)],
    ["completed", el("span", {}, `${r.upload_completed_at} ${t("utc")}`, el("br"), `${r.upload_completed_local ?? ""}${zone}`)],
    ["page_count", r.pages ?? "—"],
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
      el("table", { class: "checklist" },
        el("thead", {}, el("tr", {}, ["rule", "result", "found"].map((k) => el("th", { scope: "col" }, t(k))))),
        el("tbody", {}, (r.rules || []).map((x) => el("tr", {},
          el("th", { scope: "row" }, ruleName(x.rule)),
          el("td", { class: `status status-${x.status}` }, el("span", { class: "icon", "aria-hidden": "true" }, ICONS[x.status] || "?"), " ", t(`status_${x.status}`)),
          el("td", {}, x.found ?? "—"))))),
      el("h2", {}, t("signature")),
      el("p", { class: "sig" }, el("code", {}, signed.signature)),
      signed.public_key ? el("p", { class: "sig" }, el("span", { class: "muted small" }, t("public_key")), el("code", {}, signed.public_key)) : null),
    el("p", { class: "no-print actions" },
      el("a", { class: "button secondary", id: "download-json", href: URL.createObjectURL(blob), download: `receipt-${r.submission_id}.json` }, t("download_json")),
      el("button", { type: "button", class: "secondary", id: "print", onclick: () => window.print() }, t("print"))));
});
