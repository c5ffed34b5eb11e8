import { get } from "../api.js";
import { el, param } from "../dom.js";
import { t } from "../i18n.js";
import { frame } from "../layout.js";

frame(async (main) => {
  const id = param("version");
  const signed = await get(`/api/versions/${encodeURIComponent(id)}/receipt`);
  const r = signed.receipt;
  const rows = [
    ["submission", r.submission_id], ["vacancy", r.vacancy_reference], ["document", r.document_title],
    ["file_name", r.original_filename], ["size", `${r.size_bytes} bytes`], ["sha256", r.sha256],
    ["began", `${r.upload_began_at} UTC — ${r.upload_began_local}`], ["completed", `${r.upload_completed_at} UTC — ${r.upload_completed_local}`],
    ["page_count", r.pages ?? "—"], ["verdict", r.verdict],
  ];
  const blob = new Blob([JSON.stringify(signed, null, 2)], { type: "application/json" });
  main.append(el("h1", {}, t("receipt_title")), el("div", { class: "card" },
    el("table", {}, el("tbody", {}, rows.map(([k, v]) => el("tr", {}, el("th", { scope: "row" }, t(k)), el("td", {}, String(v)))))),
    el("h2", {}, t("checklist")), el("ul", {}, (r.rules || []).map((x) => el("li", {}, `${x.rule}: ${t("status_" + x.status)}${x.found ? " (" + x.found + ")" : ""}`))),
    el("p", { class: "muted" }, `Ed25519: ${signed.signature}`)),
    el("p", { class: "no-print" }, el("a", { href: URL.createObjectURL(blob), download: `receipt-${r.submission_id}.json` }, t("download_json")), " ",
      el("button", { type: "button", class: "secondary", onclick: () => window.print() }, t("print"))));
});
