// The server's verdict as a checklist, and the picture of the pages.
import { el } from "./dom.js";
import { pick, t } from "./i18n.js";

export function checklist(verdict) {
  const rows = (verdict?.rules || []).map((r) => el("tr", {},
    el("td", {}, r.rule),
    el("td", { class: `status-${r.status}` }, (r.status === "pass" ? "✓ " : r.status === "fail" ? "✗ " : "! ") + t(`status_${r.status}`)),
    el("td", {}, r.expected ?? ""),
    el("td", {}, r.found ?? ""),
    el("td", {}, pick(r.message)),
  ));
  return el("table", {},
    el("caption", { class: "muted" }, t("checklist")),
    el("thead", {}, el("tr", {}, ["rule", "result", "expected", "found", "what_to_do"].map((k) => el("th", { scope: "col" }, t(k))))),
    el("tbody", {}, rows));
}

/** One box per page, filled to how full it is; pages past the limit in red. */
export function pagesPicture(inspection, maxPages) {
  const pages = inspection?.pages;
  if (!pages) return null;
  const boxes = [];
  for (let i = 1; i <= pages; i++) {
    const fill = i < pages ? 1 : Math.max(0.03, Math.min(1, inspection.last_page_fill ?? 1));
    const over = maxPages && i > maxPages;
    const label = `${i}${over ? " — " + t("over_limit") : ""}`;
    const filled = el("div", { class: "fill" });
    filled.style.height = `${Math.round(fill * 100)}%`;
    boxes.push(el("div", { class: `page${over ? " over" : ""}`, role: "img", "aria-label": label }, filled, el("span", { class: "num" }, String(i))));
  }
  const starts = (inspection.page_starts || []).map((words, i) => (i > 0 && words ? el("li", {}, t("page_starts", { n: i + 1, words })) : null));
  return el("section", {}, el("h3", {}, t("pages_picture")), el("div", { class: "pages" }, boxes), el("ul", { class: "muted" }, starts));
}
